import { z } from 'zod';
import { ServiceError, SqlError, SqlTimeoutError } from '../../errors/index.ts';
import type { ExecuteSqlContent } from '../tool-results.ts';
import { sqlKey, tooSlowMessage, type AgentTool, type SqlFailure } from './agent-tool.ts';

const input = z
  .object({ sql: z.string().min(1).describe('One read-only SELECT (or WITH … SELECT) statement in the datasource dialect.') })
  .strict();

/**
 * Runs SQL through the guard and the read-only executor. The model sees the columns, the first rows and
 * the row count; a rejection, a database error or a timeout comes back as the result so it can correct
 * itself. A datasource that is down is a system fault and throws.
 */
export const executeSqlTool: AgentTool<z.infer<typeof input>> = {
  name: 'execute_sql',
  description:
    'Run one read-only SQL statement and see its columns, first rows and row count. Use it to check a query before giving the final answer.',
  input,
  async run({ sql }, context) {
    if (context.timedOutSql?.has(sqlKey(sql))) {
      const message = tooSlowMessage(true);
      return {
        content: { error: message, code: 'sql_timeout' },
        summary: `error: ${message}`,
        error: message,
        sqlError: { code: 'sql_timeout', databaseCode: null },
      };
    }
    try {
      const result = await context.datasource.executeReadOnly(sql, { signal: context.signal, defaultLimit: context.rowLimit });
      const shown = result.rows.slice(0, context.rowsShownToModel);
      const content: ExecuteSqlContent = {
        columns: result.columns.map((column) => column.name),
        rows: shown,
        rowCount: result.rowCount,
        truncated: result.truncated,
        ...(shown.length < result.rowCount || result.truncated ? { note: truncationNote(shown.length, result) } : {}),
      };
      return {
        content,
        summary: `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${result.truncated ? ' (truncated)' : ''}, columns ${result.columns.map((column) => column.name).join(', ')}`,
        rowCount: result.rowCount,
        dbMs: result.durationMs,
      };
    } catch (error) {
      if (error instanceof SqlTimeoutError) {
        context.timedOutSql?.add(sqlKey(sql));
        const message = `${tooSlowMessage(false)} (${error.message})`;
        return {
          content: { error: message, code: error.code },
          summary: `error: ${message}`,
          error: message,
          sqlError: sqlFailureOf(error),
        };
      }
      if (error instanceof SqlError) {
        return {
          content: { error: error.message, code: error.code },
          summary: `error: ${error.message}`,
          error: error.message,
          sqlError: sqlFailureOf(error),
        };
      }
      throw error instanceof ServiceError ? error : new Error(String(error));
    }
  },
};

/** The code of a SQL error, and the database's own code when it gave one. */
export function sqlFailureOf(error: SqlError): SqlFailure {
  const databaseCode = error.details.databaseCode;
  return { code: error.code as SqlFailure['code'], databaseCode: typeof databaseCode === 'string' ? databaseCode : null };
}

/** What the model is told about rows it does not see: the ones not shown, and the ones not fetched. */
function truncationNote(shown: number, result: { rowCount: number; truncatedBy: string | null }): string {
  const showing =
    shown < result.rowCount ? `showing the first ${shown} of ${result.rowCount} rows` : `showing all ${result.rowCount} rows fetched`;
  const cut =
    result.truncatedBy === 'limit'
      ? `the statement stopped at its LIMIT ${result.rowCount}, the default row limit, so there may be more rows`
      : result.truncatedBy === 'rows'
        ? `the result was cut at the row cap of ${result.rowCount}; there are more rows`
        : result.truncatedBy === 'bytes'
          ? 'the result was cut at the byte budget; there are more rows'
          : null;
  return cut ? `${showing}; ${cut}` : showing;
}
