import type { ChatMessage, ToolCall, ToolDefinition, Usage } from '../chat-model.ts';
import { tallyUsage } from '../token-estimate.ts';

/**
 * The tokens the offline model read and wrote, counted with the same tokenizer rule as any estimate. The
 * model knows its own counts, so for it they are exact (`estimated` false), unless a text was too long to
 * count whole.
 */
export function countUsage(
  messages: readonly ChatMessage[],
  tools: readonly ToolDefinition[] | undefined,
  reply: { content: string | null; toolCalls: readonly ToolCall[] },
): Usage {
  const { usage, exactly } = tallyUsage(messages, tools, reply);
  return { ...usage, estimated: !exactly };
}
