import { estimateTokens } from '../text/index.ts';
import type { ChatMessage, ToolCall, ToolDefinition, Usage } from './chat-model.ts';

/**
 * Token counts for a call whose server reported no usage, with the o200k tokenizer current OpenAI models
 * use. Messages cost their text plus a few tokens of framing each; tools cost their JSON schema. A text
 * longer than `exactTokenChars` is counted exactly only in part (see `estimateTokens`), so that a request
 * as long as the body limit is counted in bounded time.
 */
export function estimateUsage(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] | undefined,
  reply: { content: string | null; toolCalls: readonly ToolCall[] },
): Usage {
  return tallyUsage(messages, tools, reply).usage;
}

/** `estimateUsage`, and whether every text was counted whole (`exactly`). */
export function tallyUsage(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] | undefined,
  reply: { content: string | null; toolCalls: readonly ToolCall[] },
): { usage: Usage; exactly: boolean } {
  let exactly = true;
  const count = (text: string) => {
    const { tokens, exact } = estimateTokens(text);
    exactly &&= exact;
    return tokens;
  };
  const framing = 4;
  let inputTokens = 3;
  for (const message of messages) {
    inputTokens += framing + count(message.content ?? '');
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) inputTokens += count(call.name) + count(call.arguments);
  }
  if (tools?.length) inputTokens += count(JSON.stringify(tools));
  const outputTokens =
    count(reply.content ?? '') + reply.toolCalls.reduce((sum, call) => sum + count(call.name) + count(call.arguments), 0);
  return { usage: { inputTokens, outputTokens, estimated: true }, exactly };
}
