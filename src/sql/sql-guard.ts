import { SqlRejectedError } from '../errors/index.ts';
import type { GuardedStatement } from './guarded-statement.ts';
import { guardMysql } from './mysql-guard.ts';
import { guardPostgres } from './postgres-guard.ts';

/** Longest statement the guard will look at; anything longer is refused before parsing. */
export const maxStatementLength = 100_000;

/** The grammars the guard parses: Postgres (also PGlite), MySQL, and MariaDB's variant of MySQL's. */
export type SqlGrammar = 'postgres' | 'mysql' | 'mariadb';

const parsers: Readonly<Record<SqlGrammar, (sql: string) => Promise<GuardedStatement>>> = {
  postgres: guardPostgres,
  mysql: (sql) => guardMysql(sql, 'mysql'),
  mariadb: (sql) => guardMysql(sql, 'mariadb'),
};

/**
 * The SQL guard: parses `sql` in a grammar and accepts exactly one read, or throws `SqlRejectedError`
 * with the reason. Nothing reaches a database before this passes (a datasource's dialect picks the
 * grammar: `datasource.dialect.guard`).
 *
 * @example
 * await guardSql('SELECT count(*) FROM orders', 'postgres'); // accepted
 * await guardSql('SELECT 1; DROP TABLE orders', 'postgres'); // SqlRejectedError: exactly one statement…
 */
export async function guardSql(sql: string, grammar: SqlGrammar): Promise<GuardedStatement> {
  if (typeof sql !== 'string') throw new SqlRejectedError('the statement must be a string');
  if (sql.length > maxStatementLength) throw new SqlRejectedError(`the statement is longer than ${maxStatementLength} characters`);
  if (sql.includes('\u0000')) throw new SqlRejectedError('the statement contains a NUL character');
  return parsers[grammar](sql);
}
