import {
  agentPromptName,
  builtFrom,
  type AgentStep,
  type AskRequest,
  type AskResult,
  type AttemptRecord,
  type DbAgent,
  type PreparedQuestion,
  type TierStep,
} from '../agent/index.ts';
import { cacheKey, SingleFlight, type CachedAnswer, type ResultCache } from '../cache/index.ts';
import type { DatasourceConfig } from '../datasource/index.ts';
import { DatasourceBusyError, InvalidInputError, ServiceError, SqlError } from '../errors/index.ts';
import { AdmissionQueue, AdmissionRefused, deadlineOf, RequestDeadline, runningUnder, untilAborted } from '../flow/index.ts';
import type { Logger } from '../logging/index.ts';
import type { AnsweredRequest, AttemptMetrics, RequestFailure, ServiceMetrics } from '../metrics/index.ts';
import { isWellFormed } from '../text/index.ts';
import { noopTracer, spanAttribute, withSpan, type TraceSpan, type Tracer } from '../tracing/index.ts';

/** Per request: `use` the cache (default), `bypass` it entirely, or `refresh` the entry. */
export type CacheMode = 'use' | 'bypass' | 'refresh';

export interface QueryRequest extends AskRequest {
  cache?: CacheMode;
  /** A deadline shorter than the service's `requestTimeoutMs` (never longer). */
  timeoutMs?: number;
  /**
   * Called with each step of the agent's tool loop as it happens (the HTTP API streams them). Not called
   * for an answer served from the cache, nor for one shared with an identical question already running.
   */
  onStep?: (step: TierStep) => void;
  /** Groups the traces of one conversation (Langfuse sessions). */
  sessionId?: string | null;
}

/** How the cache took part in an answer, as traces and stats record it. */
export type CacheStatus = 'miss' | 'sql' | 'rows' | 'bypass' | 'refresh' | 'shared';

/** An answer as the service returns it: the agent's, and whether the result cache served it. */
export interface QueryResult extends AskResult {
  /** `false`, or how a cached answer was served: its SQL re-run for fresh rows, or its stored rows. */
  cached: false | 'sql' | 'rows';
  /** Age of the cache entry (of its rows, for `rows`); null when not cached. */
  cacheAgeMs: number | null;
}

/**
 * Agent runs a datasource takes at once unless configured: a run spends most of its time waiting for the
 * model and holds a database session only while its SQL runs, so the bound is on what the process holds
 * (a conversation each), not on the pool; the session gate (`sessionWaitMs`) keeps the pool from stalling.
 * Twice the pool at most used to cap a 200-client load at 10 runs, answering most with 503.
 */
export function defaultConcurrentRuns(sessions: number): number {
  return Math.max(256, 2 * sessions);
}

export interface QueryServiceOptions {
  agent: DbAgent;
  cache: ResultCache;
  /**
   * A hit younger than this returns the stored rows; older ones re-run the cached SQL for fresh rows.
   * 0 means always re-run. Default 60 000 ms.
   */
  rowsTtlMs: number;
  logger: Logger;
  /** Records every answer and failure (Prometheus). */
  metrics?: ServiceMetrics;
  now?: () => number;
  /** Starts the `query` trace of each request. Default: nothing recorded (fresh trace ids still). */
  tracer?: Tracer;
  /**
   * Every request's deadline: past it, the request ends with `RequestTimeoutError` (504) naming the step
   * that was running, and its model calls and SQL are aborted. Default 60 000 ms.
   */
  requestTimeoutMs?: number;
}

/**
 * Questions with the result cache in front of the agent. The key is the normalized question, the
 * datasource, its `schemaVersion` and the prompt version, so a schema change or a new prompt version is
 * always a miss. A hit re-runs the cached SQL (fresh data, no model call) unless its rows are younger than
 * `rowsTtlMs`; concurrent identical misses on this instance share one agent run.
 */
