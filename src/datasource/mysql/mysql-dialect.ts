import type { GuardPolicy } from '../../sql/index.ts';
import type { EngineName } from '../schema-meta.ts';
import { databaseNameOf, withDatabase, type Dialect, type DriverOptions } from '../dialect.ts';
import type { DatasourceDriver } from '../driver.ts';
import { toMysqlServiceError } from './mysql-errors.ts';
import { sqlRules } from '../sql-rules.ts';

/** MySQL and MariaDB servers: `mysql://` or `mariadb://` (the driver detects which for its timeout variable). */
export const mysqlDialect: Dialect = Object.freeze({
  name: 'mysql',
  sqlDialect: 'mysql',
  embedded: false,
  matches: (url: string) => /^(mysql|mariadb):\/\//i.test(url),
  async connect(options: DriverOptions) {
    const [{ createMysqlDriver }, { MysqlIntrospector }] = await Promise.all([
      import('./mysql-driver.ts'),
      import('./mysql-introspector.ts'),
    ]);
    const driver = await createMysqlDriver(options);
    return { driver, introspector: new MysqlIntrospector(await driver.kysely()) };
  },
  toServiceError: toMysqlServiceError,
  async guard(sql: string, engine: EngineName, policy: GuardPolicy) {
    return (await sqlRules()).guardSql(sql, engine === 'mariadb' ? 'mariadb' : 'mysql', policy);
  },
  async ensureDatabase(url: string) {
    const database = databaseNameOf(url);
    await withServerSession(url, (session) =>
      session.query(`CREATE DATABASE IF NOT EXISTS \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`),
    );
  },
  async dropDatabase(url: string) {
    const database = databaseNameOf(url);
    await withServerSession(url, async (session) => {
      const siblings = await session.query(
        'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ? OR SCHEMA_NAME LIKE ?',
        [database, `${database.replaceAll('_', '\\_')}\\_%`],
      );
      // Siblings may hold foreign keys into the main database, so drop without checking them.
      await session.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const [name] of siblings.rows) await session.query(`DROP DATABASE IF EXISTS \`${String(name)}\``);
      await session.query('SET FOREIGN_KEY_CHECKS = 1');
    });
  },
});

/** Runs `work` connected to the server with no database selected. */
async function withServerSession<T>(
  url: string,
  work: (session: Parameters<Parameters<DatasourceDriver['withSession']>[0]>[0]) => Promise<T>,
): Promise<T> {
  const { createMysqlDriver } = await import('./mysql-driver.ts');
  const driver = await createMysqlDriver({ datasourceId: 'admin', url: withDatabase(url, ''), poolSize: 1, connectTimeoutMs: 5000 });
  try {
    return await driver.withSession(work);
  } finally {
    await driver.close();
  }
}
