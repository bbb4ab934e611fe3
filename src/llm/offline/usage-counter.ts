import type { ChatMessage, ToolCall, ToolDefinition, Usage } from '../chat-model.ts';
import { estimateUsage } from '../token-estimate.ts';

/**
 * The tokens the offline model read and wrote, counted with the same tokenizer rule as any estimate. The
 * model knows its own counts, so for it they are exact: `estimated` is false.
 */
export function countUsage(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] | undefined,
  reply: { content: string | null; toolCalls: readonly ToolCall[] },
): Usage {
  return { ...estimateUsage(messages, tools, reply), estimated: false };
}