export class QueryService {
  private readonly flights = new SingleFlight<AskResult>();
  private readonly runGates = new Map<string, AdmissionQueue>();
  private readonly now: () => number;
  private readonly tracer: Tracer;

  constructor(private readonly options: QueryServiceOptions) {
    this.now = options.now ?? Date.now;
    this.tracer = options.tracer ?? noopTracer;
  }

  /**
   * Answers a question, traced as `query` → `schema`, `prompt`, `cache`, `tier:<model>` (→ `generation`,
   * `tool:<name>`); the result's `traceId` is that trace's id.
   */
  async ask(request: QueryRequest): Promise<QueryResult> {
    const started = this.now();
    // Before the trace, which records the question and the user: a bad one is refused untouched.
    try {
      this.options.agent.check(request);
      if (typeof request.sessionId === 'string' && !isWellFormed(request.sessionId))
        throw new InvalidInputError('The field "sessionId" is not well-formed Unicode (it holds a lone surrogate).', {
          field: 'sessionId',
        });
    } catch (error) {
      this.options.metrics?.recordFailure(
        requestFailure(request, { prepared: null, cacheStatus: null, startedAt: started }, this.now() - started, error),
      );
      throw error;
    }
    const deadline = new RequestDeadline(Math.min(this.options.requestTimeoutMs ?? 60_000, request.timeoutMs ?? Infinity), request.signal);
    request = { ...request, signal: deadline.signal };
    const root = this.tracer.startTrace(
      'query',
      { input: { question: request.question, datasource: request.datasource } },
      { userId: request.userId, sessionId: request.sessionId, tags: [`datasource:${request.datasource}`] },
    );
    const state: RequestState = { prepared: null, cacheStatus: null, startedAt: started };
    try {
      const result = await this.answer(request, root, state);
      recordOnRoot(root, state, result);
      this.options.metrics?.recordAnswer(answeredRequest(result));
      return result;
    } catch (error) {
      recordOnRoot(root, state, null, error);
      this.options.metrics?.recordFailure(requestFailure(request, state, this.now() - started, error));
      throw error instanceof ServiceError ? withTraceId(error, root.traceId) : error;
    } finally {
      deadline.dispose();
      root.end();
    }
  }

  private async answer(request: QueryRequest, root: TraceSpan, state: RequestState): Promise<QueryResult> {
    const mode = request.cache ?? 'use';
    const signal = request.signal!;
    runningUnder(signal, 'preparing the question (schema, knowledge, prompt)');
    // A prompt store or database that hangs must not hold the request past its deadline.
    const prepared = await untilAborted(this.options.agent.prepare(request, root), signal);
    state.prepared = prepared;
    if (mode === 'bypass' || mode === 'refresh') {
      state.cacheStatus = mode;
      const span = root.startChild('cache', 'span', { output: { status: mode }, attributes: { [spanAttribute.cacheStatus]: mode } });
      span.end();
    }
    if (mode === 'bypass') return fresh(await this.runAgent(prepared, signal, root, request.onStep));
    const key = cacheKey(prepared.cacheIdentity());
    if (mode === 'use') {
      const served = await withSpan(
        root.startChild('cache', 'span', {
          input: { keyPrefix: key.slice(0, 12) },
          attributes: { [spanAttribute.cacheKeyPrefix]: key.slice(0, 12) },
        }),
        async (span) => {
          runningUnder(signal, 'the result cache lookup');
          const entry = await untilAborted(this.options.cache.get(key), signal);
          const hit = entry ? await this.serveHit(entry, key, prepared, span, root.traceId, signal, state.startedAt) : null;
          state.cacheStatus = hit ? hit.cached || 'miss' : 'miss';
          span.update({
            output: {
              status: hit ? 'hit' : 'miss',
              servedAs: hit?.cached ?? null,
              ...(entry && !hit ? { note: 'the cached SQL failed; answering afresh' } : {}),
            },
            attributes: { [spanAttribute.cacheStatus]: state.cacheStatus, [spanAttribute.cacheHit]: Boolean(hit) },
          });
          return hit;
        },
      );
      if (served) return served;
    }
    // Concurrent identical misses share one run; each caller keeps its own trace id and routing, and one
    // caller's disconnect does not cancel the run for the others. The run's spans belong to the trace of
    // the caller that started it; the others record `shared` and the id of that trace.
    let ledThisRun = false;
    const result = await this.flights.run(
      key,
      async (runSignal) => {
        ledThisRun = true;
        // The shared run works under the deadline of the caller that started it.
        deadlineOf(signal)?.governs(runSignal);
        const answered = await this.runAgent(prepared, runSignal, root, request.onStep);
        await this.options.cache.set(key, answered.datasource, toCachedAnswer(answered, new Date(this.now()).toISOString()));
        return answered;
      },
      request.signal,
    );
    if (!ledThisRun) {
      state.cacheStatus = 'shared';
      root.update({ attributes: { [spanAttribute.sharedTraceId]: result.traceId } });
    }
    return { ...fresh(result), routing: prepared.resolved.routing, label: prepared.resolved.routing.label, traceId: root.traceId };
  }

