import { DatasourceBusyError, DatasourceUnavailableError, ServiceError, SqlExecutionError, SqlTimeoutError } from '../../errors/index.ts';

const networkCodes = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);
// SQLSTATEs that mean the server is gone, refusing, or the database is missing, not that the SQL is bad.
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300', '3D000', '28P01', '28000']);

/** Turns a node-postgres or PGlite failure into the service's typed error. */
export function toPostgresServiceError(error: unknown, datasourceId: string): ServiceError {
  if (error instanceof ServiceError) return error;
  const failure = error as { code?: string; message?: string; position?: string };
  const code = failure?.code ?? '';
  const message = failure?.message ?? String(error);
  // node-postgres's pool gave up waiting for a free client: every connection is in use, not unreachable.
  if (message === 'timeout exceeded when trying to connect') {
    return new DatasourceBusyError(
      `Datasource "${datasourceId}" is busy: every pooled connection stayed in use. Try again in a moment.`,
      { datasource: datasourceId, retryAfterSeconds: 1 },
      { cause: error },
    );
  }
  if (
    networkCodes.has(code) ||
    unavailableStates.has(code) ||
    code.startsWith('08') ||
    /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message)
  ) {
    return new DatasourceUnavailableError(
      `Datasource "${datasourceId}" is unavailable: ${message}`,
      { datasource: datasourceId, databaseCode: code || null },
      { cause: error },
    );
  }
  if (code === '57014') {
    return new SqlTimeoutError(`The statement was stopped by the statement timeout: ${message}`, { datasource: datasourceId });
  }
  return new SqlExecutionError(message, code || null, { datasource: datasourceId, position: failure?.position ?? null });
}
