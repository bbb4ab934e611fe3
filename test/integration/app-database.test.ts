import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { configuredSecrets, createApp } from '../../src/app.ts';
import { openAppDatabase, type AppDatabase } from '../../src/app-database/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { AppDatabaseUnavailableError, DatasourceUnavailableError } from '../../src/errors/index.ts';
import { dropDatabase, ensureDatabase } from '../../src/fixtures/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { databaseUrl } from '../support/servers.ts';

const environment = inject('testEnvironment');

describe('the app database', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-appdb-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens embedded PGlite in a directory that does not exist yet, and holds a lock file with its pid until closed', async () => {
    const location = path.join(dir, 'fresh', 'nested', 'app');
    const database = await openAppDatabase(`pglite:${location}`);
    try {
      expect(database.engine).toBe('pglite');
      expect(await readFile(`${location}.lock`, 'utf8')).toBe(String(process.pid));
      const second = await openAppDatabase(`pglite:${location}`).catch((error: unknown) => error);
      expect(second).toBeInstanceOf(AppDatabaseUnavailableError);
      expect((second as Error).message).toMatch(new RegExp(`in use by process ${process.pid}`));
      expect((second as Error).message).toMatch(/APP_DATABASE_URL/);
    } finally {
      await database.close();
    }
    expect(existsSync(`${location}.lock`)).toBe(false);
    // Released: it opens again.
    await (await openAppDatabase(`pglite:${location}`)).close();
  });

  it('a PGlite datasource directory is locked the same way: a second opener gets datasource_unavailable naming the holder', async () => {
    const location = path.join(dir, 'datasource');
    const first = await createPgliteDriver({ datasourceId: 'shop', url: `pglite:${location}` });
    try {
      const second = await createPgliteDriver({ datasourceId: 'shop', url: `pglite:${location}` }).catch((error: unknown) => error);
      expect(second).toBeInstanceOf(DatasourceUnavailableError);
      expect((second as DatasourceUnavailableError).message).toMatch(new RegExp(`${location}.*in use by process ${process.pid}`));
      expect((second as DatasourceUnavailableError).details).toMatchObject({ datasource: 'shop', heldBy: process.pid });
    } finally {
      await first.close();
    }
    expect(existsSync(`${location}.lock`)).toBe(false);
  });

  it('takes over a lock left by a process that is gone', async () => {
    const location = path.join(dir, 'stale');
    // The largest pid Linux hands out is 4,194,304; this one cannot be alive.
    await writeFile(`${location}.lock`, '4194399');
    const database = await openAppDatabase(`pglite:${location}`);
    expect(await readFile(`${location}.lock`, 'utf8')).toBe(String(process.pid));
    await database.close();
  });

  it('after close nothing opens it again: spans that end late, or a late caller, leave no open database or lock', async () => {
    const dataDir = path.join(dir, 'closed-app');
    const app = createApp(loadConfig({ env: {}, overrides: { dataDir, datasources: [] } }), { logger: createLogger('silent') });
    await app.close();
    // More than one batch (100 spans) of late spans: before, their write opened the database again.
    for (let index = 0; index < 150; index += 1) app.tracing.tracer.startTrace('late').end();
    await app.tracing.forceFlush();
    const late: unknown = await app.appDatabase().catch((error: unknown) => error);
    if (late && !(late instanceof Error)) await (late as AppDatabase).close();
    expect(late).toBeInstanceOf(AppDatabaseUnavailableError);
    expect(existsSync(path.join(dataDir, 'app.lock'))).toBe(false);
  });

  it('its password is one of the secrets masked everywhere (logs, spans)', () => {
    const config = loadConfig({
      env: { APP_DATABASE_URL: 'postgres://sqlagent:app-db-secret@db.internal/app' },
      overrides: { dataDir: dir, datasources: [] },
    });
    expect(configuredSecrets(config)).toContain('app-db-secret');
  });

  it('names the database, not its password, when Postgres cannot be reached', async () => {
    const error = (await openAppDatabase('postgres://sqlagent:hunter2-secret@127.0.0.1:1/app').catch((thrown: unknown) => thrown)) as Error;
    expect(error).toBeInstanceOf(AppDatabaseUnavailableError);
    expect(error.message).toMatch(/127\.0\.0\.1:1/);
    expect(error.message).not.toContain('hunter2-secret');
  });

  describe.skipIf(!environment.postgres)('on Postgres (APP_DATABASE_URL)', () => {
    const url = environment.postgres ? databaseUrl(environment.postgres.server, `sqlagent_t${process.pid}_app`) : '';
    beforeAll(async () => {
      await ensureDatabase(url);
    });
    afterAll(async () => {
      await dropDatabase(url);
    });

    it('the app migrates the span store there and a second app (another replica) reads the same traces', async () => {
      const config = loadConfig({ env: { APP_DATABASE_URL: url }, overrides: { dataDir: dir, datasources: [] } });
      expect(config.appDatabase.url).toBe(url);
      const first = createApp(config, { logger: createLogger('silent') });
      const second = createApp(config, { logger: createLogger('silent') });
      try {
        const store = (await first.traceStore())!;
        expect(await store.appliedVersions()).not.toHaveLength(0);
        const span = first.tracing.tracer.startTrace('query', {}, { userId: 'replica-test' });
        span.end();
        await first.tracing.forceFlush();
        const seen = await (await second.traceStore())!.listTraces({ user: 'replica-test' });
        expect(seen.map((trace) => trace.traceId)).toEqual([span.traceId]);
        expect((await first.appDatabase()).engine).toBe('postgres');
      } finally {
        await first.close();
        await second.close();
      }
    });
  });
});
