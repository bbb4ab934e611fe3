import { randomUUID } from 'node:crypto';
import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

/**
 * `mcp`: the MCP tools over stdio, for a host that starts this process (Claude Desktop, an IDE, an agent
 * framework). Standard output carries the protocol and nothing else: logs go to stderr. The session ends
 * when the host closes stdin, or on SIGTERM or SIGINT; then traces are flushed and the app closed. Traces
 * are spooled like a one-shot command's (the embedded app database stays free for `serve` and `traces`),
 * and loaded by the next process that opens the span store.
 */
export function registerMcpCommand(program: Command, context: CliContext): void {
  program
    .command('mcp')
    .description('serve the MCP tools (ask, search_metadata, show_table, execute_sql, list_datasources) over stdio')
    .action(async () => {
      // A stray console.log in any dependency would corrupt the protocol: send the console to stderr.
      for (const method of ['log', 'info', 'debug'] as const) console[method] = console.error;
      const [{ createApp }, { serveMcpOverStdio }] = await Promise.all([import('../app.ts'), import('../mcp/index.ts')]);
      const app = createApp(await context.config(), { spoolTraces: true });
      const session = await serveMcpOverStdio(app, { sessionId: randomUUID() });
      const datasources = app.datasources.list().map((entry) => entry.id);
      app.logger.info('MCP server on stdio', { datasources });
      // Warm the datasources, so the first call does not pay for opening one (or loading its fixture).
      for (const id of datasources)
        app.datasources
          .schema(id)
          .catch((error: unknown) => app.logger.warn('datasource not ready', { datasource: id, error: (error as Error).message }));
      const stop = (signal: string) => {
        app.logger.info('shutting down', { signal });
        void session.close();
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      await session.closed;
      await app.close();
      app.logger.info('stopped');
    });
}
