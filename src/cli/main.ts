import { Command, Option } from 'commander';
import { createServer } from 'node:http';
import { createApp, type App } from '../app.ts';
import { loadConfig } from '../config/index.ts';
import { Datasource, datasourceConfigSchema, passwordOf } from '../datasource/index.ts';
import { ServiceError } from '../errors/index.ts';
import { ensureDatabase, getFixture, grantReadOnlyRole, listFixtures, loadFixture } from '../fixtures/index.ts';
import { createHttpApp } from '../http/index.ts';
import { OfflineChatModel } from '../llm/offline/index.ts';
import { redactSecrets } from '../logging/index.ts';
import { exitCodeOf } from './exit-codes.ts';
import { formatSchema } from './format-schema.ts';
import { registerAskCommand } from './ask-command.ts';
import { registerEvalCommand } from './eval-command.ts';
import { registerFeedbackCommand } from './feedback-command.ts';
import { registerPromptsCommand } from './prompts-command.ts';
import { registerStatsCommand } from './stats-command.ts';
import { registerTracesCommand } from './traces-command.ts';
import { renderTable } from './render-table.ts';

const program = new Command();
program
  .name('sqlagent')
  .description('Text-to-SQL agent service: ask questions of Postgres, MySQL and embedded PGlite data.')
  .option('-c, --config <file>', 'config file (JSON or YAML); default $SQLAGENT_CONFIG')
  .showHelpAfterError();

const print = (text: string) => process.stdout.write(`${text}\n`);
// `sqlagent … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** Builds the app from config, runs `work`, and always closes the app. */
async function withApp(work: (app: App) => Promise<void>): Promise<void> {
  const app = createApp(loadConfig({ file: program.opts().config }));
  try {
    await work(app);
  } finally {
    await app.close();
  }
}

program
  .command('serve')
  .description('start the HTTP service (embedded defaults: PGlite demo data, local everything)')
  .option('-p, --port <port>', 'port (default from config: 8080)', (value) => Number(value))
  .option('--host <host>', 'interface to listen on (default from config: 127.0.0.1)')
  .option('--offline-model-endpoint', 'also serve the offline model as an OpenAI-compatible POST /v1/chat/completions')
  .action(async (options: { port?: number; host?: string; offlineModelEndpoint?: boolean }) => {
    const base = loadConfig({ file: program.opts().config });
    const serverSettings = {
      ...base.server,
      ...(options.port !== undefined ? { port: options.port } : {}),
      ...(options.host ? { host: options.host } : {}),
      ...(options.offlineModelEndpoint ? { offlineModelEndpoint: true } : {}),
    };
    const app = createApp(loadConfig({ file: program.opts().config, overrides: { server: serverSettings } }));
    const chatCompletionsModel = app.config.server.offlineModelEndpoint ? new OfflineChatModel() : undefined;
    const server = createServer(createHttpApp(app, { chatCompletionsModel }));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(app.config.server.port, app.config.server.host, resolve);
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : app.config.server.port;
    app.logger.info('listening', { url: `http://${app.config.server.host}:${port}`, datasources: app.datasources.list().map((entry) => entry.id) });
    // Open the trace store now, so a locked or unreachable app database shows at start, not on a request.
    app.traceStore().catch((error) => app.logger.warn('local trace store unavailable; spans go to Langfuse only (if configured)', { error: (error as Error).message }));
    app.startBackgroundTasks();
    // Warm the demo datasources so the first request does not pay for the fixture load.
    for (const { id } of app.datasources.list()) {
      app.datasources.schema(id).catch((error) => app.logger.warn('datasource not ready', { datasource: id, error: (error as Error).message }));
    }
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      app.logger.info('shutting down', { signal });
      server.close();
      server.closeAllConnections();
      // app.close flushes both span processors (Langfuse and the local store) before anything closes.
      await app.close();
      app.logger.info('stopped', { signal });
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
  });

const fixtures = program.command('fixtures').description('fixture databases');
fixtures
  .command('list')
  .description('list the fixtures the project ships')
  .option('--json', 'print JSON')
  .action((options: { json?: boolean }) => {
    const entries = listFixtures().map((fixture) => {
      const data = fixture.generate();
      return { name: fixture.name, description: fixture.description, today: fixture.today, schemas: fixture.schemas, tables: fixture.tables.length, rows: Object.values(data).reduce((sum, rows) => sum + rows.length, 0) };
    });
    if (options.json) print(JSON.stringify(entries, null, 2));
    else print(renderTable(['name', 'schemas', 'tables', 'rows', 'today', 'description'], entries.map((entry) => [entry.name, entry.schemas.join(','), entry.tables, entry.rows, entry.today, entry.description]), 70));
  });
