export { createLogger, redactSecrets, withJsonEscapedForms, type Logger, type LoggerOptions, type LogLevel } from './logger.ts';
