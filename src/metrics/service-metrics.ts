import { createRequire } from 'node:module';
import type { Counter, Histogram, Registry } from 'prom-client';
import { boundedLabelValue, labelValue, millisecondsToSeconds, nonNegativeNumber, unknownLabelValue } from './label-values.ts';
import { classifySqlErrorCode } from './sql-error-type.ts';

/** How a request ended, as the request histogram labels it. */
export type RequestOutcome = 'answered' | 'cached' | 'failed';

/** How the result cache served a request. */
export type CacheResult = 'hit_sql' | 'hit_rows' | 'miss';

/** Where traces are exported to. */
export type TraceExporter = 'langfuse' | 'local';

/** Options for `ServiceMetrics`. */
export interface ServiceMetricsOptions {
  /** Prepended to every metric name. Default: `sqlagent_`. */
  prefix?: string;
  /**
   * The configured datasource ids. When given, any other datasource (say, an unknown id in a failed
   * request) is labelled `other`, so callers cannot create series at will. Default: no restriction.
   */
  datasources?: readonly string[];
  /** Also collect prom-client's process and Node.js metrics into this registry. Default: false. */
  collectDefaultMetrics?: boolean;
}

/** Tokens and cost of one model in a request. */
export interface UsageMetrics {
  inputTokens: number;
  outputTokens: number;
  /** USD; null when the model has no price. */
  costUsd: number | null;
}

/** One tool call of an attempt, as the metrics count it. */
export interface StepMetrics {
  tool: string;
  failed: boolean;
  /** The SQL failure's error code and the database's own code, when the step's SQL failed. */
  sqlError: { code: string; databaseCode: string | null; message: string } | null;
}

/** One cascade attempt, as the metrics count it. */
export interface AttemptMetrics {
  /** Whether the question went on to another tier (or, in a failure, nowhere). */
  escalated: boolean;
  reason: string | null;
  steps: StepMetrics[];
  usage: Readonly<Record<string, UsageMetrics>>;
}

/** A request that produced an answer (fresh or cached), as `ServiceMetrics.recordAnswer` takes it. */
export interface AnsweredRequest {
  datasource: string;
  label: string;
  promptVersion: number | string | null;
  cached: false | 'sql' | 'rows';
  durationMs: number;
  modelCalls: ReadonlyArray<{ model: string; latencyMs: number }>;
  /** Usage per model over every attempt. */
  usage: Readonly<Record<string, UsageMetrics>>;
  attempts: readonly AttemptMetrics[];
  promptIsFallback: boolean;
}

/** A failed request, as `ServiceMetrics.recordFailure` takes it. */
export interface RequestFailure {
  /** The datasource the request named. */
  datasource: string;
  /** The prompt label, when it was routed before the failure. */
  label?: string | null;
  /** The prompt version, when it was resolved before the failure. */
  promptVersion?: number | string | null;
  /** Wall time of the request in milliseconds. */
  durationMs: number;
  /** The error's code (`sql_error`, `agent_failed`…), message and the database's own code when it has one. */
  error: { code: string; message: string; databaseCode?: string | null };
  /** The cascade's attempts before it failed (every one counts as an escalation). */
  attempts: readonly AttemptMetrics[];
}

/** Request latency buckets in seconds, from a cached answer to the slowest cascade. */
export const requestDurationBuckets: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

/** Latency buckets in seconds for one language-model call. */
export const llmCallDurationBuckets: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];

/** The escalation reasons of the cascade (label values; anything else is `none`). */
const escalationReasons = new Set<string>([
  'no_final_answer',
  'model_declined',
  'step_budget_exhausted',
  'token_budget_exhausted',
  'final_sql_failed',
  'model_unavailable',
  'model_request_failed',
  'validator_rejected',
]);

const toolNames = new Set<string>(['search_metadata', 'show_table', 'execute_sql', 'final_answer']);

interface LabelContext {
  promptVersion: string;
  label: string;
}

/**
 * The service's Prometheus metrics, in a registry of their own (never prom-client's global one), so
 * several instances (tests, several apps in one process) do not collide. Label values are bounded: no
 * user ids, question text or trace ids; prompt versions are strings; anything unknown is `none`.
 *
 * The `record…` methods are total: odd or partial input is recorded as far as it makes sense and never
 * makes them throw.
 */
