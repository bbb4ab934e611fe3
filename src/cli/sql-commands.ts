import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { formatSchema } from './format-schema.ts';
import { renderTable } from './render-table.ts';

/** `schema` and `sql`: a datasource's introspected schema, and one statement through the guard. */
export function registerSqlCommands(program: Command, context: CliContext): void {
  program
    .command('schema <datasource>')
    .description('print the introspected schema and its version (datasource: a configured id or a URL)')
    .option('--json', 'print the SchemaMeta as JSON')
    .option('--refresh', 'ignore the cache')
    .action(async (reference: string, options: { json?: boolean; refresh?: boolean }) =>
      context.withApp(async (app) => {
        const meta = await app.datasources.schema(reference, { allowUrl: true, refresh: options.refresh });
        context.print(options.json ? JSON.stringify(meta, null, 2) : formatSchema(meta));
      }),
    );

  program
    .command('sql <datasource> <statement>')
    .description('run one statement through the SQL guard and the read-only executor')
    .option('--json', 'print the result as JSON')
    .option('--row-cap <n>', 'at most this many rows (never above the datasource cap)', (value) => Number(value))
    .option('--timeout <ms>', 'statement timeout (never above the datasource timeout)', (value) => Number(value))
    .action(async (reference: string, statement: string, options: { json?: boolean; rowCap?: number; timeout?: number }) =>
      context.withApp(async (app) => {
        const datasource = await app.datasources.get(reference, { allowUrl: true });
        const result = await datasource.executeReadOnly(statement, { rowCap: options.rowCap, timeoutMs: options.timeout });
        if (options.json) {
          context.print(JSON.stringify(result, null, 2));
          return;
        }
        context.print(
          renderTable(
            result.columns.map((column) => column.name),
            result.rows,
          ),
        );
        context.print(
          `(${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${result.truncated ? `, truncated at the cap of ${result.rowCap}` : ''}, ${result.durationMs} ms)`,
        );
      }),
    );
}
