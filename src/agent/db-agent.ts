import type { Datasource, DatasourceRegistry, ReadOnlyResult, ResultColumn, SchemaMeta } from '../datasource/index.ts';
import { AgentFailedError, BudgetExceededError, InvalidInputError, ModelRequestError, ModelUnavailableError, SqlError } from '../errors/index.ts';
import { costOf, priceOf, type ModelPrice, type ModelProvider, type Tier, type TierProvider, type Usage } from '../llm/index.ts';
import type { PromptService, ResolvedPrompt, RoutingDecision } from '../prompts/index.ts';
import { noopSpan, type TraceSpan } from '../tracing/index.ts';
import { runAgentLoop, type AgentStep, type LoopFailure, type LoopTracing, type ModelCall } from './agent-loop.ts';
import { questionComplexity, type ComplexityScore } from './question-complexity.ts';
import { emptyResultValidator, type ResultValidator } from './result-validators.ts';
import { executeSqlTool } from './tools/execute-sql-tool.ts';
import { searchMetadataTool } from './tools/search-metadata-tool.ts';
import { showTableTool } from './tools/show-table-tool.ts';

/** The prompt the agent compiles. */
export const agentPromptName = 'agent/db_agent';

export interface AgentLimits {
  maxSteps: number;
  maxQuestionChars: number;
  maxToolOutputChars: number;
  maxTotalTokens: number;
  rowsShownToModel: number;
  defaultRowLimit: number;
}

export interface CascadeSettings {
  /** Most tier attempts per question. Default: every tier once. */
  maxAttempts?: number;
  /** Stop escalating once a request has cost this much (USD). Default: no budget. */
  maxCostUsd?: number | null;
  /** Start complex questions at a higher tier (see `questionComplexity`). Off by default. */
  complexityRouting?: { enabled: boolean; threshold: number; startTier: number };
}

export interface DbAgentOptions {
  datasources: DatasourceRegistry;
  prompts: PromptService;
  /** The cascade's tiers for a prompt version's model. */
  tiers?: TierProvider;
  /** A single model (one tier), for simple setups and tests; ignored when `tiers` is given. */
  models?: ModelProvider;
  cascade?: CascadeSettings;
  /** Checks run on an answered result; a rejection escalates. Default: the empty-result check. */
  validators?: ResultValidator[];
  limits: AgentLimits;
  prices: Readonly<Record<string, ModelPrice>>;
  now?: () => number;
}

export interface AskRequest {
  datasource: string;
  question: string;
  userId?: string | null;
  /** An explicit prompt label; honoured only with `labelAllowed` (the admin scope). */
  label?: string | null;
  labelAllowed?: boolean;
  /** Whether `datasource` may be a URL (the CLI) rather than a configured id (HTTP). */
  allowUrl?: boolean;
  /**
   * The `today` relative dates mean (`YYYY-MM-DD`), over the datasource's pinned one; evals pin it per
   * case. Honoured only with `labelAllowed` (the admin scope), like `label`.
   */
  today?: string | null;
  signal?: AbortSignal;
}

export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  calls: number;
  /** True when any call's usage was estimated with the tokenizer. */
  estimated: boolean;
  costUsd: number | null;
}

export type EscalationReason = LoopFailure | 'model_unavailable' | 'model_request_failed' | 'validator_rejected';

/** One tier's attempt at the question. */
export interface AttemptRecord {
  tier: string;
  model: string;
  outcome: 'answered' | 'escalated';
  reason: EscalationReason | null;
  message: string | null;
  steps: AgentStep[];
  usage: Record<string, ModelUsage>;
  costUsd: number | null;
  latencyMs: number;
}

/** A question ready for the cascade: validated, with its datasource, live schema and compiled prompt. */
export interface PreparedQuestion {
  question: string;
  datasource: Datasource;
  meta: SchemaMeta;
  resolved: ResolvedPrompt;
  startedAt: number;
}

