import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { AgentStep } from '../agent/agent-loop.ts';
import type { AskResult, EscalationReason } from '../agent/db-agent.ts';
import { boundedLabelValue, labelValue, millisecondsToSeconds, nonNegativeNumber, unknownLabelValue } from './label-values.ts';
import { classifySqlErrorCode, classifySqlErrorText, type SqlErrorType } from './sql-error-type.ts';

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
  /** What was thrown; a `ServiceError` gives its `code` and `details` (such as `details.attempts`). */
  error: unknown;
}

/** Request latency buckets in seconds, from a cached answer to the slowest cascade. */
export const requestDurationBuckets: readonly number[] = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60];

/** Latency buckets in seconds for one language-model call. */
export const llmCallDurationBuckets: readonly number[] = [0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60];

const escalationReasons = new Set<string>([
  'no_final_answer',
  'model_declined',
  'step_budget_exhausted',
  'token_budget_exhausted',
  'final_sql_failed',
  'model_unavailable',
  'model_request_failed',
  'validator_rejected',
] satisfies EscalationReason[]);

const toolNames = new Set<string>(['search_metadata', 'show_table', 'execute_sql', 'final_answer']);

/** Loose views of the parts of an attempt the metrics read; inputs may come from `details` of an error. */
interface AttemptView {
  outcome?: unknown;
  reason?: unknown;
  steps?: unknown;
  usage?: unknown;
}

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
  recordAnswer(result: AskResult): void {
    if (!result || typeof result !== 'object') return;
    const context: LabelContext = { promptVersion: labelValue(result.promptVersion), label: labelValue(result.label) };
    const cached = result.cached === 'sql' || result.cached === 'rows' ? result.cached : false;
    safely(() => this.observeRequest(result.datasource, context, cached ? 'cached' : 'answered', result.latency?.totalMs));
    safely(() => this.cacheRequests.inc({ result: cached === 'sql' ? 'hit_sql' : cached === 'rows' ? 'hit_rows' : 'miss' }));
    safely(() => {
      for (const call of arrayOf<ModelCallView>(result.calls)) {
        const seconds = millisecondsToSeconds(call?.latencyMs);
        if (seconds !== null) this.llmCallDuration.observe({ model: labelValue(call?.model) }, seconds);
      }
    });
    safely(() => this.recordUsage(result.usage, context));
    safely(() => this.recordAttempts(arrayOf<AttemptView>(result.attempts), false));
    if (result.promptIsFallback === true) safely(() => this.promptFallbacks.inc());
  }

  /**
   * Records a failed request: its duration with outcome `failed`, the SQL error type when the error is a
   * SQL failure (`sql_rejected`, `sql_timeout`, `sql_error`), and, when the error carries
   * `details.attempts` (the cascade's `agent_failed`, `model_unavailable`, `budget_exceeded`), each
   * attempt's escalation reason, tool calls, SQL errors, tokens and cost.
   */
  recordFailure(failure: RequestFailure): void {
    if (!failure || typeof failure !== 'object') return;
    const error = (failure.error ?? {}) as { code?: unknown; message?: unknown; details?: unknown; databaseCode?: unknown };
    const details = (error && typeof error === 'object' && error.details && typeof error.details === 'object' ? error.details : {}) as Record<string, unknown>;
    const context: LabelContext = {
      promptVersion: labelValue(failure.promptVersion ?? details.promptVersion),
      label: labelValue(failure.label ?? details.label),
    };
    safely(() => this.observeRequest(failure.datasource, context, 'failed', failure.durationMs));
    safely(() => {
      const type = classifySqlErrorCode(error?.code, error?.message, error?.databaseCode ?? details.databaseCode);
      if (type) this.sqlErrors.inc({ type });
    });
    safely(() => {
      const attempts = arrayOf<AttemptView>(details.attempts);
      this.recordAttempts(attempts, true);
      for (const attempt of attempts) safely(() => this.recordUsage(attempt?.usage, context));
    });
  }

  /** Records a trace that could not be exported; an unknown exporter is labelled `none`. */
  recordTraceExportFailure(exporter: TraceExporter): void {
    safely(() => this.traceExportFailures.inc({ exporter: exporter === 'langfuse' || exporter === 'local' ? exporter : unknownLabelValue }));
  }

  private observeRequest(datasource: unknown, context: LabelContext, outcome: RequestOutcome, durationMs: unknown): void {
    const seconds = millisecondsToSeconds(durationMs);
    if (seconds === null) return;
    const datasourceLabel = this.datasources ? boundedLabelValue(datasource, this.datasources) : labelValue(datasource);
    this.requestDuration.observe({ datasource: datasourceLabel, label: context.label, prompt_version: context.promptVersion, outcome }, seconds);
  }

  /** Tokens and cost from a usage-per-model record; null or odd costs are skipped. */
  private recordUsage(usage: unknown, context: LabelContext): void {
    if (!usage || typeof usage !== 'object') return;
    for (const [model, entry] of Object.entries(usage as Record<string, unknown>)) {
      if (!entry || typeof entry !== 'object') continue;
      const { inputTokens, outputTokens, costUsd } = entry as { inputTokens?: unknown; outputTokens?: unknown; costUsd?: unknown };
      const labels = { model: labelValue(model), prompt_version: context.promptVersion, label: context.label };
      const input = nonNegativeNumber(inputTokens);
      const output = nonNegativeNumber(outputTokens);
      const cost = nonNegativeNumber(costUsd);
      if (input !== null) this.llmTokens.inc({ ...labels, direction: 'input' }, input);
      if (output !== null) this.llmTokens.inc({ ...labels, direction: 'output' }, output);
      if (cost !== null) this.llmCost.inc(labels, cost);
    }
  }

  /**
   * Escalations, tool calls and SQL errors of a list of attempts. In a failure every attempt counts as
   * an escalation (the last one had nowhere to go); in an answer only those marked `escalated` do.
   */
  private recordAttempts(attempts: AttemptView[], allEscalated: boolean): void {
    for (const attempt of attempts) {
      if (!attempt || typeof attempt !== 'object') continue;
      if (allEscalated || attempt.outcome === 'escalated') {
        safely(() => this.escalations.inc({ reason: boundedLabelValue(attempt.reason, escalationReasons) }));
      }
      for (const step of arrayOf<Partial<AgentStep>>(attempt.steps)) safely(() => this.recordStep(step));
    }
  }

  private recordStep(step: Partial<AgentStep> | null | undefined): void {
    if (!step || typeof step !== 'object') return;
    const failed = typeof step.error === 'string' && step.error.length > 0;
    this.toolCalls.inc({ tool: boundedLabelValue(step.tool, toolNames), status: failed ? 'error' : 'ok' });
    const type = failed ? sqlErrorTypeOfStep(step) : null;
    if (type) this.sqlErrors.inc({ type });
  }
}

interface ModelCallView {
  model?: unknown;
  latencyMs?: unknown;
}

/**
 * The SQL error type of a failed step, or null when the step's error is not about SQL: `execute_sql`
 * errors are SQL failures; `final_answer` ones are when its final SQL failed (not when its arguments
 * were malformed).
 */
function sqlErrorTypeOfStep(step: Partial<AgentStep>): SqlErrorType | null {
  if (step.tool === 'execute_sql') return classifySqlErrorText(step.error);
  if (step.tool === 'final_answer' && typeof step.summary === 'string' && step.summary.startsWith('final SQL failed')) {
    return classifySqlErrorText(step.error);
  }
  return null;
}

function arrayOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Runs one recording step; a failure there must never reach the request it measures. */
function safely(record: () => void): void {
  try {
    record();
  } catch {
    // Metrics are best-effort: a bad value loses one sample, never the request.
  }
}
