#!/usr/bin/env node
// Compiles src/ and fixtures/ to dist/ (so the CLI starts without a TypeScript loader), copies the files
// tsc does not emit (the PGlite worker), stamps the build, and writes the token table. Run by `npm run build`
// and at install (`prepare`); bin/sqlagent.mjs uses dist/ only while the stamp is newer than every source file.
// Then builds the web console (console/, Vite) into dist/console/, which the service serves at `/`, unless
// that build is newer than every file of console/ and the lock file.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
// An install without dev dependencies (`npm ci --omit=dev`) has no TypeScript, and a dependency layer of
// a container image has no sources yet: nothing to build, and the command runs the sources through tsx.
let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  console.warn('scripts/build.mjs: TypeScript is not installed, so dist/ is not built; sqlagent runs the sources through tsx.');
  process.exit(0);
}
if (!existsSync(path.join(root, 'src'))) {
  console.warn('scripts/build.mjs: no src/ to build.');
  process.exit(0);
}
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

for (const entry of await readdir(path.join(root, 'src'), { recursive: true })) {
  if (!entry.endsWith('.mjs')) continue;
  await mkdir(path.dirname(path.join(root, 'dist/src', entry)), { recursive: true });
  await copyFile(path.join(root, 'src', entry), path.join(root, 'dist/src', entry));
}
await writeFile(path.join(root, 'dist/.build-stamp'), `${new Date().toISOString()}\n`);

await writeTokenTable();
await buildConsole();
await prepareEmptyCluster();

/**
 * The o200k vocabulary as a binary file (src/text/token-table.ts), which loads in milliseconds where the
 * tokenizer package's own takes hundreds. Only ever a speed-up: without it, token counts load the package's.
 */
async function writeTokenTable() {
  try {
    const { writeTokenTable: write } = await import(pathToFileURL(path.join(root, 'dist/src/text/token-table.js')).href);
    write(path.join(root, 'dist/o200k-base.tokens'));
  } catch (error) {
    console.warn(
      `scripts/build.mjs: the token table was not written (${error?.message ?? error}); token counts load the tokenizer package.`,
    );
  }
}

/**
 * New PGlite databases (the demo's on first start, every `pglite:memory`) are copies of an empty cluster
 * made once by PGlite's initdb (src/datasource/pglite/empty-cluster.ts). Made here, at install, so that a
 * fresh clone's first `npm start` copies it instead of waiting for initdb. Only ever a speed-up: if it
 * cannot be made here, the first open makes it, or runs initdb itself.
 */
async function prepareEmptyCluster() {
  try {
    const { prepareEmptyCluster: prepare } = await import(
      pathToFileURL(path.join(root, 'dist/src/datasource/pglite/pglite-driver.js')).href
    );
    const made = await prepare();
    if (!made) console.warn('scripts/build.mjs: the empty PGlite cluster could not be prepared; the first open will run initdb.');
  } catch (error) {
    console.warn(
      `scripts/build.mjs: the empty PGlite cluster was not prepared (${error?.message ?? error}); the first open will run initdb.`,
    );
  }
}

/** The newest modification time of the files under `directory` (recursively), or 0 when there are none. */
async function newestFileTime(directory) {
  let newest = 0;
  for (const entry of await readdir(directory, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) newest = Math.max(newest, (await stat(path.join(entry.parentPath, entry.name))).mtimeMs);
  }
  return newest;
}

async function buildConsole() {
  const sources = path.join(root, 'console');
  if (!existsSync(sources)) return;
  const output = path.join(root, 'dist/console');
  const stampFile = path.join(output, '.build-stamp');
  // The lock file by its content, not its time: npm rewrites it after `prepare` has built, which made every
  // first `npm test` after an install build the console a second time.
  const lockFile = path.join(root, 'package-lock.json');
  const lockHash = existsSync(lockFile)
    ? createHash('sha256')
        .update(await readFile(lockFile))
        .digest('hex')
    : 'none';
  if (existsSync(stampFile)) {
    const built = (await stat(stampFile)).mtimeMs;
    const stampedLock = (await readFile(stampFile, 'utf8')).split('\n')[1] ?? '';
    if (built > (await newestFileTime(sources)) && stampedLock === lockHash) return;
  }
  let vite;
  try {
    vite = await import(createRequire(import.meta.url).resolve('vite'));
  } catch {
    console.warn('scripts/build.mjs: Vite is not installed, so the web console is not built; the service answers / with how to build it.');
    return;
  }
  await vite.build({ root: sources, configFile: path.join(sources, 'vite.config.ts'), logLevel: 'warn' });
  await writeFile(stampFile, `${new Date().toISOString()}\n${lockHash}\n`);
  console.log('scripts/build.mjs: built the web console into dist/console/');
}
