import type { DialectAdapter } from '../driver.ts';
import { mysqlQuoteIdentifier } from './mysql-types.ts';

/**
 * Run on every new connection. The guard lexes strings and identifiers the default way (backslash
 * escapes on, double quotes as strings); a server configured with NO_BACKSLASH_ESCAPES or ANSI_QUOTES
 * would read the same text differently, so each connection drops those two modes before it is used.
 */
export const mysqlSessionSetup =
  "SET SESSION sql_mode = TRIM(BOTH ',' FROM REPLACE(REPLACE(REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','), ',ANSI_QUOTES,', ','), ',,', ','))";

/**
 * MySQL and MariaDB share the dialect but not the timeout variable: MySQL has `max_execution_time`
 * (milliseconds, SELECT only), MariaDB `max_statement_time` (seconds). `START TRANSACTION READ ONLY`
 * works on both.
 */
export function mysqlAdapter(engine: 'mysql' | 'mariadb'): DialectAdapter {
  const variable = engine === 'mariadb' ? 'max_statement_time' : 'max_execution_time';
  // MariaDB counts seconds (fractions allowed), MySQL milliseconds.
  const value = (timeoutMs: number) => (engine === 'mariadb' ? (timeoutMs / 1000).toFixed(3) : String(Math.floor(timeoutMs)));
  return Object.freeze({
    dialect: 'mysql',
    engine,
    schemasAreDatabases: true,
    appendsLimitForRowCap: true,
    serverEnforcesTimeout: true,
    quoteIdentifier: mysqlQuoteIdentifier,
    beginReadOnly: (timeoutMs: number) => [`SET SESSION ${variable} = ${value(Math.max(1, timeoutMs))}`, 'START TRANSACTION READ ONLY'],
    // DEFAULT restores the server's own limit; RELEASE_ALL_LOCKS frees any user lock before the pool reuses the connection.
    endReadOnly: () => ['ROLLBACK', `SET SESSION ${variable} = DEFAULT`, 'DO RELEASE_ALL_LOCKS()'],
  });
}
