import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ModelRequestError, ModelUnavailableError, RequestAbortedError } from '../../src/errors/index.ts';
import type { GenerateRequest } from '../../src/llm/index.ts';
import { OpenAiChatModel } from '../../src/llm/openai-chat-model.ts';
import {
  contentStep,
  OpenAiTestServer,
  rateLimitThenSuccessSteps,
  serverErrorStep,
  slowStep,
  toolCallStep,
} from '../support/openai-server.ts';

const request: GenerateRequest = {
  messages: [
    { role: 'system', content: 'You write SQL.' },
    { role: 'user', content: 'How many orders?' },
  ],
  tools: [
    {
      name: 'execute_sql',
      description: 'Run SQL',
      parameters: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
    },
  ],
  temperature: 0,
};

describe('OpenAiChatModel against an OpenAI-compatible loopback server, through the real openai client', () => {
  let server: OpenAiTestServer;
  const model = (options: { maxRetries?: number; timeoutMs?: number } = {}) =>
    new OpenAiChatModel({
      model: 'gpt-4o-mini',
      apiKey: 'sk-test',
      baseUrl: server.baseUrl,
      timeoutMs: options.timeoutMs ?? 2000,
      maxRetries: options.maxRetries ?? 2,
    });

  beforeAll(async () => {
    server = await OpenAiTestServer.start({ apiKey: 'sk-test' });
  });
  afterAll(() => server?.close());
  beforeEach(() => server.reset());

  it('gives parallel tool calls that came with one id, or none, an id of their own', async () => {
    server.enqueue({
      toolCalls: [
        { name: 'execute_sql', arguments: { sql: 'SELECT 1' }, id: 'same' },
        { name: 'execute_sql', arguments: { sql: 'SELECT 2' }, id: 'same' },
        { name: 'execute_sql', arguments: { sql: 'SELECT 3' }, id: '' },
      ],
    });
    const response = await model().generate({ ...request, parallelToolCalls: true });
    expect(server.requests[0].body).toMatchObject({ parallel_tool_calls: true });
    const ids = response.message.toolCalls.map((call) => call.id);
    expect(ids[0]).toBe('same');
    expect(new Set(ids).size).toBe(3);
    expect(ids.every((id) => id.length > 0)).toBe(true);
  });

  it('sends messages and tools in the API shape and maps tool calls and usage back', async () => {
    server.enqueue(
      toolCallStep('execute_sql', { sql: 'SELECT COUNT(*) FROM orders' }, { usage: { promptTokens: 321, completionTokens: 12 } }),
    );
    const response = await model().generate(request);
    expect(response.message.toolCalls).toEqual([
      { id: expect.any(String), name: 'execute_sql', arguments: '{"sql":"SELECT COUNT(*) FROM orders"}' },
    ]);
    expect(response).toMatchObject({
      usage: { inputTokens: 321, outputTokens: 12, estimated: false },
      modelId: 'gpt-4o-mini',
      finishReason: 'tool_calls',
    });
    const sent = server.requests[0].body;
    expect(sent).toMatchObject({ model: 'gpt-4o-mini', temperature: 0, tool_choice: 'auto', parallel_tool_calls: false });
    expect(sent.tools?.[0]).toEqual({ type: 'function', function: request.tools![0] });
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-test');
  });

  it('retries a 429 (honouring Retry-After) and succeeds', async () => {
    server.enqueue(...rateLimitThenSuccessSteps(contentStep('fine')));
    const response = await model().generate(request);
    expect(response.message.content).toBe('fine');
    expect(server.requests).toHaveLength(2);
  });

  it('raises ModelUnavailableError with the cause after the last retry of a 500', async () => {
    server.enqueue(serverErrorStep(), serverErrorStep());
    const error = await model({ maxRetries: 1 })
      .generate(request)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.details).toMatchObject({ model: 'gpt-4o-mini', status: 500 });
    expect(error.cause).toBeTruthy();
    expect(server.requests).toHaveLength(2);
  });

  it('raises ModelRequestError, without retrying, when the API refuses the request itself', async () => {
    server.enqueue({ status: 400, message: "This model's maximum context length is 128000 tokens." });
    const error = await model()
      .generate(request)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelRequestError);
    expect(error.message).toMatch(/refused the request \(HTTP 400\): .*maximum context length/);
    expect(server.requests).toHaveLength(1);
  });

  it('raises ModelUnavailableError for a response slower than the timeout', async () => {
    server.enqueue(slowStep(3000));
    const error = await model({ maxRetries: 0, timeoutMs: 300 })
      .generate(request)
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(ModelUnavailableError);
    expect(error.details.kind).toBe('timeout');
  });

  it('estimates usage with the tokenizer when the server reports none, and says so', async () => {
    server.enqueue(contentStep('There are 8000 orders.', { usage: null }));
    const response = await model().generate(request);
    expect(response.usage.estimated).toBe(true);
    expect(response.usage.inputTokens).toBeGreaterThan(20);
    expect(response.usage.outputTokens).toBe(7);
  });

  it('aborts the call in flight when the signal fires', async () => {
    server.enqueue(slowStep(3000));
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(model().generate({ ...request, signal: controller.signal })).rejects.toBeInstanceOf(RequestAbortedError);
  });
});
