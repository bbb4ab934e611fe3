import { DatasourceUnavailableError, ServiceError, SqlExecutionError, SqlTimeoutError } from '../../errors/index.ts';

const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_DBACCESS_DENIED_ERROR',
]);
// MariaDB max_statement_time (1969), MySQL max_execution_time (3024), and an interrupted query (1317).
const timeoutErrnos = new Set([1969, 3024, 1317]);

/** Turns a mysql2 failure into the service's typed error. */
export function toMysqlServiceError(error: unknown, datasourceId: string): ServiceError {
  if (error instanceof ServiceError) return error;
  const failure = error as { code?: string; errno?: number; message?: string; fatal?: boolean; sqlState?: string };
  const message = failure?.message ?? String(error);
  if (unavailableCodes.has(failure?.code ?? '') || failure?.fatal === true || /closed state|Pool is closed/i.test(message)) {
    return new DatasourceUnavailableError(
      `Datasource "${datasourceId}" is unavailable: ${message}`,
      { datasource: datasourceId, databaseCode: failure?.code ?? null },
      { cause: error },
    );
  }
  if (timeoutErrnos.has(failure?.errno ?? -1)) {
    return new SqlTimeoutError(`The statement was stopped by the statement timeout: ${message}`, { datasource: datasourceId });
  }
  return new SqlExecutionError(message, failure?.code ?? null, {
    datasource: datasourceId,
    errno: failure?.errno ?? null,
    sqlState: failure?.sqlState ?? null,
  });
}
