import type { Server } from 'node:http';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { shopWorkspace, type ShopWorkspace } from '../support/shop-workspace.ts';

const adminToken = 'admin-token-for-knowledge-0123456789';

describe('the knowledge routes over real HTTP', () => {
  let app: App;
  let server: Server;
  let base: string;
  let workspace: ShopWorkspace;
  let knowledgeFile: string;

  /** A request to a knowledge route; admin unless `authorization` says otherwise. */
  const call = (method: 'GET' | 'POST', route: string, body?: unknown, authorization = `Bearer ${adminToken}`) =>
    fetch(`${base}/v1/knowledge/${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const json = (response: Response): Promise<any> => response.json();

  beforeAll(async () => {
    workspace = await shopWorkspace('knowledge-http');
    knowledgeFile = workspace.knowledgeFile;
    const config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: adminToken },
      overrides: {
        dataDir: workspace.dir,
        knowledge: { directory: workspace.knowledgeDir },
        datasources: [{ id: 'shop', url: workspace.shopUrl }],
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await workspace?.remove();
  });

  const routes: Array<['GET' | 'POST', string, unknown?]> = [
    ['GET', 'shop/examples'],
    ['POST', 'shop/examples', { question: 'How many regions are there?', sql: 'SELECT COUNT(*) FROM regions' }],
    ['POST', 'shop/examples/customers-who-never-ordered/approve'],
    ['POST', 'shop/examples/customers-who-never-ordered/reject'],
    ['GET', 'shop/check'],
  ];

  it('refuses every route without the admin token, and changes nothing', async () => {
    const before = await readFile(knowledgeFile, 'utf8');
    for (const [method, route, body] of routes) {
      for (const authorization of ['', 'Bearer wrong-token-wrong-token-wrong-xx']) {
        const response = await call(method, route, body, authorization);
        expect(response.status, `${method} ${route}`).toBe(403);
        expect((await json(response)).error).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/admin scope/) });
      }
    }
    expect(await readFile(knowledgeFile, 'utf8')).toBe(before);
  });

  it('answers 404 for an unknown datasource on every route, and for a URL given as one', async () => {
    for (const [method, route, body] of routes) {
      const response = await call(method, route.replace(/^shop/, 'warehouse'), body);
      expect(response.status, `${method} ${route}`).toBe(404);
      expect((await json(response)).error).toMatchObject({ code: 'datasource_not_found', message: expect.stringMatching(/"warehouse"/) });
    }
    expect((await call('GET', `${encodeURIComponent('pglite:memory')}/examples`)).status).toBe(404);
  });

  it('answers 404 example_not_found naming an unknown example', async () => {
    for (const action of ['approve', 'reject']) {
      const response = await call('POST', `shop/examples/no-such-example/${action}`);
      expect(response.status).toBe(404);
      expect((await json(response)).error).toMatchObject({
        code: 'example_not_found',
        message: expect.stringContaining('"no-such-example"'),
      });
    }
  });

  it('answers 400 naming the field of a bad body or filter', async () => {
    const cases: Array<[unknown, string]> = [
      [{ question: 'How many regions are there?' }, 'sql'],
      [{ sql: 'SELECT 1' }, 'question'],
      [{ question: 'ab', sql: 'SELECT 1' }, 'question'],
      [{ question: 'How many regions are there?', sql: '   ' }, 'sql'],
      [{ question: 'How many regions are there?', sql: 'SELECT 1', status: 'verified' }, 'body'],
      ['not json at all', ''],
    ];
    for (const [body, field] of cases) {
      const response = await call('POST', 'shop/examples', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      const error = (await json(response)).error;
      if (field) expect(error).toMatchObject({ code: 'invalid_input', details: { field }, message: expect.stringContaining(`${field}: `) });
    }
    const filter = await call('GET', 'shop/examples?status=approved');
    expect(filter.status).toBe(400);
    expect((await json(filter)).error).toMatchObject({
      details: { field: 'status' },
      message: expect.stringMatching(/"status" must be one of/),
    });
  });

  it('adds a verified example, lists it, rejects and approves it; SQL that writes is refused', async () => {
    const added = await call('POST', 'shop/examples', {
      question: 'How many regions are there?',
      sql: 'SELECT COUNT(*) AS regions FROM regions;',
    });
    expect(added.status).toBe(201);
    const { example } = await json(added);
    expect(example).toMatchObject({
      id: 'how-many-regions-are-there',
      question: 'How many regions are there?',
      sql: 'SELECT COUNT(*) AS regions FROM regions',
      status: 'verified',
      verified_by: 'admin',
    });

    const verified = await json(await call('GET', 'shop/examples?status=verified'));
    expect(verified.examples.map((entry: { id: string }) => entry.id)).toContain(example.id);
    expect(verified.examples.every((entry: { status: string }) => entry.status === 'verified')).toBe(true);
    const all = await json(await call('GET', 'shop/examples'));
    expect(all.examples.length).toBeGreaterThanOrEqual(verified.examples.length);

    const rejected = await call('POST', `shop/examples/${example.id}/reject`);
    expect(rejected.status).toBe(200);
    expect((await json(rejected)).example).toMatchObject({ id: example.id, status: 'rejected', verified_by: 'admin' });
    expect((await json(await call('GET', 'shop/examples?status=rejected'))).examples).toEqual([
      expect.objectContaining({ id: example.id, status: 'rejected' }),
    ]);
    const approved = await call('POST', `shop/examples/${example.id}/approve`);
    expect((await json(approved)).example).toMatchObject({ id: example.id, status: 'verified' });
    expect((await json(await call('GET', 'shop/examples?status=rejected'))).examples).toEqual([]);

    const duplicate = await call('POST', 'shop/examples', { question: 'how many regions are there', sql: 'SELECT 1' });
    expect(duplicate.status).toBe(400);
    expect((await json(duplicate)).error.message).toContain(`"${example.id}"`);
    const writes = await call('POST', 'shop/examples', { question: 'Remove every region', sql: 'DELETE FROM regions' });
    expect(writes.status).toBe(422);
    expect((await json(writes)).error.code).toBe('sql_rejected');
  });

  it('checks the file against the live schema', async () => {
    const response = await call('GET', 'shop/check');
    expect(response.status).toBe(200);
    const report = await json(response);
    expect(report).toMatchObject({ datasource: 'shop', file: knowledgeFile, parses: true, problems: [] });
    expect(report.counts.glossary).toBeGreaterThan(5);
    expect(report.schemaVersion).toMatch(/^[0-9a-f]{16}$/);
  });
});
