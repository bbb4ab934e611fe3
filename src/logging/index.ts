export { createLogger, redactSecrets, withJsonEscapedForms, type Logger, type LoggerOptions, type LogLevel } from './logger.ts';
export { routeLangfuseLogs } from './langfuse-sdk-logs.ts';
export { hostsMasked, withoutHosts } from './without-hosts.ts';
