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
      const result = await context.datasource.executeReadOnly(sql, { signal: context.signal });
      const shown = result.rows.slice(0, context.rowsShownToModel);
      const content: ExecuteSqlContent = {
        columns: result.columns.map((column) => column.name),
        rows: shown,
        rowCount: result.rowCount,
        truncated: result.truncated,
        ...(shown.length < result.rowCount ? { note: `showing the first ${shown.length} of ${result.rowCount} rows` } : {}),
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
