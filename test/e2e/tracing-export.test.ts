import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { openAppDatabase } from '../../src/app-database/index.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { LocalSpanStore, renderTraceTree } from '../../src/tracing/local-store/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { startServeProcess } from '../support/cli-runner.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { LangfuseTestServer, type ReceivedOtelSpan } from '../support/langfuse-server.ts';
import { LocalPromptStore } from '../../src/prompts/index.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const publicKey = 'pk-lf-e2e-tracing';
const secretKey = 'sk-lf-e2e-tracing-secret';
const root = path.resolve(import.meta.dirname, '../..');
const countRegions = 'SELECT COUNT(*) AS regions FROM regions';

/** Every request answers the same way: look the table up, then give the final answer. */
const scriptedModel = () =>
  new ScriptedChatModel((_request, index) =>
    index % 2 === 0
      ? callTool('search_metadata', { query: 'regions' }, { inputTokens: 1500, outputTokens: 12 })
      : finalAnswer(countRegions, 'There are 12 regions.', { inputTokens: 1700, outputTokens: 40 }),
  );

describe('traces over HTTP: the real LangfuseSpanProcessor exports to a loopback Langfuse, the local store keeps them', () => {
  let langfuse: LangfuseTestServer;
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;
  const ask = (body: Record<string, unknown>) =>
    fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ datasource: 'shop', question: 'How many regions are there?', cache: 'bypass', ...body }),
    });
  const spansOf = (traceId: string): ReceivedOtelSpan[] => langfuse.otelSpans.filter((span) => span.traceId === traceId);

  beforeAll(async () => {
    langfuse = await LangfuseTestServer.start({ publicKey, secretKey });
    // Prompts come from this Langfuse, so generations link to its versions (the shipped files, as pushed).
    const local = new LocalPromptStore({ directory: path.join(root, 'prompts') });
    const versions = await local.versions('agent/db_agent');
    langfuse.seedPrompt(
      'agent/db_agent',
      versions.map((version) => ({
        prompt: version.template,
        config: version.config,
        labels: version.labels.filter((label) => label !== 'latest'),
        commitMessage: version.commitMessage ?? '',
      })),
    );
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-tracing-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = loadConfig({
      env: {
        LANGFUSE_PUBLIC_KEY: publicKey,
        LANGFUSE_SECRET_KEY: secretKey,
        LANGFUSE_BASE_URL: langfuse.baseUrl,
        PROMPT_SOURCE: 'langfuse',
      },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        langfuse: { publicKey, secretKey, baseUrl: langfuse.baseUrl, timeoutMs: 1000 },
        tracing: { langfuseFlushIntervalSeconds: 0.2 },
      },
    });
    app = createApp(config, { logger: createLogger('silent'), models: () => scriptedModel() });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await langfuse?.close();
    await rm(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    langfuse.setMode('up');
    langfuse.clearOtelSpans();
    langfuse.clearRequests();
  });

  it('returns the OTel trace id, exports the whole tree with Basic auth, usage, cost and the prompt link, and stores it locally', async () => {
    const response = await ask({ userId: 'ana', sessionId: 'conversation-1' });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { traceId: string; rows: unknown[][] };
    expect(body.rows).toEqual([[12]]);
    expect(body.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(response.headers.get('x-trace-id')).toBe(body.traceId);

    await app.tracing.forceFlush();
    const exports = langfuse.requests.filter((request) => request.path === '/api/public/otel/v1/traces');
    expect(exports.length).toBeGreaterThan(0);
    for (const request of exports)
      expect(request.authorization).toBe(`Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`);

    const spans = spansOf(body.traceId);
    expect(spans.map((span) => span.name).sort()).toEqual(
      [
        'cache',
        'generation',
        'generation',
        'knowledge',
        'prompt',
        'query',
        'schema',
        'tier:gpt-4o-mini',
        'tool:final_answer',
        'tool:search_metadata',
      ].sort(),
    );
    const byName = (name: string) => spans.filter((span) => span.name === name);
    const queryRoot = byName('query')[0];
    expect(queryRoot.parentSpanId).toBeNull();
    expect(queryRoot.attributes).toMatchObject({
      'user.id': 'ana',
      'session.id': 'conversation-1',
      'langfuse.trace.name': 'query',
      'langfuse.trace.tags': ['datasource:shop', 'label:production'],
    });
    const tier = byName('tier:gpt-4o-mini')[0];
    expect(tier.parentSpanId).toBe(queryRoot.spanId);
    expect(tier.attributes['langfuse.observation.type']).toBe('agent');
    for (const generation of byName('generation')) {
      expect(generation.parentSpanId).toBe(tier.spanId);
      expect(generation.attributes).toMatchObject({
        'langfuse.observation.type': 'generation',
        'langfuse.observation.model.name': 'gpt-4o-mini',
        'langfuse.observation.prompt.name': 'agent/db_agent',
        'langfuse.observation.prompt.version': shippedLabels.production,
      });
    }
    expect(JSON.parse(String(byName('generation')[0].attributes['langfuse.observation.usage_details']))).toEqual({
      input: 1500,
      output: 12,
      total: 1512,
    });
    expect(JSON.parse(String(byName('generation')[1].attributes['langfuse.observation.cost_details'])).total).toBeCloseTo(
      (1700 * 0.15 + 40 * 0.6) / 1e6,
      12,
    );
    expect(byName('tool:search_metadata')[0].attributes['langfuse.observation.type']).toBe('tool');
    // Nothing secret travels with the spans.
    expect(JSON.stringify(langfuse.otelSpans)).not.toContain(secretKey);

    const store = (await app.traceStore())!;
    const tree = await store.getTrace(body.traceId);
    expect(tree?.spans).toHaveLength(spans.length);
    expect(renderTraceTree(tree!)).toMatch(
      new RegExp(
        `^Trace: query .*\\n├─ schema .*\\n├─ knowledge .*\\n├─ prompt agent/db_agent v${shippedLabels.production} \\(production\\).*\\n├─ cache .*\\n└─ tier gpt-4o-mini `,
      ),
    );
  });

  it('feedback reaches both stores: the local feedback table and a user_feedback score on the Langfuse trace', async () => {
    const response = await ask({ userId: 'bo' });
    const { traceId } = (await response.json()) as { traceId: string };
    // At once: the spans still queued are written first, so the trace is found.
    const result = await app.recordFeedback({ traceId, score: -1, comment: 'wrong table' });
    expect(result).toMatchObject({ langfuse: 'sent', local: { traceId, score: -1, comment: 'wrong table' } });
    expect(langfuse.scores.filter((score) => score.traceId === traceId)).toEqual([
      expect.objectContaining({ name: 'user_feedback', value: -1, comment: 'wrong table', dataType: 'NUMERIC' }),
    ]);
    const store = (await app.traceStore())!;
    expect(await store.listFeedback(traceId)).toEqual([expect.objectContaining({ score: -1, comment: 'wrong table' })]);
  });

  it.each([
    ['down (500)', 'down-500' as const],
    ['unreachable (connection reset)', 'down-connection-reset' as const],
    ['slower than the export timeout', 'slow' as const],
  ])(
    'Langfuse %s: requests still answer without waiting for it, the failure is counted and the local store has the trace',
    async (_, mode) => {
      langfuse.setMode(mode, { slowMs: 10_000 });
      const failuresBefore = await exportFailures(app);
      const started = performance.now();
      const responses = await Promise.all([ask({ userId: 'cy' }), ask({ userId: 'cy' }), ask({ userId: 'cy' })]);
      const elapsed = performance.now() - started;
      for (const response of responses) expect(response.status).toBe(200);
      // The export runs off the request path: three answers do not wait for a 10 s (or failing) Langfuse.
      expect(elapsed).toBeLessThan(8000);
      await app.tracing.forceFlush();
      // An export the batch timer started before forceFlush is not awaited by it: on a busy machine its
      // failure (after the 1 s export timeout) is counted a moment later.
      await vi.waitFor(async () => expect(await exportFailures(app)).toBeGreaterThan(failuresBefore), { timeout: 15_000, interval: 100 });
      const traceId = ((await responses[0].json()) as { traceId: string }).traceId;
      expect(await (await app.traceStore())!.getTrace(traceId)).not.toBeNull();
    },
    30_000,
  );

  it('a fallback prompt (Langfuse down before any prompt was cached) is flagged and never linked to a Langfuse version', async () => {
    langfuse.setMode('down-500');
    const exporter = new InMemorySpanExporter();
    const fallbackApp = createApp(
      loadConfig({
        env: {
          LANGFUSE_PUBLIC_KEY: publicKey,
          LANGFUSE_SECRET_KEY: secretKey,
          LANGFUSE_BASE_URL: langfuse.baseUrl,
          PROMPT_SOURCE: 'langfuse',
        },
        overrides: {
          dataDir: path.join(dir, 'fallback'),
          datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
          langfuse: { publicKey, secretKey, baseUrl: langfuse.baseUrl, timeoutMs: 1000 },
          tracing: { localStore: false },
        },
      }),
      { logger: createLogger('silent'), models: () => scriptedModel(), spanProcessors: [new SimpleSpanProcessor(exporter)] },
    );
    try {
      // The first app holds the shop directory: hand it over for this one request.
      await app.datasources.closeAll();
      const result = await fallbackApp.queries.ask({ datasource: 'shop', question: 'How many regions are there?', cache: 'bypass' });
      expect(result.promptIsFallback).toBe(true);
      const spans = exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === result.traceId);
      const prompt = spans.find((span) => span.name === 'prompt')!;
      expect(prompt.attributes).toMatchObject({ 'langfuse.observation.level': 'WARNING', 'sqlagent.prompt.is_fallback': true });
      const generations = spans.filter((span) => span.name === 'generation');
      expect(generations.length).toBeGreaterThan(0);
      for (const generation of generations) {
        expect(generation.attributes['langfuse.observation.prompt.name']).toBeUndefined();
        expect(generation.attributes['sqlagent.prompt.version']).toBe(result.promptVersion);
      }
      expect(spans.find((span) => span.name === 'query')!.attributes['sqlagent.prompt.is_fallback']).toBe(true);
    } finally {
      await fallbackApp.close();
    }
  });
});

