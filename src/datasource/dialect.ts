import { InvalidInputError } from '../errors/index.ts';
import type { GuardedStatement, GuardPolicy } from '../sql/index.ts';
import type { Introspector } from './catalog.ts';
import type { DatasourceDriver } from './driver.ts';
import type { DialectName, EngineName } from './schema-meta.ts';

/** What every engine's driver is opened with. */
export interface DriverOptions {
  datasourceId: string;
  url: string;
  /** Most open connections (a server's pool; PGlite is always one). */
  poolSize: number;
  connectTimeoutMs: number;
}

/**
 * Everything that differs between engines, bound in one object per engine folder (kysely's `Dialect`):
 * which URLs it takes, how to connect and read the catalog, how its errors read, which SQL grammar
 * guards it, and how a server database is created or dropped. Callers ask the dialect instead of
 * branching on a URL prefix; a new engine is one folder and one line in `dialects.ts`.
 *
 * Dialect objects are cheap to import: drivers, parsers and introspectors load when first used.
 */
export interface Dialect {
  /** The engine family as URLs name it (`postgres`, `pglite`, `mysql`). MySQL and MariaDB share one (the driver's adapter tells them apart). */
  readonly name: string;
  /** The SQL it speaks: what the guard parses, prompts say and gold SQL is chosen by. */
  readonly sqlDialect: DialectName;
  /** An embedded database (a directory, no server): a fixture may load on first use; one process at a time. */
  readonly embedded: boolean;
  /** Whether a URL belongs to this engine. */
  matches(url: string): boolean;
  /** Connects: the driver (a bounded pool or worker, with the adapter's capability flags) and its introspector. */
  connect(options: DriverOptions): Promise<{ driver: DatasourceDriver; introspector: Introspector }>;
  /** A driver or server error as a typed service error (timeouts, lost connections, SQL errors). */
  toServiceError(error: unknown, datasourceId: string): Error;
  /**
   * Parses and checks one statement in this grammar against what the datasource may read (`policy`,
   * see `guardPolicyOf`); `engine` picks MySQL's or MariaDB's variant.
   */
  guard(sql: string, engine: EngineName, policy: GuardPolicy): Promise<GuardedStatement>;
  /** Creates the database a server URL names, if missing (nothing for embedded engines). */
  ensureDatabase(url: string): Promise<void>;
  /** Drops it (and, on MySQL, its `<database>_*` sibling schemas). */
  dropDatabase(url: string): Promise<void>;
}

/** The database name a server URL names, checked for safe characters (it is written into DDL). */
export function databaseNameOf(url: string): string {
  const database = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!database) throw new InvalidInputError('The URL must name a database, for example postgres://user@host:5432/shop.', { field: 'url' });
  if (!/^[A-Za-z0-9_]+$/.test(database))
    throw new InvalidInputError(`The database name "${database}" may only use letters, digits and _.`, { field: 'url' });
  return database;
}

/** The same server URL pointing at another database (`/postgres` for Postgres maintenance, `/` for MySQL). */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
