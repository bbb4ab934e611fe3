import { sql, type Kysely, type RawBuilder } from 'kysely';
import { InvalidInputError } from '../../errors/index.ts';
import { TraceNotFoundError } from '../../errors/index.ts';
import type { SpanKind, SpanLevel, SpanRecord } from './span-record.ts';
import { applyMigrations, appliedMigrationVersions, spanStoreMigrations, type SchemaMigration } from './span-store-migrations.ts';
import { buildSpanTree, type TraceTree } from './span-tree.ts';
import { toWellFormed } from '../../text/index.ts';
import { joinContinuedInputs } from './continued-inputs.ts';

/** How much the store keeps; see {@link LocalSpanStore.applyRetention}. */
export interface RetentionPolicy {
  /** Traces that started longer ago than this are deleted. Default: 7 days. */
  maxAgeMs?: number;
  /** At most this many spans are kept, as whole traces, newest first. Default: 100,000. */
  maxSpans?: number;
}

/** Options of {@link LocalSpanStore}. */
export interface LocalSpanStoreOptions {
  retention?: RetentionPolicy;
  /** The clock for retention and feedback timestamps (tests inject one). Default: the system clock. */
  now?: () => Date;
  /** The schema steps; default {@link spanStoreMigrations}. Tests pass a prefix or an extension. */
  migrations?: readonly SchemaMigration[];
}

/** What {@link LocalSpanStore.applyRetention} deleted. */
export interface RetentionResult {
  /** Spans of traces older than `maxAgeMs`. */
  spansDeletedByAge: number;
  /** Spans of the traces beyond the `maxSpans` budget. */
  spansDeletedByCount: number;
  /** Feedback rows whose trace no longer has any span. */
  feedbackDeleted: number;
}

/** A feedback entry as stored. */
export interface FeedbackRecord {
  id: number;
  traceId: string;
  /** In [-1, 1]: -1 is thumbs down, 1 thumbs up, values between grade. */
  score: number;
  comment: string | null;
  /** ISO 8601. */
  createdAt: string;
}

/** Filters of {@link LocalSpanStore.listTraces}. */
export interface ListTracesOptions {
  /** Only traces whose root started at or after this instant. */
  since?: Date | string;
  /** Only traces whose root span has this user id. */
  user?: string;
  /** Only traces whose root span has this label. */
  label?: string;
  /** At most this many (default 50, at most 1000). */
  limit?: number;
}

/** One trace in {@link LocalSpanStore.listTraces}. */
export interface TraceSummary {
  traceId: string;
  /** The root span's name, for example `query`. */
  name: string;
  /** The root's start, ISO 8601 with milliseconds, UTC. */
  startTime: string;
  durationMs: number;
  userId: string | null;
  label: string | null;
  /** The root's, else that of the latest-starting span in the trace that has one. */
  promptVersion: number | null;
  /** The root's, else that of the latest-starting span that has one (the model that answered last). */
  model: string | null;
  /** Sum of `costUsd` over the trace's spans; 0 when none has a cost. */
  totalCostUsd: number;
  /** Sums of the token counts over the trace's spans. */
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  /** Whether any span of the trace has level ERROR (an escalated tier counts, even if another answered). */
  hasError: boolean;
  /** Whether the request itself failed: its root span has level ERROR (as `stats` counts failures). */
  failed: boolean;
}

const defaultMaxAgeMs = 7 * 24 * 60 * 60 * 1000;
const defaultMaxSpans = 100_000;
/** Spans per insert statement: one JSON parameter, tens of megabytes at most (an attribute is cut at 16 kB). */
const insertBatchSize = 1000;

/** The columns an insert fills, with their types as the JSON batch is read (the table's own). */
const insertedColumns: ReadonlyArray<readonly [string, string]> = [
  ['trace_id', 'text'],
  ['span_id', 'text'],
  ['parent_span_id', 'text'],
  ['name', 'text'],
  ['kind', 'text'],
  ['start_time', 'timestamptz'],
  ['end_time', 'timestamptz'],
  ['duration_ms', 'double precision'],
  ['level', 'text'],
  ['status_message', 'text'],
  ['user_id', 'text'],
  ['session_id', 'text'],
  ['datasource', 'text'],
  ['label', 'text'],
  ['prompt_name', 'text'],
  ['prompt_version', 'integer'],
  ['model', 'text'],
  ['input_tokens', 'integer'],
  ['output_tokens', 'integer'],
  ['cost_usd', 'double precision'],
  ['attributes', 'jsonb'],
];