  /**
   * Runs the agent within the datasource's bound on concurrent runs: a full queue, or a wait longer than
   * half the time left, ends the request with `DatasourceBusyError` (503 and `Retry-After`).
   */
  private async runAgent(
    prepared: PreparedQuestion,
    signal: AbortSignal,
    root: TraceSpan,
    onStep?: (step: TierStep) => void,
  ): Promise<AskResult> {
    const gate = this.runGateFor(prepared.datasource.config, prepared.datasource.sessionCapacity);
    runningUnder(signal, "waiting for a place among the datasource's agent runs");
    let release: () => void;
    try {
      release = await gate.acquire((deadlineOf(signal)?.remainingMs() ?? 60_000) / 2, signal);
    } catch (error) {
      if (!(error instanceof AdmissionRefused)) throw error;
      throw new DatasourceBusyError(`Datasource "${prepared.datasource.id}" is busy: ${error.message}. Try again later.`, {
        datasource: prepared.datasource.id,
        retryAfterSeconds: gate.retryAfterSeconds(),
        queue: error.why,
      });
    }
    try {
      return await this.options.agent.answer(prepared, signal, root, onStep);
    } finally {
      release();
    }
  }

  private runGateFor(config: DatasourceConfig, sessions: number): AdmissionQueue {
    let gate = this.runGates.get(config.id);
    if (!gate) {
      const capacity = config.maxConcurrentRuns ?? defaultConcurrentRuns(sessions);
      gate = new AdmissionQueue(capacity, config.maxQueuedRuns);
      this.runGates.set(config.id, gate);
    }
    return gate;
  }

  /** Makes every cached answer of a datasource a miss (on every replica sharing the cache). */
  invalidateDatasource(datasource: string): Promise<void> {
    return this.options.cache.invalidateDatasource(datasource);
  }

