import OpenAI from 'openai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  OpenAiTestServer,
  connectionResetStep,
  contentStep,
  estimateCompletionTokens,
  estimatePromptTokens,
  malformedArgumentsStep,
  neverEndingToolCallsHandler,
  rateLimitThenSuccessSteps,
  serverErrorStep,
  slowStep,
  toolCallStep,
  unknownToolStep,
} from '../support/openai-server.ts';

const apiKey = 'sk-test-openai-server';
const model = 'gpt-4o-mini';

let server: OpenAiTestServer;

beforeEach(async () => {
  server = await OpenAiTestServer.start({ apiKey });
});

afterEach(async () => {
  await server.close();
});

/** A real `openai` client pointed at the test server; no retries and a short timeout unless asked. */
function newClient(options: { maxRetries?: number; timeout?: number; apiKey?: string } = {}): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? apiKey,
    baseURL: server.baseUrl,
    maxRetries: options.maxRetries ?? 0,
    timeout: options.timeout ?? 5_000,
  });
}

const userMessages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
  { role: 'system', content: 'You write SQL.' },
  { role: 'user', content: 'How many customers are there?' },
];

const runSqlTool: OpenAI.Chat.Completions.ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'run_sql',
    description: 'Runs one read-only query.',
    parameters: { type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] },
  },
};

function ask(client: OpenAI, extra: Partial<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming> = {}) {
  return client.chat.completions.create({ model, messages: userMessages, ...extra });
}

async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

