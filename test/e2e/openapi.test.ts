import type { Server } from 'node:http';
import { createHash } from 'node:crypto';
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { OfflineChatModel } from '../../src/llm/offline/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { listenOnLoopback, parseEvents } from '../support/http-helpers.ts';
import { shopServiceConfig, shopWorkspace, type ShopWorkspace } from '../support/shop-workspace.ts';

const adminToken = 'admin-token-for-openapi-0123456789';
const readerKey = 'sqa_reader_key_for_the_openapi_test';
const admin = { authorization: `Bearer ${adminToken}` };
const reader = { authorization: `Bearer ${readerKey}` };
const hash = (key: string) => createHash('sha256').update(key).digest('hex');

type Document = {
  paths: Record<
    string,
    Record<
      string,
      {
        responses: Record<
          string,
          { content?: Record<string, { schema?: { $ref?: string }; 'x-events'?: Record<string, { $ref: string }> }> }
        >;
      }
    >
  >;
};

/** The document's path template a concrete path (prompt names with `%2F`) falls under, literal paths first. */
function templateOf(document: Document, pathname: string): string | undefined {
  const templates = Object.keys(document.paths).sort((left, right) => left.split('{').length - right.split('{').length);
  return templates.find((template) => new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`).test(pathname));
}

describe('the OpenAPI document (issue 12): valid OpenAPI 3.1, every route in it, every real response matching it', () => {
  let app: App;
  let server: Server;
  let base: string;
  let workspace: ShopWorkspace;
  let document: Document;
  let ajv: Ajv2020;
  /** `method path-template status` of every response validated. */
  const validated = new Set<string>();
  let traceId: string;

  /** Sends a request and checks its response against the document: a documented status and a body matching its schema. */
  async function call(method: string, route: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}) {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(options.body !== undefined || options.raw !== undefined ? { 'content-type': 'application/json' } : {}),
        ...options.headers,
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : options.raw !== undefined ? { body: options.raw } : {}),
    });
    const pathname = new URL(route, base).pathname;
    const template = templateOf(document, pathname);
    expect(template, `${method} ${pathname} is in the document`).toBeDefined();
    const operation = document.paths[template!][method.toLowerCase()];
    expect(operation, `${method} ${template} is in the document`).toBeDefined();
    const documentedResponse = operation.responses[String(response.status)];
    expect(documentedResponse, `${method} ${template} documents status ${response.status}`).toBeDefined();
    const contentType = (response.headers.get('content-type') ?? '').split(';')[0];
    const media = documentedResponse.content?.[contentType];
    expect(media, `${method} ${template} ${response.status} documents ${contentType}`).toBeDefined();
    const text = await response.text();
    if (contentType === 'text/event-stream') {
      const events = parseEvents(text);
      expect(events.length).toBeGreaterThan(0);
      for (const event of events) {
        const schema = media!['x-events']?.[event.event];
        expect(schema, `event ${event.event} is documented`).toBeDefined();
        expectValid(schema!.$ref, event.data, `${method} ${route} event ${event.event}`);
      }
    } else if (contentType === 'application/json' && media!.schema?.$ref) {
      expectValid(media!.schema.$ref, JSON.parse(text), `${method} ${route} ${response.status}`);
    }
    validated.add(`${method.toLowerCase()} ${template} ${response.status}`);
    return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) };
  }

  function expectValid(ref: string, value: unknown, what: string) {
    const validate = ajv.getSchema(`openapi.json${ref}`);
    expect(validate, `${ref} resolves`).toBeDefined();
    const valid = validate!(value);
    expect(
      valid ? [] : validate!.errors!.slice(0, 5).map((error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`),
      what,
    ).toEqual([]);
  }

  beforeAll(async () => {
    workspace = await shopWorkspace('openapi');
    const config = await shopServiceConfig(workspace, adminToken, {
      server: { apiKeys: [{ id: 'reader', sha256: hash(readerKey), scopes: ['read'], datasources: ['*'] }] },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app, { chatCompletionsModel: new OfflineChatModel() })));
    document = (await (await fetch(`${base}/openapi.json`)).json()) as Document;
    ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(document as object, 'openapi.json');
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await workspace?.remove();
  });

  it('is a valid OpenAPI 3.1 document, served at /openapi.json', async () => {
    const result = await new Validator().validate(structuredClone(document) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect((await call('GET', '/openapi.json')).json()).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'sqlagent', version: expect.any(String) },
    });
  });

  it('documents every route the app registers (methods and paths), and nothing it does not', () => {
    const http = createHttpApp(app, { chatCompletionsModel: new OfflineChatModel() });
    const routes: string[] = [];
    for (const layer of (http as unknown as { router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> } })
      .router.stack) {
      // The docs page's own files (its script and Swagger UI's assets) are not API operations.
      if (!layer.route || layer.route.path.startsWith('/docs/')) continue;
      const methods = Object.keys(layer.route.methods);
      // `http.all` (MCP's streamable HTTP) registers every method; the document describes its POST.
      if (methods.length > 10) routes.push(`post ${layer.route.path}`);
      else for (const method of methods) routes.push(`${method} ${layer.route.path}`);
    }
    const documentedOperations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => `${method} ${template}`),
    );
    // The express form of each documented path: {x} is :x; under /v1/prompts/{name}, one wildcard route per method.
    const asExpress = (operation: string) =>
      operation.startsWith('get /v1/prompts/{name}') || /^(post|put) \/v1\/prompts\/\{name\}/.test(operation)
        ? operation.replace(/\/v1\/prompts\/\{name\}.*$/, '/v1/prompts/*path')
        : operation.replace(/\{([^}]+)\}/g, ':$1');
    expect([...new Set(documentedOperations.map(asExpress))].sort()).toEqual([...new Set(routes)].sort());
  });

  it('answers every route as documented: happy paths and their errors, validated against the schemas', async () => {
    // Health and readiness, metrics.
    await call('GET', '/healthz');
    // Right after start the embedded shop is still opening: 503 with the checks (also validated).
    await call('GET', '/readyz');
    expect((await call('GET', '/metrics')).text).toContain('# TYPE');

    // Questions: JSON and streamed, and their errors.
    const answer = await call('POST', '/v1/query', {
      body: { datasource: 'shop', question: 'How many customers live in Germany?' },
      headers: admin,
    });
    expect(answer.status).toBe(200);
    traceId = answer.json().traceId;
    const streamed = await call('POST', '/v1/query', {
      body: { datasource: 'shop', question: 'How many customers live in France?', cache: 'bypass' },
      headers: { ...admin, accept: 'text/event-stream' },
    });
    expect(
      parseEvents(streamed.text)
        .map((event) => event.event)
        .slice(-3),
    ).toEqual(['sql', 'result', 'done']);
    const failedStream = await call('POST', '/v1/query', {
      body: { datasource: 'nowhere', question: 'How many customers?' },
      headers: { ...admin, accept: 'text/event-stream' },
    });
    expect(parseEvents(failedStream.text)[0]).toMatchObject({ event: 'error', data: { status: 404 } });
    expect((await call('POST', '/v1/query', { body: { question: 'no datasource' }, headers: admin })).status).toBe(400);
    expect((await call('POST', '/v1/query', { body: { datasource: 'shop', question: 'How many customers?' } })).status).toBe(401);
    expect(
      (await call('POST', '/v1/query', { body: { datasource: 'shop', question: 'How many customers?' }, headers: reader })).status,
    ).toBe(403);
    expect(
      (await call('POST', '/v1/query', { body: { datasource: 'nowhere', question: 'How many customers?' }, headers: admin })).status,
    ).toBe(404);
    expect((await call('POST', '/v1/query', { raw: '{"datasource": ', headers: admin })).status).toBe(400);
    expect(
      (await call('POST', '/v1/query', { raw: JSON.stringify({ datasource: 'shop', question: 'x'.repeat(200_000) }), headers: admin }))
        .status,
    ).toBe(413);
    expect((await call('POST', '/v1/query', { headers: { ...admin, 'content-type': 'text/plain' } })).status).toBe(400);
    const declined = await call('POST', '/v1/query', {
      body: { datasource: 'shop', question: 'What is the meaning of the wobble frobnicator?' },
      headers: admin,
    });
    expect(declined.status).toBe(422);
    expect(declined.json().error.code).toBe('agent_failed');
    const chat = await call('POST', '/v1/chat/completions', {
      body: {
        model: 'offline',
        messages: [
          { role: 'system', content: 'You answer questions.' },
          { role: 'user', content: 'Hello' },
        ],
      },
      headers: admin,
    });
    expect(chat.status).toBe(200);

    // Datasources.
    expect((await call('GET', '/v1/datasources', { headers: reader })).json().datasources[0].id).toBe('shop');
    expect((await call('GET', '/v1/datasources/shop/schema', { headers: reader })).json().schemas.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/datasources/shop/schema?refresh=maybe', { headers: reader })).status).toBe(400);
    expect((await call('GET', '/v1/datasources/nowhere/schema', { headers: admin })).status).toBe(404);
    expect((await call('GET', '/v1/datasources/shop/questions', { headers: reader })).json().suggested.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/datasources/nowhere/questions', { headers: admin })).status).toBe(404);
    expect((await call('POST', '/v1/datasources/shop/refresh', { headers: admin })).status).toBe(200);
    expect((await call('POST', '/v1/datasources/shop/refresh', { headers: reader })).status).toBe(403);
    expect((await call('POST', '/v1/datasources/shop/cache/invalidate', { headers: admin })).status).toBe(200);
    expect((await call('POST', '/v1/datasources/nowhere/cache/invalidate', { headers: admin })).status).toBe(404);

    // Prompts: reading (plain and encoded names), writing, labels.
    expect((await call('GET', '/v1/prompts', { headers: reader })).json().prompts.length).toBeGreaterThan(0);
    const detail = (await call('GET', '/v1/prompts/agent%2Fdb_agent', { headers: reader })).json();
    const versions = detail.versions.map((version: { version: number }) => version.version);
    await call('GET', `/v1/prompts/agent%2Fdb_agent/versions/${versions[0]}`, { headers: reader });
    expect((await call('GET', '/v1/prompts/agent%2Fdb_agent/versions/v999', { headers: reader })).status).toBe(404);
    await call('GET', `/v1/prompts/agent%2Fdb_agent/diff?a=${versions[0]}&b=production`, { headers: reader });
    expect((await call('GET', '/v1/prompts/agent%2Fdb_agent/diff?a=1', { headers: reader })).status).toBe(400);
    expect(
      (await call('GET', '/v1/prompts/agent%2Fdb_agent/render?datasource=shop', { headers: reader })).json().tokenCount,
    ).toBeGreaterThan(0);
    expect((await call('GET', '/v1/prompts/Bad%20Name', { headers: reader })).status).toBe(400);
    const created = await call('POST', '/v1/prompts/agent%2Fdb_agent/versions', {
      body: { template: 'You write SQL for {{ datasource }}.', commitMessage: 'a short version for the OpenAPI test' },
      headers: admin,
    });
    expect(created.status).toBe(201);
    expect(
      (await call('POST', '/v1/prompts/agent%2Fdb_agent/versions', { body: { template: ' ', commitMessage: 'x' }, headers: admin })).status,
    ).toBe(400);
    expect(
      (await call('PUT', '/v1/prompts/agent%2Fdb_agent/labels/variant_a', { body: { version: created.json().version }, headers: admin }))
        .status,
    ).toBe(200);
    expect((await call('PUT', '/v1/prompts/agent%2Fdb_agent/labels/variant_a', { body: { version: 999 }, headers: admin })).status).toBe(
      404,
    );
    expect((await call('POST', '/v1/prompts/agent%2Fdb_agent/labels/variant_a/rollback', { headers: admin })).status).toBe(200);
    expect((await call('POST', '/v1/prompts/agent%2Fdb_agent/invalidate', { headers: admin })).status).toBe(200);
    expect((await call('POST', '/v1/prompts/agent%2Fdb_agent/invalidate', { headers: reader })).status).toBe(403);
    expect((await call('POST', '/v1/admin/prompts/invalidate', { body: { name: 'agent/db_agent' }, headers: admin })).status).toBe(200);

    // Knowledge.
    const examples = (await call('GET', '/v1/knowledge/shop/examples', { headers: admin })).json().examples;
    expect(examples.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/knowledge/shop/examples?status=maybe', { headers: admin })).status).toBe(400);
    const added = await call('POST', '/v1/knowledge/shop/examples', {
      body: { question: 'Which regions are there, by name?', sql: 'SELECT name FROM regions ORDER BY name' },
      headers: admin,
    });
    expect(added.status).toBe(201);
    expect(
      (
        await call('POST', '/v1/knowledge/shop/examples', {
          body: { question: 'Remove the regions', sql: 'DELETE FROM regions' },
          headers: admin,
        })
      ).status,
    ).toBe(422);
    const id = added.json().example.id;
    expect((await call('POST', `/v1/knowledge/shop/examples/${id}/reject`, { headers: admin })).status).toBe(200);
    expect((await call('POST', `/v1/knowledge/shop/examples/${id}/approve`, { headers: admin })).status).toBe(200);
    expect((await call('POST', '/v1/knowledge/shop/examples/no-such-example/approve', { headers: admin })).status).toBe(404);
    expect((await call('GET', '/v1/knowledge/shop/check', { headers: admin })).json().parses).toBe(true);

    // Evals: the committed report.
    const runs = (await call('GET', '/v1/evals/runs', { headers: reader })).json().runs;
    expect(runs.length).toBeGreaterThan(0);
    await call('GET', '/v1/evals/runs/latest?items=false', { headers: reader });
    await call('GET', '/v1/evals/runs/latest', { headers: reader });
    expect((await call('GET', '/v1/evals/runs/20200101-000000-none', { headers: reader })).status).toBe(404);

    // Traces, stats, feedback.
    await app.tracing.local?.forceFlush();
    expect((await call('GET', '/v1/traces?since=1h&limit=5', { headers: reader })).json().traces.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/traces?limit=lots', { headers: reader })).status).toBe(400);
    expect((await call('GET', `/v1/traces/${traceId}`, { headers: reader })).json().traceId).toBe(traceId);
    expect((await call('GET', `/v1/traces/${'a'.repeat(32)}`, { headers: reader })).status).toBe(404);
    await call('GET', '/v1/stats?by=model', { headers: reader });
    expect((await call('GET', '/v1/stats?by=colour', { headers: reader })).status).toBe(400);
    expect((await call('POST', '/v1/feedback', { body: { traceId, score: 1, comment: 'right' }, headers: admin })).status).toBe(201);
    expect((await call('POST', '/v1/feedback', { body: { traceId, score: 7 }, headers: admin })).status).toBe(400);
    expect((await call('POST', '/v1/feedback', { body: { traceId, score: 1 }, headers: reader })).status).toBe(403);

    // MCP over HTTP, and the documentation page.
    const mcp = await call('POST', '/mcp', {
      body: {
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'openapi-test', version: '1' } },
      },
      headers: { ...admin, accept: 'application/json, text/event-stream' },
    });
    expect(mcp.status).toBe(200);
    expect(mcp.json()).toMatchObject({ jsonrpc: '2.0', id: 1, result: { serverInfo: expect.any(Object) } });
    expect((await call('GET', '/docs')).text).toContain('/docs/assets/swagger-ui-bundle.js');

    const readiness = await call('GET', '/readyz');
    expect(readiness.status, readiness.text).toBe(200);

    // Every operation of the document answered at least once.
    const answered = new Set([...validated].map((entry) => entry.split(' ').slice(0, 2).join(' ')));
    const operations = Object.entries(document.paths).flatMap(([template, methods]) =>
      Object.keys(methods).map((method) => `${method} ${template}`),
    );
    expect(operations.filter((operation) => !answered.has(operation))).toEqual([]);
  });

  it('renders /docs in a real browser from files this process serves: every operation shown, nothing fetched elsewhere, no CSP error', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      timeout: 120_000,
    });
    try {
      const page = await browser.newPage();
      page.setDefaultTimeout(120_000);
      const problems: string[] = [];
      const requests: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('request', (request) => requests.push(request.url()));
      await page.goto(`${base}/docs`);
      await page.locator('.opblock').first().waitFor();
      const operationCount = Object.values(document.paths).reduce((sum, methods) => sum + Object.keys(methods).length, 0);
      expect(await page.locator('.opblock').count()).toBe(operationCount);
      expect(await page.locator('.opblock-summary-path', { hasText: '/v1/query' }).count()).toBeGreaterThan(0);
      expect(requests.filter((url) => !url.startsWith(base) && !url.startsWith('data:'))).toEqual([]);
      expect(problems).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
