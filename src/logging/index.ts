export { createLogger, redactSecrets, type Logger, type LogLevel } from './logger.ts';