/** A timestamptz column as ISO 8601 text in UTC with milliseconds, the same on every driver. */
export const isoTimestamp = (column: string): RawBuilder<string> =>
  sql<string>`to_char(${sql.raw(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * A timestamptz as ISO 8601 in UTC: with milliseconds, or with microseconds when it has them (spans
 * recorded by the service do), so ordering by the text keeps the database's order.
 */
export const preciseIsoTimestamp = (column: string): RawBuilder<string> =>
  sql<string>`CASE WHEN (extract(microseconds FROM ${sql.raw(column)})::bigint % 1000) = 0
    THEN to_char(${sql.raw(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    ELSE to_char(${sql.raw(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') END`;

const spanColumns = (alias: string) =>
  sql.raw(
    [
      'trace_id',
      'span_id',
      'parent_span_id',
      'name',
      'kind',
      'duration_ms',
      'level',
      'status_message',
      'user_id',
      'session_id',
      'datasource',
      'label',
      'prompt_name',
      'prompt_version',
      'model',
      'input_tokens',
      'output_tokens',
      'cost_usd',
      'attributes',
    ]
      .map((column) => `${alias}.${column}`)
      .join(', '),
  );

/**
 * Postgres text and jsonb cannot hold the NUL character, nor jsonb a lone surrogate; both are stored as
 * U+FFFD, so one odd value (a question or an error message with a NUL in it, a user id cut in the middle
 * of an emoji) cannot fail the insert of a batch of spans.
 */
function storable<T extends string | null>(value: T): T {
  return (value === null ? null : toWellFormed(value.replaceAll('\u0000', '\uFFFD'))) as T;
}

/** A value the database refused (SQLSTATE class 22 or 23: data exception, constraint), not a database that is gone. */
const isDataError = (error: unknown): boolean => {
  // The Postgres driver's errors carry the SQLSTATE as `code`; the PGlite worker's as `databaseCode`.
  const state = (error as { databaseCode?: unknown })?.databaseCode ?? (error as { code?: unknown })?.code;
  return typeof state === 'string' && /^2[23][0-9A-Z]{3}$/.test(state);
};

/** What an insert stored, and how many spans the database refused one by one. */
export interface InsertOutcome {
  stored: number;
  rejected: number;
  firstError: string | null;
}

/** Drivers return int8 and numeric as text; null stays null. */
const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

function toSpanRecord(row: Record<string, any>): SpanRecord {
  return {
    traceId: row.trace_id,
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: row.kind as SpanKind,
    startTime: row.start_time,
    endTime: row.end_time,
    durationMs: Number(row.duration_ms),
    level: row.level as SpanLevel,
    statusMessage: row.status_message,
    userId: row.user_id,
    sessionId: row.session_id,
    datasource: row.datasource,
    label: row.label,
    promptName: row.prompt_name,
    promptVersion: toNumber(row.prompt_version),
    model: row.model,
    inputTokens: toNumber(row.input_tokens),
    outputTokens: toNumber(row.output_tokens),
    costUsd: toNumber(row.cost_usd),
    attributes: typeof row.attributes === 'string' ? JSON.parse(row.attributes) : (row.attributes ?? {}),
  };
}

/**
 * Spans and feedback in the application database (PGlite or Postgres), for the local trace views.
 *
 * Call {@link migrate} once before use. Nothing is deleted automatically: call {@link applyRetention}
 * on a schedule (or after inserts).
 */
export class LocalSpanStore {
  private readonly now: () => Date;
  private readonly maxAgeMs: number;
  private readonly maxSpans: number;
  private readonly migrations: readonly SchemaMigration[];

  /** `db` is the application database; the store never closes it. */
  constructor(
    readonly db: Kysely<any>,
    options: LocalSpanStoreOptions = {},
  ) {
    this.now = options.now ?? (() => new Date());
    this.maxAgeMs = options.retention?.maxAgeMs ?? defaultMaxAgeMs;
    this.maxSpans = options.retention?.maxSpans ?? defaultMaxSpans;
    this.migrations = options.migrations ?? spanStoreMigrations;
    if (!(this.maxAgeMs > 0) || !Number.isInteger(this.maxSpans) || this.maxSpans < 0) {
      throw new InvalidInputError('Retention needs maxAgeMs > 0 and maxSpans a whole number ≥ 0.', { field: 'retention' });
    }
  }

  /** Applies the pending schema migrations (all, or up to `toVersion`); resolves to the versions applied now. */
  migrate(options: { toVersion?: number } = {}): Promise<number[]> {
    return applyMigrations(this.db, this.migrations, options);
  }

  /** The schema versions applied so far, ascending. */
  appliedVersions(): Promise<number[]> {
    return appliedMigrationVersions(this.db);
  }

  /**
   * Stores spans, in batches, all in one transaction. A span already stored (same trace and span id)
   * is kept as it was: re-sending a batch is harmless. When the batch fails for a reason other than the
   * database being gone, the spans are written one by one, so that one span the database refuses never
   * takes the others with it; the refused ones are counted in `rejected` (and the first reason given).
   * Throws when none could be written.
   */
  async insert(spans: readonly SpanRecord[]): Promise<InsertOutcome> {
    if (spans.length === 0) return { stored: 0, rejected: 0, firstError: null };
    try {
      await this.insertTogether(spans);
      return { stored: spans.length, rejected: 0, firstError: null };
    } catch (error) {
      if (spans.length === 1 || !isDataError(error)) throw error;
      let rejected = 0;
      let firstError: string | null = null;
      for (const span of spans) {
        try {
          await this.insertTogether([span]);
        } catch (spanError) {
          rejected += 1;
          firstError ??= (spanError as Error).message;
        }
      }
      if (rejected === spans.length) throw error;
      return { stored: spans.length - rejected, rejected, firstError };
    }
  }

  private async insertTogether(spans: readonly SpanRecord[]): Promise<void> {
    // More than one statement: in a transaction, so the spans are stored all or none, as `insert` says.
    if (spans.length > insertBatchSize) await this.db.transaction().execute((transaction) => insertBatches(transaction, spans));
    else await insertBatches(this.db, spans);
  }

  /**
   * Deletes old spans, whole traces at a time, in one transaction:
   * 1. by age: every trace whose start (its earliest span's `start_time`) is before `now - maxAgeMs`;
   * 2. by count: the remaining traces are ranked newest first (by start, then trace id descending) and
   *    kept while the running total of their spans stays ≤ `maxSpans`; the first trace that would go over
   *    and every older one are deleted. So at most `maxSpans` spans remain and no trace is cut in half
   *    (a single trace larger than `maxSpans` is deleted);
   * 3. feedback whose trace no longer has spans.
   */
  async applyRetention(): Promise<RetentionResult> {
    const cutoff = new Date(this.now().getTime() - this.maxAgeMs).toISOString();
    return this.db.transaction().execute(async (transaction) => {
      const byAge = await sql`
        DELETE FROM spans WHERE trace_id IN (
          SELECT trace_id FROM spans GROUP BY trace_id HAVING min(start_time) < ${cutoff}::timestamptz
        )`.execute(transaction);
      const byCount = await sql`
        DELETE FROM spans WHERE trace_id IN (
          SELECT trace_id FROM (
            SELECT trace_id, sum(span_count) OVER (ORDER BY started DESC, trace_id DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total
            FROM (SELECT trace_id, min(start_time) AS started, count(*) AS span_count FROM spans GROUP BY trace_id) AS traces
          ) AS ranked
          WHERE running_total > ${this.maxSpans}
        )`.execute(transaction);
      const feedback = await sql`
        DELETE FROM feedback WHERE NOT EXISTS (SELECT 1 FROM spans WHERE spans.trace_id = feedback.trace_id)`.execute(transaction);
      return {
        spansDeletedByAge: Number(byAge.numAffectedRows ?? 0n),
        spansDeletedByCount: Number(byCount.numAffectedRows ?? 0n),
        feedbackDeleted: Number(feedback.numAffectedRows ?? 0n),
      };
    });
  }

  /**
   * Records a user's feedback on a trace. `score` must be a finite number in [-1, 1] (-1 thumbs down,
   * 1 thumbs up; a 0–1 rating fits as is). Throws InvalidInputError for a bad score and
   * TraceNotFoundError when no span of the trace is stored. A trace may get several entries.
   */
  async recordFeedback(feedback: { traceId: string; score: number; comment?: string | null }): Promise<FeedbackRecord> {
    const { traceId, score } = feedback;
    if (typeof score !== 'number' || !Number.isFinite(score) || score < -1 || score > 1) {
      throw new InvalidInputError(`A feedback score must be a finite number from -1 to 1; got ${String(score)}.`, { field: 'score' });
    }
    const createdAt = this.now().toISOString();
    return this.db.transaction().execute(async (transaction) => {
      const known = await sql`SELECT 1 FROM spans WHERE trace_id = ${traceId} LIMIT 1`.execute(transaction);
      if (known.rows.length === 0) throw new TraceNotFoundError(traceId);
      const inserted = await sql<Record<string, unknown>>`
        INSERT INTO feedback (trace_id, score, comment, created_at) VALUES (${traceId}, ${score}, ${feedback.comment ?? null}, ${createdAt}::timestamptz)
        RETURNING id, trace_id, score, comment, ${isoTimestamp('created_at')} AS created_at`.execute(transaction);
      return toFeedbackRecord(inserted.rows[0]);
    });
  }

  /** The feedback entries of a trace, oldest first. */
  async listFeedback(traceId: string): Promise<FeedbackRecord[]> {
    const result = await sql<Record<string, unknown>>`
      SELECT id, trace_id, score, comment, ${isoTimestamp('created_at')} AS created_at
      FROM feedback WHERE trace_id = ${traceId} ORDER BY created_at, id`.execute(this.db);
    return result.rows.map(toFeedbackRecord);
  }

  /**
   * The questions last answered on `datasource` (by `user` when given), newest first, each once: read from the
   * input of `query` traces that did not fail. For the console's "recent questions" under the question box.
   */
  async recentQuestions(options: { datasource: string; user?: string; limit?: number }): Promise<string[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 8), 1), 100);
    const conditions: RawBuilder<unknown>[] = [
      sql`kind = 'trace'`,
      sql`name = 'query'`,
      sql`level <> 'ERROR'`,
      sql`datasource = ${options.datasource}`,
    ];
    if (options.user !== undefined) conditions.push(sql`user_id = ${options.user}`);
    // More rows than asked for: the same question asked again counts once.
    const result = await sql<{ input: string | null }>`
      SELECT attributes->>'langfuse.observation.input' AS input FROM spans
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY start_time DESC LIMIT ${limit * 10}`.execute(this.db);
    const questions: string[] = [];
    for (const { input } of result.rows) {
      let question: unknown;
      try {
        question = (JSON.parse(input ?? 'null') as { question?: unknown } | null)?.question;
      } catch {
        continue; // An input cut to fit the store does not parse.
      }
      if (typeof question === 'string' && question.trim() && !questions.includes(question)) questions.push(question);
      if (questions.length === limit) break;
    }
    return questions;
  }

  /** Root spans (kind `trace`), newest first, with the trace's totals; see {@link TraceSummary}. */
  async listTraces(options: ListTracesOptions = {}): Promise<TraceSummary[]> {
    const limit = Math.min(Math.max(Math.trunc(options.limit ?? 50), 1), 1000);
    const conditions: RawBuilder<unknown>[] = [sql`r.kind = 'trace'`];
    if (options.since !== undefined) conditions.push(sql`r.start_time >= ${toIso(options.since, 'since')}::timestamptz`);
    if (options.user !== undefined) conditions.push(sql`r.user_id = ${options.user}`);
    if (options.label !== undefined) conditions.push(sql`r.label = ${options.label}`);
    const result = await sql<Record<string, unknown>>`
      SELECT r.trace_id, r.name, ${isoTimestamp('r.start_time')} AS start_time, r.duration_ms, r.user_id, r.label, r.level,
        COALESCE(r.prompt_version, (SELECT s.prompt_version FROM spans s WHERE s.trace_id = r.trace_id AND s.prompt_version IS NOT NULL ORDER BY s.start_time DESC LIMIT 1)) AS prompt_version,
        COALESCE(r.model, (SELECT s.model FROM spans s WHERE s.trace_id = r.trace_id AND s.model IS NOT NULL ORDER BY s.start_time DESC LIMIT 1)) AS model,
        totals.cost_usd, totals.input_tokens, totals.output_tokens, totals.has_error
      FROM spans r
      CROSS JOIN LATERAL (
        SELECT COALESCE(sum(s.cost_usd), 0) AS cost_usd, COALESCE(sum(s.input_tokens), 0) AS input_tokens,
          COALESCE(sum(s.output_tokens), 0) AS output_tokens, bool_or(s.level = 'ERROR') AS has_error
        FROM spans s WHERE s.trace_id = r.trace_id
      ) AS totals
      WHERE ${sql.join(conditions, sql` AND `)}
      ORDER BY r.start_time DESC, r.trace_id DESC
      LIMIT ${limit}`.execute(this.db);
    return result.rows.map((row) => {
      const inputTokens = Number(row.input_tokens);
      const outputTokens = Number(row.output_tokens);
      return {
        traceId: String(row.trace_id),
        name: String(row.name),
        startTime: String(row.start_time),
        durationMs: Number(row.duration_ms),
        userId: (row.user_id as string | null) ?? null,
        label: (row.label as string | null) ?? null,
        promptVersion: toNumber(row.prompt_version),
        model: (row.model as string | null) ?? null,
        totalCostUsd: Number(row.cost_usd),
        inputTokens,
        outputTokens,
        totalTokens: inputTokens + outputTokens,
        hasError: row.has_error === true,
        failed: row.level === 'ERROR',
      };
    });
  }

  /** A trace as a tree (see {@link buildSpanTree}), or null when no span of it is stored. */
  async getTrace(traceId: string): Promise<TraceTree | null> {
    const result = await sql<Record<string, unknown>>`
      SELECT ${spanColumns('s')}, ${preciseIsoTimestamp('s.start_time')} AS start_time, ${preciseIsoTimestamp('s.end_time')} AS end_time
      FROM spans s WHERE s.trace_id = ${traceId}
      ORDER BY s.start_time, s.span_id`.execute(this.db);
    return buildSpanTree(joinContinuedInputs(result.rows.map(toSpanRecord)));
  }
}

/**
 * Inserts spans as one statement per batch with a single parameter, the batch as JSON, which the database
 * spreads into rows (`jsonb_to_recordset`). One row per span with 21 parameters each, in a transaction,
 * cost the embedded app database about twice the CPU per span, and a small batch (a cache hit writes 5
 * spans) several times more: the trace store was most of a cache hit's CPU. One statement is atomic, and
 * a span already stored (same trace and span id) is skipped.
 */
async function insertBatches(db: Kysely<any>, spans: readonly SpanRecord[]): Promise<void> {
  for (let start = 0; start < spans.length; start += insertBatchSize) {
    const rows = spans.slice(start, start + insertBatchSize).map((span) => ({
      trace_id: span.traceId,
      span_id: span.spanId,
      parent_span_id: span.parentSpanId,
      name: storable(span.name),
      kind: span.kind,
      start_time: span.startTime,
      end_time: span.endTime,
      duration_ms: span.durationMs,
      level: span.level,
      status_message: storable(span.statusMessage),
      user_id: storable(span.userId),
      session_id: storable(span.sessionId),
      datasource: storable(span.datasource),
      label: storable(span.label),
      prompt_name: storable(span.promptName),
      prompt_version: span.promptVersion,
      model: storable(span.model),
      input_tokens: span.inputTokens,
      output_tokens: span.outputTokens,
      cost_usd: span.costUsd,
      attributes: span.attributes ?? {},
    }));
    const batch = JSON.stringify(rows, (_key, value: unknown) => (typeof value === 'string' ? storable(value) : value));
    await sql`
      INSERT INTO spans (${sql.raw(insertedColumns.map(([column]) => column).join(', '))})
      SELECT * FROM jsonb_to_recordset(${batch}::jsonb)
        AS batch(${sql.raw(insertedColumns.map(([column, type]) => `${column} ${type}`).join(', '))})
      ON CONFLICT (trace_id, span_id) DO NOTHING`.execute(db);
  }
}

function toFeedbackRecord(row: Record<string, unknown>): FeedbackRecord {
  return {
    id: Number(row.id),
    traceId: String(row.trace_id),
    score: Number(row.score),
    comment: (row.comment as string | null) ?? null,
    createdAt: String(row.created_at),
  };
}

/** An instant as ISO 8601; InvalidInputError naming `field` when it is not a valid date. */
export function toIso(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidInputError(`"${field}" is not a valid date: ${String(value)}.`, { field });
  return date.toISOString();
}
