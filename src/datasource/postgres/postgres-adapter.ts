import type { DialectAdapter } from '../driver.ts';
import type { EngineName } from '../schema-meta.ts';
import { postgresQuoteIdentifier } from './postgres-types.ts';

/** What DISCARD ALL does, statement by statement (as the Postgres documentation lists it). */
const discardAllParts = [
  'CLOSE ALL',
  'SET SESSION AUTHORIZATION DEFAULT',
  'RESET ALL',
  'DEALLOCATE ALL',
  'UNLISTEN *',
  'SELECT pg_advisory_unlock_all()',
  'DISCARD PLANS',
  'DISCARD TEMP',
  'DISCARD SEQUENCES',
];

/** Postgres-family capabilities; PGlite differs only in who enforces the timeout. */
export function postgresAdapter(engine: Extract<EngineName, 'postgres' | 'pglite'>): DialectAdapter {
  return Object.freeze({
    dialect: 'postgres',
    engine,
    schemasAreDatabases: false,
    appendsLimitForRowCap: false,
    serverEnforcesTimeout: engine === 'postgres',
    quoteIdentifier: postgresQuoteIdentifier,
    // The guard parses with standard_conforming_strings on; make sure the server lexes the same way.
    // It resolves unqualified names in the default schema: pin search_path to it (pg_catalog is always
    // searched first, and the guard refuses pg_* names).
    beginReadOnly: (timeoutMs: number, defaultSchema?: string | null) => [
      'BEGIN READ ONLY',
      `SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`,
      'SET LOCAL standard_conforming_strings = on',
      ...(defaultSchema ? [`SET LOCAL search_path = ${postgresQuoteIdentifier(defaultSchema)}`] : []),
    ],
    // DISCARD ALL drops anything a statement might have left on the pooled connection (session-level
    // advisory locks, settings, temporary objects) before the next request gets it. It cannot share a
    // round trip with ROLLBACK (it refuses to run in the implicit transaction of several statements), so
    // the statements it stands for are sent instead, which can: one round trip (PGlite: one message to its
    // worker) instead of two.
    endReadOnly: () => ['ROLLBACK', ...discardAllParts],
  });
}
