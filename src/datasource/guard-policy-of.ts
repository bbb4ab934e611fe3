import type { GuardPolicy } from '../sql/index.ts';
import type { DatasourceConfig } from './datasource-config.ts';
import type { DialectAdapter } from './driver.ts';

/**
 * What the guard lets a datasource's statements read, from its config and URL: the same schemas
 * introspection shows (so the model is never shown a table it may not read), where unqualified names
 * read, the optional table allow-list and the extra functions.
 *
 * - Postgres and PGlite: `schemas`, default every schema that is not a system one; unqualified names
 *   read `public` when it is allowed, else the first schema listed (the executor pins `search_path`
 *   to it, so the guard and the server resolve a name alike).
 * - MySQL and MariaDB: a schema is a database. `schemas`, default the URL's database and its
 *   `<database>_*` siblings; unqualified names read the URL's database.
 *
 * @example
 * guardPolicyOf({ url: 'postgres://ro@db/warehouse', schemas: ['public'] }, postgresAdapter)
 * // { schemas: ['public'], defaultSchema: 'public' }
 * guardPolicyOf({ url: 'mysql://ro@db/shop' }, mysqlAdapter)
 * // { schemas: ['shop', 'shop_*'], defaultSchema: 'shop' }
 */
export function guardPolicyOf(
  config: Pick<DatasourceConfig, 'url' | 'schemas' | 'tables' | 'allowFunctions'>,
  adapter: Pick<DialectAdapter, 'schemasAreDatabases'>,
): GuardPolicy {
  let schemas: readonly string[];
  let defaultSchema: string | null;
  if (adapter.schemasAreDatabases) {
    const database = urlDatabase(config.url);
    schemas = config.schemas ?? (database ? [database, `${database}_*`] : []);
    defaultSchema = database;
  } else {
    schemas = config.schemas ?? ['*'];
    defaultSchema = !config.schemas || config.schemas.includes('public') ? 'public' : (config.schemas[0] ?? null);
  }
  return Object.freeze({
    schemas: Object.freeze([...schemas]),
    defaultSchema,
    ...(config.tables ? { tables: Object.freeze([...config.tables]) } : {}),
    ...(config.allowFunctions ? { allowFunctions: Object.freeze([...config.allowFunctions]) } : {}),
  });
}

/** The database a server URL names, or null when it names none. */
function urlDatabase(url: string): string | null {
  try {
    return decodeURIComponent(new URL(url).pathname.replace(/^\//, '')) || null;
  } catch {
    return null;
  }
}
