import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatasourceUnavailableError } from '../../src/errors/index.ts';
import { PgliteHost } from '../../src/datasource/pglite/pglite-host.ts';
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
