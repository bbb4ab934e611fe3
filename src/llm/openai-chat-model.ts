import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { abortedWith } from '../flow/index.ts';
import { ModelRequestError, ModelUnavailableError, RequestAbortedError } from '../errors/index.ts';
import type { ChatMessage, ChatModel, GenerateRequest, GenerateResponse } from './chat-model.ts';
import { estimateUsage } from './token-estimate.ts';

export interface OpenAiChatModelOptions {
  /** The model to request, for example `gpt-4o-mini`, or whatever a compatible server serves. */
  model: string;
  apiKey?: string;
  /** Any OpenAI-compatible endpoint: Azure OpenAI, vLLM, Ollama, llama.cpp server, LM Studio. */
  baseUrl?: string;
  organization?: string;
  /** Per attempt (the client applies it to each try, so a call can take up to (maxRetries + 1) × this plus backoff). */
  timeoutMs: number;
  /**
   * Retries of 408/409/429/5xx and connection errors or timeouts, by the `openai` client: exponential
   * backoff with jitter, honouring `Retry-After` / `retry-after-ms`.
   */
  maxRetries: number;
  now?: () => number;
}

function toOpenAiMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        // The API refuses an assistant message with neither content nor tool calls.
        content: message.content ?? (message.toolCalls?.length ? null : ''),
        ...(message.toolCalls?.length
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

/** The `ChatModel` over the `openai` 6.x client. The only file that imports `openai`. */
export class OpenAiChatModel implements ChatModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private readonly client: OpenAI;
  private readonly now: () => number;

  constructor(options: OpenAiChatModelOptions) {
    this.modelId = options.model;
    this.now = options.now ?? (() => performance.now());
    this.client = new OpenAI({
      // Local servers (Ollama, vLLM) accept any key; the client insists on one.
      apiKey: options.apiKey || 'not-needed',
      baseURL: options.baseUrl,
      organization: options.organization,
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
    });
  }

  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const tools = request.tools?.length ? request.tools : undefined;
    const body: ChatCompletionCreateParamsNonStreaming = {
      model: this.modelId,
      messages: request.messages.map(toOpenAiMessage),
      ...(tools
        ? {
            tools: tools.map((tool) => ({
              type: 'function' as const,
              function: { name: tool.name, description: tool.description, parameters: tool.parameters },
            })),
            tool_choice:
              typeof request.toolChoice === 'object'
                ? { type: 'function' as const, function: { name: request.toolChoice.name } }
                : (request.toolChoice ?? 'auto'),
            parallel_tool_calls: request.parallelToolCalls ?? false,
          }
        : {}),
      ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
      ...(request.maxTokens !== undefined ? { max_tokens: request.maxTokens } : {}),
      ...(request.responseFormat ? { response_format: request.responseFormat } : {}),
    };
    const started = this.now();
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    try {
      completion = await this.client.chat.completions.create(body, { signal: request.signal });
    } catch (error) {
      if (request.signal?.aborted) throw abortedWith(request.signal, error);
      if (error instanceof OpenAI.APIUserAbortError) throw new RequestAbortedError('The model call was cancelled.', {}, { cause: error });
      const status = error instanceof OpenAI.APIError ? (error.status ?? null) : null;
      // 408, 409, 429 and 5xx were retried and are outages; other 4xx are the request itself being refused.
      if (status !== null && status >= 400 && status < 500 && ![408, 409, 429].includes(status)) {
        throw new ModelRequestError(
          `The model ${this.modelId} refused the request (HTTP ${status}): ${(error as Error).message}`,
          { model: this.modelId, status },
          { cause: error },
        );
      }
      const kind =
        error instanceof OpenAI.APIConnectionTimeoutError
          ? 'timeout'
          : error instanceof OpenAI.APIConnectionError
            ? 'connection'
            : status
              ? `HTTP ${status}`
              : 'error';
      throw new ModelUnavailableError(
        `The model ${this.modelId} is unavailable (${kind}): ${(error as Error).message}`,
        { model: this.modelId, status, kind },
        { cause: error },
      );
    }
    const latencyMs = Math.round(this.now() - started);
    const choice = completion.choices[0];
    if (!choice) throw new ModelUnavailableError(`The model ${this.modelId} returned no choices.`, { model: this.modelId });
    // Some OpenAI-compatible servers give parallel calls no id or the same one; each needs its own, since
    // each tool result answers one id.
    const seenIds = new Set<string>();
    const toolCalls = (choice.message.tool_calls ?? [])
      .filter((call) => call.type === 'function')
      .map((call, position) => {
        const id = call.id && !seenIds.has(call.id) ? call.id : `call_${completion.id || 'reply'}_${position + 1}`;
        seenIds.add(id);
        return { id, name: call.function.name, arguments: call.function.arguments ?? '' };
      });
    // A refusal is the model's answer in prose; the loop treats it like any reply without final_answer.
    const message = { role: 'assistant' as const, content: choice.message.content ?? choice.message.refusal ?? null, toolCalls };
    const reported = completion.usage;
    const usage =
      reported && Number.isFinite(reported.prompt_tokens) && Number.isFinite(reported.completion_tokens)
        ? { inputTokens: reported.prompt_tokens, outputTokens: reported.completion_tokens, estimated: false }
        : estimateUsage(request.messages, tools, message);
    return { message, usage, modelId: completion.model || this.modelId, finishReason: choice.finish_reason ?? 'stop', latencyMs };
  }
}
