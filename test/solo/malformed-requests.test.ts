import type { Server } from 'node:http';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';

const adminToken = 'admin-token-for-tests-0123456789';

interface Malformed {
  method: string;
  path: string;
  body?: string;
  headers?: Record<string, string>;
}

// Values of the wrong type for any field, and keys that name Object.prototype members.
const wrongValues: unknown[] = [
  null,
  true,
  0,
  -1,
  1e308,
  -0.5,
  [],
  [1, 2],
  {},
  { nested: { deeper: [] } },
  '',
  '   ',
  'NaN',
  'x'.repeat(5000),
  '\u0000',
  '\ud800',
];
const prototypeKeys = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];

/** Bodies with every field of `valid` in turn replaced by a value of the wrong type, plus prototype keys. */
function corrupt(valid: Record<string, unknown>): string[] {
  const bodies: string[] = [];
  for (const [field, good] of Object.entries(valid))
    for (const value of wrongValues) {
      // A text field may hold any text but blank, NUL or a lone surrogate: 'NaN' or a long word are fine.
      if (typeof good === 'string' && typeof value === 'string' && !['', '   ', '\u0000', '\ud800'].includes(value)) continue;
      bodies.push(JSON.stringify({ ...valid, [field]: value }));
    }
  for (const key of prototypeKeys) bodies.push(`{${JSON.stringify(key)}: {"polluted": true}, ${JSON.stringify(valid).slice(1)}`);
  bodies.push(
    '[]',
    '"just a string"',
    '42',
    'null',
    '{"unclosed": ',
    '{"a": 1,}',
    '\u0000\u0001',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
  );
  return bodies;
}

function corpus(): Malformed[] {
  const posts: Array<[string, Record<string, unknown>]> = [
    ['/v1/query', { datasource: 'shop', question: 'How many orders are there?' }],
    ['/v1/feedback', { traceId: 'a'.repeat(32), score: 1, comment: 'ok' }],
    ['/v1/prompts/agent/db_agent/versions', { template: 'Hi {{ meta.datasource }}', commitMessage: 'x' }],
    ['/v1/knowledge/shop/examples', { question: 'How many orders?', sql: 'SELECT 1' }],
    ['/v1/admin/prompts/invalidate', { name: 'agent/db_agent' }],
  ];
  const list: Malformed[] = [];
  for (const [route, valid] of posts) for (const body of corrupt(valid)) list.push({ method: 'POST', path: route, body });
  for (const body of corrupt({ version: 2 })) list.push({ method: 'PUT', path: '/v1/prompts/agent/db_agent/labels/staging', body });
  // Broken encodings, wrong content types and odd paths.
  const question = '{"datasource": "shop", "question": "How many orders?"}';
  list.push(
    { method: 'POST', path: '/v1/query', body: question, headers: { 'content-encoding': 'gzip' } },
    { method: 'POST', path: '/v1/query', body: question, headers: { 'content-encoding': 'br' } },
    { method: 'POST', path: '/v1/query', body: question, headers: { 'content-encoding': 'x-unknown' } },
    { method: 'POST', path: '/v1/query', body: question, headers: { 'content-type': 'application/json; charset=utf-16' } },
    { method: 'POST', path: '/v1/query', body: question, headers: { 'content-type': 'application/json; charset=klingon' } },
    { method: 'POST', path: '/v1/query', body: 'x'.repeat(200_000) },
  );
  for (const odd of ['%zz', '%', '%E0%A4%A', '..%2F..%2Fetc%2Fpasswd', '%00', 'a'.repeat(3000)]) {
    list.push({ method: 'GET', path: `/v1/datasources/${odd}/schema` });
    list.push({ method: 'GET', path: `/v1/prompts/${odd}` });
    list.push({ method: 'GET', path: `/v1/traces/${odd}` });
    list.push({ method: 'GET', path: `/v1/evals/runs/${odd}` });
  }
  for (const query of ['since=yesterday', 'since=', 'limit=-1', 'limit=1e9', 'user=a&user=b', 'label[x]=1', 'by=__proto__'])
    for (const route of ['/v1/traces', '/v1/stats']) list.push({ method: 'GET', path: `${route}?${query}` });
  // Headers that lie or are out of range.
  for (const headers of <Array<Record<string, string>>>[
    { 'x-request-id': 'x'.repeat(500) },
    { 'x-request-id': '<script>' },
    { authorization: 'Bearer ' },
    { authorization: `Basic ${'a'.repeat(600)}` },
    { accept: 'text/event-stream', 'content-type': 'text/plain' },
    { 'content-type': 'application/x-www-form-urlencoded' },
  ])
    list.push({ method: 'POST', path: '/v1/query', body: '{"datasource": 7}', headers });
  for (const method of ['PATCH', 'DELETE', 'PUT'])
    for (const route of ['/v1/query', '/v1/datasources', '/healthz', '/v1/feedback']) list.push({ method, path: route, body: '{}' });
  list.push({ method: 'GET', path: '/v1/query' }, { method: 'GET', path: '/mcp' }, { method: 'DELETE', path: '/mcp' });
  return list;
}

