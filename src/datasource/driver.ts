import type { Kysely } from 'kysely';
import type { DialectName, EngineName } from './schema-meta.ts';

/** One column of a raw result: its name and the engine's type name for it. */
export interface ResultField {
  name: string;
  /** Lower-case engine type name, for example `int4`, `numeric`, `varchar`, `tinyint(1)`. */
  dataType: string;
}

/** A raw result in array row mode, so duplicate column names survive. */
export interface RawResult {
  fields: ResultField[];
  rows: unknown[][];
}

/** One connection, held exclusively for the duration of `withSession`. */
export interface DriverSession {
  /** Runs exactly one statement. Parameters use the dialect's placeholder (`$1` or `?`). */
  query(sql: string, params?: readonly unknown[]): Promise<RawResult>;
  /**
   * Runs a read and keeps at most `maxRows` rows; `complete` says whether the result ended within them.
   * Postgres-family drivers use a server-side cursor (inside the caller's transaction); MySQL streams and
   * discards the rest, so memory stays bounded whatever the statement returns.
   */
  queryCapped(sql: string, maxRows: number): Promise<RawResult & { complete: boolean }>;
}

/**
 * Capabilities that differ between engines, stated as flags rather than `if (engine === …)` checks
 * (the kysely `supportsReturning` way).
 */
export interface DialectAdapter {
  readonly dialect: DialectName;
  readonly engine: EngineName;
  /** Postgres has schemas inside one database; on MySQL a schema is a database. */
  readonly schemasAreDatabases: boolean;
  /**
   * Whether the server itself stops a statement at the timeout. PGlite runs in-process and cannot;
   * its driver enforces the timeout by stopping the worker that runs it.
   */
  readonly serverEnforcesTimeout: boolean;
  /**
   * Whether the executor appends `LIMIT cap + 1` to a statement without a top-level LIMIT. MySQL
   * streams rows, so a LIMIT saves the server the work; Postgres reads through a cursor instead.
   */
  readonly appendsLimitForRowCap: boolean;
  quoteIdentifier(name: string): string;
  /** Statements that open a read-only transaction with a statement timeout on one session. */
  beginReadOnly(timeoutMs: number): string[];
  /** Statements that end it (always a rollback) and undo any session setting. */
  endReadOnly(): string[];
}

/** The connection role of a dialect: a bounded pool, exclusive sessions and a kysely instance. */
export interface DatasourceDriver {
  readonly adapter: DialectAdapter;
  readonly serverVersion: string;
  /** Kysely over the same pool, for catalog queries, fixtures and the app database. */
  readonly kysely: Kysely<any>;
  /**
   * Runs `work` on one connection held exclusively. `timeoutMs` is a hard stop for each statement: when a
   * statement outlives it (plus a short grace on servers that enforce it themselves), the connection is
   * discarded and that statement rejects with `SqlTimeoutError`.
   */
  withSession<T>(work: (session: DriverSession) => Promise<T>, options?: { timeoutMs?: number }): Promise<T>;
  close(): Promise<void>;
}
