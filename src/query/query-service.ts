import { createHash, randomUUID } from 'node:crypto';
import { agentPromptName, type AskRequest, type AskResult, type DbAgent } from '../agent/index.ts';
import { cacheKey, SingleFlight, type CachedAnswer, type ResultCache } from '../cache/index.ts';
import { SqlExecutionError, SqlRejectedError, SqlTimeoutError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';
import type { ServiceMetrics } from '../metrics/index.ts';
import { executeReadOnly } from '../sql/index.ts';

/** Per request: `use` the cache (default), `bypass` it entirely, or `refresh` the entry. */
export type CacheMode = 'use' | 'bypass' | 'refresh';

export interface QueryRequest extends AskRequest {
  cache?: CacheMode;
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
  generateId?: () => string;
}

/**
 * Questions with the result cache in front of the agent. The key is the normalized question, the
 * datasource, its `schemaVersion` and the prompt version, so a schema change or a new prompt version is
 * always a miss. A hit re-runs the cached SQL (fresh data, no model call) unless its rows are younger than
 * `rowsTtlMs`; concurrent identical misses on this instance share one agent run.
 */
export class QueryService {
  private readonly flights = new SingleFlight<AskResult>();
  private readonly now: () => number;
  private readonly generateId: () => string;

  constructor(private readonly options: QueryServiceOptions) {
    this.now = options.now ?? Date.now;
    this.generateId = options.generateId ?? randomUUID;
  }

  async ask(request: QueryRequest): Promise<AskResult> {
    const started = this.now();
    try {
      const result = await this.answer(request);
      this.options.metrics?.recordAnswer(result);
      return result;
    } catch (error) {
      this.options.metrics?.recordFailure({ datasource: request.datasource, label: request.label ?? undefined, durationMs: this.now() - started, error });
      throw error;
    }
  }

  private async answer(request: QueryRequest): Promise<AskResult> {
    const mode = request.cache ?? 'use';
    const prepared = await this.options.agent.prepare(request);
    if (mode === 'bypass') return this.options.agent.answer(prepared, request.signal);
    const key = cacheKey({
      question: prepared.question,
      datasource: prepared.datasource.id,
      schemaVersion: prepared.meta.schemaVersion,
      prompt: agentPromptName,
      promptVersion: prepared.resolved.version.version,
      context: createHash('sha256').update(prepared.resolved.compiled.text).digest('hex'),
    });
    if (mode === 'use') {
      const entry = await this.options.cache.get(key);
      if (entry) {
        const served = await this.serveHit(entry, key, prepared);
        if (served) return served;
      }
    }
    // Concurrent identical misses share one run; each caller keeps its own trace id and routing, and one
    // caller's disconnect does not cancel the run for the others.
    const result = await this.flights.run(
      key,
      async (signal) => {
        const answered = await this.options.agent.answer(prepared, signal);
        await this.options.cache.set(key, answered.datasource, toCachedAnswer(answered, new Date(this.now()).toISOString()));
        return answered;
      },
      request.signal,
    );
    return { ...result, routing: prepared.resolved.routing, label: prepared.resolved.routing.label, traceId: this.generateId() };
  }

  /** Makes every cached answer of a datasource a miss (on every replica sharing the cache). */
  invalidateDatasource(datasource: string): Promise<void> {
    return this.options.cache.invalidateDatasource(datasource);
  }

  private async serveHit(entry: CachedAnswer, key: string, prepared: Awaited<ReturnType<DbAgent['prepare']>>): Promise<AskResult | null> {
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
      traceId: this.generateId(),
    } satisfies Partial<AskResult>;
    if (this.options.rowsTtlMs > 0 && rowsAge < this.options.rowsTtlMs) {
      const rowCap = prepared.datasource.config.rowCap;
      return { ...base, columns: entry.columns as AskResult['columns'], rows: entry.rows.slice(0, rowCap), truncated: entry.truncated || entry.rows.length > rowCap, latency: { totalMs: this.now() - started, llmMs: 0, dbMs: 0 }, cached: 'rows', cacheAgeMs: rowsAge };
    }
    try {
      // The entry is not rewritten, so it still expires entryTtlMs after the answer was made.
      const fresh = await executeReadOnly(prepared.datasource, entry.sql);
      const changed = JSON.stringify(fresh.rows) !== JSON.stringify(entry.rows);
      return {
        ...base,
        warnings: changed ? [`The answer text was written at ${entry.createdAt}; the rows were read again now and differ from the rows it describes.`] : [],
        columns: fresh.columns,
        rows: fresh.rows,
        truncated: fresh.truncated,
        latency: { totalMs: this.now() - started, llmMs: 0, dbMs: fresh.durationMs },
        cached: 'sql',
        cacheAgeMs: started - Date.parse(entry.createdAt),
      };
    } catch (error) {
      if (!(error instanceof SqlRejectedError || error instanceof SqlExecutionError || error instanceof SqlTimeoutError)) throw error;
      // The cached SQL no longer runs (data or permissions changed): forget it and ask the agent.
      this.options.logger.warn('cached SQL failed; answering afresh', { datasource: entry.datasource, error: error.message });
      await this.options.cache.delete(key);
      return null;
    }
  }
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
