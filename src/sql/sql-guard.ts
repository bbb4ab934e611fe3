import { SqlRejectedError } from '../errors/index.ts';
import type { GuardedStatement } from './guarded-statement.ts';
import type { GuardPolicy } from './guard-policy.ts';
import { guardMysql } from './mysql-guard.ts';
import { guardPostgres } from './postgres-guard.ts';

/** Longest statement the guard will look at; anything longer is refused before parsing. */
export const maxStatementLength = 100_000;

/** The grammars the guard parses: Postgres (also PGlite), MySQL, and MariaDB's variant of MySQL's. */
export type SqlGrammar = 'postgres' | 'mysql' | 'mariadb';

const parsers: Readonly<Record<SqlGrammar, (sql: string, policy: GuardPolicy) => Promise<GuardedStatement>>> = {
  postgres: guardPostgres,
  mysql: (sql, policy) => guardMysql(sql, policy, 'mysql'),
  mariadb: (sql, policy) => guardMysql(sql, policy, 'mariadb'),
};

/**
 * The SQL guard: parses `sql` in a grammar and accepts exactly one read of what `policy` allows, or
 * throws `SqlRejectedError` with the reason. Nothing reaches a database before this passes (a
 * datasource's dialect picks the grammar and the datasource builds the policy: `datasource.guard`).
 *
 * @example
 * const policy = { schemas: ['public'], defaultSchema: 'public' };
 * await guardSql('SELECT count(*) FROM orders', 'postgres', policy); // accepted
 * await guardSql('SELECT 1; DROP TABLE orders', 'postgres', policy); // SqlRejectedError: exactly one statement…
 * await guardSql('SELECT * FROM analytics.sales', 'postgres', policy); // SqlRejectedError: … may read only the schemas public
 */
export async function guardSql(sql: string, grammar: SqlGrammar, policy: GuardPolicy): Promise<GuardedStatement> {
  if (typeof sql !== 'string') throw new SqlRejectedError('the statement must be a string');
  if (sql.length > maxStatementLength) throw new SqlRejectedError(`the statement is longer than ${maxStatementLength} characters`);
  if (sql.includes('\u0000')) throw new SqlRejectedError('the statement contains a NUL character');
  return parsers[grammar](sql, policy);
}
