import { abortedWith, runningUnder } from '../flow/index.ts';
import { ServiceError } from '../errors/index.ts';
import type { CallCost, ChatMessage, ChatModel, GenerateResponse, Usage } from '../llm/index.ts';
import { noopSpan, spanAttribute, withSpan, type TraceSpan } from '../tracing/index.ts';
import {
  parseToolArguments,
  toolDefinition,
  type AgentTool,
  type SqlFailure,
  type ToolContext,
  type ToolOutcome,
} from './tools/agent-tool.ts';
import { finalAnswerSchema, finalAnswerTool, type FinalAnswer } from './tools/final-answer-tool.ts';

/** One tool call as recorded in `steps[]`. */
export interface AgentStep {
  index: number;
  tool: string;
  arguments: unknown;
  summary: string;
  error: string | null;
  /** Set when the step's SQL failed (`execute_sql`, or the final answer's SQL): the error's code. */
  sqlError: SqlFailure | null;
  durationMs: number;
  rowCount?: number;
  dbMs?: number;
}

/** One model call. */
export interface ModelCall {
  model: string;
  usage: Usage;
  latencyMs: number;
  finishReason: string;
}

export type { FinalAnswer };

export type LoopFailure = 'no_final_answer' | 'model_declined' | 'step_budget_exhausted' | 'token_budget_exhausted' | 'final_sql_failed';

export interface LoopResult {
  final: FinalAnswer | null;
  failure: LoopFailure | null;
  failureMessage: string | null;
  steps: AgentStep[];
  calls: ModelCall[];
}

/** Where the loop records its spans: a generation per model call and a tool span per tool call. */
export interface LoopTracing {
  /** The tier attempt's span; the loop's spans are its children. */
  span: TraceSpan;
  /** The prompt version the system prompt came from, recorded on every generation. */
  prompt: { name: string; version: number; isFallback: boolean };
  /**
   * Link generations to that version in Langfuse (`langfuse.observation.prompt.*`, which powers its
   * per-version metrics). Only for versions Langfuse served: a local file's version number need not
   * match any Langfuse version, and a fallback is never linked.
   */
  linkPrompt: boolean;
  /** A call's cost in USD by direction; null when the model has no price. */
  costOf: (model: string, usage: Usage) => CallCost | null;
}

/** The most tool calls one model turn runs (with parallel tool calls); the rest get an error result. */
export const maxToolCallsPerTurn = 8;

export interface LoopOptions {
  model: ChatModel;
  systemPrompt: string;
  question: string;
  tools: AgentTool<any>[];
  context: ToolContext;
  /** Model turns before giving up. Default 8. */
  maxSteps: number;
  /** Let the model ask for several tool calls in one turn (they run one after another). Default false. */
  parallelToolCalls?: boolean;
  /** Longest tool result sent back to the model, in characters; longer ones are cut and marked. */
  maxToolOutputChars: number;
  /** Input plus output tokens over all calls before giving up. */
  maxTotalTokens: number;
  temperature?: number;
  /** Checks the final SQL; returns the failure (a message the model can act on, and its code), or null when it ran. */
  verifyFinal: (final: FinalAnswer) => Promise<(SqlFailure & { message: string }) | null>;
  signal?: AbortSignal;
  now?: () => number;
  tracing?: LoopTracing;
  /** Called with each step as soon as it is done (the HTTP API streams them as server-sent events). */
  onStep?: (step: AgentStep) => void;
}

/**
 * The tool loop: call the model with the system prompt, the question and the tools; run the tool calls
 * it asks for (one after another, several a turn when `parallelToolCalls` allows) and append the results; repeat until it gives a final answer whose SQL
 * runs, or until the step or token budget is spent. Tool failures are results the model sees; only
 * system faults (model unavailable, datasource down, cancellation) throw.
 */
