/**
 * How long `npm start` takes to be useful, as a user sees it: a `sqlagent serve` process on embedded
 * defaults, timed from spawn to listening, to `/readyz` answering 200 (both demo datasources open and
 * answering, the app database open), to its first answered question. Twice: on a fresh data directory
 * (the fixtures load into PGlite) and on a restart over the same directory. Median of three of each.
 *
 * Run: npm run bench:serve  (writes bench/results/serve-startup.md)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { startServeProcess } from '../test/support/cli-runner.ts';
import { keylessEnv } from '../test/support/keyless-env.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = 3;

interface Timing {
  listeningMs: number;
  readyMs: number;
  firstAnswerMs: number;
}

async function startOnce(dataDir: string): Promise<Timing> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const serve = await startServeProcess({ ...keylessEnv, SQLAGENT_DATA_DIR: dataDir, SQLAGENT_CONFIG: '' });
  try {
    const listeningMs = elapsed();
    while ((await fetch(`${serve.url}/readyz`)).status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    const readyMs = elapsed();
    const answer = await fetch(`${serve.url}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ datasource: 'clinic', question: 'How many doctors are there?' }),
    });
    if (answer.status !== 200) throw new Error(`the first question failed: ${answer.status} ${await answer.text()}`);
    return { listeningMs, readyMs, firstAnswerMs: elapsed() };
  } finally {
    serve.child.kill('SIGTERM');
    await serve.exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const fresh: Timing[] = [];
  const restart: Timing[] = [];
  for (let run = 0; run < runs; run += 1) {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-bench-serve-'));
    try {
      fresh.push(await startOnce(dataDir));
      restart.push(await startOnce(dataDir));
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }
  const row = (name: string, timings: Timing[]) =>
    `| ${name} | ${(['listeningMs', 'readyMs', 'firstAnswerMs'] as const)
      .map(
        (key) =>
          `${(median(timings.map((timing) => timing[key])) / 1000).toFixed(1)} s (${timings.map((timing) => (timing[key] / 1000).toFixed(1)).join(', ')})`,
      )
      .join(' | ')} |`;
  const report = [
    '# `npm start` start-up: a serve process on embedded defaults',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench:serve\`. Median of ${runs} runs (each run's figure in brackets), from spawning \`node bin/sqlagent.mjs serve\`.`,
    '',
    '| start | listening | `/readyz` 200 | first answer (clinic, offline model) |',
    '| --- | --- | --- | --- |',
    row('fresh data directory (the fixtures load)', fresh),
    row('restart over the same directory', restart),
    '',
    'Until `/readyz` answers 200 it answers 503 and says what is still opening. A machine busy with other work takes several times longer.',
    '',
  ].join('\n');
  await writeFile(path.join(root, 'bench/results/serve-startup.md'), report);
  process.stdout.write(report);
}

await main();
