import type { GuardPolicy } from '../../sql/index.ts';
import type { EngineName } from '../schema-meta.ts';
import { databaseNameOf, withDatabase, type Dialect, type DriverOptions } from '../dialect.ts';
import type { DatasourceDriver } from '../driver.ts';
import { toPostgresServiceError } from './postgres-errors.ts';
import { sqlRules } from '../sql-rules.ts';

/** Postgres servers: `postgres://` or `postgresql://`. */
export const postgresDialect: Dialect = Object.freeze({
  name: 'postgres',
  sqlDialect: 'postgres',
  embedded: false,
  matches: (url: string) => /^postgres(ql)?:\/\//i.test(url),
  async connect(options: DriverOptions) {
    const [{ createPostgresDriver }, { PostgresIntrospector }] = await Promise.all([
      import('./postgres-driver.ts'),
      import('./postgres-introspector.ts'),
    ]);
    const driver = await createPostgresDriver(options);
    return { driver, introspector: new PostgresIntrospector(await driver.kysely()) };
  },
  toServiceError: toPostgresServiceError,
  async guard(sql: string, _engine: EngineName, policy: GuardPolicy) {
    return (await sqlRules()).guardSql(sql, 'postgres', policy);
  },
  async ensureDatabase(url: string) {
    const database = databaseNameOf(url);
    await withMaintenanceSession(url, async (session) => {
      if ((await session.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rows.length === 0)
        await session.query(`CREATE DATABASE "${database}"`);
    });
  },
  async dropDatabase(url: string) {
    const database = databaseNameOf(url);
    await withMaintenanceSession(url, (session) => session.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  },
});

/** Runs `work` connected to the server's maintenance database (`postgres`). */
async function withMaintenanceSession<T>(
  url: string,
  work: (session: Parameters<Parameters<DatasourceDriver['withSession']>[0]>[0]) => Promise<T>,
): Promise<T> {
  const { createPostgresDriver } = await import('./postgres-driver.ts');
  const driver = await createPostgresDriver({
    datasourceId: 'admin',
    url: withDatabase(url, 'postgres'),
    poolSize: 1,
    connectTimeoutMs: 5000,
  });
  try {
    return await driver.withSession(work);
  } finally {
    await driver.close();
  }
}