describe('OpenAiTestServer driven by the real openai client', () => {
  it('gives a baseUrl ending in /v1 on loopback', () => {
    expect(server.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
  });

  it('answers a tool call that parses into choices[0].message.tool_calls', async () => {
    server.enqueue(toolCallStep('run_sql', { sql: 'SELECT count(*) FROM customers' }));
    const completion = await ask(newClient(), { tools: [runSqlTool] });

    expect(completion).toMatchObject({ object: 'chat.completion', model, system_fingerprint: expect.any(String) });
    expect(completion.id).toMatch(/^chatcmpl-/);
    expect(completion.created).toBeCloseTo(Date.now() / 1000, -1);
    const choice = completion.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.index).toBe(0);
    expect(choice.logprobs).toBeNull();
    expect(choice.message).toEqual({
      role: 'assistant',
      content: null,
      refusal: null,
      tool_calls: [
        { id: 'call_0_0', type: 'function', function: { name: 'run_sql', arguments: '{"sql":"SELECT count(*) FROM customers"}' } },
      ],
    });
    expect(completion._request_id).toMatch(/^req_/);
  });

  it('answers several tool calls with given ids, and text next to them', async () => {
    server.enqueue({
      content: 'Let me look.',
      toolCalls: [
        { name: 'list_tables', arguments: {}, id: 'call_a' },
        { name: 'run_sql', arguments: '{"sql":"SELECT 1"}', id: 'call_b' },
      ],
    });
    const message = (await ask(newClient(), { tools: [runSqlTool] })).choices[0].message;
    expect(message.content).toBe('Let me look.');
    expect(
      message.tool_calls?.map((call) => (call.type === 'function' ? [call.id, call.function.name, call.function.arguments] : [])),
    ).toEqual([
      ['call_a', 'list_tables', '{}'],
      ['call_b', 'run_sql', '{"sql":"SELECT 1"}'],
    ]);
  });

  it('answers text with finish_reason stop, echoing the model unless the step overrides it', async () => {
    server.enqueue(contentStep('There are 42 customers.'), contentStep('cut', { model: 'gpt-4o-mini-2024-07-18', finishReason: 'length' }));
    const client = newClient();

    const first = await ask(client);
    expect(first.model).toBe(model);
    expect(first.choices[0].finish_reason).toBe('stop');
    expect(first.choices[0].message).toEqual({ role: 'assistant', content: 'There are 42 customers.', refusal: null });
    expect(first.choices[0].message).not.toHaveProperty('tool_calls');

    const second = await ask(client);
    expect(second.model).toBe('gpt-4o-mini-2024-07-18');
    expect(second.choices[0].finish_reason).toBe('length');
  });

  it('reports deterministic usage by default, explicit usage as given, and none with usage: null', async () => {
    server.enqueue(
      contentStep('forty-two'),
      contentStep('x', { usage: { promptTokens: 1000, completionTokens: 20 } }),
      contentStep('y', { usage: null }),
    );
    const client = newClient();

    const first = await ask(client);
    const expectedPrompt = estimatePromptTokens({ messages: userMessages });
    const expectedCompletion = estimateCompletionTokens({ role: 'assistant', content: 'forty-two', refusal: null });
    expect(expectedPrompt).toBe(Math.ceil(('You write SQL.'.length + 'How many customers are there?'.length) / 4));
    expect(first.usage).toEqual({
      prompt_tokens: expectedPrompt,
      completion_tokens: expectedCompletion,
      total_tokens: expectedPrompt + expectedCompletion,
    });

    expect((await ask(client)).usage).toEqual({ prompt_tokens: 1000, completion_tokens: 20, total_tokens: 1020 });

    const third = await ask(client);
    expect(third.usage).toBeUndefined();
    expect(third).not.toHaveProperty('usage');
  });

  it('sends malformed tool arguments verbatim, and unknown tool names as they are', async () => {
    server.enqueue(malformedArgumentsStep('run_sql', '{"sql": "SELECT 1",'), unknownToolStep('drop_all_tables', { really: true }));
    const client = newClient();

    const malformed = (await ask(client, { tools: [runSqlTool] })).choices[0].message.tool_calls?.[0];
    expect(malformed?.type === 'function' && malformed.function).toEqual({ name: 'run_sql', arguments: '{"sql": "SELECT 1",' });
    expect(() => JSON.parse(malformed?.type === 'function' ? malformed.function.arguments : '')).toThrow(SyntaxError);

    const unknown = (await ask(client, { tools: [runSqlTool] })).choices[0].message.tool_calls?.[0];
    expect(unknown?.type === 'function' && unknown.function).toEqual({ name: 'drop_all_tables', arguments: '{"really":true}' });
  });

  it('lets the client retry a 429 with retry-after: 0, then succeed', async () => {
    server.enqueue(...rateLimitThenSuccessSteps(contentStep('after the rate limit')));
    const started = Date.now();
    const completion = await ask(newClient({ maxRetries: 2 }));

    expect(completion.choices[0].message.content).toBe('after the rate limit');
    expect(Date.now() - started).toBeLessThan(400);
    expect(server.requests).toHaveLength(2);
    expect(server.requests.map((request) => request.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    expect(server.requests[1].rawBody).toBe(server.requests[0].rawBody);
    expect(server.remainingSteps).toBe(0);
  });

  it('rejects with RateLimitError when the client may not retry the 429', async () => {
    server.enqueue(...rateLimitThenSuccessSteps(contentStep('never reached')));
    const error = await rejectionOf(ask(newClient({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error).toMatchObject({ status: 429, code: 'rate_limit_exceeded', type: 'requests' });
    expect(server.remainingSteps).toBe(1);
  });

  it('makes the client wait as long as retry-after-ms says', async () => {
    server.enqueue({ status: 503, headers: { 'retry-after-ms': '150' } }, contentStep('later'));
    await ask(newClient({ maxRetries: 1 }));
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1].receivedAt - server.requests[0].receivedAt).toBeGreaterThanOrEqual(140);
  });

  it('rejects a 500 with InternalServerError when maxRetries is 0', async () => {
    server.enqueue(serverErrorStep({ message: 'The engine overheated.' }));
    const error = await rejectionOf(ask(newClient({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error).toMatchObject({ status: 500, type: 'server_error', code: null, param: null, message: '500 The engine overheated.' });
    expect((error as InstanceType<typeof OpenAI.InternalServerError>).requestID).toMatch(/^req_/);
    expect(server.requests).toHaveLength(1);
  });

  it('lets the client retry 500s until its retries run out', async () => {
    server.enqueue(serverErrorStep(), serverErrorStep(), serverErrorStep(), contentStep('never reached'));
    const error = await rejectionOf(ask(newClient({ maxRetries: 2 })));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.requests).toHaveLength(3);
  });

  it('obeys x-should-retry over the status code', async () => {
    server.enqueue(
      { status: 503, headers: { 'x-should-retry': 'false' } },
      { status: 400, headers: { 'x-should-retry': 'true', 'retry-after-ms': '0' } },
      contentStep('ok'),
    );
    const client = newClient({ maxRetries: 2 });

    expect(await rejectionOf(ask(client))).toBeInstanceOf(OpenAI.InternalServerError);
    expect(server.requests).toHaveLength(1);

    expect((await ask(client)).choices[0].message.content).toBe('ok');
    expect(server.requests).toHaveLength(3);
  });

  it('passes a non-OpenAI error body through (the client only reads error.message from { error: … })', async () => {
    server.enqueue({ status: 502, body: 'Bad gateway from the proxy' }, { status: 500, body: { detail: 'not the OpenAI shape' } });
    const client = newClient();

    const text = await rejectionOf(ask(client));
    expect(text).toBeInstanceOf(OpenAI.InternalServerError);
    expect(text.message).toBe('502 Bad gateway from the proxy');

    const json = await rejectionOf(ask(client));
    expect(json).toBeInstanceOf(OpenAI.InternalServerError);
    expect(json.message).toBe('500 status code (no body)');
  });

  it('holds a slow response beyond the client timeout: APIConnectionTimeoutError', async () => {
    server.enqueue(slowStep(2_000));
    const started = Date.now();
    const error = await rejectionOf(ask(newClient({ timeout: 100, maxRetries: 0 })));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(error.message).toBe('Request timed out.');
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(server.requests).toHaveLength(1);
  });

  it('lets the client retry after a timeout (timeouts are retried, with its default backoff)', async () => {
    server.enqueue(slowStep(2_000), contentStep('second try'));
    const completion = await ask(newClient({ timeout: 150, maxRetries: 1 }));
    expect(completion.choices[0].message.content).toBe('second try');
    expect(server.requests).toHaveLength(2);
  });

  it('answers a slow step once the delay is over when the client waits', async () => {
    server.enqueue(slowStep(80, toolCallStep('run_sql', { sql: 'SELECT 1' })));
    const started = Date.now();
    const completion = await ask(newClient({ timeout: 2_000 }), { tools: [runSqlTool] });
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
  });

  it('resets the connection: APIConnectionError, not a timeout', async () => {
    server.enqueue(connectionResetStep());
    const error = await rejectionOf(ask(newClient({ maxRetries: 0 })));
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    expect(error).not.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(error.message).toBe('Connection error.');
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a wrong or missing key with 401: AuthenticationError, not retried, no step taken', async () => {
    server.enqueue(contentStep('for the right key only'));

    const wrong = await rejectionOf(ask(newClient({ apiKey: 'sk-wrong', maxRetries: 2 })));
    expect(wrong).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(wrong).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ callIndex: null, headers: { authorization: 'Bearer sk-wrong' } });

    const missing = await fetch(`${server.baseUrl}/chat/completions`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({
      error: { message: expect.stringContaining("didn't provide an API key"), type: 'invalid_request_error', param: null, code: null },
    });

    expect(server.remainingSteps).toBe(1);
    expect((await ask(newClient())).choices[0].message.content).toBe('for the right key only');
  });

  it('accepts any key when started without one', async () => {
    const open = await OpenAiTestServer.start();
    try {
      open.enqueue(contentStep('open'));
      const client = new OpenAI({ apiKey: 'anything', baseURL: open.baseUrl, maxRetries: 0 });
      expect((await client.chat.completions.create({ model, messages: userMessages })).choices[0].message.content).toBe('open');
    } finally {
      await open.close();
    }
  });

  it('fails an unscripted call loudly with 500 "no scripted response for call N", without client retries', async () => {
    server.enqueue(contentStep('the only step'));
    const client = newClient({ maxRetries: 2 });
    await ask(client);

    const error = await rejectionOf(ask(client));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.message).toContain('no scripted response for call 2');
    expect(server.requests).toHaveLength(2);
    expect(server.callsAnswered).toBe(2);
  });

  it('falls back to the respond() handler when the queue is empty, e.g. a model that never stops calling tools', async () => {
    server.enqueue(contentStep('queued first'));
    server.respond(neverEndingToolCallsHandler('run_sql', (callIndex) => ({ sql: `SELECT ${callIndex}` })));
    const client = newClient();

    expect((await ask(client)).choices[0].message.content).toBe('queued first');
    for (const callIndex of [1, 2, 3, 4]) {
      const completion = await ask(client, { tools: [runSqlTool] });
      const call = completion.choices[0].message.tool_calls?.[0];
      expect(completion.choices[0].finish_reason).toBe('tool_calls');
      expect(call?.type === 'function' && call.function.arguments).toBe(`{"sql":"SELECT ${callIndex}"}`);
    }
    expect(server.chatCalls.map((request) => request.callIndex)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives the handler the recorded request, so it can answer by what was sent', async () => {
    server.respond((request) => contentStep(`you said: ${String(request.body.messages?.at(-1)?.content)}`));
    expect((await ask(newClient())).choices[0].message.content).toBe('you said: How many customers are there?');
  });

  it('turns a throwing handler into a 500 naming the call', async () => {
    server.respond(() => {
      throw new Error('handler bug');
    });
    const error = await rejectionOf(ask(newClient({ maxRetries: 2 })));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.message).toContain('handler threw for call 1');
    expect(error.message).toContain('handler bug');
    expect(server.requests).toHaveLength(1);
  });

  it('records the request the client sent: path, headers and the body fields', async () => {
    server.enqueue(contentStep('{"answer": 42}'));
    const conversation: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [
      { role: 'system', content: 'Answer in JSON.' },
      { role: 'user', content: 'How many customers?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'call_x', type: 'function', function: { name: 'run_sql', arguments: '{"sql":"SELECT count(*) FROM customers"}' } },
        ],
      },
      { role: 'tool', tool_call_id: 'call_x', content: '[{"count":42}]' },
    ];
    await newClient().chat.completions.create({
      model,
      messages: conversation,
      tools: [runSqlTool],
      tool_choice: { type: 'function', function: { name: 'run_sql' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_object' },
      temperature: 0,
      max_completion_tokens: 256,
    });

    const request = server.lastRequest();
    expect(request).toMatchObject({ method: 'POST', path: '/v1/chat/completions', callIndex: 0 });
    expect(request.receivedAt).toBeLessThanOrEqual(Date.now());
    expect(request.headers).toMatchObject({
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      accept: 'application/json',
      'x-stainless-retry-count': '0',
      'user-agent': expect.stringMatching(/^OpenAI\/JS /),
    });
    expect(request.body).toEqual({
      model,
      messages: conversation,
      tools: [runSqlTool],
      tool_choice: { type: 'function', function: { name: 'run_sql' } },
      parallel_tool_calls: false,
      response_format: { type: 'json_object' },
      temperature: 0,
      max_completion_tokens: 256,
    });
    expect(request.body).not.toHaveProperty('stream');
    expect(JSON.parse(request.rawBody)).toEqual(request.body);
  });

  it('sends the X-Stainless-Timeout header only for a per-request timeout', async () => {
    server.enqueue(contentStep('a'), contentStep('b'));
    const client = newClient({ timeout: 5_000 });
    await ask(client);
    await client.chat.completions.create({ model, messages: userMessages }, { timeout: 3_000 });
    expect(server.requests[0].headers).not.toHaveProperty('x-stainless-timeout');
    expect(server.requests[1].headers['x-stainless-timeout']).toBe('3');
  });

  it('rejects stream: true with a clear 400', async () => {
    server.enqueue(contentStep('not taken'));
    const error = await rejectionOf(newClient().chat.completions.create({ model, messages: userMessages, stream: true }));
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain('streaming (stream: true) is not supported');
    expect(server.remainingSteps).toBe(1);
  });

  it('rejects what the real API rejects, without taking a step', async () => {
    server.enqueue(contentStep('not taken'));
    const client = newClient();
    const cases: Array<[Partial<OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming>, string]> = [
      [{ parallel_tool_calls: false }, "'parallel_tool_calls' is only allowed when 'tools' are specified"],
      [{ tool_choice: 'auto' }, "'tool_choice' is only allowed when 'tools' are specified"],
      [{ messages: [] }, 'empty array'],
      [{ response_format: { type: 'json_object' } }, "must contain the word 'json'"],
      [
        { messages: [...userMessages, { role: 'tool', tool_call_id: 'call_nope', content: '[]' }] },
        "must be a response to a preceeding message with 'tool_calls'",
      ],
      [
        {
          messages: [
            ...userMessages,
            {
              role: 'assistant',
              content: null,
              tool_calls: [{ id: 'call_unanswered', type: 'function', function: { name: 'run_sql', arguments: '{}' } }],
            },
          ],
          tools: [runSqlTool],
        },
        'did not have response messages: call_unanswered',
      ],
    ];
    for (const [extra, message] of cases) {
      const error = await rejectionOf(ask(client, extra));
      expect(error, message).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.message).toContain(message);
    }
    expect(server.remainingSteps).toBe(1);
    expect(server.callsAnswered).toBe(0);
  });

  it('skips the real API checks when started with validateRequests: false', async () => {
    const lenient = await OpenAiTestServer.start({ validateRequests: false });
    try {
      lenient.enqueue(contentStep('fine'));
      const client = new OpenAI({ apiKey: 'anything', baseURL: lenient.baseUrl, maxRetries: 0 });
      const completion = await client.chat.completions.create({ model, messages: userMessages, parallel_tool_calls: false });
      expect(completion.choices[0].message.content).toBe('fine');
    } finally {
      await lenient.close();
    }
  });

  it('answers unknown routes with 404 in the OpenAI error shape', async () => {
    const error = await rejectionOf(newClient().models.list());
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('Invalid URL (GET /v1/models)');
  });

  it('clearRequests() forgets requests only; reset() forgets queue, handler, requests and the call count', async () => {
    server.enqueue(contentStep('one'), contentStep('two'), contentStep('three'));
    server.respond(() => contentStep('from the handler'));
    const client = newClient();
    await ask(client);

    server.clearRequests();
    expect(server.requests).toHaveLength(0);
    expect(server.remainingSteps).toBe(2);
    await ask(client);
    expect(server.requests[0].callIndex).toBe(1);

    server.reset();
    expect(server.requests).toHaveLength(0);
    expect(server.remainingSteps).toBe(0);
    expect(server.callsAnswered).toBe(0);
    const error = await rejectionOf(ask(client));
    expect(error.message).toContain('no scripted response for call 1');
  });

  it('close() cuts a pending slow response and kept-alive sockets promptly', async () => {
    server.enqueue(contentStep('kept alive'), slowStep(10_000));
    const client = newClient({ timeout: 20_000 });
    await ask(client);

    const pending = rejectionOf(ask(client));
    while (server.requests.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const started = Date.now();
    await server.close();
    const error = await pending;
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    await server.close();
  });
});
