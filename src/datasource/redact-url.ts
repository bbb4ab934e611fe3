// The user info runs to the last `@` before any query: a password may hold `@` or `/` (masking too much is safe).
const userInfoPattern = /^([a-z][a-z0-9+.-]*:\/\/)([^?#]*)@/i;
const secretParameterPattern = /([?&](?:password|sslpassword|pass|pwd|secret|token|api_?key)=)[^&#]*/gi;

/**
 * A connection URL with its password masked, safe for logs, traces, prompts and API output. The user info
 * ends at the last `@` before the host (a password may itself contain `@`), and password-like query
 * parameters (`?password=…`, which node-postgres honours) are masked too.
 */
export function redactUrl(url: string): string {
  return url
    .replace(userInfoPattern, (_, scheme: string, userInfo: string) => {
      const user = userInfo.split(':')[0];
      return userInfo.includes(':') ? `${scheme}${user}:***@` : `${scheme}${user}@`;
    })
    .replace(secretParameterPattern, '$1***');
}

/** The password a connection URL carries (in its user info or a password parameter), decoded; null if none. */
export function passwordOf(url: string): string | null {
  const userInfo = userInfoPattern.exec(url)?.[2];
  const fromUserInfo = userInfo?.includes(':') ? userInfo.slice(userInfo.indexOf(':') + 1) : null;
  const fromParameter = /[?&](?:password|sslpassword)=([^&#]*)/i.exec(url)?.[1] ?? null;
  const raw = fromUserInfo || fromParameter;
  if (!raw) return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