fixtures
  .command('load <name>')
  .description('load a fixture into a database (created if missing); replaces the fixture tables if present')
  .requiredOption('--url <url>', 'postgres://…, mysql://… or pglite:<dir>')
  .option('--seed <n>', 'generator seed', (value) => Number(value), 42)
  .option('--readonly-role <name>', 'also create a SELECT-only login role and grant it the fixture schemas')
  .addOption(new Option('--readonly-password <password>', 'password of that role').env('SQLAGENT_READONLY_PASSWORD').default(''))
  .action(async (name: string, options: { url: string; seed: number; readonlyRole?: string; readonlyPassword: string }) => {
    const fixture = getFixture(name);
    await ensureDatabase(options.url);
    const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'fixture', url: options.url, sampleValues: false, poolSize: 1 }));
    try {
      const started = Date.now();
      const result = await loadFixture(fixture, datasource, { seed: options.seed, onProgress: (message) => process.stderr.write(`  ${message}\n`) });
      print(`Loaded fixture ${name} into ${datasource.displayUrl}: ${result.totalRows} rows in ${result.tables.length} tables (${Date.now() - started} ms). Schemas: ${Object.entries(result.schemas).map(([logical, physical]) => `${logical} -> ${physical}`).join(', ')}.`);
      if (options.readonlyRole) {
        await grantReadOnlyRole(datasource, options.readonlyRole, options.readonlyPassword, Object.values(result.schemas));
        print(`Granted SELECT on ${Object.values(result.schemas).join(', ')} to ${options.readonlyRole}.`);
      }
    } finally {
      await datasource.close();
    }
  });

program
  .command('schema <datasource>')
  .description('print the introspected schema and its version (datasource: a configured id or a URL)')
  .option('--json', 'print the SchemaMeta as JSON')
  .option('--refresh', 'ignore the cache')
  .action(async (reference: string, options: { json?: boolean; refresh?: boolean }) => {
    await withApp(async (app) => {
      const meta = await app.datasources.schema(reference, { allowUrl: true, refresh: options.refresh });
      print(options.json ? JSON.stringify(meta, null, 2) : formatSchema(meta));
    });
  });

program
  .command('sql <datasource> <statement>')
  .description('run one statement through the SQL guard and the read-only executor')
  .option('--json', 'print the result as JSON')
  .option('--row-cap <n>', 'at most this many rows (never above the datasource cap)', (value) => Number(value))
  .option('--timeout <ms>', 'statement timeout (never above the datasource timeout)', (value) => Number(value))
  .action(async (reference: string, statement: string, options: { json?: boolean; rowCap?: number; timeout?: number }) => {
    await withApp(async (app) => {
      const datasource = await app.datasources.get(reference, { allowUrl: true });
      const result = await datasource.executeReadOnly(statement, { rowCap: options.rowCap, timeoutMs: options.timeout });
      if (options.json) {
        print(JSON.stringify(result, null, 2));
        return;
      }
      print(renderTable(result.columns.map((column) => column.name), result.rows));
      print(`(${result.rowCount} row${result.rowCount === 1 ? '' : 's'}${result.truncated ? `, truncated at the cap of ${result.rowCap}` : ''}, ${result.durationMs} ms)`);
    });
  });

registerPromptsCommand(program, withApp);
registerAskCommand(program, withApp);
registerTracesCommand(program, withApp);
registerStatsCommand(program, withApp);
registerFeedbackCommand(program, withApp);
registerEvalCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const code = error instanceof ServiceError ? error.code : 'internal_error';
  // Passwords may come from the command line itself (a URL given as a datasource).
  const secrets = process.argv.map((argument) => passwordOf(argument)).filter((secret): secret is string => Boolean(secret));
  const message = error instanceof Error ? error.message : String(error);
  if (program.opts().json || process.argv.includes('--json')) {
    const body = JSON.stringify({ error: { code, message, details: error instanceof ServiceError ? error.details : undefined } });
    process.stderr.write(`${redactSecrets(body, secrets)}\n`);
  } else {
    process.stderr.write(`${redactSecrets(`error [${code}]: ${message}`, secrets)}\n`);
  }
  process.exitCode = exitCodeOf(code);
}
