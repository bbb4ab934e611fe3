import { InvalidInputError } from '../errors/index.ts';
import type { Dialect } from './dialect.ts';
import { mysqlDialect } from './mysql/mysql-dialect.ts';
import { pgliteDialect } from './pglite/pglite-dialect.ts';
import { postgresDialect } from './postgres/postgres-dialect.ts';

/** Every engine the service speaks. A new engine is a folder with its `Dialect`, registered here. */
export const dialects: readonly Dialect[] = [postgresDialect, pgliteDialect, mysqlDialect];

/** The dialect of a connection URL; an unknown scheme names the ones that work. */
export function dialectForUrl(url: string): Dialect {
  const dialect = dialects.find((candidate) => candidate.matches(url));
  if (!dialect)
    throw new InvalidInputError(
      `"${url.split(':')[0]}:" is not a datasource URL scheme; use postgres://, mysql://, mariadb://, pglite:<directory> or pglite:memory.`,
      { field: 'url' },
    );
  return dialect;
}

/** Whether some dialect takes this URL (config validation). */
export function isDatasourceUrl(url: string): boolean {
  return dialects.some((dialect) => dialect.matches(url));
}
