import type { Datasource, ReadOnlyResult, SchemaMeta } from '../datasource/index.ts';
import { ModelRequestError, ModelUnavailableError, SqlError, SqlTimeoutError } from '../errors/index.ts';
import { summarizeUsage, sumCosts, type ModelPrice, type ModelUsage, type Tier } from '../llm/index.ts';
import { spanAttribute, type TraceSpan } from '../tracing/index.ts';
import { runAgentLoop, type AgentStep, type FinalAnswer, type LoopFailure, type LoopTracing, type ModelCall } from './agent-loop.ts';
import { sqlKey, tooSlowMessage, type ToolContext } from './tools/agent-tool.ts';
import { executeSqlTool, sqlFailureOf } from './tools/execute-sql-tool.ts';
import { searchMetadataTool } from './tools/search-metadata-tool.ts';
import { showTableTool } from './tools/show-table-tool.ts';

/** Why an attempt handed the question to the next tier. */
export type EscalationReason = LoopFailure | 'model_unavailable' | 'model_request_failed' | 'validator_rejected';

/** The limits a tier attempt runs under (`agent.*` in config). */
export interface AgentLimits {
  maxSteps: number;
  /** Whether the model may call several tools in one turn (`agent.parallelToolCalls`); default false. */
  parallelToolCalls?: boolean;
  maxQuestionChars: number;
  maxToolOutputChars: number;
  maxTotalTokens: number;
  rowsShownToModel: number;
  defaultRowLimit: number;
  /** The table listing's budget in the prompt, in estimated tokens (see `questionTables`); default 700. */
  tableListingTokens?: number;
  /** The glossary and metrics' budget in the prompt, in tokens (see `questionKnowledge`); default 400. */
  knowledgeListingTokens?: number;
}

/** One tier's attempt at the question, as the result and traces record it. */
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

export interface TierAttemptOptions {
  tier: Tier;
  question: string;
  systemPrompt: string;
  temperature?: number;
  datasource: Datasource;
  meta: SchemaMeta;
  /** The glossary and metrics search_metadata matches (null without knowledge). */
  knowledge?: ToolContext['knowledge'];
  limits: AgentLimits;
  prices: Readonly<Record<string, ModelPrice>>;
  signal?: AbortSignal;
  tracing: LoopTracing;
  now: () => number;
  onStep?: (step: AgentStep) => void;
}

/** What one tier's tool loop gave: a verified answer with its rows, or why it failed, and what it cost. */
export interface AttemptOutcome {
  final: FinalAnswer | null;
  /** The rows of the final SQL (it ran through the guard); null when there is no verified answer. */
  result: ReadOnlyResult | null;
  calls: ModelCall[];
  steps: AgentStep[];
  failure: EscalationReason | null;
  failureMessage: string | null;
  usage: Record<string, ModelUsage>;
  costUsd: number | null;
  latencyMs: number;
}

/**
 * One full tool loop on one tier. The final SQL runs through the guard and the executor before it is
 * accepted; a model outage is an outcome here (the cascade may try the next tier), not an exception.
 */
export async function runTierAttempt(options: TierAttemptOptions): Promise<AttemptOutcome> {
  const { tier, datasource, limits } = options;
  const started = options.now();
  let result: ReadOnlyResult | null = null;
  const timedOutSql = new Set<string>();
  const rowLimit = promptRowLimit(limits, datasource.config);
  let loop: Awaited<ReturnType<typeof runAgentLoop>> | null = null;
  let failure: EscalationReason | null = null;
  let failureMessage: string | null = null;
  try {
    loop = await runAgentLoop({
      model: tier.model,
      systemPrompt: options.systemPrompt,
      question: options.question,
      tools: [searchMetadataTool, showTableTool, executeSqlTool],
      context: {
        datasource,
        meta: options.meta,
        knowledge: options.knowledge ?? null,
        rowsShownToModel: limits.rowsShownToModel,
        signal: options.signal,
        timedOutSql,
        rowLimit,
      },
      maxSteps: tier.maxSteps ?? limits.maxSteps,
      parallelToolCalls: limits.parallelToolCalls ?? false,
      maxToolOutputChars: limits.maxToolOutputChars,
      maxTotalTokens: limits.maxTotalTokens,
      temperature: options.temperature,
      verifyFinal: async (final) => {
        if (timedOutSql.has(sqlKey(final.sql))) return { message: tooSlowMessage(true), code: 'sql_timeout', databaseCode: null };
        try {
          result = await datasource.executeReadOnly(final.sql, { signal: options.signal, defaultLimit: rowLimit });
          return null;
        } catch (error) {
          if (error instanceof SqlTimeoutError) {
            timedOutSql.add(sqlKey(final.sql));
            return { message: `${tooSlowMessage(false)} (${error.message})`, ...sqlFailureOf(error) };
          }
          if (error instanceof SqlError) return { message: error.message, ...sqlFailureOf(error) };
          throw error;
        }
      },
      signal: options.signal,
      now: options.now,
      tracing: options.tracing,
      onStep: options.onStep,
    });
    failure = loop.failure;
    failureMessage = loop.failureMessage;
  } catch (error) {
    if (!(error instanceof ModelUnavailableError || error instanceof ModelRequestError)) throw error;
    failure = error instanceof ModelUnavailableError ? 'model_unavailable' : 'model_request_failed';
    failureMessage = error.message;
  }
  const calls = loop?.calls ?? [];
  const usage = summarizeUsage(calls, options.prices);
  return {
    final: loop?.final ?? null,
    result,
    calls,
    steps: loop?.steps ?? [],
    failure,
    failureMessage,
    usage,
    costUsd: sumCosts(Object.values(usage).map((entry) => entry.costUsd)),
    latencyMs: Math.round(options.now() - started),
  };
}

/** The LIMIT the prompt asks the model to use (its `row_limit`): the agent's default, never above the row cap. */
export function promptRowLimit(limits: Pick<AgentLimits, 'defaultRowLimit'>, datasource: { rowCap: number }): number {
  return Math.min(limits.defaultRowLimit, datasource.rowCap);
}

/** The record of an attempt, as it answered or escalated. */
export function attemptRecord(
  tier: Tier,
  outcome: AttemptOutcome,
  verdict: AttemptRecord['outcome'],
  reason: EscalationReason | null,
  message: string | null,
): AttemptRecord {
  return {
    tier: tier.name,
    model: outcome.calls[outcome.calls.length - 1]?.model ?? tier.model.modelId,
    outcome: verdict,
    reason,
    message,
    steps: outcome.steps,
    usage: outcome.usage,
    costUsd: outcome.costUsd,
    latencyMs: outcome.latencyMs,
  };
}

/** Records an attempt's outcome on its tier span (WARNING with the reason when it escalated) and ends it. */
export function endTierSpan(span: TraceSpan, record: AttemptRecord): AttemptRecord {
  span.update({
    output: { outcome: record.outcome, steps: record.steps.length },
    ...(record.outcome === 'escalated' ? { level: 'WARNING' as const, statusMessage: record.message ?? record.reason ?? 'escalated' } : {}),
    attributes: {
      [spanAttribute.outcome]: record.outcome,
      [spanAttribute.escalationReason]: record.reason,
      [spanAttribute.model]: record.model,
    },
  });
  span.end();
  return record;
}
