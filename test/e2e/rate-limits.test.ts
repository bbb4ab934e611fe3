import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { OpenAiTestServer, toolCallStep } from '../support/openai-server.ts';
import { requireServers, serverUrls } from '../support/servers.ts';

const environment = inject('testEnvironment');
const hash = (key: string) => createHash('sha256').update(key).digest('hex');
const busyKey = 'sqa_busy_key_for_rate_limit_tests_000';
const thriftyKey = 'sqa_thrifty_key_for_rate_limit_tests_0';

describe.skipIf(environment.skipReasons.redis !== undefined && !requireServers)('rate limits per key (issue 12)', () => {
  const started: Array<{ app: App; server: Server; base: string }> = [];
  let dir: string;
  let llm: OpenAiTestServer;
  // One namespace per run, so runs never share counts.
  const prefix = `sqlagent-test-${process.pid}-${Date.now()}`;

  const start = async (options: { redis: boolean; shop: string }) => {
    const config = loadConfig({
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: llm.baseUrl,
        SQLAGENT_API_KEYS: JSON.stringify([
          { id: 'busy', sha256: hash(busyKey), scopes: ['query', 'read'], requestsPerMinute: 3 },
          // A day's budget below what one question's single model call costs (about $0.00008 with the demo prompt).
          { id: 'thrifty', sha256: hash(thriftyKey), scopes: ['query'], requestsPerMinute: 0, dailySpendUsd: 0.00005 },
        ]),
      },
      overrides: {
        dataDir: options.shop,
        datasources: [{ id: 'shop', url: `pglite:${path.join(options.shop, 'shop')}`, today: '2025-07-01' }],
        llm: { apiKey: 'sk-test', baseUrl: llm.baseUrl, maxRetries: 0, breakerCooldownMs: 0 },
        cache: options.redis ? { redisUrl: serverUrls.redis, prefix } : {},
        tracing: { localStore: false },
      },
    });
    const app = createApp(config, { logger: createLogger('silent') });
    const { server, base } = await listenOnLoopback(createHttpApp(app));
    started.push({ app, server, base });
    return base;
  };

  beforeAll(async () => {
    llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-limits-'));
    for (const name of ['a', 'b', 'c', 'd']) await copyTemplate(environment.pgliteTemplates.shop, path.join(dir, name, 'shop'));
  });
  afterAll(async () => {
    for (const { app, server } of started) {
      server.close();
      await app.close();
    }
    await llm?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shares the per-minute count between two instances through Redis: 429 with Retry-After and RateLimit headers', async () => {
    const [first, second] = [
      await start({ redis: true, shop: path.join(dir, 'a') }),
      await start({ redis: true, shop: path.join(dir, 'b') }),
    ];
    const list = (base: string) => fetch(`${base}/v1/datasources`, { headers: { authorization: `Bearer ${busyKey}` } });
    const answers = [await list(first), await list(second), await list(first), await list(second)];
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 429]);
    expect(answers.slice(0, 3).map((answer) => answer.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(answers[0].headers.get('ratelimit-limit')).toBe('3');
    const limited = answers[3];
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(((await limited.json()) as { error: unknown }).error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/used its 3 requests of this minute/),
      details: { limit: 'requests_per_minute' },
    });
    // Health checks are never counted.
    expect((await fetch(`${first}/healthz`)).status).toBe(200);
  });

  it("stops a key's questions once its model spend of the day is used up", async () => {
    const base = await start({ redis: false, shop: path.join(dir, 'c') });
    const ask = () =>
      fetch(`${base}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${thriftyKey}` },
        body: JSON.stringify({ datasource: 'shop', question: 'How many regions are there?', cache: 'bypass' }),
      });
    llm.enqueue(toolCallStep('final_answer', { sql: 'SELECT COUNT(*) AS regions FROM regions', answer: 'There are 12 regions.' }));
    const answered = await ask();
    expect(answered.status).toBe(200);
    expect(((await answered.json()) as { costUsd: number }).costUsd).toBeGreaterThan(0.00005);
    const refused = await ask();
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: unknown }).error).toMatchObject({ code: 'rate_limited', details: { limit: 'daily_spend' } });
    // No model call was made for the refused question.
    expect(llm.requests).toHaveLength(1);
  });

  it('counts what MCP ask spends too', async () => {
    const base = await start({ redis: false, shop: path.join(dir, 'd') });
    llm.reset();
    llm.enqueue(toolCallStep('final_answer', { sql: 'SELECT COUNT(*) AS regions FROM regions', answer: 'There are 12 regions.' }));
    const client = new Client({ name: 'vitest-spend', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: { authorization: `Bearer ${thriftyKey}` } } }),
    );
    try {
      const answered = await client.callTool({
        name: 'ask',
        arguments: { datasource: 'shop', question: 'How many regions are there?', cache: 'bypass' },
      });
      expect(answered.isError).toBeFalsy();
    } finally {
      await client.close();
    }
    const refused = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${thriftyKey}` },
      body: JSON.stringify({ datasource: 'shop', question: 'How many regions are there?', cache: 'bypass' }),
    });
    expect(refused.status).toBe(429);
    expect(llm.requests).toHaveLength(1);
  });
});
