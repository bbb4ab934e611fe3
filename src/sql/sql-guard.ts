import { guardMysql } from './mysql-guard.ts';
import { guardPostgres } from './postgres-guard.ts';
import type { GuardedStatement } from './guarded-statement.ts';
import type { DialectName, EngineName } from '../datasource/index.ts';
import { SqlRejectedError } from '../errors/index.ts';

/** Longest statement the guard will look at; anything longer is refused before parsing. */
export const maxStatementLength = 100_000;

/**
 * The SQL guard: parses `sql` in the datasource's dialect and accepts exactly one read, or throws
 * `SqlRejectedError` with the reason. Nothing reaches the database before this passes.
 *
 * @example
 * await guardSql('SELECT count(*) FROM orders', 'postgres'); // accepted
 * await guardSql('SELECT 1; DROP TABLE orders', 'postgres'); // SqlRejectedError: exactly one statement…
 */
export async function guardSql(sql: string, dialect: DialectName, engine?: EngineName): Promise<GuardedStatement> {
  if (typeof sql !== 'string') throw new SqlRejectedError('the statement must be a string');
  if (sql.length > maxStatementLength) throw new SqlRejectedError(`the statement is longer than ${maxStatementLength} characters`);
  if (sql.includes('\u0000')) throw new SqlRejectedError('the statement contains a NUL character');
  return dialect === 'postgres' ? guardPostgres(sql) : guardMysql(sql, engine === 'mariadb' ? 'mariadb' : 'mysql');
}