export async function runAgentLoop(options: LoopOptions): Promise<LoopResult> {
  const now = options.now ?? (() => performance.now());
  const tools = new Map([...options.tools, finalAnswerTool].map((tool) => [tool.name, tool]));
  const definitions = [...tools.values()].map(toolDefinition);
  const messages: ChatMessage[] = [
    { role: 'system', content: options.systemPrompt },
    { role: 'user', content: options.question },
  ];
  const steps: AgentStep[] = [];
  const calls: ModelCall[] = [];
  let tokens = 0;
  let textRepliesInARow = 0;
  let lastFailure: { kind: LoopFailure; message: string } = { kind: 'no_final_answer', message: 'The model gave no final answer.' };

  /**
   * Runs one tool call, records it as a step and on its span, and appends its result for the model.
   * Returns the final answer when the call was a final_answer whose SQL ran; system faults throw.
   */
  const runToolCall = async (call: { id: string; name: string; arguments: string }, span: TraceSpan): Promise<FinalAnswer | null> => {
    const started = now();
    const tool = tools.get(call.name);
    let outcome: ToolOutcome;
    let argumentsForStep: unknown = call.arguments;
    if (!tool) {
      const error = `Unknown tool "${call.name}". Available tools: ${[...tools.keys()].join(', ')}.`;
      outcome = { content: { error }, summary: error, error };
    } else {
      const parsed = parseToolArguments(tool, call.arguments);
      if (!parsed.ok) {
        outcome = { content: { error: parsed.error }, summary: parsed.error, error: parsed.error };
      } else if (tool === finalAnswerTool) {
        const final = parsed.value as FinalAnswer;
        runningUnder(options.signal, 'running the final SQL');
        const problem = await options.verifyFinal(final);
        steps.push({
          index: steps.length + 1,
          tool: call.name,
          arguments: final,
          summary: problem ? `final SQL failed: ${problem.message}` : 'final answer',
          error: problem?.message ?? null,
          sqlError: problem ? { code: problem.code, databaseCode: problem.databaseCode } : null,
          durationMs: Math.round(now() - started),
        });
        recordToolStep(span, steps[steps.length - 1]);
        options.onStep?.(steps[steps.length - 1]);
        if (!problem) return final;
        lastFailure = { kind: 'final_sql_failed', message: problem.message };
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          content: JSON.stringify({ error: `The final SQL failed: ${problem.message}. Fix it and call final_answer again.` }),
        });
        return null;
      } else {
        argumentsForStep = parsed.value;
        try {
          runningUnder(options.signal, `the tool ${call.name}`);
          outcome = await tool.run(parsed.value, options.context);
        } catch (error) {
          // A system fault (the datasource is down, the request was cancelled) ends the loop.
          if (error instanceof ServiceError) throw error;
          const message = `The tool ${call.name} failed: ${(error as Error).message}`;
          outcome = { content: { error: message }, summary: message, error: message };
        }
      }
    }
    steps.push({
      index: steps.length + 1,
      tool: call.name,
      arguments: argumentsForStep,
      summary: outcome.summary,
      error: outcome.error ?? null,
      sqlError: outcome.sqlError ?? null,
      durationMs: Math.round(now() - started),
      ...(outcome.rowCount !== undefined ? { rowCount: outcome.rowCount } : {}),
      ...(outcome.dbMs !== undefined ? { dbMs: outcome.dbMs } : {}),
    });
    recordToolStep(span, steps[steps.length - 1]);
    options.onStep?.(steps[steps.length - 1]);
    messages.push({ role: 'tool', toolCallId: call.id, content: limitText(JSON.stringify(outcome.content), options.maxToolOutputChars) });
    return null;
  };

  for (let turn = 0; turn < options.maxSteps; turn += 1) {
    if (tokens >= options.maxTotalTokens) {
      return {
        final: null,
        failure: 'token_budget_exhausted',
        failureMessage: `The token budget of ${options.maxTotalTokens} was spent.`,
        steps,
        calls,
      };
    }
    const generation =
      options.tracing?.span.startChild('generation', 'generation', {
        model: options.model.modelId,
        input: messages,
        modelParameters: { toolChoice: 'auto', ...(options.temperature !== undefined ? { temperature: options.temperature } : {}) },
        ...(options.tracing.linkPrompt && !options.tracing.prompt.isFallback ? { prompt: options.tracing.prompt } : {}),
        attributes: {
          [spanAttribute.promptName]: options.tracing.prompt.name,
          [spanAttribute.promptVersion]: options.tracing.prompt.version,
        },
      }) ?? noopSpan();
    const response = await withSpan(generation, async (span) => {
      let reply: GenerateResponse;
      try {
        runningUnder(options.signal, `a call to the model ${options.model.modelId}`);
        reply = await options.model.generate({
          messages,
          tools: definitions,
          toolChoice: 'auto',
          temperature: options.temperature,
          parallelToolCalls: options.parallelToolCalls ?? false,
          signal: options.signal,
        });
      } catch (error) {
        // A call cut short by the caller's signal is a cancellation, whatever the client made of it.
        throw options.signal?.aborted ? abortedWith(options.signal, error) : error;
      }
      if (options.tracing) recordGeneration(span, reply, options.tracing);
      return reply;
    });
    calls.push({ model: response.modelId, usage: response.usage, latencyMs: response.latencyMs, finishReason: response.finishReason });
    tokens += response.usage.inputTokens + response.usage.outputTokens;
    const { content, toolCalls } = response.message;
    messages.push({ role: 'assistant', content, toolCalls });

    textRepliesInARow = toolCalls.length === 0 ? textRepliesInARow + 1 : 0;
    if (toolCalls.length === 0) {
      // A JSON reply in the final-answer shape is accepted too (for models without tool support).
      const final = parseJsonFinal(content);
      // Asked once to use final_answer and still answering in prose: the model cannot (or will not) answer.
      if (!final && textRepliesInARow >= 2) {
        return {
          final: null,
          failure: 'model_declined',
          failureMessage: `The model gave no SQL: ${(content ?? '').slice(0, 300)}`,
          steps,
          calls,
        };
      }
      if (final) {
        const verifySpan =
          options.tracing?.span.startChild('tool:final_answer', 'tool', {
            input: final,
            attributes: { [spanAttribute.tool]: 'final_answer' },
          }) ?? noopSpan();
        const problem = await withSpan(verifySpan, async (span) => {
          runningUnder(options.signal, 'running the final SQL');
          const found = await options.verifyFinal(final);
          span.update({
            output: found ? `final SQL failed: ${found.message}` : 'final answer',
            ...(found ? { level: 'ERROR' as const, statusMessage: found.message } : {}),
          });
          return found;
        });
        if (!problem) return { final, failure: null, failureMessage: null, steps, calls };
        lastFailure = { kind: 'final_sql_failed', message: problem.message };
        messages.push({
          role: 'user',
          content: `Your final SQL failed: ${problem.message}. Fix it and answer again with the final_answer tool.`,
        });
      } else {
        lastFailure = { kind: 'no_final_answer', message: 'The model answered without calling final_answer.' };
        messages.push({
          role: 'user',
          content:
            'Answer by calling the final_answer tool with {"sql", "answer", "explanation"}; use execute_sql first if you have not run the SQL.',
        });
      }
      continue;
    }

    for (const [position, call] of toolCalls.entries()) {
      if (options.signal?.aborted) throw abortedWith(options.signal);
      // A turn runs a bounded number of calls; the rest are answered (every call id needs its reply) but not run.
      if (position >= maxToolCallsPerTurn) {
        messages.push({
          role: 'tool',
          toolCallId: call.id,
          content: JSON.stringify({ error: `Not run: at most ${maxToolCallsPerTurn} tool calls are run in one turn. Call it again.` }),
        });
        continue;
      }
      const toolSpan =
        options.tracing?.span.startChild(`tool:${call.name}`, 'tool', {
          input: call.arguments,
          attributes: { [spanAttribute.tool]: call.name },
        }) ?? noopSpan();
      const final = await withSpan(toolSpan, (span) => runToolCall(call, span));
      if (final) return { final, failure: null, failureMessage: null, steps, calls };
    }
  }
  const failure =
    lastFailure.kind === 'final_sql_failed'
      ? lastFailure
      : { kind: 'step_budget_exhausted' as const, message: `No usable final answer within ${options.maxSteps} model turns.` };
  return { final: null, failure: failure.kind, failureMessage: failure.message, steps, calls };
}

