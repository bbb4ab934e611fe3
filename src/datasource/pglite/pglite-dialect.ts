import type { GuardPolicy } from '../../sql/index.ts';
import type { EngineName } from '../schema-meta.ts';
import type { Introspector } from '../catalog.ts';
import type { Dialect, DriverOptions } from '../dialect.ts';
import type { DatasourceDriver } from '../driver.ts';
import { toPostgresServiceError } from '../postgres/postgres-errors.ts';
import { sqlRules } from '../sql-rules.ts';

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
    const { createPgliteDriver } = await import('./pglite-driver.ts');
    const driver = await createPgliteDriver(options);
    return { driver, introspector: introspectorOnFirstUse(driver) };
  },
  toServiceError: toPostgresServiceError,
  async guard(sql: string, _engine: EngineName, policy: GuardPolicy) {
    return (await sqlRules()).guardSql(sql, 'postgres', policy);
  },
  // A directory needs no CREATE DATABASE; PGlite makes it on first open.
  ensureDatabase: async () => {},
  dropDatabase: async () => {},
});

/**
 * The Postgres introspector over the driver's kysely, both loaded when the catalog is first read: a command
 * on an embedded fixture whose schema is cached never loads them.
 */
function introspectorOnFirstUse(driver: DatasourceDriver): Introspector {
  let loading: Promise<Introspector> | null = null;
  const introspector = () =>
    (loading ??= Promise.all([import('../postgres/postgres-introspector.ts'), driver.kysely()]).then(
      ([{ PostgresIntrospector }, kysely]) => new PostgresIntrospector(kysely),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
  return {
    defaultSchemas: async () => (await introspector()).defaultSchemas(),
    readCatalog: async (schemas) => (await introspector()).readCatalog(schemas),
  };
}
