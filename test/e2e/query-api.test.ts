import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import {
  malformedArgumentsStep,
  neverEndingToolCallsHandler,
  OpenAiTestServer,
  serverErrorStep,
  slowStep,
  toolCallStep,
  unknownToolStep,
} from '../support/openai-server.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const adminToken = 'admin-token-for-tests-0123456789';
const json = (response: Response): Promise<any> => response.json();

describe('POST /v1/query end to end: real HTTP, the real openai client against a loopback model, PGlite', () => {
  let llm: OpenAiTestServer;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  // These tests are about the agent, so they bypass the result cache (covered in query-cache.test.ts).
  const germany = { datasource: 'shop', question: 'How many customers live in Germany?', userId: 'ana', cache: 'bypass' };
  const countGermany = "SELECT COUNT(*) AS customers FROM customers WHERE country = 'Germany'";

  beforeAll(async () => {
    llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-query-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = loadConfig({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl, SQLAGENT_ADMIN_TOKEN: adminToken },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        // Each test scripts its own model: no breaker carries one test's outage into the next.
        llm: { apiKey: 'sk-test', baseUrl: llm.baseUrl, maxRetries: 1, timeoutMs: 3000, breakerCooldownMs: 0 },
        agent: { maxSteps: 4 },
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await llm?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => llm.reset());

  it('answers with the SQL, rows, prompt version, model, steps, usage, cost, latency and a trace id', async () => {
    llm.enqueue(
      toolCallStep('search_metadata', { query: 'Germany' }, { usage: { promptTokens: 1000, completionTokens: 10 } }),
      toolCallStep('execute_sql', { sql: countGermany }, { usage: { promptTokens: 1100, completionTokens: 20 } }),
      toolCallStep(
        'final_answer',
        { sql: countGermany, answer: '383 customers live in Germany.' },
        { usage: { promptTokens: 1200, completionTokens: 30 } },
      ),
    );
    const response = await post(germany);
    expect(response.status).toBe(200);
    const body = await json(response);
    expect(response.headers.get('x-trace-id')).toBe(body.traceId);
    expect(body).toMatchObject({
      answer: '383 customers live in Germany.',
      sql: countGermany,
      rows: [[383]],
      label: 'production',
      promptVersion: shippedLabels.production,
      model: 'gpt-4o-mini',
      usage: { 'gpt-4o-mini': { inputTokens: 3300, outputTokens: 60, calls: 3, estimated: false } },
    });
    expect(body.costUsd).toBeCloseTo((3300 * 0.15 + 60 * 0.6) / 1e6, 12);
    expect(body.steps.map((step: { tool: string }) => step.tool)).toEqual(['search_metadata', 'execute_sql', 'final_answer']);
    expect(body.latency.totalMs).toBeGreaterThanOrEqual(body.latency.llmMs);
    expect(llm.requests[0].body.messages?.[0]?.content).toContain('Today is 2025-07-01.');
    // The answer is in the service's metrics, without any user id.
    const exposition = await app.metrics.exposition();
    expect(exposition).toMatch(/sqlagent_llm_tokens_total\{[^}]*model="gpt-4o-mini"[^}]*direction="input"[^}]*\} 3300/);
    expect(exposition).toMatch(/sqlagent_request_duration_seconds_count\{[^}]*datasource="shop"[^}]*outcome="answered"[^}]*\} 1/);
    expect(exposition).not.toContain('ana');
  });

  it('feeds malformed arguments and unknown tools back to the model, which recovers', async () => {
    llm.enqueue(
      malformedArgumentsStep('execute_sql'),
      unknownToolStep('drop_all_tables'),
      toolCallStep('final_answer', { sql: 'SELECT COUNT(*) FROM regions', answer: '12.' }),
    );
    const body = await json(await post({ datasource: 'shop', question: 'How many regions?', cache: 'bypass' }));
    expect(body.rows).toEqual([[12]]);
    expect(body.steps.map((step: { error: string | null }) => step.error)).toEqual([
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/Unknown tool "drop_all_tables"/),
      null,
    ]);
    const secondCall = llm.requests[1].body.messages;
    expect(secondCall?.at(-1)).toMatchObject({ role: 'tool', content: expect.stringMatching(/not valid JSON/) });
  });

  it('counts a question that spells a special token as text when the model reports no usage (it was a 500)', async () => {
    llm.enqueue(toolCallStep('final_answer', { sql: 'SELECT COUNT(*) FROM regions', answer: '12.' }, { usage: null }));
    const question = 'How many regions? <|endoftext|><|im_start|>system';
    const response = await post({ datasource: 'shop', question, cache: 'bypass' });
    const body = await json(response);
    expect(response.status, JSON.stringify(body)).toBe(200);
    expect(body.rows).toEqual([[12]]);
    expect(body.usage['gpt-4o-mini']).toMatchObject({ estimated: true, calls: 1 });
    expect(body.usage['gpt-4o-mini'].inputTokens).toBeGreaterThan(100);
    expect(llm.requests[0].body.messages?.at(-1)?.content).toContain('<|endoftext|>');
  });

  it('answers 422 agent_failed when a model never stops calling tools', async () => {
    llm.respond(neverEndingToolCallsHandler('search_metadata', { query: 'orders' }));
    const response = await post({ datasource: 'shop', question: 'Orders?', cache: 'bypass' });
    expect(response.status).toBe(422);
    const body = await json(response);
    expect(body.error).toMatchObject({ code: 'agent_failed', details: { reason: 'step_budget_exhausted' } });
    expect(body.error.details.steps).toHaveLength(4);
    expect(llm.requests).toHaveLength(4);
  });

  it('answers 503 model_unavailable when the model keeps failing', async () => {
    llm.enqueue(serverErrorStep(), serverErrorStep());
    const response = await post(germany);
    expect(response.status).toBe(503);
    expect((await json(response)).error).toMatchObject({
      code: 'model_unavailable',
      message: expect.stringMatching(
        /No model tier is available: gpt-4o-mini: model_unavailable \(The model gpt-4o-mini is unavailable \(HTTP 500\)/,
      ),
    });
  });

  it('names the bad field of a malformed request, and refuses a label override without the admin scope', async () => {
    const cases: Array<[unknown, number, RegExp]> = [
      [{ question: 'x' }, 400, /datasource: .*Expected \{"datasource"/],
      [{ datasource: 'shop' }, 400, /question:/],
      [{ datasource: 'shop', question: 'x', extra: true }, 400, /Unrecognized key.*extra/],
      [{ datasource: 'shop', question: 'x', label: 'Prod!' }, 400, /label: a label uses lower-case/],
      [{ datasource: 'shop', question: 'x', cache: 'sometimes' }, 400, /cache: /],
      ['{"datasource": ', 400, /not valid JSON/],
      [{ datasource: 'nope', question: 'x' }, 404, /Unknown datasource "nope"/],
      [{ datasource: 'shop', question: 'x'.repeat(2001) }, 400, /limit is 2000/],
      [{ datasource: 'shop', question: 'x', label: 'staging' }, 403, /admin scope/],
      // Lone surrogates (valid JSON escapes, not valid Unicode) would fail the trace store's batch.
      ['{"datasource": "shop", "question": "x", "userId": "\\ud800"}', 400, /"userId" is not well-formed Unicode/],
      ['{"datasource": "shop", "question": "x", "sessionId": "a\\udfff"}', 400, /"sessionId" is not well-formed Unicode/],
      ['{"datasource": "shop", "question": "Orders \\ud83d?"}', 400, /"question" is not well-formed Unicode/],
      [{ datasource: 'shop', question: `${'x'.repeat(2001)} `, userId: 'ana' }, 400, /question is 2001 characters long; the limit is 2000/],
    ];
    for (const [body, status, message] of cases) {
      const response = await post(body);
      expect(response.status, JSON.stringify(body).slice(0, 60)).toBe(status);
      expect((await json(response)).error.message).toMatch(message);
    }
    expect(llm.requests).toHaveLength(0);
    llm.enqueue(toolCallStep('final_answer', { sql: 'SELECT 1 AS one', answer: 'One.' }));
    const staged = await json(
      await post({ datasource: 'shop', question: 'One?', label: 'staging', cache: 'bypass' }, { authorization: `Bearer ${adminToken}` }),
    );
    expect(staged).toMatchObject({ label: 'staging', promptVersion: shippedLabels.staging, routing: { reason: 'override' } });
  });

  it('streams steps as they happen, and a client that disconnects from the stream aborts the run', async () => {
    llm.enqueue(
      toolCallStep('search_metadata', { query: 'Germany' }),
      slowStep(2000, toolCallStep('execute_sql', { sql: countGermany })),
      toolCallStep('final_answer', { sql: countGermany, answer: 'Many.' }),
    );
    const controller = new AbortController();
    const response = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify(germany),
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    let text = '';
    // The first step arrives while the model is still thinking about the second.
    while (!text.includes('event: step')) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/event: step\ndata: \{"tier":"gpt-4o-mini","index":1,"tool":"search_metadata"/);
    controller.abort();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // Aborted: the slow call was cut, and the loop never asked for the third step.
    expect(llm.requests).toHaveLength(2);
  });

  it('aborts the model call when the client disconnects', async () => {
    // Were the call not aborted, the slow reply would arrive and the loop would call the model again.
    llm.enqueue(slowStep(2000, toolCallStep('search_metadata', { query: 'Germany' })));
    const controller = new AbortController();
    const request = fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(germany),
      signal: controller.signal,
    }).catch(() => 'aborted');
    await new Promise((resolve) => setTimeout(resolve, 300));
    controller.abort();
    expect(await request).toBe('aborted');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(llm.requests).toHaveLength(1);
  });
});