async function exportFailures(app: App): Promise<number> {
  const text = await app.metrics.exposition();
  const match = /sqlagent_trace_export_failures_total\{exporter="langfuse"\} (\d+)/.exec(text);
  return match ? Number(match[1]) : 0;
}

describe('SIGTERM flushes both span processors before the service exits', () => {
  it('spans still queued (a 10-minute flush interval) reach Langfuse and the local store on SIGTERM', async () => {
    const langfuse = await LangfuseTestServer.start({ publicKey, secretKey });
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-sigterm-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dataDir, 'shop'));
    const configFile = path.join(dataDir, 'config.json');
    await writeFile(
      configFile,
      JSON.stringify({
        dataDir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dataDir, 'shop')}`, today: '2025-07-01' }],
        tracing: { langfuseFlushIntervalSeconds: 600, langfuseFlushAt: 10_000 },
      }),
    );
    const serve = await startServeProcess({
      SQLAGENT_CONFIG: configFile,
      SQLAGENT_DATA_DIR: '',
      APP_DATABASE_URL: '',
      OPENAI_API_KEY: '',
      OPENAI_BASE_URL: '',
      LANGFUSE_PUBLIC_KEY: publicKey,
      LANGFUSE_SECRET_KEY: secretKey,
      LANGFUSE_BASE_URL: langfuse.baseUrl,
      PROMPT_SOURCE: 'local',
    });
    const { child, exited, url } = serve;
    try {
      const response = await fetch(`${url}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ datasource: 'shop', question: 'How many regions are there?' }),
      });
      expect(response.status).toBe(200);
      const traceId = response.headers.get('x-trace-id')!;
      // Nothing has been exported yet: the batch waits for its interval.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(langfuse.otelSpans.filter((span) => span.traceId === traceId)).toHaveLength(0);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const exported = langfuse.otelSpans.filter((span) => span.traceId === traceId);
      expect(exported.map((span) => span.name)).toContain('query');
      expect(exported.map((span) => span.name)).toContain('generation');

      const database = await openAppDatabase(`pglite:${path.join(dataDir, 'app')}`);
      try {
        const tree = await new LocalSpanStore(database.kysely).getTrace(traceId);
        expect(tree?.spans.map((span) => span.name).sort()).toEqual(exported.map((span) => span.name).sort());
      } finally {
        await database.close();
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await langfuse.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
