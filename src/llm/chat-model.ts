/**
 * The narrow seam between the agent and any language model (the vercel/ai `LanguageModel` way): one
 * `generate` call in, one assistant message out. The agent loop depends on this alone; only
 * `openai-chat-model.ts` imports `openai`.
 */

/** A tool call the model asked for. `arguments` is the raw JSON text the model wrote (it may be invalid). */
export interface ToolCall {
  id: string;
  name: string;
  arguments: string;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/** A tool offered to the model: its name, what it does, and its input as JSON Schema. */
export interface ToolDefinition {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  /** True when the server reported no usage and the counts were estimated with a tokenizer. */
  estimated: boolean;
}

export interface GenerateRequest {
  messages: ChatMessage[];
  tools?: ToolDefinition[];
  /** `auto` (default), `none`, `required`, or one tool by name. */
  toolChoice?: 'auto' | 'none' | 'required' | { name: string };
  temperature?: number;
  maxTokens?: number;
  /** `json_object` asks for a JSON reply (the final-answer format when tools are not used for it). */
  responseFormat?: { type: 'text' } | { type: 'json_object' };
  /** Whether the reply may hold several tool calls (OpenAI's `parallel_tool_calls`). Off by default. */
  parallelToolCalls?: boolean;
  /** Aborts the call, for example when the HTTP client disconnects. */
  signal?: AbortSignal;
}

export interface GenerateResponse {
  message: { role: 'assistant'; content: string | null; toolCalls: ToolCall[] };
  usage: Usage;
  /** The model that answered, as the server reports it. */
  modelId: string;
  /** `stop`, `tool_calls`, `length`, `content_filter`, … as the server reports it. */
  finishReason: string;
  latencyMs: number;
}

export interface ChatModel {
  /** Who serves it, for example `openai` or `offline`. */
  readonly provider: string;
  /** The model id requested, for example `gpt-4o-mini`. */
  readonly modelId: string;
  generate(request: GenerateRequest): Promise<GenerateResponse>;
}

/** A single model for any prompt version (tests and one-tier setups); see `TierProvider` for cascades. */
export type ModelProvider = (requestedModel?: string) => ChatModel;