/** Everything one question produced. */
export interface AskResult {
  answer: string;
  explanation: string | null;
  sql: string;
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  datasource: string;
  schemaVersion: string;
  prompt: string;
  label: string;
  promptVersion: number;
  promptIsFallback: boolean;
  routing: RoutingDecision;
  /** The model of the tier that answered. */
  model: string;
  /** The tier that answered. */
  tier: string;
  /** Every tier attempt, in order; the last one answered. */
  attempts: AttemptRecord[];
  /** Set when complexity routing looked at the question. */
  complexity: (ComplexityScore & { startTier: number }) | null;
  /** Notes on an accepted answer, such as a validator's doubt on the last tier. */
  warnings: string[];
  /** The answering attempt's steps. */
  steps: AgentStep[];
  calls: ModelCall[];
  /** Usage per model over all attempts. */
  usage: Record<string, ModelUsage>;
  /** Sum over all attempts in USD; null when any model's price is unknown. */
  costUsd: number | null;
  latency: { totalMs: number; llmMs: number; dbMs: number };
  traceId: string;
  /** `false`, or how a cached answer was served: its SQL re-run for fresh rows, or its stored rows. */
  cached: false | 'sql' | 'rows';
  /** Age of the cache entry (of its rows, for `rows`); null when not cached. */
  cacheAgeMs: number | null;
}

/**
 * The DB agent: compiles `agent/db_agent` at the routed label with the live schema, then runs the tool
 * loop tier by tier (cheap model first) until one gives an answer whose SQL runs through the guard and
 * passes the validators. It escalates on a model failure, no final SQL or a refusal, a final SQL that
 * fails, a spent step or token budget, or a validator's rejection; a cost budget can stop escalation.
 */
export class DbAgent {
  private readonly now: () => number;
  private readonly tiers: TierProvider;

  constructor(private readonly options: DbAgentOptions) {
    this.now = options.now ?? (() => performance.now());
    const single = options.models;
    this.tiers = options.tiers ?? ((promptModel) => {
      if (!single) throw new Error('DbAgent needs tiers or models.');
      const model = single(promptModel);
      return [{ name: model.modelId, model }];
    });
  }

  /** Prepares and answers a question; `span` (default: none recorded) is the parent of its spans. */
  async ask(request: AskRequest, span: TraceSpan = noopSpan()): Promise<AskResult> {
    return this.answer(await this.prepare(request, span), request.signal, span);
  }

  /**
   * The part of a question that needs no model: validation, the datasource, its live schema and the
   * routed, compiled prompt. The result cache keys on what this returns (schema and prompt versions).
   */
  async prepare(request: AskRequest, span: TraceSpan = noopSpan()): Promise<PreparedQuestion> {
    const question = request.question.trim();
    if (!question) throw new InvalidInputError('The question is empty.', { field: 'question' });
    if (question.length > this.options.limits.maxQuestionChars) {
      throw new InvalidInputError(`The question is ${question.length} characters long; the limit is ${this.options.limits.maxQuestionChars}.`, { field: 'question' });
    }
    const { datasource, meta } = await withSpan(span.startChild('schema', 'span'), async (schemaSpan) => {
      const datasource = await this.options.datasources.get(request.datasource, { allowUrl: request.allowUrl });
      const meta = await this.options.datasources.schema(request.datasource, { allowUrl: request.allowUrl });
      schemaSpan.update({
        output: { schemaVersion: meta.schemaVersion, tables: meta.schemas.reduce((sum, schema) => sum + schema.tables.length, 0) },
        attributes: { 'sqlagent.datasource': datasource.id, 'sqlagent.schema_version': meta.schemaVersion },
      });
      return { datasource, meta };
    });
    const resolved = await withSpan(span.startChild('prompt', 'span', { input: { name: agentPromptName, userId: request.userId ?? null, override: request.labelAllowed ? (request.label ?? null) : null } }), async (promptSpan) => {
      const resolved = await this.options.prompts.resolve(
        { prompt: agentPromptName, userId: request.userId, override: request.label, overrideAllowed: request.labelAllowed },
        { meta, dialect: datasource.adapter.dialect, row_limit: Math.min(this.options.limits.defaultRowLimit, datasource.config.rowCap), today: (request.labelAllowed ? request.today : null) ?? datasource.config.today },
      );
      promptSpan.update({
        output: { version: resolved.version.version, label: resolved.routing.label, tokenCount: resolved.compiled.tokenCount },
        metadata: { routing: resolved.routing },
        ...(resolved.version.isFallback ? { level: 'WARNING' as const, statusMessage: 'served the local fallback: the prompt store could not be read' } : {}),
        attributes: {
          'sqlagent.prompt.name': agentPromptName,
          'sqlagent.prompt.version': resolved.version.version,
          'sqlagent.label': resolved.routing.label,
          'sqlagent.prompt.is_fallback': resolved.version.isFallback,
          'sqlagent.prompt.tokens': resolved.compiled.tokenCount,
          'sqlagent.routing_reason': resolved.routing.reason,
        },
      });
      return resolved;
    });
    return { question, datasource, meta, resolved, startedAt: this.now() };
  }

