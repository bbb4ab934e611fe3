import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import type { DatasourceConfigInput } from '../../src/datasource/index.ts';
import { DatasourceBusyError } from '../../src/errors/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { contentStep, OpenAiTestServer, slowStep, toolCallStep } from '../support/openai-server.ts';
import { requireServers } from '../support/servers.ts';

const environment = inject('testEnvironment');
const json = (response: Response): Promise<any> => response.json();

/** An app on the Postgres shop database, over real HTTP. */
async function serve(options: { llm?: OpenAiTestServer; datasource?: Partial<DatasourceConfigInput>; requestTimeoutMs?: number }) {
  const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-busy-'));
  const llm = options.llm;
  const config = loadConfig({
    env: llm ? { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl } : {},
    overrides: {
      dataDir: dir,
      datasources: [{ id: 'shop', url: environment.postgres!.shop, today: '2025-07-01', ...options.datasource }],
      ...(llm ? { llm: { apiKey: 'sk-test', baseUrl: llm.baseUrl, maxRetries: 0, timeoutMs: 60_000 } } : {}),
      server: { requestTimeoutMs: options.requestTimeoutMs ?? 60_000 },
      agent: { maxSteps: 6 },
      tracing: { localStore: false },
    },
  });
  const app = createApp(config, { logger: createLogger('silent') });
  const { server, base } = await listenOnLoopback(createHttpApp(app));
  return {
    app,
    base,
    post: (body: unknown) =>
      fetch(`${base}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    close: async () => {
      server.close();
      await app.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe.skipIf(!environment.postgres && !requireServers)('busy is back-pressure, not a bad question (issue 13, item 2)', () => {
  it('answers 200 or 503 datasource_busy with Retry-After, never 422, to 200 clients on a pool of 5', async () => {
    const service = await serve({ datasource: { poolSize: 5 } });
    try {
      const question = { datasource: 'shop', question: 'How many customers live in Germany?', cache: 'bypass' };
      const responses = await Promise.all(
        Array.from({ length: 200 }, async () => {
          const response = await service.post(question);
          return { status: response.status, retryAfter: response.headers.get('retry-after'), body: await json(response) };
        }),
      );
      const byStatus: Record<string, typeof responses> = {};
      for (const response of responses) (byStatus[String(response.status)] ??= []).push(response);
      expect(Object.keys(byStatus).sort(), JSON.stringify(responses.find((response) => response.status !== 200)?.body)).toEqual(
        ['200', '503'].filter((status) => byStatus[status]),
      );
      // Ten run at once (twice the pool), a hundred wait, and the rest are turned away at the door. On a busy
      // machine a waiting one may also give up (its wait is half the request's deadline): busy too, not turned away.
      const turnedAway = (byStatus['503'] ?? []).filter((response) => response.body.error?.details?.queue === 'queue_full');
      const gaveUp = (byStatus['503'] ?? []).length - turnedAway.length;
      const counts = `200: ${byStatus['200']?.length ?? 0}, turned away: ${turnedAway.length}, gave up waiting: ${gaveUp}`;
      expect(turnedAway.length, counts).toBeLessThanOrEqual(90);
      // Giving up is the exception (seen once, at a load of 6): most of those who waited are answered.
      expect(gaveUp, counts).toBeLessThanOrEqual(30);
      expect(byStatus['200']!.length, counts).toBeGreaterThanOrEqual(80);
      expect(byStatus['200']!.every((response) => /^SELECT/i.test(response.body.sql))).toBe(true);
      for (const busy of byStatus['503'] ?? []) {
        expect(busy.body.error, JSON.stringify(busy.body.error)).toMatchObject({
          code: 'datasource_busy',
          details: { datasource: 'shop' },
        });
        expect(['queue_full', 'wait_exceeded', undefined]).toContain(busy.body.error.details.queue);
        expect(Number(busy.retryAfter)).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await service.close();
    }
  }, 180_000);

  it('ends a run whose wait for a session runs out with datasource_busy: the model is not told, and no tier escalates', async () => {
    const llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    // One session, held by someone else for the whole request; a short wait for it.
    const service = await serve({ llm, datasource: { poolSize: 1, sessionWaitMs: 300 } });
    try {
      const datasource = await service.app.datasources.get('shop');
      await service.app.datasources.schema('shop');
      let releaseHolder = () => {};
      const holding = datasource.driver.withSession(() => new Promise<void>((resolve) => (releaseHolder = resolve)));
      llm.enqueue(toolCallStep('execute_sql', { sql: "SELECT COUNT(*) FROM customers WHERE country = 'Germany'" }));
      const response = await service.post({ datasource: 'shop', question: 'How many customers live in Germany?', cache: 'bypass' });
      releaseHolder();
      await holding;
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const body = await json(response);
      expect(body.error).toMatchObject({ code: 'datasource_busy', details: { datasource: 'shop' } });
      expect(body.error.message).toMatch(/busy: all 1 places stayed taken for 300 ms/);
      // One model call: the wait was not shown to it as a failed query, and nothing escalated.
      expect(llm.requests).toHaveLength(1);
    } finally {
      await service.close();
      await llm.close();
    }
  });

  it('maps node-postgres giving up on a free pooled client to datasource_busy, not an SQL error', async () => {
    const service = await serve({ datasource: { poolSize: 1, connectTimeoutMs: 200 } });
    try {
      const datasource = await service.app.datasources.get('shop');
      // kysely shares the pool but not the session gate: hold the one client through it.
      let release = () => {};
      const held = (await datasource.driver.kysely()).connection().execute(() => new Promise<void>((resolve) => (release = resolve)));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const error = await datasource.executeReadOnly('SELECT 1 AS one').catch((caught: unknown) => caught);
      release();
      await held;
      expect(error).toBeInstanceOf(DatasourceBusyError);
      expect(error).toMatchObject({ details: { retryAfterSeconds: 1 } });
    } finally {
      await service.close();
    }
  });
});

describe.skipIf(!environment.postgres && !requireServers)('every request has a deadline (issue 13, item 5)', () => {
  let llm: OpenAiTestServer;
  beforeAll(async () => {
    llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
  });
  afterAll(() => llm?.close());
  beforeEach(() => llm.reset());

  it('ends a request whose model never answers with 504 request_timeout naming the step, and aborts the call', async () => {
    // The deadline must cover the request's own preparation on a busy machine (1.5 s did not at a load of 8):
    // the datasource and the app database are opened first, and the deadline is still far below the model's 30 s.
    const service = await serve({ llm, requestTimeoutMs: 4000 });
    try {
      await service.app.datasources.get('shop');
      await service.app.appDatabase();
      llm.enqueue(slowStep(30_000, toolCallStep('search_metadata', { query: 'customers' })));
      const started = Date.now();
      const response = await service.post({ datasource: 'shop', question: 'How many customers are there?', cache: 'bypass' });
      expect(response.status).toBe(504);
      const body = await json(response);
      expect(body.error).toMatchObject({ code: 'request_timeout', details: { timeoutMs: 4000 } });
      expect(body.error.message).toMatch(/deadline of 4000 ms while a call to the model /);
      expect(body.error.details.step).toMatch(/^a call to the model /);
      // Far sooner than the model's 30 s: the deadline, not the model, ended it.
      expect(Date.now() - started).toBeLessThan(25_000);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('lets a request ask for a shorter deadline, never a longer one', async () => {
    const service = await serve({ llm, requestTimeoutMs: 20_000 });
    try {
      llm.enqueue(slowStep(30_000, toolCallStep('search_metadata', { query: 'customers' })));
      const response = await service.post({
        datasource: 'shop',
        question: 'How many customers are there?',
        cache: 'bypass',
        timeoutMs: 800,
      });
      expect(response.status).toBe(504);
      expect((await json(response)).error.details.timeoutMs).toBe(800);
      const tooLong = await service.post({ datasource: 'shop', question: 'x', timeoutMs: 5_000_000 });
      expect(tooLong.status).toBe(400);
      expect((await json(tooLong)).error.message).toMatch(/timeoutMs/);
    } finally {
      await service.close();
    }
  }, 60_000);

  it('does not run a statement again that timed out, tells the model it was too slow, and ends 504 sql_timeout', async () => {
    const service = await serve({ llm, datasource: { statementTimeoutMs: 300 } });
    try {
      const slow = 'SELECT COUNT(*) AS n FROM order_items a, order_items b, order_items c';
      llm.enqueue(toolCallStep('execute_sql', { sql: slow }));
      llm.enqueue(toolCallStep('execute_sql', { sql: `  ${slow.replaceAll(' ', '\n ')} ` }));
      llm.enqueue(toolCallStep('final_answer', { sql: slow, answer: 'Many.' }));
      llm.enqueue(toolCallStep('final_answer', { sql: slow, answer: 'Many.' }));
      llm.enqueue(contentStep('I cannot make it faster.'));
      llm.enqueue(contentStep('I cannot make it faster.'));
      const response = await service.post({ datasource: 'shop', question: 'How many order item triples are there?', cache: 'bypass' });
      const body = await json(response);
      expect(response.status, JSON.stringify(body).slice(0, 400)).toBe(504);
      expect(body.error.code).toBe('sql_timeout');
      const steps = body.error.details.attempts[0].steps as Array<{ tool: string; error: string; sqlError: { code: string } }>;
      expect(steps.map((step) => [step.tool, step.sqlError?.code])).toEqual([
        ['execute_sql', 'sql_timeout'],
        ['execute_sql', 'sql_timeout'],
        ['final_answer', 'sql_timeout'],
        ['final_answer', 'sql_timeout'],
      ]);
      expect(steps[0].error).toMatch(/too slow/);
      expect(steps.slice(1).every((step) => /already ran out of time; it was not run again/.test(step.error))).toBe(true);
      // What the model read after its first statement: that it was too slow.
      const toolMessages = (llm.requests[1]!.body as { messages: Array<{ role: string; content: string }> }).messages.filter(
        (message) => message.role === 'tool',
      );
      expect(toolMessages[0].content).toMatch(/too slow/);
    } finally {
      await service.close();
    }
  }, 60_000);
});
