#!/usr/bin/env node
// The installed command. It runs the JavaScript build in dist/ (made at install by `npm run build`),
// which starts in a fraction of a second; when dist/ is missing or older than a source file (while
// developing), it runs the TypeScript sources through tsx instead, so it is never stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';

const root = path.resolve(import.meta.dirname, '..');

/** Whether dist/ was built after the last change to any source file. */
function buildIsFresh() {
  const stamp = path.join(root, 'dist/.build-stamp');
  if (!existsSync(stamp)) return false;
  const built = statSync(stamp).mtimeMs;
  for (const folder of ['src', 'fixtures']) {
    for (const entry of readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })) {
      if (
        entry.isFile() &&
        /\.(ts|mjs)$/.test(entry.name) &&
        statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs > built
      )
        return false;
    }
  }
  return true;
}

/** The command an argument list runs (`ask` in `-c file.yaml ask shop "…"`), or null. */
function commandOf(args) {
  for (let index = 0; index < args.length; index += 1) {
    if (args[index] === '-c' || args[index] === '--config') index += 1;
    else if (!args[index].startsWith('-')) return args[index];
  }
  return null;
}

// PGlite is 10 MB of WebAssembly. V8 compiles it with its baseline compiler and then, in the background, the
// functions that run hot with its optimizing one. Starting Postgres runs enough code hot to cost about as much
// CPU again (a worker's start: 1.5 s of CPU instead of 0.85), which a one-shot command never gets back and a
// server pays once per database at every start. Measured side by side on 2026-12-07: `serve` restarted in
// 5.8 s instead of 7.3 (its three PGlite databases starting at once) and started fresh, fixtures loading, in
// 10.2 s instead of 16.4; a repeated heavy query settled at 42 ms instead of 34 (simple ones the same). So every
// command uses the baseline compiler alone, but `eval`, whose thousands of queries came out even or slightly
// faster with the optimizing tier. `SQLAGENT_WASM_OPTIMIZE=1` keeps the optimizing tier for every command (a
// long-running server with heavy embedded queries may want it). Set before anything compiles WebAssembly, for
// the whole process (its PGlite workers too).
const args = process.argv.slice(2);
const command = commandOf(args);
if (!['eval', null].includes(command) && process.env.SQLAGENT_WASM_OPTIMIZE !== '1') setFlagsFromString('--liftoff-only');

// `sqlagent … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

/** Imports a module of the app (`cli/main`) from dist/, or from the sources through tsx while developing. */
const importApp = buildIsFresh()
  ? (name) => import(`../dist/src/${name}.js`)
  : await (async () => {
      const { register } = await import('tsx/esm/api');
      register();
      return (name) => import(`../src/${name}.ts`);
    })();

// `ask` and `sql` open one datasource and exit. If it is an embedded one, its PGlite worker is the longest
// part of the command: start it now (it compiles PGlite's WebAssembly while the CLI and the config load) and
// let the datasource take it once it knows its directory. A datasource given as a server URL needs none; a
// configured id that turns out to be a server leaves it unused, and it stops with the process.
if ((command === 'ask' || command === 'sql') && !args.some((arg) => /^(postgres|postgresql|mysql|mariadb):\/\//i.test(arg)))
  (await importApp('datasource/pglite/pglite-standby')).startPgliteStandby();

const { runCli } = await importApp('cli/main');
process.exitCode = await runCli(args);
