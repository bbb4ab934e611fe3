import type { Kysely } from 'kysely';
import { inject } from 'vitest';
import type { DatasourceDriver } from '../../src/datasource/index.ts';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { createPostgresDriver } from '../../src/datasource/postgres/postgres-driver.ts';
import { dropDatabase, ensureDatabase } from '../../src/fixtures/index.ts';
import { databaseUrl } from './servers.ts';

/** An engine the app database can run on, for tests that loop over both. */
export interface AppDatabaseEngine {
  name: 'pglite' | 'postgres';
  /** Set when the engine's server is missing (never with REQUIRE_SERVERS=1: the global setup throws). */
  skipReason: string | undefined;
  /** A fresh, empty database; `close` drops it. */
  open(): Promise<{ db: Kysely<any>; close(): Promise<void> }>;
}

/** In-memory PGlite, and a database `sqlagent_t<pid>_<suffix>` on the test Postgres server. */
export function appDatabaseEngines(suffix: string): AppDatabaseEngine[] {
  const environment = inject('testEnvironment');
  return [
    {
      name: 'pglite',
      skipReason: undefined,
      async open() {
        const driver = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
        return { db: await driver.kysely(), close: () => driver.close() };
      },
    },
    {
      name: 'postgres',
      skipReason: environment.skipReasons.postgres,
      async open() {
        const url = databaseUrl(environment.postgres!.server, `sqlagent_t${process.pid}_${suffix}`);
        await ensureDatabase(url);
        let driver: DatasourceDriver;
        try {
          driver = await createPostgresDriver({ datasourceId: 'app', url, poolSize: 2, connectTimeoutMs: 5000 });
        } catch (error) {
          await dropDatabase(url);
          throw error;
        }
        return {
          db: await driver.kysely(),
          close: async () => {
            await driver.close();
            await dropDatabase(url);
          },
        };
      },
    },
  ];
}
