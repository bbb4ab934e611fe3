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

/** A capped read: at most the rows and bytes asked for. */
export interface CappedResult extends RawResult {
  complete: boolean;
  bytesExceeded: boolean;
}

/** A rough size of a row's values in memory, for the byte budget. */
export function approximateRowBytes(row: readonly unknown[]): number {
  let bytes = 0;
  for (const value of row) {
    if (typeof value === 'string') bytes += value.length * 2;
    else if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (value !== null && typeof value === 'object') bytes += JSON.stringify(value)?.length ?? 16;
    else bytes += 16;
  }
  return bytes;
}

/** One connection, held exclusively for the duration of `withSession`. */
export interface DriverSession {
  /** Runs exactly one statement. Parameters use the dialect's placeholder (`$1` or `?`). */
  query(sql: string, params?: readonly unknown[]): Promise<RawResult>;
  /**
   * Runs a read and keeps at most `maxRows` rows and about `maxBytes` of values; `complete` says whether
   * the result ended within them and `bytesExceeded` whether the byte budget cut it. Postgres-family
   * drivers fetch through a server-side cursor in growing batches (inside the caller's transaction);
   * MySQL streams and discards the rest. Either way memory stays bounded whatever the statement returns.
   */
  queryCapped(sql: string, maxRows: number, maxBytes: number): Promise<CappedResult>;
  /**
   * Runs statements of the service's own (the read-only framing, never a model's text), in one round trip
   * where the driver can send several at once (node-postgres's simple protocol), else one by one.
   */
  runScript(statements: readonly string[], options?: ScriptOptions): Promise<void>;
}

export interface ScriptOptions {
  /**
   * Run every statement even after one fails, then throw the first failure: for a teardown, where each
   * statement (release the locks after a failed ROLLBACK) matters on its own. Default: stop at the first.
   */
  throughFailures?: boolean;
}

/** `runScript` for a driver that sends one statement at a time. */
export async function runOneByOne(
  query: DriverSession['query'],
  statements: readonly string[],
  options: ScriptOptions = {},
): Promise<void> {
  let failure: unknown = null;
  for (const statement of statements) {
    try {
      await query(statement);
    } catch (error) {
      if (!options.throughFailures) throw error;
      failure ??= error;
    }
  }
  if (failure !== null) throw failure;
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
  /**
   * Statements that open a read-only transaction with a statement timeout on one session. Where names
   * resolve through a search path (Postgres), `defaultSchema` pins it, so an unqualified name reads the
   * schema the guard checked it against; MySQL's default is the connection's database already.
   */
  beginReadOnly(timeoutMs: number, defaultSchema?: string | null): string[];
  /** Statements that end it (always a rollback) and undo any session setting. */
  endReadOnly(): string[];
}

/** How a session is held: its time budget, and the request's signal (its deadline bounds the wait for a session). */
export interface SessionOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The connection role of a dialect: a bounded pool, exclusive sessions and a kysely instance. */
export interface DatasourceDriver {
  readonly adapter: DialectAdapter;
  readonly serverVersion: string;
  /** Sessions it can hold at once, when fewer than the configured pool (PGlite: one connection). */
  readonly maxSessions?: number;
  /**
   * Kysely over the same pool, for catalog queries and the app database. PGlite makes it on first use, so
   * a command that reads no catalog (a cached schema) never loads kysely.
   */
  kysely(): Promise<Kysely<any>>;
  /**
   * Runs `work` on one connection held exclusively. `timeoutMs` is a budget for the whole session: each
   * statement gets what is left of it, and when a statement outlives that (plus a short grace on servers
   * that enforce timeouts themselves) the connection is discarded, that statement rejects with
   * `SqlTimeoutError`, and later statements of the session fail at once.
   */
  withSession<T>(work: (session: DriverSession) => Promise<T>, options?: SessionOptions): Promise<T>;
  close(): Promise<void>;
}
