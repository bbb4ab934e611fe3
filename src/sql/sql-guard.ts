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
  const remembered = accepted.get(policy);
  const key = `${grammar}\u0000${sql}`;
  const known = remembered?.get(key);
  if (known) {
    // Most recently used last: the oldest entry is the first to go.
    remembered!.delete(key);
    remembered!.set(key, known);
    return known;
  }
  const guarded = freezeStatement(await parsers[grammar](sql, policy));
  if (sql.length <= rememberedLength && isFrozenPolicy(policy)) {
    // Looked up again: another statement may have made the map while this one was parsed.
    let entries = accepted.get(policy);
    if (!entries) accepted.set(policy, (entries = new Map<string, GuardedStatement>()));
    entries.set(key, guarded);
    if (entries.size > rememberedPerPolicy) entries.delete(entries.keys().next().value!);
  }
  return guarded;
}

/**
 * Statements accepted under a policy, by grammar and text: the same statement is often guarded again (an
 * agent's `execute_sql`, then its final answer; a cached answer whose SQL is re-run), and parsing took
 * 1–2 ms of a PGlite statement's 4. The guard's answer depends only on the text, the grammar and the policy,
 * which a datasource keeps for its life (a new policy object starts afresh). Only a frozen policy (as
 * `guardPolicyOf` makes them) is remembered by: one that could still change could make a remembered
 * acceptance wrong. Rejections are not kept. Bounded: at most 500 statements of at most 10,000 characters
 * a policy.
 */
const accepted = new WeakMap<GuardPolicy, Map<string, GuardedStatement>>();
const rememberedPerPolicy = 500;
const rememberedLength = 10_000;

/** Whether nothing of the policy can change any more. */
function isFrozenPolicy(policy: GuardPolicy): boolean {
  return (
    Object.isFrozen(policy) &&
    Object.isFrozen(policy.schemas) &&
    (policy.tables === undefined || Object.isFrozen(policy.tables)) &&
    (policy.allowFunctions === undefined || Object.isFrozen(policy.allowFunctions))
  );
}

/** A guarded statement shared between callers: nothing may change it. */
function freezeStatement(statement: GuardedStatement): GuardedStatement {
  Object.freeze(statement.functions);
  Object.freeze(statement.relations);
  return Object.freeze(statement);
}
