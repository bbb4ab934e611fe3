import type { DialectAdapter } from '../driver.ts';
import { mysqlQuoteIdentifier } from './mysql-types.ts';

/**
 * MySQL and MariaDB share the dialect but not the timeout variable: MySQL has `max_execution_time`
 * (milliseconds, SELECT only), MariaDB `max_statement_time` (seconds). `START TRANSACTION READ ONLY`
 * works on both.
 */
export function mysqlAdapter(engine: 'mysql' | 'mariadb'): DialectAdapter {
  const variable = engine === 'mariadb' ? 'max_statement_time' : 'max_execution_time';
  // MariaDB counts seconds (fractions allowed), MySQL milliseconds; 0 means no limit on both.
  const value = (timeoutMs: number) => (engine === 'mariadb' ? (timeoutMs / 1000).toFixed(3) : String(Math.floor(timeoutMs)));
  return Object.freeze({
    dialect: 'mysql',
    engine,
    schemasAreDatabases: true,
    appendsLimitForRowCap: true,
    serverEnforcesTimeout: true,
    quoteIdentifier: mysqlQuoteIdentifier,
    beginReadOnly: (timeoutMs: number) => [`SET SESSION ${variable} = ${value(Math.max(1, timeoutMs))}`, 'START TRANSACTION READ ONLY'],
    endReadOnly: () => ['ROLLBACK', `SET SESSION ${variable} = 0`],
  });
}
