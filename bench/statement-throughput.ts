/**
 * Statements per second through one pooled connection: the read-only executor's whole framing (guard,
 * read-only transaction with its settings, capped read through a cursor or a stream, teardown) around a
 * small read, one statement after the other on a pool of 1. The database's own work is tiny, so the
 * figure is set by round trips and the service's own work, which is what the framing changes.
 *
 * Run: npm run bench:statements [-- --label <text>]  (embedded PGlite, Postgres on 127.0.0.1:5432, MariaDB/MySQL on
 * 127.0.0.1:3306; writes bench/results/statement-throughput.json and prints a table). Each figure is the
 * median of 5 runs of 400 statements after 100 warm-up ones, with min and max.
 */
import path from 'node:path';
import { Datasource, datasourceConfigSchema } from '../src/datasource/index.ts';
import { ensureDatabase } from '../src/fixtures/index.ts';
import { keepRun, machine, median, root, runLabel } from './bench-support.ts';

const resultFile = path.join(root, 'bench/results/statement-throughput.json');
const warmup = 100;
const measured = 400;
const repeats = 5;
const statement = 'SELECT id, name FROM bench_regions WHERE id <= 5 ORDER BY id';

const engines = [
  // The embedded engine: one connection, a message to its worker per round trip.
  { name: 'pglite', url: 'pglite:memory' },
  { name: 'postgres', url: process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/sqlagent_bench_statements' },
  { name: 'mariadb', url: process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/sqlagent_bench_statements' },
];

async function measure(url: string): Promise<number[]> {
  if (!url.startsWith('pglite:')) await ensureDatabase(url);
  const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'bench', url, poolSize: 1, sampleValues: false }));
  try {
    await datasource.driver.withSession(async (session) => {
      await session.query('CREATE TABLE IF NOT EXISTS bench_regions (id INTEGER PRIMARY KEY, name VARCHAR(40) NOT NULL)');
      await session.query('DELETE FROM bench_regions');
      await session.query(
        "INSERT INTO bench_regions (id, name) VALUES (1, 'North'), (2, 'South'), (3, 'East'), (4, 'West'), (5, 'Centre'), (6, 'Islands')",
      );
    });
    for (let index = 0; index < warmup; index += 1) await datasource.executeReadOnly(statement);
    const rates: number[] = [];
    for (let run = 0; run < repeats; run += 1) {
      const started = performance.now();
      for (let index = 0; index < measured; index += 1) {
        const result = await datasource.executeReadOnly(statement);
        if (result.rowCount !== 5) throw new Error(`expected 5 rows, got ${result.rowCount}`);
      }
      rates.push(Math.round((measured / (performance.now() - started)) * 1000));
    }
    return rates;
  } finally {
    await datasource.close();
  }
}

async function main() {
  const label = runLabel();
  const figures: Record<string, { median: number; min: number; max: number }> = {};
  for (const engine of engines) {
    const rates = await measure(engine.url);
    figures[engine.name] = { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) };
  }
  const entry = { label, measuredAt: new Date().toISOString(), machine: machine(), statementsPerSecond: figures };
  const runs = await keepRun(resultFile, { statement, warmup, measured }, entry);
  console.log(`| run | engine | statements/s (median) | min–max | load average |`);
  console.log(`| --- | --- | --- | --- | --- |`);
  for (const run of runs)
    for (const [engine, figure] of Object.entries(run.statementsPerSecond))
      console.log(`| ${run.label} | ${engine} | ${figure.median} | ${figure.min}–${figure.max} | ${run.machine.loadAverage.join(' ')} |`);
}

await main();
