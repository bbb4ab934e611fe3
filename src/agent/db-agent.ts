import { randomUUID } from 'node:crypto';
import type { DatasourceRegistry } from '../datasource/index.ts';
import { AgentFailedError, InvalidInputError, SqlExecutionError, SqlRejectedError, SqlTimeoutError } from '../errors/index.ts';
import { costOf, type ModelPrice, type ModelProvider } from '../llm/index.ts';
import type { PromptService, RoutingDecision } from '../prompts/index.ts';
import { executeReadOnly, type ReadOnlyResult, type ResultColumn } from '../sql/index.ts';
import { runAgentLoop, type AgentStep, type FinalAnswer, type ModelCall } from './agent-loop.ts';
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

export interface DbAgentOptions {
  datasources: DatasourceRegistry;
  prompts: PromptService;
  models: ModelProvider;
  limits: AgentLimits;
  prices: Readonly<Record<string, ModelPrice>>;
  now?: () => number;
  generateId?: () => string;
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

/** Everything one question produced. */
export interface AskResult {
  answer: string;
  explanation: string | null;
  sql: string;
  columns: ResultColumn[];
  rows: unknown[][];
  truncated: boolean;
  datasource: string;
  prompt: string;
  label: string;
  promptVersion: number;
  promptIsFallback: boolean;
  routing: RoutingDecision;
  model: string;
  steps: AgentStep[];
  calls: ModelCall[];
  usage: Record<string, ModelUsage>;
  /** Sum over calls in USD; null when any model's price is unknown. */
  costUsd: number | null;
  latency: { totalMs: number; llmMs: number; dbMs: number };
  traceId: string;
}

/**
 * The DB agent: compiles `agent/db_agent` at the routed label with the live schema, runs the tool loop,
 * executes the final SQL through the guard, and returns the answer with everything needed to trust it:
 * the SQL, the rows, which prompt version and model produced it, the steps, tokens, cost and latency.
 */
export class DbAgent {
  private readonly now: () => number;
  private readonly generateId: () => string;

  constructor(private readonly options: DbAgentOptions) {
    this.now = options.now ?? (() => performance.now());
    this.generateId = options.generateId ?? randomUUID;
  }

  async ask(request: AskRequest): Promise<AskResult> {
    const started = this.now();
    const question = request.question.trim();
    if (!question) throw new InvalidInputError('The question is empty.', { field: 'question' });
    if (question.length > this.options.limits.maxQuestionChars) {
      throw new InvalidInputError(`The question is ${question.length} characters long; the limit is ${this.options.limits.maxQuestionChars}.`, { field: 'question' });
    }
    const datasource = await this.options.datasources.get(request.datasource, { allowUrl: request.allowUrl });
    const meta = await this.options.datasources.schema(request.datasource, { allowUrl: request.allowUrl });
    const resolved = await this.options.prompts.resolve(
      { prompt: agentPromptName, userId: request.userId, override: request.label, overrideAllowed: request.labelAllowed },
      { meta, dialect: datasource.adapter.dialect, row_limit: Math.min(this.options.limits.defaultRowLimit, datasource.config.rowCap), today: datasource.config.today },
    );
    const model = this.options.models(resolved.version.config.model);

    let finalResult: ReadOnlyResult | null = null;
    const verifyFinal = async (final: FinalAnswer): Promise<string | null> => {
      try {
        finalResult = await executeReadOnly(datasource, final.sql);
        return null;
      } catch (error) {
        if (error instanceof SqlRejectedError || error instanceof SqlExecutionError || error instanceof SqlTimeoutError) return error.message;
        throw error;
      }
    };

    const loop = await runAgentLoop({
      model,
      systemPrompt: resolved.compiled.text,
      question,
      tools: [searchMetadataTool, showTableTool, executeSqlTool],
      context: { datasource, meta, rowsShownToModel: this.options.limits.rowsShownToModel, signal: request.signal },
      maxSteps: this.options.limits.maxSteps,
      maxToolOutputChars: this.options.limits.maxToolOutputChars,
      maxTotalTokens: this.options.limits.maxTotalTokens,
      temperature: resolved.version.config.temperature,
      verifyFinal,
      signal: request.signal,
      now: this.now,
    });

    const usage = summarizeUsage(loop.calls, this.options.prices);
    const costs = Object.values(usage).map((entry) => entry.costUsd);
    const costUsd = costs.some((cost) => cost === null) ? null : costs.reduce((sum: number, cost) => sum + (cost ?? 0), 0);
    const llmMs = loop.calls.reduce((sum, call) => sum + call.latencyMs, 0);
    const result = finalResult as ReadOnlyResult | null;
    if (!loop.final || !result) {
      throw new AgentFailedError(`The agent gave no usable answer: ${loop.failureMessage ?? 'no final answer'}`, {
        reason: loop.failure ?? 'no_final_answer',
        steps: loop.steps,
        usage,
        costUsd,
        label: resolved.routing.label,
        promptVersion: resolved.version.version,
      });
    }
    const dbMs = loop.steps.reduce((sum, step) => sum + (step.dbMs ?? 0), 0) + result.durationMs;
    return {
      answer: loop.final.answer,
      explanation: loop.final.explanation ?? null,
      sql: result.sql,
      columns: result.columns,
      rows: result.rows,
      truncated: result.truncated,
      datasource: datasource.id,
      prompt: agentPromptName,
      label: resolved.routing.label,
      promptVersion: resolved.version.version,
      promptIsFallback: resolved.version.isFallback,
      routing: resolved.routing,
      model: loop.calls[loop.calls.length - 1]?.model ?? model.modelId,
      steps: loop.steps,
      calls: loop.calls,
      usage,
      costUsd,
      latency: { totalMs: Math.round(this.now() - started), llmMs, dbMs: Math.round(dbMs) },
      traceId: this.generateId(),
    };
  }
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

