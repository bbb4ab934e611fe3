import type { ChatModel, GenerateRequest, GenerateResponse, ToolCall, Usage } from '../../src/llm/index.ts';

/** One scripted reply: text and/or tool calls, with optional usage, model id and finish reason. */
export interface ScriptedReply {
  content?: string | null;
  toolCalls?: Array<{ name: string; arguments: string | object; id?: string }>;
  usage?: Partial<Usage>;
  modelId?: string;
  finishReason?: string;
}

export type Script =
  ScriptedReply | ScriptedReply[] | ((request: GenerateRequest, callIndex: number) => ScriptedReply | Promise<ScriptedReply>);

/**
 * A `ChatModel` whose replies are scripted (the vercel/ai mock-language-model way): a fixed reply, an
 * array indexed by call number, or a function. Every call is recorded; a call past the end of an array
 * throws, so a test that expects N calls fails loudly on the N+1th.
 */
export class ScriptedChatModel implements ChatModel {
  readonly provider = 'scripted';
  readonly calls: GenerateRequest[] = [];

  constructor(
    private readonly script: Script,
    readonly modelId = 'gpt-4o-mini',
  ) {}

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const index = this.calls.length;
    this.calls.push(structuredClone({ ...request, signal: undefined }));
    if (request.signal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
    let reply: ScriptedReply;
    if (typeof this.script === 'function') reply = await this.script(request, index);
    else if (Array.isArray(this.script)) {
      if (index >= this.script.length)
        throw new Error(`ScriptedChatModel: unexpected call ${index + 1}; only ${this.script.length} replies are scripted.`);
      reply = this.script[index];
    } else reply = this.script;
    const toolCalls: ToolCall[] = (reply.toolCalls ?? []).map((call, position) => ({
      id: call.id ?? `call_${index + 1}_${position + 1}`,
      name: call.name,
      arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments),
    }));
    return {
      message: { role: 'assistant', content: reply.content ?? null, toolCalls },
      usage: {
        inputTokens: reply.usage?.inputTokens ?? 100,
        outputTokens: reply.usage?.outputTokens ?? 10,
        estimated: reply.usage?.estimated ?? false,
      },
      modelId: reply.modelId ?? this.modelId,
      finishReason: reply.finishReason ?? (toolCalls.length ? 'tool_calls' : 'stop'),
      latencyMs: 5,
    };
  }
}

/** A reply that calls one tool. */
export const callTool = (name: string, args: object | string, usage?: Partial<Usage>): ScriptedReply => ({
  toolCalls: [{ name, arguments: args }],
  usage,
});

/** A reply that gives the final answer. */
export const finalAnswer = (sql: string, answer: string, usage?: Partial<Usage>): ScriptedReply =>
  callTool('final_answer', { sql, answer, explanation: 'scripted' }, usage);
