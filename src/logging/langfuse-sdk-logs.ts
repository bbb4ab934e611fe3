import { createRequire } from 'node:module';
import type { Logger } from './logger.ts';

/** The Langfuse SDK's global logger, as far as we use it. */
interface SdkLogger {
  error(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
}

const intervalMs = 60_000;
let target: Logger | null = null;
const routed = new WeakSet<SdkLogger>();
const lastLogged = new Map<string, { at: number; suppressed: number }>();

/** The message's kind, for rate limiting: its text without numbers, quotes or ids, cut short. */
const kindOf = (message: string) =>
  message
    .replace(/'[^']*'|"[^"]*"/g, '…')
    .replace(/\d+/g, '#')
    .slice(0, 80);

/** One line: the message and each argument's message (an Error's, never its stack). */
function describe(message: string, args: readonly unknown[]): { sdkMessage: string; detail?: string } {
  const detail = args
    .map((arg) => (arg instanceof Error ? `${arg.name}: ${arg.message}` : typeof arg === 'string' ? arg : ''))
    .filter(Boolean)
    .join('; ')
    .slice(0, 500);
  return detail ? { sdkMessage: message, detail } : { sdkMessage: message };
}

function forward(level: 'warn' | 'debug', message: string, args: readonly unknown[]): void {
  if (!target) return;
  const text = String(message);
  if (level === 'debug') {
    target.debug('Langfuse SDK', describe(text, args));
    return;
  }
  const kind = kindOf(text);
  const now = Date.now();
  const last = lastLogged.get(kind);
  if (last && now - last.at < intervalMs) {
    last.suppressed += 1;
    return;
  }
  lastLogged.set(kind, { at: now, suppressed: 0 });
  target.warn('Langfuse SDK', { ...describe(text, args), ...(last?.suppressed ? { suppressedSimilar: last.suppressed } : {}) });
}

/** Points one build's global SDK logger at `forward` (once per logger instance). */
function patch(sdk: SdkLogger): void {
  if (routed.has(sdk)) return;
  sdk.error = (message, ...args) => forward('warn', message, args);
  sdk.warn = (message, ...args) => forward('warn', message, args);
  sdk.info = (message, ...args) => forward('debug', message, args);
  sdk.debug = (message, ...args) => forward('debug', message, args);
  routed.add(sdk);
}

/**
 * Sends what the Langfuse SDK logs through our JSON logger instead of its own `console.error` lines (with
 * whole stacks, one set per failed request while Langfuse is down): errors and warnings as one `warn` line
 * each, at most one per kind of message a minute (the next says how many were suppressed); info and debug
 * at debug. The SDK ships a CommonJS and an ES module build, each with its own global logger: the
 * CommonJS one is routed at once, the ES module one when the returned promise settles (await it before
 * making a client through `import()`). The latest logger wins.
 */
export function routeLangfuseLogs(logger: Logger): Promise<void> {
  if (target !== logger) lastLogged.clear();
  target = logger;
  patch((createRequire(import.meta.url)('@langfuse/core') as { getGlobalLogger: () => SdkLogger }).getGlobalLogger());
  return import('@langfuse/core').then(
    (core) => patch(core.getGlobalLogger() as unknown as SdkLogger),
    () => undefined,
  );
}
