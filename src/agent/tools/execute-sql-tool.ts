import { z } from 'zod';
import { ServiceError, SqlError } from '../../errors/index.ts';
import type { AgentTool } from './agent-tool.ts';

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
  description: 'Run one read-only SQL statement and see its columns, first rows and row count. Use it to check a query before giving the final answer.',
  input,
  async run({ sql }, context) {
    try {
      const result = await context.datasource.executeReadOnly(sql);
      const shown = result.rows.slice(0, context.rowsShownToModel);
      return {
        content: {
          columns: result.columns.map((column) => column.name),
          rows: shown,
          rowCount: result.rowCount,
          truncated: result.truncated,
          ...(shown.length < result.rowCount ? { note: `showing the first ${shown.length} of ${result.rowCount} rows` } : {}),
        },
        summary: `${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${result.truncated ? ' (truncated)' : ''}, columns ${result.columns.map((column) => column.name).join(', ')}`,
        rowCount: result.rowCount,
        dbMs: result.durationMs,
      };
    } catch (error) {
      if (error instanceof SqlError) {
        return { content: { error: error.message, code: error.code }, summary: `error: ${error.message}`, error: error.message };
      }
      throw error instanceof ServiceError ? error : new Error(String(error));
    }
  },
};