export class ServiceMetrics {
  /** The registry holding every metric of this instance. */
  readonly registry: Registry;
  /** The Content-Type of `exposition()`'s text. */
  readonly contentType: string;

  private readonly datasources: ReadonlySet<string> | null;
  private readonly requestDuration: Histogram<'datasource' | 'label' | 'prompt_version' | 'outcome'>;
  private readonly llmCallDuration: Histogram<'model'>;
  private readonly llmTokens: Counter<'model' | 'prompt_version' | 'label' | 'direction'>;
  private readonly llmCost: Counter<'model' | 'prompt_version' | 'label'>;
  private readonly cacheRequests: Counter<'result'>;
  private readonly escalations: Counter<'reason'>;
  private readonly sqlErrors: Counter<'type'>;
  private readonly toolCalls: Counter<'tool' | 'status'>;
  private readonly promptFallbacks: Counter;
  private readonly traceExportFailures: Counter<'exporter'>;

  constructor(options: ServiceMetricsOptions = {}) {
    // prom-client loads with the first instance, not with this module: a one-shot CLI command (which
    // records no metrics) does not pay for it.
    const { collectDefaultMetrics, Counter, Histogram, Registry } = createRequire(import.meta.url)(
      'prom-client',
    ) as typeof import('prom-client');
    const prefix = options.prefix ?? 'sqlagent_';
    this.registry = new Registry();
    const registers = [this.registry];
    this.contentType = this.registry.contentType;
    this.datasources = options.datasources ? new Set(options.datasources) : null;

    this.requestDuration = new Histogram({
      name: `${prefix}request_duration_seconds`,
      help: 'Wall time of a question request in seconds, by datasource, prompt label and version, and outcome (answered, cached, failed).',
      labelNames: ['datasource', 'label', 'prompt_version', 'outcome'],
      buckets: [...requestDurationBuckets],
      registers,
    });
    this.llmCallDuration = new Histogram({
      name: `${prefix}llm_call_duration_seconds`,
      help: 'Latency of one language-model call in seconds, by model.',
      labelNames: ['model'],
      buckets: [...llmCallDurationBuckets],
      registers,
    });
    this.llmTokens = new Counter({
      name: `${prefix}llm_tokens_total`,
      help: 'Language-model tokens used, by model, prompt version, prompt label and direction (input, output).',
      labelNames: ['model', 'prompt_version', 'label', 'direction'],
      registers,
    });
    this.llmCost = new Counter({
      name: `${prefix}llm_cost_usd_total`,
      help: 'Language-model cost in USD, by model, prompt version and prompt label; models without a price are not counted.',
      labelNames: ['model', 'prompt_version', 'label'],
      registers,
    });
    this.cacheRequests = new Counter({
      name: `${prefix}cache_requests_total`,
      help: 'Answers by how the result cache served them: hit_sql (cached SQL re-run), hit_rows (cached rows), miss.',
      labelNames: ['result'],
      registers,
    });
    this.escalations = new Counter({
      name: `${prefix}escalations_total`,
      help: 'Cascade tier attempts that escalated (or failed on the last tier), by reason.',
      labelNames: ['reason'],
      registers,
    });
    this.sqlErrors = new Counter({
      name: `${prefix}sql_errors_total`,
      help: 'SQL statements that failed, by type: rejected (by the guard), syntax, timeout, execution.',
      labelNames: ['type'],
      registers,
    });
    this.toolCalls = new Counter({
      name: `${prefix}tool_calls_total`,
      help: 'Agent tool calls, by tool and status (ok, error).',
      labelNames: ['tool', 'status'],
      registers,
    });
    this.promptFallbacks = new Counter({
      name: `${prefix}prompt_fallbacks_total`,
      help: 'Requests served with the fallback prompt because the prompt store could not be read.',
      registers,
    });
    this.traceExportFailures = new Counter({
      name: `${prefix}trace_export_failures_total`,
      help: 'Traces that could not be exported, by exporter (langfuse, local).',
      labelNames: ['exporter'],
      registers,
    });
    if (options.collectDefaultMetrics) collectDefaultMetrics({ register: this.registry, prefix });
  }

