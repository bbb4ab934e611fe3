/**
 * What tracing costs a request. The same questions run through the real QueryService and DbAgent on the
 * embedded shop fixture (a scripted model with no latency, the cache bypassed, so the measured time is
 * the service's own work) with tracing in four setups:
 *
 *   off          no spans (the no-op tracer)
 *   local        spans to the local span store (PGlite app database)
 *   local+slow   local, and Langfuse export to a loopback server that answers after 3 s
 *   local+down   local, and Langfuse export to a port where nothing listens
 *
 * Run: npm run bench:tracing  (writes bench/results/tracing-overhead.md)
 */
import { createServer } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { openAppDatabase } from '../src/app-database/index.ts';
import { MemoryResultCache } from '../src/cache/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { QueryService } from '../src/query/index.ts';
import { noopTracer, type Tracer } from '../src/tracing/index.ts';
import { LocalSpanStore } from '../src/tracing/local-store/index.ts';
import { createTracing } from '../src/tracing/otel/index.ts';
import { ScriptedTurns, embeddedShopAgent, root } from './bench-support.ts';

const warmup = 30;
const measured = 300;
const sql = 'SELECT COUNT(*) AS regions FROM regions';

/** Three turns per question: search, run the SQL, answer. */
const benchTurns = [
  { name: 'search_metadata', arguments: JSON.stringify({ query: 'regions' }) },
  { name: 'execute_sql', arguments: JSON.stringify({ sql }) },
  { name: 'final_answer', arguments: JSON.stringify({ sql, answer: 'There are 12 regions.' }) },
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

async function main() {
  const dataDir = path.join(root, '.data', 'bench');
  const { agent, registry } = embeddedShopAgent(() => new ScriptedTurns(benchTurns));
  const logger = createLogger('silent');

  const slow = createServer((request, response) => {
    request.resume();
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'), 3000);
  });
  await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
  const slowPort = (slow.address() as { port: number }).port;
  const appDatabase = await openAppDatabase(`pglite:${path.join(dataDir, `app-${process.pid}`)}`);
  const store = new LocalSpanStore(appDatabase.kysely);
  await store.migrate();

  const traced = (tracing: ReturnType<typeof createTracing>) => ({ tracer: tracing.tracer, close: () => tracing.shutdown() });
  const setups: Array<{ name: string; tracer: () => { tracer: Tracer; close(): Promise<void> } }> = [
    { name: 'off', tracer: () => ({ tracer: noopTracer, close: async () => {} }) },
    { name: 'local', tracer: () => traced(createTracing({ logger, localStore: store })) },
    {
      name: 'local+slow',
      tracer: () =>
        traced(
          createTracing({
            logger,
            localStore: store,
            langfuse: {
              publicKey: 'pk',
              secretKey: 'sk',
              baseUrl: `http://127.0.0.1:${slowPort}`,
              flushIntervalSeconds: 0.5,
              timeoutSeconds: 5,
            },
          }),
        ),
    },
    {
      name: 'local+down',
      tracer: () =>
        traced(
          createTracing({
            logger,
            localStore: store,
            langfuse: { publicKey: 'pk', secretKey: 'sk', baseUrl: 'http://127.0.0.1:9', flushIntervalSeconds: 0.5, timeoutSeconds: 5 },
          }),
        ),
    },
  ];
  const rows: string[] = [];
  for (const setup of setups) {
    const tracing = setup.tracer();
    const service = new QueryService({ agent, cache: new MemoryResultCache(), rowsTtlMs: 0, logger, tracer: tracing.tracer });
    const durations: number[] = [];
    for (let index = 0; index < warmup + measured; index += 1) {
      const started = performance.now();
      await service.ask({ datasource: 'shop', question: 'How many regions are there?', userId: `user-${index % 10}`, cache: 'bypass' });
      if (index >= warmup) durations.push(performance.now() - started);
    }
    const flushStarted = performance.now();
    await tracing.close();
    const flushMs = performance.now() - flushStarted;
    durations.sort((left, right) => left - right);
    const mean = durations.reduce((sum, value) => sum + value, 0) / durations.length;
    rows.push(
      `| ${setup.name} | ${measured} | ${mean.toFixed(2)} | ${percentile(durations, 0.5).toFixed(2)} | ${percentile(durations, 0.95).toFixed(2)} | ${percentile(durations, 0.99).toFixed(2)} | ${flushMs.toFixed(0)} |`,
    );
    console.log(rows.at(-1));
  }
  slow.close();
  slow.closeAllConnections();
  await appDatabase.close();
  await registry.closeAll();

  const report = [
    '# Tracing overhead per request',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:tracing\` on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}.`,
    `Each setup: ${warmup} warm-up requests, then ${measured} measured, one at a time; three model turns (scripted, no latency) and two SQL runs on the embedded shop fixture per request, cache bypassed. Times in milliseconds.`,
    '',
    '| tracing | requests | mean | p50 | p95 | p99 | shutdown flush |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '`off` records nothing; `local` writes every span (11 per request) to the PGlite app database in batches;',
    '`local+slow` also exports to a Langfuse that answers after 3 s; `local+down` to a port where nothing listens.',
    'The Langfuse export and the local writes happen off the request path, so the slow and unreachable',
    'Langfuse cost requests nothing beyond building the spans; shutdown waits for the queued export (bounded by its 5 s timeout).',
    '',
  ].join('\n');
  await mkdir(path.join(root, 'bench', 'results'), { recursive: true });
  await writeFile(path.join(root, 'bench', 'results', 'tracing-overhead.md'), report);
  console.log(report);
}

await main();