  /** Runs the cascade for a prepared question. */
  async answer(prepared: PreparedQuestion, signal?: AbortSignal, span: TraceSpan = noopSpan()): Promise<AskResult> {
    const { question, datasource, meta, resolved } = prepared;
    const started = prepared.startedAt;
    const request = { signal };
    const tiers = this.tiers(resolved.version.config.model);
    const cascade = this.options.cascade ?? {};
    const validators = this.options.validators ?? [emptyResultValidator];

    let complexity: AskResult['complexity'] = null;
    let startTier = 0;
    if (cascade.complexityRouting?.enabled && tiers.length > 1) {
      const score = questionComplexity(question, meta);
      startTier = score.score >= cascade.complexityRouting.threshold ? Math.min(cascade.complexityRouting.startTier, tiers.length - 1) : 0;
      complexity = { ...score, startTier };
    }
    const maxAttempts = cascade.maxAttempts ?? tiers.length;
    const attempts: AttemptRecord[] = [];
    const allCalls: ModelCall[] = [];
    const warnings: string[] = [];

    for (let index = startTier; index < tiers.length && attempts.length < maxAttempts; index += 1) {
      const spent = sumCosts(attempts.map((attempt) => attempt.costUsd));
      if (cascade.maxCostUsd != null && attempts.length > 0 && (spent === null || spent >= cascade.maxCostUsd)) {
        const what = spent === null ? 'an unknown amount (a model without a price in llm.prices)' : `$${spent.toFixed(4)}`;
        throw new BudgetExceededError(
          `The request's cost budget of $${cascade.maxCostUsd.toFixed(4)} (cascade.maxCostUsd) was spent after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'} (${what}); not escalating to ${tiers[index].name}.`,
          { budget: 'cascade.maxCostUsd', maxCostUsd: cascade.maxCostUsd, spentUsd: spent, attempts },
        );
      }
      const tier = tiers[index];
      const lastTier = index === tiers.length - 1 || attempts.length + 1 >= maxAttempts;
      const tierSpan = span.startChild(`tier:${tier.model.modelId}`, 'agent', { attributes: { 'sqlagent.tier': tier.name, 'sqlagent.tier_index': index } });
      const tracing: LoopTracing = {
        span: tierSpan,
        prompt: { name: agentPromptName, version: resolved.version.version, isFallback: resolved.version.isFallback },
        linkPrompt: resolved.version.source === 'langfuse' && !resolved.version.isFallback,
        costOf: (model, usage) => costByDirection(model, usage, this.options.prices),
      };
      let outcome: Awaited<ReturnType<DbAgent['attempt']>>;
      try {
        outcome = await this.attempt(tier, question, resolved.compiled.text, resolved.version.config.temperature, datasource, meta, request.signal, tracing);
      } catch (error) {
        tierSpan.fail(error);
        tierSpan.end();
        throw error;
      }
      allCalls.push(...outcome.calls);
      if (outcome.result && outcome.final) {
        const rejection = validators.map((validate) => validate(question, outcome.result!)).find((reason) => reason !== null) ?? null;
        // No further tier will run if the budget is already spent: keep this answer rather than lose it.
        const spentNow = sumCosts([...attempts.map((attempt) => attempt.costUsd), outcome.costUsd]);
        const budgetSpent = cascade.maxCostUsd != null && (spentNow === null || spentNow >= cascade.maxCostUsd);
        const isLast = lastTier || budgetSpent;
        if (rejection && !isLast) {
          attempts.push(endTierSpan(tierSpan, outcome.record('escalated', 'validator_rejected', rejection)));
          continue;
        }
        if (rejection) warnings.push(`Accepted from the last tier although ${rejection}.`);
        attempts.push(endTierSpan(tierSpan, outcome.record('answered', null, null)));
        const result = outcome.result;
        const usage = mergeUsage(attempts.map((attempt) => attempt.usage));
        const dbMs = outcome.steps.reduce((sum, step) => sum + (step.dbMs ?? 0), 0) + result.durationMs;
        return {
          answer: outcome.final.answer,
          explanation: outcome.final.explanation ?? null,
          sql: result.sql,
          columns: result.columns,
          rows: result.rows,
          truncated: result.truncated,
          datasource: datasource.id,
          schemaVersion: meta.schemaVersion,
          prompt: agentPromptName,
          label: resolved.routing.label,
          promptVersion: resolved.version.version,
          promptIsFallback: resolved.version.isFallback,
          routing: resolved.routing,
          model: outcome.calls[outcome.calls.length - 1]?.model ?? tier.model.modelId,
          tier: tier.name,
          attempts,
          complexity,
          warnings,
          steps: outcome.steps,
          calls: allCalls,
          usage,
          costUsd: sumCosts(attempts.map((attempt) => attempt.costUsd)),
          latency: { totalMs: Math.round(this.now() - started), llmMs: allCalls.reduce((sum, call) => sum + call.latencyMs, 0), dbMs: Math.round(dbMs) },
          traceId: span.traceId,
          cached: false,
          cacheAgeMs: null,
        };
      }
      attempts.push(endTierSpan(tierSpan, outcome.record('escalated', outcome.failure, outcome.failureMessage)));
    }
    const last = attempts[attempts.length - 1];
    const summary = attempts.map((attempt) => `${attempt.tier}: ${attempt.reason}${attempt.message ? ` (${attempt.message.slice(0, 160)})` : ''}`).join('; ');
    // Every tier down is an outage (503, worth retrying), not a question the agent could not answer.
    if (attempts.length > 0 && attempts.every((attempt) => attempt.reason === 'model_unavailable')) {
      throw new ModelUnavailableError(`No model tier is available: ${summary}`, { attempts });
    }
    if (attempts.length > 0 && attempts.every((attempt) => attempt.reason === 'model_request_failed')) {
      throw new ModelRequestError(`Every model tier refused the request: ${summary}`, { attempts });
    }
    throw new AgentFailedError(
      `No tier gave a usable answer: ${summary}`,
      {
        reason: last?.reason ?? 'no_final_answer',
        attempts,
        steps: last?.steps ?? [],
        usage: mergeUsage(attempts.map((attempt) => attempt.usage)),
        costUsd: sumCosts(attempts.map((attempt) => attempt.costUsd)),
        label: resolved.routing.label,
        promptVersion: resolved.version.version,
      },
    );
  }

