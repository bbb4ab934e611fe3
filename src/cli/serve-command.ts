import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';

/** `serve`: the HTTP service, until SIGTERM or SIGINT (which flush traces and close everything). */
export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the HTTP service (embedded defaults: PGlite demo data, local everything)')
    .option('-p, --port <port>', 'port (default from config: 8080)', (value) => Number(value))
    .option('--host <host>', 'interface to listen on (default from config: 127.0.0.1)')
    .option('--offline-model-endpoint', 'also serve the offline model as an OpenAI-compatible POST /v1/chat/completions')
    .option(
      '--workers <n>',
      'processes sharing the port: a number, or auto for one per core (default 1; always 1 with an embedded PGlite database)',
      (value) => (value === 'auto' ? ('auto' as const) : Number(value)),
    )
    .action(async (options: { port?: number; host?: string; offlineModelEndpoint?: boolean; workers?: number | 'auto' }) => {
      const base = await context.config();
      const cluster = (await import('node:cluster')).default;
      const { runClusterPrimary, workerCount, workerIndexVariable } = await import('./serve-cluster.ts');
      if (cluster.isPrimary) {
        const count = workerCount(options.workers, base);
        if (count > 1) {
          const { createLogger } = await import('../logging/index.ts');
          runClusterPrimary(count, createLogger(base.logLevel), { redis: Boolean(base.cache.redisUrl) });
          return;
        }
      }
      const workerIndex = cluster.isPrimary ? 0 : Number(process.env[workerIndexVariable] ?? 0);
      const serverSettings = {
        ...base.server,
        ...(options.port !== undefined ? { port: options.port } : {}),
        ...(options.host ? { host: options.host } : {}),
        ...(options.offlineModelEndpoint ? { offlineModelEndpoint: true } : {}),
      };
      const config = await context.config({ server: serverSettings });
      // The datasources start opening (embedded ones in their own PGlite workers, fixtures loading on a first
      // start) while the rest of the service's modules load, instead of after: on a restart that was about
      // a second of the two cores' time spent one after the other.
      const [{ configuredSecrets, createDatasourceRegistry }, { createLogger }] = await Promise.all([
        import('../app-datasources.ts'),
        import('../logging/index.ts'),
      ]);
      const logger = createLogger(config.logLevel, { secrets: configuredSecrets(config) });
      const datasources = createDatasourceRegistry(config, logger);
      for (const { id } of datasources.list())
        datasources.schema(id).catch((error) => logger.warn('datasource not ready', { datasource: id, error: (error as Error).message }));
      const [{ createApp }, { startServer }, { OfflineChatModel }] = await Promise.all([
        import('../app.ts'),
        import('../http/index.ts'),
        import('../llm/offline/index.ts'),
      ]);
      const app = createApp(config, { logger, datasources });
      // Each datasource's guard parser, knowledge file and knowledge check are ready before its first question.
      for (const { id } of datasources.list()) void app.warm(id);
      const chatCompletionsModel = app.config.server.offlineModelEndpoint ? new OfflineChatModel() : undefined;
      const running = await startServer(app, { chatCompletionsModel });
      const port = running.port;
      app.logger.info('listening', {
        ...(cluster.isPrimary ? {} : { worker: workerIndex, pid: process.pid }),
        url: `http://${app.config.server.host}:${port}`,
        ...(app.config.server.console ? { console: `http://${app.config.server.host}:${port}/` } : {}),
        ...(running.metricsPort !== null ? { metrics: `http://${app.config.server.host}:${running.metricsPort}/metrics` } : {}),
        datasources: app.datasources.list().map((entry) => entry.id),
      });
      // Open the trace store now, so a locked or unreachable app database shows at start, not on a request.
      app
        .traceStore()
        .catch((error) =>
          app.logger.warn('local trace store unavailable; spans go to Langfuse only (if configured)', { error: (error as Error).message }),
        );
      // Trace retention and alert rules run once per service, in the first process.
      if (workerIndex === 0) app.startBackgroundTasks();
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        app.logger.info('shutting down', { signal });
        // In-flight requests finish (up to server.shutdownGraceMs) before traces flush and pools close.
        const drained = await running.drain(signal);
        // app.close flushes both span processors (Langfuse and the local store) before anything closes.
        await app.close();
        app.logger.info('stopped', { signal, ...drained });
        process.exit(0);
      };
      // `on`, not `once`: a second signal (a cluster's primary passes one on, Ctrl-C reaches the whole
      // process group) must not end the process in the middle of its drain; `stop` ignores repeats.
      process.on('SIGTERM', () => void stop('SIGTERM'));
      process.on('SIGINT', () => void stop('SIGINT'));
    });
}