  private async serveHit(
    entry: CachedAnswer,
    key: string,
    prepared: PreparedQuestion,
    span: TraceSpan,
    traceId: string,
    signal: AbortSignal,
    requestStartedAt: number,
  ): Promise<QueryResult | null> {
    const started = this.now();
    const rowsAge = started - Date.parse(entry.rowsAt);
    const base = {
      answer: entry.answer,
      explanation: entry.explanation,
      sql: entry.sql,
      datasource: entry.datasource,
      schemaVersion: entry.schemaVersion,
      prompt: entry.prompt,
      label: prepared.resolved.routing.label,
      promptVersion: entry.promptVersion,
      promptIsFallback: prepared.resolved.version.isFallback,
      routing: prepared.resolved.routing,
      model: entry.model,
      tier: 'cache',
      attempts: [],
      complexity: null,
      warnings: [],
      steps: [],
      calls: [],
      usage: {},
      costUsd: 0,
      traceId,
      verifiedExample: builtFrom(entry.sql, prepared.knowledge.examples),
    } satisfies Partial<QueryResult>;
    if (this.options.rowsTtlMs > 0 && rowsAge < this.options.rowsTtlMs) {
      const rowCap = prepared.datasource.config.rowCap;
      return {
        ...base,
        columns: entry.columns as QueryResult['columns'],
        rows: entry.rows.slice(0, rowCap),
        truncated: entry.truncated || entry.rows.length > rowCap,
        latency: { totalMs: this.now() - requestStartedAt, llmMs: 0, dbMs: 0 },
        cached: 'rows',
        cacheAgeMs: rowsAge,
      };
    }
    // The cached SQL runs the way a final answer's does: through the agent's guard and executor.
    const rerun = await withSpan(
      span.startChild('tool:execute_sql', 'tool', { input: { sql: entry.sql }, attributes: { [spanAttribute.tool]: 'execute_sql' } }),
      async (sqlSpan) => {
        runningUnder(signal, 'running the cached SQL');
        const result = await this.options.agent.execute(prepared, entry.sql, signal);
        sqlSpan.update({
          output: `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}`,
          attributes: { [spanAttribute.rowCount]: result.rows.length, [spanAttribute.dbMs]: result.durationMs },
        });
        return result;
      },
    ).catch(async (error: unknown) => {
      if (!(error instanceof SqlError)) throw error;
      // The cached SQL no longer runs (data or permissions changed): forget it and ask the agent.
      this.options.logger.warn('cached SQL failed; answering afresh', { datasource: entry.datasource, error: error.message });
      await this.options.cache.delete(key);
      return null;
    });
    if (!rerun) return null;
    // The entry is not rewritten, so it still expires entryTtlMs after the answer was made.
    const changed = JSON.stringify(rerun.rows) !== JSON.stringify(entry.rows);
    return {
      ...base,
      warnings: changed
        ? [`The answer text was written at ${entry.createdAt}; the rows were read again now and differ from the rows it describes.`]
        : [],
      columns: rerun.columns,
      rows: rerun.rows,
      truncated: rerun.truncated,
      latency: { totalMs: this.now() - requestStartedAt, llmMs: 0, dbMs: rerun.durationMs },
      cached: 'sql',
      cacheAgeMs: started - Date.parse(entry.createdAt),
    };
  }
}

interface RequestState {
  prepared: PreparedQuestion | null;
  cacheStatus: CacheStatus | null;
  /** When the request began: a served answer's `latency.totalMs` counts from here, preparing it included. */
  startedAt: number;
}

/** An answer the agent made now (not from the cache). */
function fresh(result: AskResult): QueryResult {
  return { ...result, cached: false, cacheAgeMs: null };
}

/** What the metrics record of an answer. */
function answeredRequest(result: QueryResult): AnsweredRequest {
  return {
    datasource: result.datasource,
    label: result.label,
    promptVersion: result.promptVersion,
    cached: result.cached,
    durationMs: result.latency.totalMs,
    modelCalls: result.calls.map((call) => ({ model: call.model, latencyMs: call.latencyMs })),
    usage: result.usage,
    attempts: result.attempts.map((attempt) => attemptMetrics(attempt, attempt.outcome === 'escalated')),
    promptIsFallback: result.promptIsFallback,
  };
}

