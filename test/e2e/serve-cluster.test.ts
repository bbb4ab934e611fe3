import { spawn, execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { workerCount } from '../../src/cli/serve-cluster.ts';
import { withDatabase } from '../../src/datasource/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { dropDatabase, ensureDatabase } from '../../src/fixtures/index.ts';
import { runCliProcess } from '../support/cli-runner.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';

const environment = inject('testEnvironment');
const root = path.resolve(import.meta.dirname, '../..');
const embedded = { datasources: [{ id: 'shop', url: 'pglite:/tmp/x/shop' }], appDatabase: { url: 'pglite:/tmp/x/app' } } as never;
const servers = { datasources: [{ id: 'shop', url: 'postgres://u@h/db' }], appDatabase: { url: 'postgres://u@h/app' } } as never;

describe('serve --workers: a cluster sharing the port (issue 17)', () => {
  it('runs one process with an embedded PGlite database, and refuses more with a reason', () => {
    expect(workerCount(undefined, embedded)).toBe(1);
    expect(workerCount(1, embedded)).toBe(1);
    expect(() => workerCount(2, embedded)).toThrow(ConfigError);
    expect(() => workerCount(2, embedded)).toThrow(/datasource "shop", the app database are embedded PGlite/);
    expect(workerCount(3, servers)).toBe(3);
    // One process unless asked: more multiply the pools, and without Redis the cache and rate limits.
    expect(workerCount(undefined, servers)).toBe(1);
    expect(workerCount('auto', servers)).toBeGreaterThanOrEqual(1);
    expect(workerCount('auto', embedded)).toBe(1);
    expect(() => workerCount(0, servers)).toThrow(/--workers must be a whole number/);
  });

  it('exits with the reason when --workers 2 meets the embedded demo', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-cluster-embedded-'));
    try {
      const run = await runCliProcess(['serve', '--workers', '2', '--port', '0'], { SQLAGENT_DATA_DIR: dir });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toMatch(/--workers 2 needs every database on a server/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!environment.postgres)('serves from two worker processes on one port, and stops them all on SIGTERM', async () => {
    const appUrl = withDatabase(environment.postgres!.server, 'sqlagent_test_cluster_app');
    await ensureDatabase(appUrl);
    const { server: probe, base } = await listenOnLoopback();
    const port = Number(new URL(base).port);
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-cluster-'));
    const child = spawn(process.execPath, [path.join(root, 'bin/sqlagent.mjs'), 'serve', '--workers', '2', '--port', String(port)], {
      cwd: root,
      env: {
        ...process.env,
        SQLAGENT_DATA_DIR: dataDir,
        DATASOURCE_SHOP_URL: environment.postgres!.shop,
        DATASOURCE_CLINIC_URL: environment.postgres!.clinic,
        APP_DATABASE_URL: appUrl,
        SQLAGENT_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const until = Date.now() + 180_000;
      let ready = false;
      while (!ready && Date.now() < until && child.exitCode === null) {
        ready = await fetch(`http://127.0.0.1:${port}/readyz`)
          .then((response) => response.status === 200)
          .catch(() => false);
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 300));
      }
      expect(ready, output).toBe(true);
      // Both workers listen: each logs its own line with its pid, and both are children of the primary.
      while ((output.match(/"message":"listening"/g) ?? []).length < 2 && Date.now() < until)
        await new Promise((resolve) => setTimeout(resolve, 200));
      const pids = [...output.matchAll(/"message":"listening".*?"pid":(\d+)/g)].map((match) => Number(match[1]));
      expect(new Set(pids).size).toBe(2);
      const children = execFileSync('pgrep', ['-P', String(child.pid)])
        .toString()
        .trim()
        .split('\n')
        .map(Number);
      expect(children.sort()).toEqual(pids.sort());
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`http://127.0.0.1:${port}/v1/query`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ datasource: 'shop', question: 'How many regions are there?', cache: 'bypass' }),
          }).then((response) => response.status),
        ),
      );
      expect(answers).toEqual(Array(8).fill(200));
      // As systemd (or Ctrl-C for the process group) does: the signal reaches the primary and every worker,
      // so each worker gets it twice (once passed on); both still drain and stop cleanly.
      child.kill('SIGTERM');
      for (const pid of pids) process.kill(pid, 'SIGTERM');
      expect(await exited).toBe(0);
      expect(output).toMatch(/"message":"cluster stopped"/);
      expect((output.match(/"message":"stopped"/g) ?? []).length).toBe(2);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dataDir, { recursive: true, force: true });
      await dropDatabase(appUrl).catch(() => {});
    }
  });
});
