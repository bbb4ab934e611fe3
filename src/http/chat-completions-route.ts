import type { Request, Response } from 'express';
import { z } from 'zod';
import { InvalidInputError } from '../errors/index.ts';
import type { ChatMessage, ChatModel, GenerateRequest } from '../llm/index.ts';

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }).passthrough(),
  z.object({ role: z.literal('developer'), content: z.string() }).passthrough(),
  z.object({ role: z.literal('user'), content: z.string() }).passthrough(),
  z
    .object({
      role: z.literal('assistant'),
      content: z.string().nullable().optional(),
      tool_calls: z
        .array(z.object({ id: z.string(), type: z.literal('function'), function: z.object({ name: z.string(), arguments: z.string() }) }))
        .optional(),
    })
    .passthrough(),
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: z.string() }).passthrough(),
]);

const requestSchema = z
  .object({
    model: z.string().min(1),
    messages: z.array(messageSchema).min(1),
    tools: z
      .array(
        z.object({
          type: z.literal('function'),
          function: z.object({
            name: z.string(),
            description: z.string().optional(),
            parameters: z.record(z.string(), z.unknown()).optional(),
          }),
        }),
      )
      .optional(),
    tool_choice: z
      .union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) })])
      .optional(),
    temperature: z.number().optional(),
    max_tokens: z.number().int().optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: z.object({ type: z.enum(['text', 'json_object']) }).optional(),
    stream: z.boolean().optional(),
  })
  .passthrough();

let completions = 0;

/**
 * Serves a `ChatModel` as an OpenAI-compatible `POST /v1/chat/completions`, so the real `openai` client
 * path (and any other OpenAI-compatible tool) can run against the offline model. Non-streaming only.
 */
export function chatCompletionsHandler(model: ChatModel) {
  return async (request: Request, response: Response) => {
    const parsed = requestSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InvalidInputError(`Invalid chat completion request: ${issue?.path.join('.') || 'body'}: ${issue?.message}`, {
        field: issue?.path.join('.') || 'body',
      });
    }
    const body = parsed.data;
    if (body.stream) throw new InvalidInputError('Streaming is not supported by this endpoint; send stream: false.', { field: 'stream' });
    const messages: ChatMessage[] = body.messages.map((message) => {
      switch (message.role) {
        case 'system':
        case 'developer':
          return { role: 'system', content: message.content };
        case 'user':
          return { role: 'user', content: message.content };
        case 'assistant':
          return {
            role: 'assistant',
            content: message.content ?? null,
            toolCalls: (message.tool_calls ?? []).map((call) => ({
              id: call.id,
              name: call.function.name,
              arguments: call.function.arguments,
            })),
          };
        case 'tool':
          return { role: 'tool', toolCallId: message.tool_call_id, content: message.content };
      }
    });
    const generateRequest: GenerateRequest = {
      messages,
      tools: body.tools?.map((tool) => ({
        name: tool.function.name,
        description: tool.function.description ?? '',
        parameters: tool.function.parameters ?? { type: 'object' },
      })),
      toolChoice: typeof body.tool_choice === 'object' ? { name: body.tool_choice.function.name } : body.tool_choice,
      temperature: body.temperature,
      maxTokens: body.max_tokens,
      // As OpenAI reads it: with tools, parallel calls are allowed unless the request says otherwise.
      parallelToolCalls: body.parallel_tool_calls ?? (body.tools?.length ? true : undefined),
      responseFormat: body.response_format,
    };
    const result = await model.generate(generateRequest);
    completions += 1;
    response.json({
      id: `chatcmpl-${model.provider}-${completions}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: result.modelId,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: result.message.content,
            ...(result.message.toolCalls.length
              ? {
                  tool_calls: result.message.toolCalls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
            refusal: null,
          },
          finish_reason: result.finishReason,
          logprobs: null,
        },
      ],
      usage: {
        prompt_tokens: result.usage.inputTokens,
        completion_tokens: result.usage.outputTokens,
        total_tokens: result.usage.inputTokens + result.usage.outputTokens,
      },
    });
  };
}
