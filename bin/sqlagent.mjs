#!/usr/bin/env node
// The installed command. It runs the JavaScript build in dist/ (made at install by `npm run build`),
// which starts in a fraction of a second; when dist/ is missing or older than a source file (while
// developing), it runs the TypeScript sources through tsx instead, so it is never stale.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

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

// `sqlagent … | head` closes the pipe early; that is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

const { runCli } = buildIsFresh()
  ? await import('../dist/src/cli/main.js')
  : await (async () => {
      const { register } = await import('tsx/esm/api');
      register();
      return import('../src/cli/main.ts');
    })();
process.exitCode = await runCli(process.argv.slice(2));