/** What the metrics record of a failure: its code, and the cascade's attempts when the error carries them. */
function requestFailure(request: QueryRequest, state: RequestState, durationMs: number, error: unknown): RequestFailure {
  const service = error instanceof ServiceError ? error : null;
  const attempts = (Array.isArray(service?.details.attempts) ? service.details.attempts : []) as AttemptRecord[];
  const databaseCode = service?.details.databaseCode;
  return {
    datasource: request.datasource,
    label: state.prepared?.resolved.routing.label ?? request.label ?? null,
    promptVersion: state.prepared?.resolved.version.version ?? null,
    durationMs,
    error: {
      code: service?.code ?? 'internal',
      message: error instanceof Error ? error.message : String(error),
      databaseCode: typeof databaseCode === 'string' ? databaseCode : null,
    },
    // In a failure every attempt escalated: the last one had nowhere to go.
    attempts: attempts.map((attempt) => attemptMetrics(attempt, true)),
  };
}

function attemptMetrics(attempt: AttemptRecord, escalated: boolean): AttemptMetrics {
  return { escalated, reason: attempt.reason, steps: attempt.steps.map(stepMetrics), usage: attempt.usage };
}

function stepMetrics(step: AgentStep): AttemptMetrics['steps'][number] {
  return { tool: step.tool, failed: Boolean(step.error), sqlError: step.sqlError ? { ...step.sqlError, message: step.error ?? '' } : null };
}

/**
 * The root span's summary of the request: output or error, the attributes the local views read
 * (`sqlagent.*`), and the trace-level tags and metadata Langfuse filters on.
 */
function recordOnRoot(root: TraceSpan, state: RequestState, result: QueryResult | null, error?: unknown): void {
  const prepared = state.prepared;
  const attempts =
    result?.attempts ?? ((error as { details?: { attempts?: unknown } } | null)?.details?.attempts as unknown[] | undefined) ?? [];
  const escalated = attempts.length > 1 || (result === null && attempts.length > 0);
  const label = prepared?.resolved.routing.label ?? null;
  const version = prepared?.resolved.version.version ?? null;
  root.update({
    ...(result
      ? { output: { answer: result.answer, sql: result.sql, rows: result.rows.length, truncated: result.truncated, tier: result.tier } }
      : {}),
    attributes: {
      [spanAttribute.datasource]: prepared?.datasource.id ?? null,
      [spanAttribute.label]: label,
      [spanAttribute.promptName]: prepared ? agentPromptName : null,
      [spanAttribute.promptVersion]: version,
      [spanAttribute.promptIsFallback]: prepared?.resolved.version.isFallback ?? null,
      [spanAttribute.cacheStatus]: state.cacheStatus,
      [spanAttribute.escalated]: escalated,
      [spanAttribute.tier]: result?.tier ?? null,
      [spanAttribute.answerModel]: result?.model ?? null,
    },
  });
  root.setTraceAttributes({
    tags: label ? [`label:${label}`] : [],
    metadata: {
      promptName: prepared ? agentPromptName : null,
      promptVersion: version,
      label,
      routingReason: prepared?.resolved.routing.reason ?? null,
      cacheStatus: state.cacheStatus,
    },
  });
  if (error !== undefined) root.fail(error);
}

/**
 * The error with `details.traceId` naming this request's trace, as a copy: concurrent requests can hold
 * one error object (a single-flight run, a datasource opened once for all), and each must name its own.
 */
function withTraceId(error: ServiceError, traceId: string): ServiceError {
  const copy = Object.create(Object.getPrototypeOf(error)) as ServiceError;
  Object.defineProperties(copy, Object.getOwnPropertyDescriptors(error));
  Object.defineProperty(copy, 'details', { value: { ...error.details, traceId }, enumerable: true });
  return copy;
}

function toCachedAnswer(result: AskResult, at: string): CachedAnswer {
  return {
    sql: result.sql,
    answer: result.answer,
    explanation: result.explanation,
    columns: result.columns,
    rows: result.rows,
    truncated: result.truncated,
    rowsAt: at,
    createdAt: at,
    datasource: result.datasource,
    schemaVersion: result.schemaVersion,
    prompt: result.prompt,
    promptVersion: result.promptVersion,
    label: result.label,
    model: result.model,
  };
}
