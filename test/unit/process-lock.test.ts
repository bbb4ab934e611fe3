import { link, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireProcessLock, type LockFiles, type ProcessLock } from '../../src/datasource/pglite/process-lock.ts';

// A slow disk: a file's content lands 100 ms after the file appears (what two processes starting at the
// same moment can see of each other). Handed to the lock rather than mocked into node:fs/promises, which
// would reach every module of the worker (test files share them).
const slowFiles: LockFiles = {
  ...{ link, readFile, rm },
  writeFile: async (...args: Parameters<typeof writeFile>) => {
    await new Promise((resolve) => setTimeout(resolve, 100));
    return writeFile(...args);
  },
};

describe('the app database process lock', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-lock-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('two takers at the same moment: exactly one gets the lock, even while its pid is still being written', async () => {
    const lockPath = path.join(dir, 'app.lock');
    const results = await Promise.all([acquireProcessLock(lockPath, slowFiles), acquireProcessLock(lockPath, slowFiles)]);
    const held = results.filter((result): result is ProcessLock => !('heldBy' in result));
    expect(held).toHaveLength(1);
    expect(results.find((result) => 'heldBy' in result)).toEqual({ heldBy: process.pid });
    expect(await readFile(lockPath, 'utf8')).toBe(String(process.pid));
    await held[0].release();
    expect(await readdir(dir)).toEqual([]);
  });
});
