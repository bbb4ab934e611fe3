import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Config } from '../config/index.ts';
import { dialectForUrl } from '../datasource/index.ts';
import { ConfigError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

/** The environment variable a worker reads its index from (0 runs the background tasks). */
export const workerIndexVariable = 'SQLAGENT_WORKER_INDEX';

/** What keeps a config in one process: the PGlite databases it opens (a PGlite directory takes one process). */
export function embeddedDatabases(config: Pick<Config, 'datasources' | 'appDatabase'>): string[] {
  return [
    ...config.datasources
      .filter((datasource) => dialectForUrl(datasource.url).embedded)
      .map((datasource) => `datasource "${datasource.id}"`),
    ...(dialectForUrl(config.appDatabase.url).embedded ? ['the app database'] : []),
  ];
}

/**
 * How many processes `serve` runs: one unless `--workers N` (or `auto`, one per core) asks for more, and
 * one whenever a PGlite database is configured (the embedded demo), where more is an error saying why.
 * Not one per core by default: each worker has its own pools (N × `poolSize` connections), and without
 * Redis its own cache and rate-limit counts, and `/metrics` answers for one worker per scrape.
 */
export function workerCount(requested: number | 'auto' | undefined, config: Pick<Config, 'datasources' | 'appDatabase'>): number {
  const embedded = embeddedDatabases(config);
  if (requested === 'auto') return embedded.length > 0 ? 1 : availableParallelism();
  if (requested !== undefined && (!Number.isInteger(requested) || requested < 1 || requested > 256))
    throw new ConfigError(`--workers must be a whole number from 1 to 256; got ${requested}.`, { field: 'workers' });
  if (embedded.length > 0) {
    if (requested !== undefined && requested > 1)
      throw new ConfigError(
        `--workers ${requested} needs every database on a server: ${embedded.join(', ')} ${embedded.length === 1 ? 'is' : 'are'} embedded PGlite, which one process at a time can open. Point them at Postgres or MySQL (DATASOURCE_<ID>_URL, APP_DATABASE_URL), or run one process.`,
        { field: 'workers' },
      );
    return 1;
  }
  return requested ?? 1;
}

/**
 * The primary of a cluster: forks `count` workers that share the listening socket (node:cluster hands
 * connections round robin), replaces a worker that dies unexpectedly, and on SIGTERM or SIGINT passes the
 * signal on and exits once every worker has drained and stopped. Only worker 0 runs the background tasks.
 */
export function runClusterPrimary(count: number, logger: Logger, options: { redis: boolean }): void {
  let stopping = false;
  const indexOf = new Map<number, number>();
  /** Restarts of each worker index lately, for a growing delay (1 s, 2 s, 4 s … at most 60 s). */
  const restarts = new Map<number, { count: number; last: number }>();
  const listened = new Set<number>();
  cluster.on('listening', (worker) => listened.add(worker.id));
  const fork = (index: number) => {
    const worker = cluster.fork({ [workerIndexVariable]: String(index) });
    indexOf.set(worker.id, index);
  };
  logger.info('cluster', {
    workers: count,
    ...(options.redis ? {} : { note: 'without REDIS_URL each worker keeps its own result cache and rate-limit counts' }),
  });
  for (let index = 0; index < count; index += 1) fork(index);
  cluster.on('exit', (worker, code, signal) => {
    const index = indexOf.get(worker.id) ?? 0;
    indexOf.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('cluster stopped', { workers: count });
        process.exit(process.exitCode ?? 0);
      }
      return;
    }
    if (!listened.has(worker.id)) {
      // It never started (a bad config, a port in use): another would fail the same way.
      logger.error('a worker stopped before it could serve; stopping the cluster', { worker: index, code, signal });
      stopping = true;
      for (const other of Object.values(cluster.workers ?? {})) other?.process.kill('SIGTERM');
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      process.exitCode = 1;
      return;
    }
    listened.delete(worker.id);
    const now = Date.now();
    const previous = restarts.get(index);
    const recent = previous && now - previous.last < 120_000 ? previous.count + 1 : 0;
    restarts.set(index, { count: recent, last: now });
    const delayMs = Math.min(60_000, 1000 * 2 ** recent);
    logger.error('worker stopped unexpectedly; starting another', { worker: index, code, signal, inMs: delayMs });
    // Not once the cluster is stopping: a worker forked then would never get the signal.
    setTimeout(() => {
      if (!stopping) fork(index);
    }, delayMs).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down the cluster', { signal });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
  };
  // `on`, not `once`: a second signal (Ctrl-C reaches the whole process group) must not kill the primary.
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
