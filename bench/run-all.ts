/**
 * `npm run bench` runs every benchmark, one after the other; `npm run bench -- <name> [<name>…]` runs
 * those. Each writes its own file under bench/results/ and prints its table. Arguments after `--` that
 * start with `--` go to every benchmark run (for example `--label "after the change"`).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const benchmarks: Record<string, string> = {
  statements: 'statement-throughput.ts',
  'cache-hit': 'cache-hit.ts',
  'cache-hit-http': 'cache-hit-http.ts',
  introspection: 'introspection.ts',
  'large-schema': 'large-schema.ts',
  load: 'load.ts',
  tracing: 'tracing-overhead.ts',
  'own-time': 'own-time.ts',
  cli: 'cli-startup.ts',
  serve: 'serve-startup.ts',
  evals: 'eval-speed.ts',
  'test-suite': 'test-suite.ts',
};
/** Run only when named: it runs the whole of `npm test` (about 6 minutes). */
const onlyWhenNamed = new Set(['test-suite']);

const args = process.argv.slice(2);
const firstOption = args.findIndex((argument) => argument.startsWith('--'));
const names = firstOption < 0 ? args : args.slice(0, firstOption);
const options = firstOption < 0 ? [] : args.slice(firstOption);
const unknown = names.filter((name) => !(name in benchmarks));
if (unknown.length > 0) {
  console.error(`Unknown benchmark ${unknown.join(', ')}. Known: ${Object.keys(benchmarks).join(', ')}.`);
  process.exit(2);
}
let failed = 0;
for (const name of names.length > 0 ? names : Object.keys(benchmarks).filter((name) => !onlyWhenNamed.has(name))) {
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, benchmarks[name]), ...options], {
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    console.error(`${name} failed (exit ${run.status})`);
    failed += 1;
  }
}
process.exit(failed > 0 ? 1 : 0);
