import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ModelUnavailableError } from '../../src/errors/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { OpenAiChatModel } from '../../src/llm/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { callTool, ScriptedChatModel } from '../support/scripted-chat-model.ts';

describe('a ChatModel served as an OpenAI-compatible /v1/chat/completions, called by the real openai client', () => {
  let app: App;
  let server: Server;
  let base: string;
  const scripted = new ScriptedChatModel(
    (request, index) => (index === 0 ? callTool('execute_sql', { sql: 'SELECT 1' }, { inputTokens: 42, outputTokens: 7 }) : { content: `seen ${request.messages.length} messages`, usage: { inputTokens: 50, outputTokens: 3 } }),
    'offline',
  );

  beforeAll(async () => {
    app = createApp(loadConfig({ env: {}, overrides: { datasources: [] } }), { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app, { chatCompletionsModel: scripted })));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
  });

  it('round-trips messages, tools, tool calls and usage', async () => {
    const client = new OpenAiChatModel({ model: 'offline', baseUrl: `${base}/v1`, timeoutMs: 5000, maxRetries: 0 });
    const tools = [{ name: 'execute_sql', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } }];
    const first = await client.generate({ messages: [{ role: 'system', content: 'sys' }, { role: 'user', content: 'How many?' }], tools });
    expect(first.message.toolCalls).toEqual([{ id: 'call_1_1', name: 'execute_sql', arguments: '{"sql":"SELECT 1"}' }]);
    expect(first).toMatchObject({ usage: { inputTokens: 42, outputTokens: 7, estimated: false }, modelId: 'offline', finishReason: 'tool_calls' });
    const second = await client.generate({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'How many?' },
        { role: 'assistant', content: null, toolCalls: first.message.toolCalls },
        { role: 'tool', toolCallId: 'call_1_1', content: '{"rows":[[1]]}' },
      ],
      tools,
    });
    expect(second.message.content).toBe('seen 4 messages');
    expect(scripted.calls[1].messages[3]).toEqual({ role: 'tool', toolCallId: 'call_1_1', content: '{"rows":[[1]]}' });
    expect(scripted.calls[0].tools).toEqual(tools);
    expect(scripted.calls[0].parallelToolCalls).toBe(false);
  });

  it('answers a malformed request with 400 naming the field, which the client reports', async () => {
    const response = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'offline', messages: [] }) });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toMatch(/messages: /);
    const streaming = await fetch(`${base}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'offline', stream: true, messages: [{ role: 'user', content: 'x' }] }) });
    expect(((await streaming.json()) as any).error.message).toMatch(/Streaming is not supported/);
    const client = new OpenAiChatModel({ model: 'offline', baseUrl: `${base}/v1`, timeoutMs: 5000, maxRetries: 0 });
    await expect(client.generate({ messages: [] })).rejects.toBeInstanceOf(ModelUnavailableError);
  });
});
