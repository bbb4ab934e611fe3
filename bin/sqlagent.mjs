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

// A one-shot command opens PGlite (10 MB of WebAssembly) for a second or two. V8 compiles that with its
// baseline compiler and then again, in the background, with its optimizing one: about half a second of CPU
// the command never gets back, which also holds up its exit. Commands that run long (a server, an eval, a
// fixture load) keep the optimizing tier; the others use the baseline compiler alone. Set before anything
// compiles WebAssembly, for the whole process (its PGlite workers too).
const args = process.argv.slice(2);
const command = commandOf(args);
if (!['serve', 'mcp', 'eval', 'fixtures', null].includes(command)) setFlagsFromString('--liftoff-only');

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
