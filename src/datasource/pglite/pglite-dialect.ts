import type { GuardPolicy } from '../../sql/index.ts';
import type { EngineName } from '../schema-meta.ts';
import type { Dialect, DriverOptions } from '../dialect.ts';
import { toPostgresServiceError } from '../postgres/postgres-errors.ts';

/**
 * Embedded PGlite: `pglite:<directory>` or `pglite:memory`. It speaks Postgres (the same guard, errors and
 * introspector) and runs in a worker thread that its driver stops at a statement's deadline.
 */
export const pgliteDialect: Dialect = Object.freeze({
  name: 'pglite',
  sqlDialect: 'postgres',
  embedded: true,
  matches: (url: string) => url.startsWith('pglite:'),
  async connect(options: DriverOptions) {
    // The driver module is light: it starts the worker before it loads kysely, which the introspector
    // then finds loaded.
    const { createPgliteDriver } = await import('./pglite-driver.ts');
    const driver = await createPgliteDriver(options);
    try {
      const { PostgresIntrospector } = await import('../postgres/postgres-introspector.ts');
      return { driver, introspector: new PostgresIntrospector(driver.kysely) };
    } catch (error) {
      await driver.close();
      throw error;
    }
  },
  toServiceError: toPostgresServiceError,
  async guard(sql: string, _engine: EngineName, policy: GuardPolicy) {
    return (await import('../../sql/index.ts')).guardSql(sql, 'postgres', policy);
  },
  // A directory needs no CREATE DATABASE; PGlite makes it on first open.
  ensureDatabase: async () => {},
  dropDatabase: async () => {},
});
