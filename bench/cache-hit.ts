/**
 * What a cache hit costs the service: the same question asked again and again through the real
 * QueryService and DbAgent on the embedded shop fixture, answered from the result cache with its stored
 * rows (`rows`) or by re-running the cached SQL (`sql`). No model call happens on a hit, so the time is
 * the service's own work: validation, the schema lookup, the knowledge retrieval, routing and compiling
 * the prompt, the cache key and lookup, and (for `sql`) the guarded read. Tracing is off.
 *
 * Run: npm run bench:cache-hit [-- --label <text>]  (writes bench/results/cache-hit.json and prints a
 * table). Each figure is the median of 5 runs of 500 hits after 200 warm-up ones, with min and max.
 */
import path from 'node:path';
import { MemoryResultCache } from '../src/cache/index.ts';
import { createLogger } from '../src/logging/index.ts';
import { QueryService } from '../src/query/index.ts';
import { ScriptedTurns, embeddedShopAgent, keepRun, machine, median, root, runLabel } from './bench-support.ts';

const resultFile = path.join(root, 'bench/results/cache-hit.json');
const warmup = 200;
const measured = 500;
const repeats = 5;
const sql = 'SELECT COUNT(*) AS regions FROM regions';

/** Answers the first time (search, run, answer); a hit never calls it. */
const benchTurns = [
  { name: 'execute_sql', arguments: JSON.stringify({ sql }) },
  { name: 'final_answer', arguments: JSON.stringify({ sql, answer: 'There are 12 regions.' }) },
];

async function main() {
  const label = runLabel();
  const { agent, registry } = embeddedShopAgent(() => new ScriptedTurns(benchTurns));
  const logger = createLogger('silent');
  const figures: Record<string, { microsecondsPerHit: { median: number; min: number; max: number }; cpuMicrosecondsPerHit: number }> = {};
  for (const mode of ['rows', 'sql'] as const) {
    const service = new QueryService({ agent, cache: new MemoryResultCache(), rowsTtlMs: mode === 'rows' ? 3_600_000 : 0, logger });
    const ask = async () => {
      const result = await service.ask({ datasource: 'shop', question: 'How many regions are there?', userId: 'bench' });
      return result.cached;
    };
    await ask();
    for (let index = 0; index < warmup; index += 1) await ask();
    const perHit: number[] = [];
    const cpuBefore = process.cpuUsage();
    for (let run = 0; run < repeats; run += 1) {
      const started = performance.now();
      for (let index = 0; index < measured; index += 1) if ((await ask()) !== mode) throw new Error(`expected a ${mode} hit`);
      perHit.push(Math.round(((performance.now() - started) * 1000) / measured));
    }
    const cpu = process.cpuUsage(cpuBefore);
    figures[mode] = {
      microsecondsPerHit: { median: median(perHit), min: Math.min(...perHit), max: Math.max(...perHit) },
      cpuMicrosecondsPerHit: Math.round((cpu.user + cpu.system) / (repeats * measured)),
    };
  }
  await registry.closeAll();

  const entry = { label, measuredAt: new Date().toISOString(), machine: machine(), hits: figures };
  const runs = await keepRun(resultFile, { question: 'How many regions are there?', warmup, measured }, entry);
  console.log('| run | hit | µs per hit (median) | min–max | CPU µs per hit | load average |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const run of runs)
    for (const [mode, figure] of Object.entries(run.hits))
      console.log(
        `| ${run.label} | ${mode} | ${figure.microsecondsPerHit.median} | ${figure.microsecondsPerHit.min}–${figure.microsecondsPerHit.max} | ${figure.cpuMicrosecondsPerHit} | ${run.machine.loadAverage.join(' ')} |`,
      );
}

await main();