  /** One full tool loop on one tier; a model outage is an outcome here, not an exception. */
  private async attempt(tier: Tier, question: string, systemPrompt: string, temperature: number | undefined, datasource: Datasource, meta: SchemaMeta, signal: AbortSignal | undefined, tracing: LoopTracing) {
    const started = this.now();
    let result: ReadOnlyResult | null = null;
    const verifyFinal = async (final: { sql: string }): Promise<string | null> => {
      try {
        result = await datasource.executeReadOnly(final.sql);
        return null;
      } catch (error) {
        if (error instanceof SqlError) return error.message;
        throw error;
      }
    };
    let loop: Awaited<ReturnType<typeof runAgentLoop>> | null = null;
    let failure: EscalationReason | null = null;
    let failureMessage: string | null = null;
    try {
      loop = await runAgentLoop({
        model: tier.model,
        systemPrompt,
        question,
        tools: [searchMetadataTool, showTableTool, executeSqlTool],
        context: { datasource, meta, rowsShownToModel: this.options.limits.rowsShownToModel, signal },
        maxSteps: tier.maxSteps ?? this.options.limits.maxSteps,
        maxToolOutputChars: this.options.limits.maxToolOutputChars,
        maxTotalTokens: this.options.limits.maxTotalTokens,
        temperature,
        verifyFinal,
        signal,
        now: this.now,
        tracing,
      });
      failure = loop.failure;
      failureMessage = loop.failureMessage;
    } catch (error) {
      if (!(error instanceof ModelUnavailableError || error instanceof ModelRequestError)) throw error;
      failure = error instanceof ModelUnavailableError ? 'model_unavailable' : 'model_request_failed';
      failureMessage = error.message;
    }
    const calls = loop?.calls ?? [];
    const steps = loop?.steps ?? [];
    const usage = summarizeUsage(calls, this.options.prices);
    const costUsd = sumCosts(Object.values(usage).map((entry) => entry.costUsd));
    const latencyMs = Math.round(this.now() - started);
    return {
      costUsd,
      final: loop?.final ?? null,
      result: result as ReadOnlyResult | null,
      calls,
      steps,
      failure,
      failureMessage,
      record: (outcome: AttemptRecord['outcome'], reason: EscalationReason | null, message: string | null): AttemptRecord => ({
        tier: tier.name,
        model: calls[calls.length - 1]?.model ?? tier.model.modelId,
        outcome,
        reason,
        message,
        steps,
        usage,
        costUsd,
        latencyMs,
      }),
    };
  }
}

