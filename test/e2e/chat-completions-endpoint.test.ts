import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ModelRequestError } from '../../src/errors/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { OpenAiChatModel } from '../../src/llm/openai-chat-model.ts';
import { OfflineChatModel } from '../../src/llm/offline/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { callTool, ScriptedChatModel } from '../support/scripted-chat-model.ts';

describe('a ChatModel served as an OpenAI-compatible /v1/chat/completions, called by the real openai client', () => {
  let app: App;
  let server: Server;
  let base: string;
  const scripted = new ScriptedChatModel(
    (request, index) =>
      index === 0
        ? callTool('execute_sql', { sql: 'SELECT 1' }, { inputTokens: 42, outputTokens: 7 })
        : { content: `seen ${request.messages.length} messages`, usage: { inputTokens: 50, outputTokens: 3 } },
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
    const tools = [
      { name: 'execute_sql', description: 'Run SQL', parameters: { type: 'object', properties: { sql: { type: 'string' } } } },
    ];
    const first = await client.generate({
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'How many?' },
      ],
      tools,
    });
    expect(first.message.toolCalls).toEqual([{ id: 'call_1_1', name: 'execute_sql', arguments: '{"sql":"SELECT 1"}' }]);
    expect(first).toMatchObject({
      usage: { inputTokens: 42, outputTokens: 7, estimated: false },
      modelId: 'offline',
      finishReason: 'tool_calls',
    });
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

  it('reads a request with tools and no parallel_tool_calls as OpenAI does: parallel calls allowed', async () => {
    const sent = (extra: Record<string, unknown>) =>
      fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'offline',
          messages: [{ role: 'user', content: 'How many?' }],
          tools: [{ type: 'function', function: { name: 'execute_sql', parameters: { type: 'object' } } }],
          ...extra,
        }),
      });
    const before = scripted.calls.length;
    expect((await sent({})).status).toBe(200);
    expect((await sent({ parallel_tool_calls: false })).status).toBe(200);
    expect(scripted.calls.slice(before).map((call) => call.parallelToolCalls)).toEqual([true, false]);
  });

  it('answers a malformed request with 400 naming the field, which the client reports', async () => {
    const response = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'offline', messages: [] }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).error.message).toMatch(/messages: /);
    const streaming = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'offline', stream: true, messages: [{ role: 'user', content: 'x' }] }),
    });
    expect(((await streaming.json()) as any).error.message).toMatch(/Streaming is not supported/);
    const client = new OpenAiChatModel({ model: 'offline', baseUrl: `${base}/v1`, timeoutMs: 5000, maxRetries: 0 });
    await expect(client.generate({ messages: [] })).rejects.toBeInstanceOf(ModelRequestError);
  });
});

describe('the offline model behind the OpenAI-compatible endpoint, driven by the real openai client', () => {
  it('answers through the same agent loop as a hosted model would', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-offline-endpoint-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const serving = createApp(loadConfig({ env: {}, overrides: { datasources: [] } }), { logger: createLogger('silent') });
    const endpoint = await listenOnLoopback(createHttpApp(serving, { chatCompletionsModel: new OfflineChatModel() }));
    const config = loadConfig({
      env: {},
      overrides: { datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }] },
    });
    const client = new OpenAiChatModel({ model: 'offline', baseUrl: `${endpoint.base}/v1`, timeoutMs: 10_000, maxRetries: 0 });
    const asking = createApp(config, { logger: createLogger('silent'), models: () => client });
    try {
      const result = await asking.agent.ask({ datasource: 'shop', question: 'How many customers live in Germany?' });
      expect(result).toMatchObject({ rows: [[383]], model: 'offline', answer: '383 customers live in Germany.' });
      expect(result.usage.offline.estimated).toBe(false);
      expect(result.steps.map((step) => step.tool).at(-1)).toBe('final_answer');
    } finally {
      endpoint.server.close();
      await asking.close();
      await serving.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
