import { spawnSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

// `prepare` runs scripts/build.mjs on every install; an install without dev dependencies (no TypeScript)
// or without sources (a container's dependency layer) must still succeed, leaving the tsx fallback.
describe('scripts/build.mjs where it cannot build', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-build-'));
    await mkdir(path.join(dir, 'scripts'));
    await copyFile(path.join(root, 'scripts/build.mjs'), path.join(dir, 'scripts/build.mjs'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('exits 0 with a note and builds nothing when TypeScript is not installed', () => {
    const run = spawnSync(process.execPath, [path.join(dir, 'scripts/build.mjs')], { cwd: dir, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/TypeScript is not installed, so dist\/ is not built; sqlagent runs the sources through tsx/);
    expect(existsSync(path.join(dir, 'dist'))).toBe(false);
  });
});
