import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquireProcessLock, type ProcessLock } from '../../src/datasource/pglite/process-lock.ts';

// A slow disk: a file's content lands 100 ms after the file appears (what two processes starting at the
// same moment can see of each other).
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const slowly = () => new Promise((resolve) => setTimeout(resolve, 100));
  return {
    ...actual,
    open: async (...args: Parameters<typeof actual.open>) => {
      const handle = await actual.open(...args);
      const write = handle.writeFile.bind(handle);
      handle.writeFile = async (...rest: Parameters<typeof handle.writeFile>) => {
        await slowly();
        return write(...rest);
      };
      return handle;
    },
    writeFile: async (...args: Parameters<typeof actual.writeFile>) => {
      await slowly();
      return actual.writeFile(...args);
    },
  };
});

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
    const results = await Promise.all([acquireProcessLock(lockPath), acquireProcessLock(lockPath)]);
    const held = results.filter((result): result is ProcessLock => !('heldBy' in result));
    expect(held).toHaveLength(1);
    expect(results.find((result) => 'heldBy' in result)).toEqual({ heldBy: process.pid });
    expect(await readFile(lockPath, 'utf8')).toBe(String(process.pid));
    await held[0].release();
    expect(await readdir(dir)).toEqual([]);
  });
});
