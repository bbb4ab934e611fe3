import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp, startServer } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { startServeProcess } from '../support/cli-runner.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { OpenAiTestServer, slowStep, toolCallStep } from '../support/openai-server.ts';
import { requireServers } from '../support/servers.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const environment = inject('testEnvironment');
const question = { datasource: 'shop', question: 'How many customers are there?', cache: 'bypass' };
const ask = (base: string) =>
  fetch(`${base}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(question) }).then(
    async (response) => ({ status: response.status, body: (await response.json()) as { sql?: string; error?: unknown } }),
    (error: unknown) => ({ status: 0, body: { error: String(error) } }),
  );

/** Waits until `count` model calls have arrived (the requests are then in flight, inside the agent). */
async function untilCalls(llm: OpenAiTestServer, count: number): Promise<void> {
  for (let waited = 0; llm.requests.length < count; waited += 20) {
    if (waited > 30_000) throw new Error(`only ${llm.requests.length} of ${count} model calls arrived`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.skipIf(!environment.postgres && !requireServers)('shutdown drains (issue 13, item 6)', () => {
  let llm: OpenAiTestServer;
  let dir: string;
  beforeAll(async () => {
    llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-drain-'));
  });
  afterAll(async () => {
    await llm?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    llm.reset();
    // Every call: a second and a half of thinking, then a final answer that runs.
    llm.respond(() =>
      slowStep(1500, toolCallStep('final_answer', { sql: 'SELECT COUNT(*) AS customers FROM customers', answer: 'Many.' })),
    );
  });

  const configFor = (overrides: Record<string, unknown> = {}) =>
    loadConfig({
      env: { OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: llm.baseUrl },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: environment.postgres!.shop }],
        llm: { apiKey: 'sk-test', baseUrl: llm.baseUrl, maxRetries: 0 },
        tracing: { localStore: false },
        ...overrides,
      },
    });

  it('answers /readyz 503 until its datasources are open, then 200, and 503 again while draining', async () => {
    const app = createApp(configFor(), { logger: createLogger('silent') });
    const lifecycle = { draining: false };
    const { server, base } = await listenOnLoopback(createHttpApp(app, { lifecycle }));
    try {
      // Probing a cold instance opens its datasource; it is ready once that is done.
      const first = await fetch(`${base}/readyz`);
      expect(first.status).toBe(503);
      expect(await first.json()).toMatchObject({
        status: 'not_ready',
        checks: { 'datasource:shop': { ready: false, detail: expect.stringMatching(/^opening/) } },
      });
      await vi.waitFor(
        async () => {
          const ready = await fetch(`${base}/readyz`);
          expect(ready.status).toBe(200);
          expect(await ready.json()).toMatchObject({
            status: 'ready',
            checks: {
              'datasource:shop': { ready: true, detail: 'open and answering' },
              prompts: { ready: true, detail: `local store: agent/db_agent v${shippedLabels.production}` },
              model: { ready: true },
            },
          });
        },
        { timeout: 30_000, interval: 100 },
      );
      lifecycle.draining = true;
      const draining = await fetch(`${base}/readyz`);
      expect(draining.status).toBe(503);
      expect(await draining.json()).toMatchObject({ status: 'draining' });
    } finally {
      server.close();
      await app.close();
    }
  });

  it('lets requests in flight finish, refuses new connections, then stops; past the grace it cuts the rest', async () => {
    const app = createApp(configFor({ server: { shutdownGraceMs: 20_000 } }), { logger: createLogger('silent') });
    const running = await startServer(app, { port: 0, host: '127.0.0.1' });
    const base = `http://127.0.0.1:${running.port}`;
    try {
      const inFlight = Array.from({ length: 4 }, () => ask(base));
      await untilCalls(llm, 4);
      const drained = running.drain('test');
      const results = await Promise.all(inFlight);
      expect(results.map((result) => result.status)).toEqual([200, 200, 200, 200]);
      expect(await drained).toEqual({ inFlightAtStart: 4, cut: 0 });
      expect((await ask(base)).status).toBe(0);
    } finally {
      await app.close();
    }

    // A grace shorter than the model's answer: the request is cut, and drain still ends.
    llm.reset();
    llm.respond(() => slowStep(5000, toolCallStep('final_answer', { sql: 'SELECT 1 AS one', answer: 'One.' })));
    const hasty = createApp(configFor({ server: { shutdownGraceMs: 300 } }), { logger: createLogger('silent') });
    const short = await startServer(hasty, { port: 0, host: '127.0.0.1' });
    try {
      const cutShort = ask(`http://127.0.0.1:${short.port}`);
      await untilCalls(llm, 1);
      expect(await short.drain('test')).toEqual({ inFlightAtStart: 1, cut: 1 });
      expect((await cutShort).status).toBe(0);
    } finally {
      await hasty.close();
    }
  }, 60_000);

  it('serves /metrics on its own port when server.metricsPort is set, and not on the API port', async () => {
    const app = createApp(configFor({ server: { metricsPort: 0 } }), { logger: createLogger('silent') });
    const running = await startServer(app, { port: 0, host: '127.0.0.1' });
    try {
      expect(running.metricsPort).toEqual(expect.any(Number));
      expect(running.metricsPort).not.toBe(running.port);
      expect((await fetch(`http://127.0.0.1:${running.port}/metrics`)).status).toBe(404);
      const scraped = await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`);
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toMatch(/^# HELP sqlagent_request_duration_seconds /m);
      expect((await fetch(`http://127.0.0.1:${running.metricsPort}/v1/datasources`)).status).toBe(404);
      await running.drain('test');
      expect(
        await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`).then(
          () => 'answered',
          () => 'closed',
        ),
      ).toBe('closed');
    } finally {
      await app.close();
    }
  });

  it('on SIGTERM, the serve process finishes its requests in flight and exits 0', async () => {
    const configFile = path.join(dir, 'sqlagent.json');
    await writeFile(
      configFile,
      JSON.stringify({ dataDir: dir, datasources: [{ id: 'shop', url: environment.postgres!.shop }], tracing: { localStore: false } }),
    );
    const serve = await startServeProcess({
      SQLAGENT_CONFIG: configFile,
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: llm.baseUrl,
      LANGFUSE_PUBLIC_KEY: '',
    });
    try {
      const inFlight = Array.from({ length: 3 }, () => ask(serve.url));
      await untilCalls(llm, 3);
      serve.child.kill('SIGTERM');
      const results = await Promise.all(inFlight);
      expect(
        results.map((result) => result.status),
        serve.output(),
      ).toEqual([200, 200, 200]);
      expect(await serve.exited).toBe(0);
      expect(serve.output()).toMatch(/"message":"stopped".*"inFlightAtStart":3,"cut":0/);
    } finally {
      serve.child.kill('SIGKILL');
    }
  }, 120_000);
});
