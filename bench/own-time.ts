/**
 * The service's own time per question: what it adds to the model and the database. The real app
 * (createApp on embedded defaults: the shop fixture in PGlite, the shipped prompts and knowledge, local
 * traces on) answers questions of our own with the offline model, the cache bypassed, one at a time. For
 * each, own time = the whole request as the caller waits for it − the model's calls (`latency.llmMs`; the
 * offline model's planning is model time) − the database (`latency.dbMs`). Also the service's own
 * `latency.totalMs` against the caller's clock (it should count the whole request), and the process's CPU
 * per question (every thread: the offline model and PGlite's worker included).
 *
 * Run: npm run bench -- own-time [-- --label <text>]  (writes bench/results/own-time.json, prints a table).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApp } from '../src/app.ts';
import { benchConfig, keepRun, machine, root, runLabel } from './bench-support.ts';

const resultFile = path.join(root, 'bench/results/own-time.json');
const warmup = 20;
const rounds = 25;

/** Questions of our own on the shop fixture that the offline model answers (none from an eval dataset). */
const questions = [
  'How many customers are there?',
  'How many orders were placed by customers in Germany?',
  'What is the average price of products?',
  'How many products are in each category?',
  'Which 5 customers placed the most orders?',
  'How many orders were placed last month?',
  'How many regions are there?',
  'What is the total amount of payments?',
];

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((left, right) => left - right);
  const round = (value: number) => Math.round(value * 100) / 100;
  return {
    p50: round(percentile(sorted, 0.5)),
    p95: round(percentile(sorted, 0.95)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1)!),
  };
};

async function main() {
  const label = runLabel();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-own-time-'));
  const app = createApp(benchConfig(dataDir, { tracing: { localStore: true } }));
  try {
    const ask = async (question: string, index: number) => {
      const started = performance.now();
      const result = await app.queries.ask({ datasource: 'shop', question, userId: `bench-${index % 10}`, cache: 'bypass' });
      const wallMs = performance.now() - started;
      return { wallMs, ...result.latency };
    };
    // The fixture loads, the schema, knowledge and prompts are read, and the code paths warm up.
    for (let index = 0; index < warmup; index += 1) await ask(questions[index % questions.length], index);

    const own: number[] = [];
    const uncounted: number[] = [];
    const wall: number[] = [];
    const cpuBefore = process.cpuUsage();
    let answered = 0;
    for (let round = 0; round < rounds; round += 1) {
      for (const [index, question] of questions.entries()) {
        const { wallMs, totalMs, llmMs, dbMs } = await ask(question, round * questions.length + index);
        own.push(wallMs - llmMs - dbMs);
        uncounted.push(wallMs - totalMs);
        wall.push(wallMs);
        answered += 1;
      }
    }
    const cpu = process.cpuUsage(cpuBefore);
    const entry = {
      label,
      measuredAt: new Date().toISOString(),
      machine: machine(),
      questions: answered,
      ownMs: summary(own),
      wallMs: summary(wall),
      notCountedByLatencyTotalMs: summary(uncounted),
      cpuMsPerQuestion: Math.round(((cpu.user + cpu.system) / 1000 / answered) * 10) / 10,
    };
    const runs = await keepRun(resultFile, { questions, warmup, rounds, goal: 'own time p50 ≤ 2 ms, p99 ≤ 10 ms' }, entry);
    console.log(
      '| run | own ms p50 / p95 / p99 | whole request ms p50 / p99 | not in latency.totalMs, ms p50 / p99 | CPU ms a question | load average |',
    );
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const run of runs)
      console.log(
        `| ${run.label} | ${run.ownMs.p50} / ${run.ownMs.p95} / ${run.ownMs.p99} | ${run.wallMs.p50} / ${run.wallMs.p99} | ${run.notCountedByLatencyTotalMs.p50} / ${run.notCountedByLatencyTotalMs.p99} | ${run.cpuMsPerQuestion} | ${run.machine.loadAverage.join(', ')} |`,
      );
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
