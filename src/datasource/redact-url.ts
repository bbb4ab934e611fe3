/** A connection URL with any password replaced by `***`, safe for logs, traces, prompts and API output. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i, (_, scheme: string, userInfo: string) => {
    const user = userInfo.split(':')[0];
    return userInfo.includes(':') ? `${scheme}${user}:***@` : `${scheme}${user}@`;
  });
}
