import { abortedWith, deadlineOf } from '../flow/index.ts';
import type { GuardPolicy } from '../sql/index.ts';
import { ResultTooLargeError } from '../errors/index.ts';
import type { DatasourceConfig } from './datasource-config.ts';
import type { Dialect } from './dialect.ts';
import type { DatasourceDriver, DialectAdapter } from './driver.ts';
import type { TypeFamily } from './schema-meta.ts';
import { typeFamilyOf } from './type-family.ts';
import { toJsonSafe } from './json-safe-value.ts';

export interface ResultColumn {
  name: string;
  /** The engine's type name for the column, for example `int8` or `decimal`. */
  dataType: string;
  typeFamily: TypeFamily;
}

/** What a statement returned, JSON-safe (see `toJsonSafe` for how values are converted). */
export interface ReadOnlyResult {
  /** The statement that ran, as the guard accepted it. */
  sql: string;
  columns: ResultColumn[];
  /** Rows as arrays, in column order, so duplicate column names survive. */
  rows: unknown[][];
  rowCount: number;
  /**
   * True when the rows are not all there are: the statement had more rows than the cap or more data than
   * the byte budget, or it stopped at the caller's default LIMIT (`defaultLimit`) with that many rows.
   */
  truncated: boolean;
  /** What cut the result: the row cap, the byte budget, the default LIMIT, or nothing. */
  truncatedBy: 'rows' | 'bytes' | 'limit' | null;
  rowCap: number;
  durationMs: number;
}

export interface ExecuteOptions {
  /** Overrides the datasource's row cap (never above it). */
  rowCap?: number;
  /** Overrides the datasource's statement timeout (never above it). */
  timeoutMs?: number;
  /** Injected clock for `durationMs`. */
  now?: () => number;
  /**
   * The request's signal: nothing starts once it has aborted, and under a deadline (see `RequestDeadline`)
   * the statement timeout and the wait for a session are cut to the time left.
   */
  signal?: AbortSignal;
  /**
   * The LIMIT the caller asks statements to carry when nothing else bounds them (the agent's row limit):
   * a statement that stops at exactly that LIMIT with that many rows may have more, and is reported as
   * truncated by `limit`. A smaller LIMIT (a "top 10") is the question's own and cuts nothing.
   */
  defaultLimit?: number;
}

/** What the executor needs of a datasource: its guard and what the guard lets it read, driver, adapter and limits. */
export interface ReadOnlyTarget {
  readonly dialect: Pick<Dialect, 'guard'>;
  readonly guardPolicy: GuardPolicy;
  readonly driver: DatasourceDriver;
  readonly adapter: DialectAdapter;
  readonly config: Pick<DatasourceConfig, 'rowCap' | 'statementTimeoutMs' | 'maxResultBytes'>;
}

/**
 * Runs one statement safely: the guard first (nothing unguarded reaches the database), then a read-only
 * transaction that is always rolled back, a statement timeout for the whole request, a row cap that
 * fetches at most cap + 1 rows so `truncated` is exact, and a byte budget (`maxResultBytes`) so a few
 * enormous rows cannot exhaust memory either.
 *
 * Throws `SqlRejectedError`, `SqlTimeoutError`, `SqlExecutionError` or `DatasourceUnavailableError`.
 */
export async function executeReadOnly(datasource: ReadOnlyTarget, sql: string, options: ExecuteOptions = {}): Promise<ReadOnlyResult> {
  const adapter = datasource.adapter;
  const guarded = await datasource.dialect.guard(sql, adapter.engine, datasource.guardPolicy);
  const rowCap = Math.min(options.rowCap ?? datasource.config.rowCap, datasource.config.rowCap);
  if (options.signal?.aborted) throw abortedWith(options.signal);
  const left = deadlineOf(options.signal)?.remainingMs() ?? Infinity;
  const timeoutMs = Math.max(
    1,
    Math.min(options.timeoutMs ?? datasource.config.statementTimeoutMs, datasource.config.statementTimeoutMs, left),
  );
  const now = options.now ?? (() => performance.now());
  // Where rows are streamed rather than read through a cursor, a LIMIT keeps the server from producing
  // rows nobody will read. A statement with its own top-level LIMIT keeps it; the stream still caps.
  const statement = adapter.appendsLimitForRowCap && !guarded.hasTopLevelLimit ? `${guarded.sql}\nLIMIT ${rowCap + 1}` : guarded.sql;

  const started = now();
  const raw = await datasource.driver.withSession(
    async (session) => {
      await session.runScript(adapter.beginReadOnly(timeoutMs, datasource.guardPolicy.defaultSchema));
      try {
        return await session.queryCapped(statement, rowCap + 1, datasource.config.maxResultBytes);
      } finally {
        await session.runScript(adapter.endReadOnly(), { throughFailures: true }).catch(() => {});
      }
    },
    { timeoutMs, signal: options.signal },
  );
  const durationMs = Math.round((now() - started) * 10) / 10;
  if (raw.bytesExceeded && raw.rows.length === 0)
    throw new ResultTooLargeError(
      `Even the first row is larger than the result budget of ${datasource.config.maxResultBytes} bytes (maxResultBytes): select fewer or narrower columns, or shorten long text (for example with left(column, 200)).`,
      { maxResultBytes: datasource.config.maxResultBytes },
    );
  const stoppedAtDefaultLimit =
    options.defaultLimit !== undefined && guarded.topLevelLimit === options.defaultLimit && raw.rows.length >= options.defaultLimit;
  const truncatedBy = raw.bytesExceeded ? 'bytes' : raw.rows.length > rowCap ? 'rows' : stoppedAtDefaultLimit ? 'limit' : null;
  const truncated = truncatedBy !== null;
  const rows = raw.rows.slice(0, rowCap).map((row) => row.map((value, index) => toJsonSafe(value, raw.fields[index]?.dataType ?? 'text')));
  return {
    sql: guarded.sql,
    columns: raw.fields.map((field) => ({ name: field.name, dataType: field.dataType, typeFamily: typeFamilyOf(field.dataType) })),
    rows,
    rowCount: rows.length,
    truncated,
    truncatedBy,
    rowCap,
    durationMs,
  };
}
