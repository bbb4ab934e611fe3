import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasourceUnavailableError } from '../../src/errors/index.ts';
import { PgliteHost } from '../../src/datasource/pglite/pglite-host.ts';
import { startPgliteStandby, takePgliteStandby } from '../../src/datasource/pglite/pglite-standby.ts';
import { seedEmptyCluster } from '../../src/datasource/pglite/empty-cluster.ts';

describe('the PGlite host', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-pglite-host-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('starts Postgres with 32 MB of shared buffers, not the cluster default of 128 MB that took half its start', async () => {
    const dataDir = path.join(dir, 'buffers');
    await seedEmptyCluster(dataDir, async () => {
      throw new Error('the shared template is made by other tests; here PGlite may run initdb itself');
    });
    const host = new PgliteHost(dataDir);
    try {
      await host.start();
      const result = await host.query('SHOW shared_buffers', [], { rowMode: 'array' });
      expect(result.rows).toEqual([['32MB']]);
    } finally {
      await host.close();
    }
  });

  it('opens its directory in the standby worker a one-shot command started before it knew the directory', async () => {
    const first = path.join(dir, 'standby-first');
    const second = path.join(dir, 'standby-second');
    for (const dataDir of [first, second])
      await seedEmptyCluster(dataDir, async () => {
        throw new Error('the shared template is made by other tests; here PGlite may run initdb itself');
      });
    const standbyThread = startPgliteStandby();
    const host = new PgliteHost(first);
    const other = new PgliteHost(second);
    try {
      await host.start();
      // Taken: nothing is left waiting, and the worker it became answers on the directory named later.
      expect(takePgliteStandby()).toBeNull();
      expect(host.threadId).toBe(standbyThread);
      await host.query('CREATE TABLE marker (id int)');
      expect((await host.query("SELECT to_regclass('marker') IS NOT NULL AS here", [], { rowMode: 'array' })).rows).toEqual([[true]]);
      // A second database of the same process starts a worker of its own, on its own directory.
      await other.start();
      expect(other.threadId).not.toBe(standbyThread);
      expect((await other.query("SELECT to_regclass('marker') IS NOT NULL AS here", [], { rowMode: 'array' })).rows).toEqual([[false]]);
    } finally {
      await host.close();
      await other.close();
    }
  });

  it('closing a host while its standby worker opens the directory waits for the open, then closes cleanly', async () => {
    const dataDir = path.join(dir, 'standby-close');
    await seedEmptyCluster(dataDir, async () => {
      throw new Error('the shared template is made by other tests; here PGlite may run initdb itself');
    });
    startPgliteStandby();
    const host = new PgliteHost(dataDir);
    const starting = host.start();
    // The worker is opening (its open takes about half a second and more).
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await host.close()).toBe(true);
    await expect(starting).resolves.toMatch(/^1\d/);
    // Closed cleanly: the directory opens again.
    const again = new PgliteHost(dataDir);
    try {
      expect((await again.query('SELECT 1 AS one', [], { rowMode: 'array' })).rows).toEqual([[1]]);
    } finally {
      await again.close();
    }
  });

  it("a standby compiles PGlite's WebAssembly before any directory is named, for the workers after it", async () => {
    startPgliteStandby();
    const standby = takePgliteStandby();
    expect(standby).not.toBeNull();
    try {
      expect(Object.prototype.toString.call(await standby!.compiled)).toBe('[object WebAssembly.Module]');
    } finally {
      await standby!.worker.terminate();
    }
  });

  it('closing while a statement runs past the close wait rejects it, instead of leaving it pending for ever', async () => {
    const dataDir = path.join(dir, 'db');
    await seedEmptyCluster(dataDir, async () => {
      throw new Error('the shared template is made by other tests; here PGlite may run initdb itself');
    });
    const host = new PgliteHost(dataDir);
    await host.start();
    // Minutes of work in PGlite's WebAssembly: still running when close gives up waiting (5 s).
    const running = host.query('SELECT count(*) FROM generate_series(1, 100000) a, generate_series(1, 100000) b');
    const settled = running.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    // Most likely the statement is running by now; if the close still came first, PGlite refuses the
    // statement itself. Either way it must settle, never hang.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const clean = await host.close();
    const outcome = await settled;
    expect(outcome).toBeInstanceOf(Error);
    if (!clean) {
      expect(outcome).toBeInstanceOf(DatasourceUnavailableError);
      expect((outcome as Error).message).toMatch(/closed while the statement ran/);
    }
  });
});