  /** The metrics in the Prometheus text exposition format (serve it with `contentType`). */
  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  /**
   * Records a request that produced an answer, fresh or cached: its duration, every model call, tokens
   * and cost per model, escalations of earlier attempts, tool calls and SQL errors from the steps of every
   * attempt, the cache result, and a prompt fallback.
   */
  recordAnswer(answered: AnsweredRequest): void {
    const context: LabelContext = { promptVersion: labelValue(answered.promptVersion), label: labelValue(answered.label) };
    safely(() => this.observeRequest(answered.datasource, context, answered.cached ? 'cached' : 'answered', answered.durationMs));
    safely(() =>
      this.cacheRequests.inc({ result: answered.cached === 'sql' ? 'hit_sql' : answered.cached === 'rows' ? 'hit_rows' : 'miss' }),
    );
    for (const call of answered.modelCalls) {
      safely(() => {
        const seconds = millisecondsToSeconds(call.latencyMs);
        if (seconds !== null) this.llmCallDuration.observe({ model: labelValue(call.model) }, seconds);
      });
    }
    safely(() => this.recordUsage(answered.usage, context));
    safely(() => this.recordAttempts(answered.attempts));
    if (answered.promptIsFallback) safely(() => this.promptFallbacks.inc());
  }

  /**
   * Records a failed request: its duration with outcome `failed`, the SQL error type when the error is a
   * SQL failure (`sql_rejected`, `sql_timeout`, `sql_error`), and each attempt of the cascade before it
   * failed: its escalation reason, tool calls, SQL errors, tokens and cost.
   */
  recordFailure(failure: RequestFailure): void {
    const context: LabelContext = { promptVersion: labelValue(failure.promptVersion), label: labelValue(failure.label) };
    safely(() => this.observeRequest(failure.datasource, context, 'failed', failure.durationMs));
    safely(() => {
      const type = classifySqlErrorCode(failure.error.code, failure.error.message, failure.error.databaseCode);
      if (type) this.sqlErrors.inc({ type });
    });
    safely(() => this.recordAttempts(failure.attempts));
    for (const attempt of failure.attempts) safely(() => this.recordUsage(attempt.usage, context));
  }

  /** Records a trace that could not be exported; an unknown exporter is labelled `none`. */
  recordTraceExportFailure(exporter: TraceExporter): void {
    safely(() =>
      this.traceExportFailures.inc({ exporter: exporter === 'langfuse' || exporter === 'local' ? exporter : unknownLabelValue }),
    );
  }

  private observeRequest(datasource: unknown, context: LabelContext, outcome: RequestOutcome, durationMs: unknown): void {
    const seconds = millisecondsToSeconds(durationMs);
    if (seconds === null) return;
    const datasourceLabel = this.datasources ? boundedLabelValue(datasource, this.datasources) : labelValue(datasource);
    this.requestDuration.observe(
      { datasource: datasourceLabel, label: context.label, prompt_version: context.promptVersion, outcome },
      seconds,
    );
  }

  /** Tokens and cost per model; null or odd costs are skipped. */
  private recordUsage(usage: Readonly<Record<string, UsageMetrics>>, context: LabelContext): void {
    for (const [model, entry] of Object.entries(usage)) {
      const labels = { model: labelValue(model), prompt_version: context.promptVersion, label: context.label };
      const input = nonNegativeNumber(entry.inputTokens);
      const output = nonNegativeNumber(entry.outputTokens);
      const cost = nonNegativeNumber(entry.costUsd);
      if (input !== null) this.llmTokens.inc({ ...labels, direction: 'input' }, input);
      if (output !== null) this.llmTokens.inc({ ...labels, direction: 'output' }, output);
      if (cost !== null) this.llmCost.inc(labels, cost);
    }
  }

  /** Escalations, tool calls and SQL errors (by their error codes) of a list of attempts. */
  private recordAttempts(attempts: readonly AttemptMetrics[]): void {
    for (const attempt of attempts) {
      if (attempt.escalated) safely(() => this.escalations.inc({ reason: boundedLabelValue(attempt.reason, escalationReasons) }));
      for (const step of attempt.steps) {
        safely(() => {
          this.toolCalls.inc({ tool: boundedLabelValue(step.tool, toolNames), status: step.failed ? 'error' : 'ok' });
          const type = step.sqlError ? classifySqlErrorCode(step.sqlError.code, step.sqlError.message, step.sqlError.databaseCode) : null;
          if (type) this.sqlErrors.inc({ type });
        });
      }
    }
  }
}

/** Runs one recording step; a failure there must never reach the request it measures. */
function safely(record: () => void): void {
  try {
    record();
  } catch {
    // Metrics are best-effort: a bad value loses one sample, never the request.
  }
}
