export { createLogger, redactSecrets, type Logger, type LoggerOptions, type LogLevel } from './logger.ts';
