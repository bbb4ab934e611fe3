import type { Server } from 'node:http';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback, parseEvents } from '../support/http-helpers.ts';

const adminToken = 'admin-token-for-tests-0123456789';
const metricsToken = 'metrics-token-for-tests-01234';
const admin = { authorization: `Bearer ${adminToken}` };
const json = (response: Response): Promise<any> => response.json();

describe('the HTTP routes for traces, stats, feedback, metrics, prompts and datasources (issue 12)', () => {
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  let traceId: string;
  const get = (route: string, headers: Record<string, string> = {}) => fetch(`${base}${route}`, { headers });
  const send = (method: string, route: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${route}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-routes-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    // A copy of the prompts: the admin routes write versions and move labels.
    await cp(path.resolve(import.meta.dirname, '../../prompts'), path.join(dir, 'prompts'), { recursive: true });
    const config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: adminToken, SQLAGENT_METRICS_TOKEN: metricsToken },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        prompts: { directory: path.join(dir, 'prompts') },
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
    const answer = await send('POST', '/v1/query', { datasource: 'shop', question: 'How many customers live in Germany?', userId: 'ana' });
    expect(answer.status).toBe(200);
    traceId = (await json(answer)).traceId;
    await app.tracing.local?.forceFlush();
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("gives every response a request id: the client's when it is a safe token, else a new one, also in error bodies", async () => {
    expect((await get('/healthz', { 'x-request-id': 'client-42.a:b' })).headers.get('x-request-id')).toBe('client-42.a:b');
    const replaced = await get('/healthz', { 'x-request-id': 'bad id <script>' });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const missing = await get('/v1/nothing');
    expect(missing.status).toBe(404);
    const failed = await send('POST', '/v1/query', { datasource: 'nope', question: 'x' }, { 'x-request-id': 'req-7' });
    expect(await json(failed)).toMatchObject({
      error: { code: 'datasource_not_found', requestId: 'req-7', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) },
    });
  });

  it('streams a question as server-sent events: each step, then sql, result and done; or an error event', async () => {
    const response = await send(
      'POST',
      '/v1/query',
      { datasource: 'shop', question: 'How many customers live in France?', cache: 'bypass' },
      { accept: 'text/event-stream' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = parseEvents(await response.text());
    const names = events.map((event) => event.event);
    expect(names.slice(-3)).toEqual(['sql', 'result', 'done']);
    const steps = events.filter((event) => event.event === 'step').map((event) => event.data);
    expect(steps.length).toBeGreaterThanOrEqual(2);
    expect(steps.map((step) => step.index)).toEqual(steps.map((_, index) => index + 1));
    expect(steps.at(-1)).toMatchObject({ tier: 'offline', tool: 'final_answer', error: null });
    expect(steps.some((step) => step.tool === 'execute_sql')).toBe(true);
    const result = events.find((event) => event.event === 'result')!.data;
    expect(result).toMatchObject({ model: 'offline', rows: [[expect.any(Number)]] });
    expect(events.find((event) => event.event === 'sql')!.data).toEqual({ sql: result.sql });
    expect(events.at(-1)!.data).toEqual({ traceId: result.traceId });

    const failing = await send('POST', '/v1/query', { datasource: 'nope', question: 'x' }, { accept: 'text/event-stream' });
    const [error] = parseEvents(await failing.text());
    expect(error).toMatchObject({ event: 'error', data: { status: 404, error: { code: 'datasource_not_found' } } });
    // A malformed request is refused before any stream starts.
    const malformed = await send('POST', '/v1/query', { question: 'x' }, { accept: 'text/event-stream' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('content-type')).toMatch(/^application\/json/);
  });

  it('lists traces and serves one as a tree (the read scope: anyone, with auth off on loopback), naming a bad or unknown id', async () => {
    expect((await get('/v1/traces')).status).toBe(200);
    const listed = await json(await get('/v1/traces?user=ana&since=1h&limit=5', admin));
    expect(listed.traces.map((trace: { traceId: string }) => trace.traceId)).toContain(traceId);
    expect(listed.traces[0]).toMatchObject({ userId: 'ana', failed: false });
    const tree = await json(await get(`/v1/traces/${traceId}`, admin));
    expect(tree.root.span).toMatchObject({ traceId, name: 'query' });
    const cases: Array<[string, number, string]> = [
      ['/v1/traces/not-a-trace', 400, 'invalid_input'],
      [`/v1/traces/${'a'.repeat(32)}`, 404, 'trace_not_found'],
      ['/v1/traces?limit=0', 400, 'invalid_input'],
      ['/v1/traces?since=yesterday', 400, 'invalid_input'],
      ['/v1/traces?user=a&user=b', 400, 'invalid_input'],
    ];
    for (const [route, status, code] of cases) {
      const response = await get(route, admin);
      expect(response.status, route).toBe(status);
      expect((await json(response)).error.code, route).toBe(code);
    }
  });

  it('computes stats by a grouping, and names a bad one', async () => {
    const stats = await json(await get('/v1/stats?by=user&since=24h', admin));
    expect(stats.by).toBe('user');
    expect(stats.groups.find((group: { key: string }) => group.key === 'ana')).toMatchObject({ count: 1, successRate: 1 });
    const bad = await get('/v1/stats?by=colour', admin);
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.message).toMatch(/by must be one of label, prompt_version, model, user, datasource/);
  });

  it('records feedback on an answer, and names a bad score or an unknown trace', async () => {
    const recorded = await send('POST', '/v1/feedback', { traceId, score: -1, comment: 'wrong country' });
    expect(recorded.status).toBe(201);
    expect(await json(recorded)).toMatchObject({ local: { traceId, score: -1, comment: 'wrong country' }, langfuse: 'disabled' });
    const badScore = await send('POST', '/v1/feedback', { traceId, score: 7 });
    expect(badScore.status).toBe(400);
    expect((await json(badScore)).error.message).toMatch(/"score" must be a finite number from -1 to 1/);
    const unknown = await send('POST', '/v1/feedback', { traceId: 'b'.repeat(32), score: 1 });
    expect(unknown.status).toBe(404);
  });

  it('serves Prometheus metrics to a holder of the metrics token', async () => {
    expect((await get('/metrics')).status).toBe(403);
    const response = await get('/metrics', { authorization: `Bearer ${metricsToken}` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toMatch(/^# HELP sqlagent_request_duration_seconds /m);
    const counts = [...text.matchAll(/^sqlagent_request_duration_seconds_count\{[^}]*datasource="shop"[^}]*\} (\d+)$/gm)].map((match) =>
      Number(match[1]),
    );
    expect(counts.reduce((sum, count) => sum + count, 0)).toBeGreaterThanOrEqual(1);
  });

  it('reads prompts by plain or encoded name: versions, one version, a diff and a render with its token count', async () => {
    const list = await json(await get('/v1/prompts'));
    expect(list).toMatchObject({ store: 'local', prompts: [{ name: 'agent/db_agent', versions: [1, 2, 3, 4, 5, 6, 7] }] });
    const plain = await json(await get('/v1/prompts/agent/db_agent'));
    const encoded = await json(await get('/v1/prompts/agent%2Fdb_agent'));
    expect(encoded).toEqual(plain);
    expect(plain.labels).toMatchObject({ production: 6, variant_a: 2 });
    expect(plain.versions.map((version: { version: number }) => version.version)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(plain.versions[0].template).toBeUndefined();
    expect(await json(await get('/v1/prompts/agent/db_agent/versions/v2'))).toMatchObject({ version: 2, labels: ['variant_a'] });
    expect(await json(await get('/v1/prompts/agent%2Fdb_agent/versions/production'))).toMatchObject({ version: 6 });
    const diff = await json(await get('/v1/prompts/agent/db_agent/diff?a=2&b=production'));
    expect(diff).toMatchObject({ a: { version: 2 }, b: { version: 6 } });
    expect(diff.template.some((line: string) => line.startsWith('+ '))).toBe(true);
    const rendered = await json(await get('/v1/prompts/agent/db_agent/render?datasource=shop&label=staging'));
    expect(rendered).toMatchObject({ version: 7, routing: { label: 'staging' }, datasource: 'shop' });
    expect(rendered.tokenCount).toBeGreaterThan(100);
    expect(rendered.text).toContain('LIMIT 100');
    for (const [route, status] of [
      ['/v1/prompts/agent/nope', 404],
      ['/v1/prompts/agent/db_agent/versions/9', 404],
      ['/v1/prompts/agent/db_agent/diff?a=2', 400],
      ['/v1/prompts/agent/db_agent/render', 400],
      ['/v1/prompts/..%2F..%2Fetc/passwd', 400],
    ] as const) {
      const response = await get(route);
      expect(response.status, route).toBe(status);
      expect((await json(response)).error.code, route).toBeTruthy();
    }
  });

  it('lets an admin add a version, move a label, roll it back and invalidate; refuses anyone else', async () => {
    const version = { template: 'A short prompt for {{ meta.datasource }}.', commitMessage: 'from the API' };
    expect((await send('POST', '/v1/prompts/agent/db_agent/versions', version)).status).toBe(403);
    const created = await send('POST', '/v1/prompts/agent%2Fdb_agent/versions', version, admin);
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ version: 8, labels: ['latest'] });
    const broken = await send('POST', '/v1/prompts/agent/db_agent/versions', { ...version, template: '{% if %}' }, admin);
    expect(broken.status).toBe(500);
    expect((await json(broken)).error.code).toBe('prompt_template_error');

    expect((await send('PUT', '/v1/prompts/agent/db_agent/labels/staging', { version: 8 })).status).toBe(403);
    expect(await json(await send('PUT', '/v1/prompts/agent/db_agent/labels/staging', { version: 8 }, admin))).toEqual({
      name: 'agent/db_agent',
      label: 'staging',
      version: 8,
    });
    expect((await json(await get('/v1/prompts/agent/db_agent'))).labels.staging).toBe(8);
    const badMove = await send('PUT', '/v1/prompts/agent/db_agent/labels/staging', { version: 'five' }, admin);
    expect(badMove.status).toBe(400);
    expect(await json(await send('POST', '/v1/prompts/agent/db_agent/labels/staging/rollback', {}, admin))).toMatchObject({ version: 7 });
    expect((await json(await get('/v1/prompts/agent/db_agent'))).labels.staging).toBe(7);
    expect(await json(await send('POST', '/v1/prompts/agent/db_agent/invalidate', {}, admin))).toEqual({
      invalidated: 'agent/db_agent',
      store: 'local',
    });
  });

  it('re-reads a datasource schema and empties its cached answers, for admins', async () => {
    expect((await send('POST', '/v1/datasources/shop/refresh', {})).status).toBe(403);
    const refreshed = await json(await send('POST', '/v1/datasources/shop/refresh', {}, admin));
    expect(refreshed).toMatchObject({ datasource: 'shop', schemaVersion: expect.any(String) });
    const question = { datasource: 'shop', question: 'How many regions are there?' };
    await send('POST', '/v1/query', question);
    expect((await json(await send('POST', '/v1/query', question))).cached).not.toBe(false);
    expect(await json(await send('POST', '/v1/datasources/shop/cache/invalidate', {}, admin))).toEqual({
      datasource: 'shop',
      invalidated: true,
    });
    expect((await json(await send('POST', '/v1/query', question))).cached).toBe(false);
    expect((await send('POST', '/v1/datasources/nope/cache/invalidate', {}, admin)).status).toBe(404);
  });
});
