import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { createHttpApp, startServer } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { runCliInProcess } from '../support/cli-runner.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';

const json = (response: Response): Promise<any> => response.json();
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

describe('API keys with scopes and datasource allow-lists (issue 12)', () => {
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  let querierKey: string;
  const readerKey = 'sqa_reader_key_for_tests_0123456789';
  const feedbackKey = 'sqa_feedback_key_for_tests_012345';
  const as = (key: string | null): Record<string, string> => (key ? { authorization: `Bearer ${key}` } : {});
  const get = (route: string, key: string | null) => fetch(`${base}${route}`, { headers: as(key) });
  const post = (route: string, body: unknown, key: string | null) =>
    fetch(`${base}${route}`, { method: 'POST', headers: { 'content-type': 'application/json', ...as(key) }, body: JSON.stringify(body) });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-keys-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    await cp(path.resolve(import.meta.dirname, '../../knowledge'), path.join(dir, 'knowledge'), { recursive: true });
    // The querier's key comes from `sqlagent keys create`, as an operator would make it.
    const created = await runCliInProcess(['keys', 'create', '--scopes', 'query', '--datasources', 'shop', '--id', 'querier']);
    expect(created.code).toBe(0);
    querierKey = created.stdout.trim();
    expect(querierKey).toMatch(/^sqa_[A-Za-z0-9_-]{43}$/);
    const entry = JSON.parse(/^ {2}(\{.*\})$/m.exec(created.stderr)![1]);
    expect(entry).toEqual({ id: 'querier', sha256: hash(querierKey), scopes: ['query'], datasources: ['shop'] });
    expect(created.stderr).toContain('shown this once');

    const apiKeys = [
      entry,
      { id: 'reader', sha256: hash(readerKey), scopes: ['read'] },
      { id: 'rater', sha256: hash(feedbackKey), scopes: ['feedback'], datasources: ['*'] },
    ];
    const config = loadConfig({
      env: { SQLAGENT_API_KEYS: JSON.stringify(apiKeys) },
      overrides: {
        dataDir: dir,
        server: { corsOrigins: ['https://console.example'], apiKeys },
        // Positive feedback files a candidate example into the knowledge file: a copy, never the repository's.
        knowledge: { directory: path.join(dir, 'knowledge') },
        datasources: [
          { id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' },
          { id: 'other', url: 'postgres://nobody@127.0.0.1:1/none', connectTimeoutMs: 300 },
        ],
      },
    });
    expect(JSON.stringify(config)).not.toContain(readerKey);
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers a missing or unknown key with 401 and WWW-Authenticate; health checks need none', async () => {
    for (const [route, key] of [
      ['/v1/datasources', null],
      ['/v1/traces', null],
      ['/v1/datasources', 'sqa_not_a_key_of_this_service_0000'],
    ] as const) {
      const response = await get(route, key);
      expect(response.status, route).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="sqlagent"');
      expect((await json(response)).error).toMatchObject({ code: 'unauthorized', requestId: expect.any(String) });
    }
    expect((await post('/v1/query', { datasource: 'shop', question: 'x' }, null)).status).toBe(401);
    expect((await get('/healthz', null)).status).toBe(200);
    expect((await get('/readyz', null)).status).not.toBe(401);
  });

  it('lets each key do what its scopes and datasources allow, and records its id as the user', async () => {
    const answered = await post('/v1/query', { datasource: 'shop', question: 'How many customers live in Germany?' }, querierKey);
    expect(answered.status).toBe(200);
    const { traceId } = await json(answered);
    const elsewhere = await post('/v1/query', { datasource: 'other', question: 'How many?' }, querierKey);
    expect(elsewhere.status).toBe(403);
    expect((await json(elsewhere)).error.message).toMatch(/The key "querier" may not use the datasource "other"/);
    expect((await json(await get('/v1/datasources', querierKey))).datasources.map((entry: { id: string }) => entry.id)).toEqual(['shop']);
    expect((await get('/v1/datasources/other/schema', querierKey)).status).toBe(403);
    expect((await get('/v1/traces', querierKey)).status).toBe(403);

    expect((await post('/v1/query', { datasource: 'shop', question: 'x' }, readerKey)).status).toBe(403);
    await app.tracing.local?.forceFlush();
    const traces = await json(await get('/v1/traces?user=querier', readerKey));
    expect(traces.traces.map((trace: { traceId: string }) => trace.traceId)).toEqual([traceId]);
    expect((await get('/v1/prompts', readerKey)).status).toBe(200);
    expect((await post('/v1/prompts/agent/db_agent/invalidate', {}, readerKey)).status).toBe(403);

    expect((await post('/v1/feedback', { traceId, score: 1 }, readerKey)).status).toBe(403);
    expect((await post('/v1/feedback', { traceId, score: 1 }, feedbackKey)).status).toBe(201);

    // Recent questions: a key without the read scope sees only those recorded under its own id.
    const forAna = { datasource: 'shop', question: 'How many customers live in France?', userId: 'ana' };
    expect((await post('/v1/query', forAna, querierKey)).status).toBe(200);
    await app.tracing.local?.forceFlush();
    const recentOf = async (key: string) => (await json(await get('/v1/datasources/shop/questions', key))).recent;
    expect(await recentOf(querierKey)).toEqual(['How many customers live in Germany?']);
    expect(await recentOf(readerKey)).toEqual(['How many customers live in France?', 'How many customers live in Germany?']);
    expect((await get('/v1/datasources/other/questions', querierKey)).status).toBe(403);
  });

  it("holds MCP over HTTP to the same keys: 401 without one, and only the key's datasources", async () => {
    const bare = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(bare.status).toBe(401);
    const client = new Client({ name: 'vitest-keys', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${base}/mcp`), { requestInit: { headers: as(querierKey) } }));
    try {
      const listed = await client.callTool({ name: 'list_datasources', arguments: {} });
      expect((listed.structuredContent as { datasources: Array<{ id: string }> }).datasources.map((entry) => entry.id)).toEqual(['shop']);
      const refused = await client.callTool({ name: 'execute_sql', arguments: { datasource: 'other', sql: 'SELECT 1' } });
      expect(refused.isError).toBe(true);
    } finally {
      await client.close();
    }
    // A key without the query scope may not use the tools at all.
    const reader = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...as(readerKey) },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(reader.status).toBe(403);
  });

  it('sends security headers, and CORS only to the configured origins', async () => {
    const plain = await get('/healthz', null);
    expect(plain.headers.get('x-content-type-options')).toBe('nosniff');
    expect(plain.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${base}/v1/query`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://console.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example');
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const elsewhere = await fetch(`${base}/v1/datasources`, { headers: { origin: 'https://evil.example', ...as(readerKey) } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const allowed = await fetch(`${base}/v1/datasources`, { headers: { origin: 'https://console.example', ...as(readerKey) } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://console.example');
  });

  it('refuses to listen beyond loopback with auth off, and says why', async () => {
    const open = createApp(loadConfig({ env: {}, overrides: { dataDir: dir, datasources: [] } }), { logger: createLogger('silent') });
    try {
      const refused = await startServer(open, { port: 0, host: '0.0.0.0' }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConfigError);
      expect((refused as Error).message).toMatch(
        /Auth is off \(no API key is configured\) and the server would listen on 0\.0\.0\.0.*sqlagent keys create/,
      );
    } finally {
      await open.close();
    }
  });
});
