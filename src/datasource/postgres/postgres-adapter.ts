import type { DialectAdapter } from '../driver.ts';
import type { EngineName } from '../schema-meta.ts';
import { postgresQuoteIdentifier } from './postgres-types.ts';

/** Postgres-family capabilities; PGlite differs only in who enforces the timeout. */
export function postgresAdapter(engine: Extract<EngineName, 'postgres' | 'pglite'>): DialectAdapter {
  return Object.freeze({
    dialect: 'postgres',
    engine,
    schemasAreDatabases: false,
    appendsLimitForRowCap: false,
    serverEnforcesTimeout: engine === 'postgres',
    quoteIdentifier: postgresQuoteIdentifier,
    beginReadOnly: (timeoutMs: number) => ['BEGIN READ ONLY', `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`],
    endReadOnly: () => ['ROLLBACK'],
  });
}