/** Records a model call's reply, usage and cost on its generation span (withSpan ends it). */
function recordGeneration(generation: TraceSpan, response: GenerateResponse, tracing: LoopTracing): void {
  const { usage } = response;
  const cost = tracing.costOf(response.modelId, usage);
  generation.update({
    model: response.modelId,
    output: { content: response.message.content, toolCalls: response.message.toolCalls },
    usageDetails: { input: usage.inputTokens, output: usage.outputTokens, total: usage.inputTokens + usage.outputTokens },
    ...(cost ? { costDetails: cost } : {}),
    metadata: { finishReason: response.finishReason, usageEstimated: usage.estimated, latencyMs: response.latencyMs },
    attributes: { [spanAttribute.usageEstimated]: usage.estimated },
  });
}

/** Records a tool call's outcome on its span (level ERROR when the tool failed; withSpan ends it). */
function recordToolStep(span: TraceSpan, step: AgentStep): void {
  span.update({
    output: step.summary,
    ...(step.error ? { level: 'ERROR' as const, statusMessage: step.error } : {}),
    attributes: { [spanAttribute.rowCount]: step.rowCount, [spanAttribute.dbMs]: step.dbMs },
  });
}

function parseJsonFinal(content: string | null): FinalAnswer | null {
  if (!content) return null;
  const match = /\{[\s\S]*\}/.exec(content);
  if (!match) return null;
  try {
    const parsed = finalAnswerSchema.safeParse(JSON.parse(match[0]));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function limitText(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars)}… [cut: ${text.length - maxChars} more characters]`;
}
