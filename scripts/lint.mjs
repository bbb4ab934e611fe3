#!/usr/bin/env node
// `npm run lint`: the type checks of the service and of the console, and Prettier's check, at once. One
// after the other they took about 30 s of `npm test` on two cores; side by side about half that, since tsc
// waits on the disk and Prettier is one thread. Each check's output is printed whole, in a fixed order, once
// all have ended; the exit code is 1 when any of them failed, naming which.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
const prettier = path.join(path.dirname(require.resolve('prettier/package.json')), 'bin/prettier.cjs');
const cache = 'node_modules/.cache/sqlagent';

/** The checks: what each is called in the summary, and its command. */
const checks = [
  { name: 'tsc (service, tests, benchmarks)', args: [tsc, '--noEmit', '--incremental', '--tsBuildInfoFile', `${cache}/lint.tsbuildinfo`] },
  {
    name: 'tsc (console)',
    args: [tsc, '--noEmit', '-p', 'console', '--incremental', '--tsBuildInfoFile', `${cache}/lint-console.tsbuildinfo`],
  },
  // Prettier's own cache is not used: it can remember a file it failed to parse as checked.
  { name: 'prettier --check', args: [prettier, '--check', '.'] },
];

/** Runs one check, its stdout and stderr kept together in the order they came. */
function run(check) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, check.args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    child.on('error', (error) => resolve({ check, code: 1, output: `${error.message}\n` }));
    child.on('close', (code, signal) => resolve({ check, code: code ?? (signal ? 1 : 0), output: Buffer.concat(output).toString() }));
  });
}

const results = await Promise.all(checks.map(run));
for (const { check, output } of results) {
  console.log(`> ${check.name}`);
  if (output.trim()) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
}
const failed = results.filter((result) => result.code !== 0).map((result) => result.check.name);
if (failed.length > 0) {
  console.error(`lint failed: ${failed.join('; ')}`);
  process.exitCode = 1;
}