describe('malformed and hostile requests (issue 12)', () => {
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-malformed-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    await cp(path.resolve(import.meta.dirname, '../../prompts'), path.join(dir, 'prompts'), { recursive: true });
    await cp(path.resolve(import.meta.dirname, '../../knowledge'), path.join(dir, 'knowledge'), { recursive: true });
    const config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: adminToken },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        prompts: { directory: path.join(dir, 'prompts') },
        knowledge: { directory: path.join(dir, 'knowledge') },
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Sends every request of the corpus once; returns what was wrong with the answers. */
  async function sendAll(requests: Malformed[]): Promise<string[]> {
    const problems: string[] = [];
    for (const request of requests) {
      const response = await fetch(`${base}${request.path}`, {
        method: request.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, ...request.headers },
        body: request.body,
      }).catch((error: unknown) => ({ status: 0, error }) as const);
      const label = `${request.method} ${request.path.slice(0, 60)} ${(request.body ?? '').slice(0, 60)}`;
      if (!('json' in response)) {
        problems.push(`${label}: no answer`);
        continue;
      }
      const text = await response.text();
      let body: { error?: { code?: unknown; message?: unknown; requestId?: unknown } } = {};
      try {
        body = JSON.parse(text);
      } catch {
        problems.push(`${label}: not JSON (${response.status}): ${text.slice(0, 80)}`);
        continue;
      }
      if (response.status < 400 || response.status >= 500) problems.push(`${label}: status ${response.status}`);
      else if (typeof body.error?.code !== 'string' || typeof body.error.message !== 'string' || typeof body.error.requestId !== 'string')
        problems.push(`${label}: not the error shape: ${text.slice(0, 120)}`);
      if (/\n\s+at |127\.0\.0\.1|topsecret/.test(text)) problems.push(`${label}: leaks a stack or an address`);
    }
    return problems;
  }

  /** The heap in use after a full garbage collection, in bytes. */
  function settledHeap(): number {
    setFlagsFromString('--expose-gc');
    const collect = runInNewContext('gc') as () => void;
    collect();
    collect();
    return process.memoryUsage().heapUsed;
  }

  it('answers each of 300+ malformed requests with a 4xx in the error shape, changes nothing, and stays up with memory flat', async () => {
    const requests = corpus();
    expect(requests.length).toBeGreaterThanOrEqual(300);
    const promptsBefore = JSON.stringify(await app.prompts.store.list());
    // The first pass warms caches and compiles code; the next three must not grow the heap.
    expect(await sendAll(requests)).toEqual([]);
    const warm = settledHeap();
    for (let pass = 0; pass < 3; pass += 1) expect(await sendAll(requests)).toEqual([]);
    const grownMb = (settledHeap() - warm) / 1024 / 1024;
    expect(grownMb, `the heap grew ${grownMb.toFixed(1)} MB over ${3 * requests.length} more requests`).toBeLessThan(10);
    // Nothing changed: no prototype was polluted, no prompt version or label was written.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(JSON.stringify(await app.prompts.store.list())).toBe(promptsBefore);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  }, 280_000);
});
