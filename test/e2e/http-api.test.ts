import { request as httpRequest, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';

/** Parses a JSON response body; tests read it loosely. */
const json = (response: Response): Promise<any> => response.json();

describe('HTTP API over real HTTP on loopback', () => {
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-http-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: 'admin-token-for-tests-0123456789' },
      overrides: {
        dataDir: dir,
        datasources: [
          { id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, sampleValues: true },
          { id: 'down', url: 'postgres://reader:topsecret@127.0.0.1:1/nothing', connectTimeoutMs: 500 },
        ],
      },
    });
    app = createApp(config, { logger: createLogger('debug', (line) => logLines.push(line)) });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok' });
  });

  it('lists datasources with passwords masked', async () => {
    const response = await fetch(`${base}/v1/datasources`);
    const body = await json(response);
    expect(body.datasources.map((entry: { id: string }) => entry.id)).toEqual(['shop', 'down']);
    expect(JSON.stringify(body)).not.toContain('topsecret');
    expect(body.datasources[1].url).toBe('postgres://reader:***@127.0.0.1:1/nothing');
  });

  it('serves the introspected schema, cached, and refreshes on request', async () => {
    const first = await json(await fetch(`${base}/v1/datasources/shop/schema`));
    expect(first.datasource).toBe('shop');
    expect(first.schemas.map((schema: { name: string }) => schema.name)).toEqual(['analytics', 'public']);
    expect(first.schemaVersion).toMatch(/^[0-9a-f]{16}$/);
    const cached = await json(await fetch(`${base}/v1/datasources/shop/schema`));
    expect(cached.introspectedAt).toBe(first.introspectedAt);
    const refreshed = await json(await fetch(`${base}/v1/datasources/shop/schema?refresh=true`));
    expect(refreshed.introspectedAt).not.toBe(first.introspectedAt);
    expect(refreshed.schemaVersion).toBe(first.schemaVersion);
  });

  it.each([
    ['/v1/datasources/nope/schema', 404, 'datasource_not_found', /Unknown datasource "nope". Known datasources: shop, down/],
    ['/v1/datasources/shop/schema?refresh=maybe', 400, 'invalid_input', /"refresh" must be true or false/],
    ['/v1/datasources/pglite:memory/schema', 404, 'datasource_not_found', /Unknown datasource/],
    ['/v1/nothing', 404, 'not_found', /No route for GET \/v1\/nothing/],
  ])('GET %s -> %i %s', async (route, status, code, message) => {
    const response = await fetch(`${base}${route}`);
    expect(response.status).toBe(status);
    const body = await json(response);
    expect(body.error.code).toBe(code);
    expect(body.error.message).toMatch(message);
  });

  it('maps an unreachable datasource to 503 without leaking its password', async () => {
    const response = await fetch(`${base}/v1/datasources/down/schema`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('datasource_unavailable');
    expect(text).not.toContain('topsecret');
    expect(logLines.join('\n')).not.toContain('topsecret');
    // The caller learns what failed, not where the server is; the log keeps the address.
    expect(JSON.parse(text).error.message).toMatch(/^Datasource "down" is unavailable: connect ECONNREFUSED <host>$/);
    expect(text).not.toMatch(/127\.0\.0\.1|:1\b/);
    expect(logLines.join('\n')).toContain('ECONNREFUSED 127.0.0.1:1');
  });

  it('is not ready while a datasource cannot be opened, and says which and why without its address', async () => {
    await vi.waitFor(
      async () => {
        const response = await fetch(`${base}/readyz`);
        expect(response.status).toBe(503);
        const body = await json(response);
        expect(body.status).toBe('not_ready');
        expect(body.checks['datasource:shop']).toEqual({ ready: true, detail: 'open and answering' });
        expect(body.checks['datasource:down']).toEqual({
          ready: false,
          detail: 'its last open failed (Datasource "down" is unavailable: connect ECONNREFUSED <host>); opening it again',
        });
      },
      { timeout: 30_000, interval: 200 },
    );
  });

  it('answers a malformed path, a body that lies about its encoding and an abandoned upload with 400, logged at info', async () => {
    logLines.length = 0;
    const escape = await fetch(`${base}/v1/datasources/%zz/schema`);
    expect(escape.status).toBe(400);
    expect((await json(escape)).error).toMatchObject({ code: 'invalid_path', message: expect.stringMatching(/malformed percent-escape/) });
    const lying = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{"datasource": "shop", "question": "How many orders?"}',
    });
    expect(lying.status).toBe(400);
    expect((await json(lying)).error.code).toBe('invalid_body_encoding');
    // A client that announces 5,000 bytes, sends a few and goes away.
    await new Promise<void>((resolve) => {
      const target = new URL(base);
      const upload = httpRequest({
        host: target.hostname,
        port: target.port,
        method: 'POST',
        path: '/v1/query',
        headers: { 'content-type': 'application/json', 'content-length': 5000 },
      });
      upload.on('error', () => undefined);
      upload.write('{"datasource": "shop", "question": "');
      setTimeout(() => upload.destroy(), 100);
      upload.on('close', () => resolve());
    });
    await vi.waitFor(() => expect(logLines.some((line) => line.includes('"code":"request_aborted"'))).toBe(true));
    const levels = logLines.map((line) => JSON.parse(line) as { level: string; message: string; code?: string });
    expect(levels.filter((line) => line.message === 'malformed request').map((line) => [line.level, line.code])).toEqual([
      ['info', 'invalid_path'],
      ['info', 'invalid_body_encoding'],
      ['info', 'request_aborted'],
    ]);
    expect(levels.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('invalidates a prompt for an admin, refuses anyone else, and names a bad body', async () => {
    const post = (body: string, authorization = 'Bearer admin-token-for-tests-0123456789') =>
      fetch(`${base}/v1/admin/prompts/invalidate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body,
      });
    const anonymous = await post(JSON.stringify({ name: 'agent/db_agent' }), '');
    expect(anonymous.status).toBe(403);
    expect((await json(anonymous)).error.message).toMatch(/admin scope/);
    expect((await post(JSON.stringify({ name: 'agent/db_agent' }), 'Bearer wrong-token-wrong-token-xx')).status).toBe(403);
    const ok = await post(JSON.stringify({ name: 'agent/db_agent' }));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ invalidated: 'agent/db_agent', store: 'local' });
    const missing = await post('{}');
    expect(missing.status).toBe(400);
    expect((await json(missing)).error.message).toMatch(/name: .*Expected \{"name"/);
    const traversal = await post(JSON.stringify({ name: '../../etc' }));
    expect(traversal.status).toBe(400);
    expect((await json(traversal)).error.message).toMatch(/Invalid prompt name/);
  });

  it('answers malformed and oversized JSON bodies with 400 and 413', async () => {
    const malformed = await fetch(`${base}/v1/datasources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"datasource": ',
    });
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error).toMatchObject({ code: 'invalid_json' });
    const huge = await fetch(`${base}/v1/datasources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    expect((await json(huge)).error.code).toBe('body_too_large');
  });
});
