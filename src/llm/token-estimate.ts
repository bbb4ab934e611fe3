import { countTokens } from '../text/index.ts';
import type { ChatMessage, ToolCall, ToolDefinition, Usage } from './chat-model.ts';

/**
 * Token counts for a call whose server reported no usage, with the o200k tokenizer current OpenAI models
 * use. Messages cost their text plus a few tokens of framing each; tools cost their JSON schema.
 */
export function estimateUsage(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] | undefined,
  reply: { content: string | null; toolCalls: readonly ToolCall[] },
): Usage {
  const framing = 4;
  let inputTokens = 3;
  for (const message of messages) {
    inputTokens += framing + countTokens(message.content ?? '');
    if (message.role === 'assistant')
      for (const call of message.toolCalls ?? []) inputTokens += countTokens(call.name) + countTokens(call.arguments);
  }
  if (tools?.length) inputTokens += countTokens(JSON.stringify(tools));
  const outputTokens =
    countTokens(reply.content ?? '') + reply.toolCalls.reduce((sum, call) => sum + countTokens(call.name) + countTokens(call.arguments), 0);
  return { inputTokens, outputTokens, estimated: true };
}
