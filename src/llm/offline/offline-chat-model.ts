import type { ChatModel, GenerateRequest, GenerateResponse, ToolCall } from '../chat-model.ts';
import { readConversation } from './conversation-reader.ts';
import { nextStep, type NextStep } from './next-step.ts';
import { countUsage } from './usage-counter.ts';

/**
 * Longest question the offline model reads. Its parsing is linear but not cheap (about a millisecond per
 * thousand characters), and over its HTTP endpoint a question can be as long as the body limit; the agent
 * itself stops questions at `limits.maxQuestionChars` (2,000 by default) before any model sees them.
 */
export const maxQuestionChars = 4000;

/** Options of the offline model. */
export interface OfflineChatModelOptions {
  /** The clock for `latencyMs`; `performance.now` by default. */
  now?: () => number;
}

/**
 * A deterministic, rule-based `ChatModel` that needs no language model: a schema-linking semantic parser
 * that drives the agent's real tool loop (search_metadata, show_table, execute_sql, final_answer), learning
 * about the database only through the tool results in the messages. It reads the compiled system prompt
 * (dialect, today, the default row limit, the question/SQL examples) as a model would, and replies in plain
 * text, without SQL, to a question it cannot parse. Stateless: each call works out from the messages where
 * the conversation stands, so the same prompt, tools and question always give the same calls.
 */
export class OfflineChatModel implements ChatModel {
  readonly provider = 'offline';
  readonly modelId = 'offline';
  private readonly now: () => number;

  constructor(options: OfflineChatModelOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const started = this.now();
    if (request.signal?.aborted) throw Object.assign(new Error('The request was aborted.'), { name: 'AbortError' });
    const state = readConversation(request.messages);
    const step: NextStep =
      state.question.length > maxQuestionChars
        ? {
            kind: 'reply',
            content: `I cannot answer this: the question is ${state.question.length} characters long, and I read questions of up to ${maxQuestionChars} characters.`,
          }
        : nextStep(state, { parallelToolCalls: request.parallelToolCalls });
    const calls = step.kind === 'tool' ? [step] : step.kind === 'tools' ? step.calls : [];
    const toolCalls: ToolCall[] = calls.map((call, index) => ({
      id: `call_offline_${state.turns + 1}${calls.length > 1 ? `_${index + 1}` : ''}`,
      name: call.name,
      arguments: JSON.stringify(call.arguments),
    }));
    const content = step.kind === 'reply' ? step.content : null;
    return {
      message: { role: 'assistant', content, toolCalls },
      usage: countUsage(request.messages, request.tools, { content, toolCalls }),
      modelId: this.modelId,
      finishReason: toolCalls.length > 0 ? 'tool_calls' : 'stop',
      latencyMs: Math.max(0, Math.round(this.now() - started)),
    };
  }
}
