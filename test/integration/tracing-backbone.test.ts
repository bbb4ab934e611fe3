import type { IncomingMessage, ServerResponse } from 'node:http';
import { startObservation } from '@langfuse/tracing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { createLogger } from '../../src/logging/index.ts';
import { LocalSpanStore, renderTraceTree } from '../../src/tracing/local-store/index.ts';
import { createTracing, type Tracing } from '../../src/tracing/otel/index.ts';
import { listenOnLoopback, readBody } from '../support/http-helpers.ts';

interface ReceivedExport {
  authorization: string | undefined;
  contentType: string | undefined;
  body: {
    resourceSpans: Array<{
      scopeSpans: Array<{
        spans: Array<{ name: string; traceId: string; attributes: Array<{ key: string; value: Record<string, unknown> }> }>;
      }>;
    }>;
  };
}

/** One observation tree as our agent will write it: query → prompt, tier → generation, tool (failed). */
function recordQueryTrace(): string {
  const query = startObservation('query', { input: { question: 'How many regions?' } });
  query.otelSpan.setAttributes({ 'user.id': 'ana', 'sqlagent.datasource': 'shop', 'sqlagent.label': 'production' });
  const prompt = query.startObservation('prompt', { metadata: { label: 'production' } });
  prompt.otelSpan.setAttributes({ 'sqlagent.prompt.name': 'agent/db_agent', 'sqlagent.prompt.version': 2 });
  prompt.end();
  const tier = query.startObservation('tier:gpt-4o-mini', {});
  const generation = tier.startObservation(
    'generation',
    {
      model: 'gpt-4o-mini',
      usageDetails: { input: 1234, output: 210 },
      costDetails: { total: 0.015 },
      prompt: { name: 'agent/db_agent', version: 2, isFallback: false },
    },
    { asType: 'generation' },
  );
  generation.end();
  const tool = tier.startObservation(
    'tool:execute_sql',
    { level: 'ERROR', statusMessage: 'column "x" does not exist' },
    { asType: 'tool' },
  );
  tool.end();
  tier.end();
  query.end();
  return query.traceId;
}

describe('the tracing backbone: our own provider, the Langfuse processor over OTLP/HTTP, and the local store', () => {
  const received: ReceivedExport[] = [];
  let langfuse: Awaited<ReturnType<typeof listenOnLoopback>>;
  let driver: Awaited<ReturnType<typeof createPgliteDriver>>;
  let store: LocalSpanStore;
  let tracing: Tracing;

  beforeAll(async () => {
    langfuse = await listenOnLoopback(async (request: IncomingMessage, response: ServerResponse) => {
      const text = await readBody(request);
      if (request.url === '/api/public/otel/v1/traces') {
        received.push({
          authorization: request.headers.authorization,
          contentType: request.headers['content-type'],
          body: JSON.parse(text),
        });
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    driver = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
    store = new LocalSpanStore(await driver.kysely());
    await store.migrate();
    tracing = createTracing({
      logger: createLogger('silent'),
      langfuse: { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test', baseUrl: langfuse.base, exportMode: 'immediate' },
      localStore: store,
    });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    langfuse?.server.close();
    await driver?.close();
  });

  it('exports every span to Langfuse as OTLP JSON with Basic auth, the generation usage and the prompt link', async () => {
    const traceId = recordQueryTrace();
    await tracing.forceFlush();
    expect(received.length).toBeGreaterThan(0);
    expect(received[0].authorization).toBe(`Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);
    const spans = received.flatMap((entry) =>
      entry.body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
    );
    const ours = spans.filter((span) => Buffer.from(span.traceId, 'hex').toString('hex') === traceId || span.traceId === traceId);
    expect(ours.map((span) => span.name).sort()).toEqual(['generation', 'prompt', 'query', 'tier:gpt-4o-mini', 'tool:execute_sql']);
    const attribute = (name: string, key: string) =>
      ours.find((span) => span.name === name)?.attributes.find((entry) => entry.key === key)?.value;
    expect(attribute('generation', 'langfuse.observation.prompt.name')).toEqual({ stringValue: 'agent/db_agent' });
    expect(Object.values(attribute('generation', 'langfuse.observation.prompt.version') ?? {})[0]).toEqual(expect.anything());
    expect(JSON.parse(String(attribute('generation', 'langfuse.observation.usage_details')?.stringValue))).toEqual({
      input: 1234,
      output: 210,
    });
    expect(attribute('tool:execute_sql', 'langfuse.observation.level')).toEqual({ stringValue: 'ERROR' });
  });

  it('stores the same spans locally, where traces show renders the tree with durations, costs, tokens and errors', async () => {
    const traceId = recordQueryTrace();
    await tracing.forceFlush();
    const trace = await store.getTrace(traceId);
    expect(trace).not.toBeNull();
    const text = renderTraceTree(trace!);
    expect(text).toMatch(/^Trace: query /);
    // Spans started in the same millisecond may come in either order.
    expect(text).toMatch(/[├└]─ prompt agent\/db_agent v2/);
    expect(text).toMatch(/tier gpt-4o-mini .*\$0\.015/);
    expect(text).toMatch(/generation gpt-4o-mini .*1,234→210 tok/);
    expect(text).toMatch(/tool execute_sql .*error: column "x" does not exist/);
    const [listed] = await store.listTraces({ user: 'ana' });
    expect(listed).toMatchObject({ traceId, userId: 'ana', label: 'production' });
  });

  it('keeps requests fast when Langfuse is down: ending spans never waits for the export', async () => {
    const down = createTracing({
      logger: createLogger('silent'),
      langfuse: { publicKey: 'pk', secretKey: 'sk', baseUrl: 'http://127.0.0.1:1', exportMode: 'batched', timeoutSeconds: 1 },
    });
    const started = performance.now();
    for (let index = 0; index < 50; index += 1) startObservation(`query-${index}`, {}).end();
    expect(performance.now() - started).toBeLessThan(200);
    await down.shutdown();
  });
});
