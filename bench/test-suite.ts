/**
 * How long `npm test` takes, step by step, as a developer runs it: the build, the lint, the main suite and
 * the solo suite, each timed as a whole process, in the order `npm test` runs them.
 *
 *   goal: the whole of `npm test` under 6 minutes on an idle 2-core machine (issue 14)
 *
 * Run: npm run bench -- test-suite  (writes bench/results/test-suite.md; about 6 minutes)
 * The servers the tests need (Postgres, MariaDB, Redis) must be running, as for `npm test`. The load
 * average before and after is recorded: on a busy machine the suite takes longer, and the file says so.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { root } from './bench-support.js';

const goalMs = 6 * 60_000;
const npx = (args: string[]) => ['npx', ...args];
const steps = [
  { name: 'build (`node scripts/build.mjs`)', command: [process.execPath, 'scripts/build.mjs'] },
  { name: 'lint (`npm run lint`)', command: ['npm', 'run', 'lint'] },
  { name: 'main suite (`vitest run`)', command: npx(['vitest', 'run']) },
  {
    name: 'solo suite (`vitest run --config vitest.solo.config.ts`)',
    command: npx(['vitest', 'run', '--config', 'vitest.solo.config.ts']),
  },
];

function timeStep(command: string[]): { ms: number; summary: string } {
  const started = performance.now();
  const result = spawnSync(command[0], command.slice(1), { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (result.status !== 0)
    throw new Error(`${command.join(' ')} exited ${result.status}:\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  // vitest's closing lines name how many files and tests ran; keep them so the figure says what it timed.
  const plain = result.stdout.replace(/\u001b\[[0-9;]*m/g, '');
  const files = /Test Files\s+(.+)/.exec(plain)?.[1]?.trim();
  const tests = /Tests\s+(.+)/.exec(plain)?.[1]?.trim();
  return { ms, summary: files && tests ? `files ${files}; tests ${tests}` : '' };
}

const format = (ms: number) => `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;

async function main() {
  const loadBefore = loadavg();
  const rows: string[] = [];
  let total = 0;
  for (const step of steps) {
    process.stderr.write(`${step.name} …\n`);
    const { ms, summary } = timeStep(step.command);
    total += ms;
    rows.push(`| ${step.name} | ${format(ms)} | ${summary} |`);
    process.stderr.write(`${step.name}: ${format(ms)}\n`);
  }
  const loadAfter = loadavg();
  const lines = [
    '# `npm test`: wall time, step by step',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench -- test-suite\` (the steps of \`npm test\`, in its order, each a whole process). Load average (1, 5, 15 min) ${loadBefore.map((value) => value.toFixed(2)).join(', ')} before, ${loadAfter.map((value) => value.toFixed(2)).join(', ')} after: the goal is for an idle machine, and the suite's own load is what the "after" figures show.`,
    '',
    '| step | wall time | what ran |',
    '| --- | --- | --- |',
    ...rows,
    `| **all of \`npm test\`** | **${format(total)}** | goal < ${format(goalMs)}: ${total < goalMs ? 'met' : `missed by ${format(total - goalMs)}`} |`,
    '',
  ];
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  await writeFile(path.join(root, 'bench/results/test-suite.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

await main();
