export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** A structured logger: one JSON object a line on stderr. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * Masks credentials anywhere in a text: every known secret (configured passwords and keys), the
 * password part of any URL (up to the last `@` before the host), and password-like query parameters.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let result = text;
  // Each pass runs only where it can match: traces mask every model call's whole conversation, and a
  // search for a fixed string is much cheaper than a split or a regular expression over it.
  for (const secret of secrets) {
    if (secret.length >= 4 && result.includes(secret)) result = result.split(secret).join('***');
  }
  if (result.includes('://') && result.includes('@'))
    // The scheme must start where no scheme character precedes it: without that lookbehind the pattern
    // retried from every letter of a long word and took quadratic time (a 99,000-letter question held the
    // event loop for tens of seconds). With it, each run of letters is scanned once.
    result = result.replace(/(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^:@/\s"']*):[^/\s"']*@/gi, '$1:***@');
  if (result.includes('=')) result = result.replace(/([?&](?:password|sslpassword|pass|pwd|secret|token|api_?key)=)[^&#\s"']*/gi, '$1***');
  return result;
}

/**
 * The secrets plus their JSON-escaped forms: in JSON text (a log line, a recorded input) a secret with a
 * quote or a backslash appears escaped, and must be masked there too.
 */
export function withJsonEscapedForms(secrets: readonly string[]): string[] {
  const escaped = secrets.map((secret) => JSON.stringify(secret).slice(1, -1)).filter((form, index) => form !== secrets[index]);
  return [...secrets, ...escaped];
}

export interface LoggerOptions {
  write?: (line: string) => void;
  now?: () => Date;
  /** Values that must never appear in a log line (configured passwords, API keys). */
  secrets?: readonly string[];
}

export function createLogger(level: LogLevel, write: LoggerOptions['write'] | LoggerOptions = {}, now?: () => Date): Logger {
  const options: LoggerOptions = typeof write === 'function' ? { write, now } : write;
  const output = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const clock = options.now ?? (() => new Date());
  const secrets = withJsonEscapedForms(options.secrets ?? []);
  const emit = (entryLevel: Exclude<LogLevel, 'silent'>, message: string, fields: Record<string, unknown> = {}) => {
    if (order[entryLevel] < order[level]) return;
    output(redactSecrets(JSON.stringify({ time: clock().toISOString(), level: entryLevel, message, ...fields }), secrets));
  };
  return {
    debug: (message, fields) => emit('debug', message, fields),
    info: (message, fields) => emit('info', message, fields),
    warn: (message, fields) => emit('warn', message, fields),
    error: (message, fields) => emit('error', message, fields),
  };
}
