/**
 * The load benchmark: N clients asking questions of the real service over HTTP (autocannon), with a
 * loopback model that takes a fixed time per call, against the floor the same client measures when only
 * that waiting happens (see bench/load-run.ts).
 *
 * Run: npm run bench:load [-- --engine postgres|embedded] [-- --clients 200] [-- --duration 20]
 *      [-- --latency 200] [-- --label <text>]
 * Postgres: the shop fixture in `sqlagent_bench_shop` on 127.0.0.1:5432 (loaded on first use). Writes
 * bench/results/load.json and prints a table.
 */
import path from 'node:path';
import { ensureDatabase } from '../src/fixtures/index.ts';
import { benchShopUrl, ensureShop, keepRun, machine, root, runLabel } from './bench-support.ts';
import { runLoad } from './load-run.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const engine = argument('engine', 'postgres');
const clients = Number(argument('clients', '200'));
const durationSeconds = Number(argument('duration', '20'));
const modelLatencyMs = Number(argument('latency', '200'));
/** Processes of the service; above 1, every database goes on Postgres (a PGlite directory takes one process). */
const workers = Number(argument('workers', '1'));
/** With `--workers` given (even 1), every database is on Postgres, so runs with 1 and N workers compare. */
const allOnPostgres = process.argv.includes('--workers');

async function main() {
  if (engine === 'postgres') await ensureShop(benchShopUrl);
  if (allOnPostgres) {
    if (engine !== 'postgres') throw new Error('--workers needs --engine postgres: PGlite is one process');
    await ensureDatabase('postgres://postgres@127.0.0.1:5432/sqlagent_bench_clinic');
    await ensureDatabase('postgres://postgres@127.0.0.1:5432/sqlagent_bench_app');
  }
  const result = await runLoad({
    datasourceUrl: engine === 'postgres' ? benchShopUrl : 'embedded',
    clients,
    durationSeconds,
    modelLatencyMs,
    log: (line) => console.log(line),
    serveArgs: ['--workers', String(workers)],
    env: allOnPostgres
      ? {
          DATASOURCE_CLINIC_URL: 'postgres://postgres@127.0.0.1:5432/sqlagent_bench_clinic',
          APP_DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/sqlagent_bench_app',
        }
      : {},
  });
  const entry = {
    label: runLabel(),
    measuredAt: new Date().toISOString(),
    machine: machine(),
    engine,
    workers,
    clients,
    durationSeconds,
    modelLatencyMs,
    ...result,
  };
  const runs = await keepRun(
    path.join(root, `bench/results/load-${engine}.json`),
    { questions: 'five counts on shop, cache bypassed' },
    entry,
  );
  console.log(
    '| run | workers | clients | model ms/call | calls/question | req/s | p50 | p99 | floor req/s | floor p99 | p99 over floor | CPU ms/request | statuses | RSS MB |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const run of runs)
    console.log(
      `| ${run.label} | ${(run as { workers?: number }).workers ?? 1} | ${run.clients} | ${run.modelLatencyMs} | ${run.modelCallsPerQuestion} | ${run.service.requestsPerSecond} | ${run.service.p50} | ${run.service.p99} | ${run.floor?.requestsPerSecond ?? '—'} | ${run.floor?.p99 ?? '—'} | ${run.floor ? run.service.p99 - run.floor.p99 : '—'} | ${run.service.cpuMsPerRequest} | ${JSON.stringify(run.service.statuses)} | ${run.rssMb.join(' ')} |`,
    );
}

await main();