/** Runs `work` inside `span`: a throw marks it failed; it always ends. */
async function withSpan<T>(span: TraceSpan, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}

/** Records an attempt's outcome on its tier span (WARNING with the reason when it escalated) and ends it. */
function endTierSpan(span: TraceSpan, record: AttemptRecord): AttemptRecord {
  span.update({
    output: { outcome: record.outcome, steps: record.steps.length },
    ...(record.outcome === 'escalated' ? { level: 'WARNING' as const, statusMessage: record.message ?? record.reason ?? 'escalated' } : {}),
    attributes: {
      'sqlagent.outcome': record.outcome,
      'sqlagent.escalation_reason': record.reason,
      'sqlagent.model': record.model,
    },
  });
  span.end();
  return record;
}

/** A call's cost split by direction, for a generation's costDetails; null when the model has no price. */
function costByDirection(model: string, usage: Usage, prices: Readonly<Record<string, ModelPrice>>): { input: number; output: number; total: number } | null {
  const price = priceOf(model, prices);
  if (!price) return null;
  const input = (usage.inputTokens * price.inputPerMillion) / 1_000_000;
  const output = (usage.outputTokens * price.outputPerMillion) / 1_000_000;
  return { input, output, total: input + output };
}

function sumCosts(costs: Array<number | null>): number | null {
  return costs.some((cost) => cost === null) ? null : costs.reduce((sum: number, cost) => sum + (cost ?? 0), 0);
}

function summarizeUsage(calls: ModelCall[], prices: Readonly<Record<string, ModelPrice>>): Record<string, ModelUsage> {
  const usage: Record<string, ModelUsage> = {};
  for (const call of calls) {
    const entry = (usage[call.model] ??= { inputTokens: 0, outputTokens: 0, calls: 0, estimated: false, costUsd: 0 });
    entry.inputTokens += call.usage.inputTokens;
    entry.outputTokens += call.usage.outputTokens;
    entry.calls += 1;
    entry.estimated ||= call.usage.estimated;
    const cost = costOf(call.model, call.usage, prices);
    entry.costUsd = entry.costUsd === null || cost === null ? null : entry.costUsd + cost;
  }
  return usage;
}

function mergeUsage(parts: Array<Record<string, ModelUsage>>): Record<string, ModelUsage> {
  const merged: Record<string, ModelUsage> = {};
  for (const part of parts) {
    for (const [model, entry] of Object.entries(part)) {
      const target = (merged[model] ??= { inputTokens: 0, outputTokens: 0, calls: 0, estimated: false, costUsd: 0 });
      target.inputTokens += entry.inputTokens;
      target.outputTokens += entry.outputTokens;
      target.calls += entry.calls;
      target.estimated ||= entry.estimated;
      target.costUsd = target.costUsd === null || entry.costUsd === null ? null : target.costUsd + entry.costUsd;
    }
  }
  return merged;
}
