import path from 'node:path';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DbAgent } from '../../src/agent/index.ts';
import { MemoryResultCache } from '../../src/cache/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { ModelUnavailableError } from '../../src/errors/index.ts';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { defaultModelPrices, type ChatModel } from '../../src/llm/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import { QueryService } from '../../src/query/index.ts';
import { LocalSpanStore, renderTraceTree } from '../../src/tracing/local-store/index.ts';
import { createTracing, type Tracing } from '../../src/tracing/otel/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const prompts = new PromptService(new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
  experiments: [],
  defaultLabel: 'production',
});
const limits = {
  maxSteps: 3,
  maxQuestionChars: 2000,
  maxToolOutputChars: 8000,
  maxTotalTokens: 60_000,
  rowsShownToModel: 20,
  defaultRowLimit: 100,
};
const countRegions = 'SELECT COUNT(*) AS regions FROM regions';

/** A span tree as the test compares it: name, Langfuse observation type, children in start order. */
interface Node {
  name: string;
  type: string;
  children: Node[];
}

function treeOf(spans: ReadableSpan[], traceId: string): { root: ReadableSpan; tree: Node; byName: (name: string) => ReadableSpan[] } {
  const ours = spans.filter((span) => span.spanContext().traceId === traceId);
  const startOf = (span: ReadableSpan) => span.startTime[0] * 1e9 + span.startTime[1];
  const build = (span: ReadableSpan): Node => ({
    name: span.name,
    type: String(span.attributes['langfuse.observation.type']),
    children: ours
      .filter((child) => child.parentSpanContext?.spanId === span.spanContext().spanId)
      .sort((left, right) => startOf(left) - startOf(right))
      .map(build),
  });
  const roots = ours.filter((span) => !span.parentSpanContext);
  expect(roots).toHaveLength(1);
  return { root: roots[0], tree: build(roots[0]), byName: (name) => ours.filter((span) => span.name === name) };
}

const leaf = (name: string, type: string): Node => ({ name, type, children: [] });
const json = (value: unknown) => JSON.parse(String(value));

/** A cheap model whose SQL fails (three calls), and a strong one that answers (2,000 tokens in, 50 out). */
function escalatingModels(): { cheap: ScriptedChatModel; strong: ScriptedChatModel } {
  const badSql = 'SELECT nope FROM regions';
  return {
    cheap: new ScriptedChatModel([callTool('execute_sql', { sql: badSql }), finalAnswer(badSql, 'Done.'), finalAnswer(badSql, 'Done.')]),
    strong: new ScriptedChatModel([finalAnswer(countRegions, 'There are 12 regions.', { inputTokens: 2000, outputTokens: 50 })], 'gpt-4o'),
  };
}

describe('the span tree of one request (in-memory exporter, scripted tiers, PGlite)', () => {
  const exporter = new InMemorySpanExporter();
  let opened: OpenedTarget;
  let registry: DatasourceRegistry;
  let tracing: Tracing;
  let cache: MemoryResultCache;
  let appDriver: Awaited<ReturnType<typeof createPgliteDriver>>;
  let store: LocalSpanStore;

  const service = (cheap: ChatModel, strong: ChatModel, rowsTtlMs = 0) =>
    new QueryService({
      agent: new DbAgent({
        datasources: registry,
        prompts,
        tiers: () => [
          { name: 'cheap', model: cheap },
          { name: 'strong', model: strong },
        ],
        limits,
        prices: defaultModelPrices,
      }),
      cache,
      rowsTtlMs,
      logger: createLogger('silent'),
      tracer: tracing.tracer,
    });

  beforeAll(async () => {
    opened = await dialectTargets()[0].open('shop');
    await opened.datasource.close();
    registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: opened.url, today: '2025-07-01' })], {
      introspectionTtlMs: 60_000,
      sampleBudgetMs: 0,
    });
    appDriver = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
    store = new LocalSpanStore(await appDriver.kysely());
    await store.migrate();
    tracing = createTracing({
      logger: createLogger('silent'),
      localStore: store,
      extraProcessors: [new SimpleSpanProcessor(exporter)],
      secrets: ['s3cret-password'],
    });
  });
  afterAll(async () => {
    await tracing?.shutdown();
    await appDriver?.close();
    await registry?.closeAll();
    await opened?.close();
  });
  beforeEach(() => {
    exporter.reset();
    cache = new MemoryResultCache();
  });

  it('a plain answer: query → schema, prompt, cache (miss), tier → generation and tool spans, with usage, cost and the prompt link', async () => {
    const cheap = new ScriptedChatModel([
      callTool('search_metadata', { query: 'regions' }, { inputTokens: 1000, outputTokens: 10 }),
      callTool('execute_sql', { sql: countRegions }, { inputTokens: 1100, outputTokens: 20 }),
      finalAnswer(countRegions, 'There are 12 regions.', { inputTokens: 1200, outputTokens: 30 }),
    ]);
    const result = await service(cheap, new ScriptedChatModel([], 'gpt-4o')).ask({
      datasource: 'shop',
      question: 'How many regions are there?',
      userId: 'ana',
      sessionId: 'conversation-7',
    });
    const { root, tree, byName } = treeOf(exporter.getFinishedSpans(), result.traceId);

    expect(tree).toEqual({
      name: 'query',
      type: 'span',
      children: [
        leaf('schema', 'span'),
        leaf('prompt', 'span'),
        leaf('cache', 'span'),
        {
          name: 'tier:gpt-4o-mini',
          type: 'agent',
          children: [
            leaf('generation', 'generation'),
            leaf('tool:search_metadata', 'tool'),
            leaf('generation', 'generation'),
            leaf('tool:execute_sql', 'tool'),
            leaf('generation', 'generation'),
            leaf('tool:final_answer', 'tool'),
          ],
        },
      ],
    });
    expect(result.traceId).toBe(root.spanContext().traceId);
    expect(root.attributes).toMatchObject({
      'langfuse.trace.name': 'query',
      'user.id': 'ana',
      'session.id': 'conversation-7',
      'langfuse.trace.tags': ['datasource:shop', 'label:production'],
      'langfuse.trace.metadata.promptName': 'agent/db_agent',
      'langfuse.trace.metadata.promptVersion': String(shippedLabels.production),
      'langfuse.trace.metadata.routingReason': 'default',
      'langfuse.trace.metadata.cacheStatus': 'miss',
      'sqlagent.cache_status': 'miss',
      'sqlagent.escalated': false,
      'sqlagent.label': 'production',
    });
    expect(json(root.attributes['langfuse.observation.output'])).toMatchObject({
      answer: 'There are 12 regions.',
      sql: countRegions,
      rows: 1,
    });
    // The trace-level attributes reach every span (what propagateAttributes does), so per-user views see them all.
    for (const span of exporter.getFinishedSpans()) expect(span.attributes['user.id']).toBe('ana');

    expect(byName('prompt')[0].attributes).toMatchObject({
      'sqlagent.prompt.name': 'agent/db_agent',
      'sqlagent.prompt.version': shippedLabels.production,
      'sqlagent.label': 'production',
      'sqlagent.prompt.is_fallback': false,
    });
    expect(Number(byName('prompt')[0].attributes['sqlagent.prompt.tokens'])).toBeGreaterThan(200);
    expect(byName('cache')[0].attributes).toMatchObject({ 'sqlagent.cache_status': 'miss', 'sqlagent.cache_hit': false });
    expect(String(byName('cache')[0].attributes['sqlagent.cache_key_prefix'])).toHaveLength(12);

    const generations = byName('generation');
    expect(generations.map((span) => json(span.attributes['langfuse.observation.usage_details']))).toEqual([
      { input: 1000, output: 10, total: 1010 },
      { input: 1100, output: 20, total: 1120 },
      { input: 1200, output: 30, total: 1230 },
    ]);
    const first = generations[0].attributes;
    expect(first).toMatchObject({
      'langfuse.observation.model.name': 'gpt-4o-mini',
      'sqlagent.prompt.name': 'agent/db_agent',
      'sqlagent.prompt.version': shippedLabels.production,
    });
    // A local file's version is not a Langfuse version: no Langfuse prompt link (see tracing-export.test.ts for one).
    expect(first['langfuse.observation.prompt.name']).toBeUndefined();
    expect(json(first['langfuse.observation.cost_details']).total).toBeCloseTo((1000 * 0.15 + 10 * 0.6) / 1e6, 12);
    const input = json(first['langfuse.observation.input']);
    expect(input.map((message: { role: string }) => message.role)).toEqual(['system', 'user']);
    expect(input[1].content).toBe('How many regions are there?');
    expect(json(generations[2].attributes['langfuse.observation.output']).toolCalls[0].name).toBe('final_answer');

    const executeSql = byName('tool:execute_sql')[0].attributes;
    expect(executeSql).toMatchObject({ 'sqlagent.row_count': 1, 'langfuse.observation.type': 'tool' });
    expect(typeof executeSql['sqlagent.db_ms']).toBe('number');
    expect(json(executeSql['langfuse.observation.input'])).toEqual({ sql: countRegions });
    expect(executeSql['langfuse.observation.level']).toBeUndefined();
  });

  it('stores a later generation input as the messages it adds, and gives back whole inputs; another tier starts whole', async () => {
    const { cheap, strong } = escalatingModels();
    const result = await service(cheap, strong).ask({ datasource: 'shop', question: 'How many regions are there?', userId: 'cy' });
    await tracing.forceFlush();
    const exported = treeOf(exporter.getFinishedSpans(), result.traceId).byName('generation');
    const wholeInputs = exported.map((span) => String(span.attributes['langfuse.observation.input']));
    expect(wholeInputs).toHaveLength(4);

    const rows = await sql<{ span_id: string; continues: string | null; input: string }>`
      SELECT span_id, attributes->>'sqlagent.input_continues' AS continues, attributes->>'langfuse.observation.input' AS input
      FROM spans WHERE trace_id = ${result.traceId} AND kind = 'generation' ORDER BY start_time`.execute(await appDriver.kysely());
    const stored = rows.rows;
    // The cheap tier's second and third calls continue the one before; the strong tier's first call starts anew.
    expect(stored.map((row) => row.continues)).toEqual([null, stored[0].span_id, stored[1].span_id, null]);
    expect(stored[0].input).toBe(wholeInputs[0]);
    expect(stored[3].input).toBe(wholeInputs[3]);
    for (const index of [1, 2]) {
      expect(stored[index].input.length).toBeLessThan(wholeInputs[index].length / 2);
      expect(json(stored[index].input).map((message: { role: string }) => message.role)).toEqual(['assistant', 'tool']);
    }

    const read = (await store.getTrace(result.traceId))!.spans.filter((span) => span.kind === 'generation');
    expect(read.map((span) => span.attributes['langfuse.observation.input'])).toEqual(wholeInputs);
    expect(read.some((span) => 'sqlagent.input_continues' in span.attributes)).toBe(false);
  });

  it('an escalated answer: the cheap tier is a WARNING with its reason and a failed tool span, the strong tier answers', async () => {
    const { cheap, strong } = escalatingModels();
    const result = await service(cheap, strong).ask({ datasource: 'shop', question: 'How many regions are there?', userId: 'bo' });
    const { root, tree, byName } = treeOf(exporter.getFinishedSpans(), result.traceId);

    expect(tree.children.map((child) => child.name)).toEqual(['schema', 'prompt', 'cache', 'tier:gpt-4o-mini', 'tier:gpt-4o']);
    expect(tree.children[3].children.map((child) => child.name)).toEqual([
      'generation',
      'tool:execute_sql',
      'generation',
      'tool:final_answer',
      'generation',
      'tool:final_answer',
    ]);
    expect(tree.children[4].children.map((child) => child.name)).toEqual(['generation', 'tool:final_answer']);

    const [cheapTier] = byName('tier:gpt-4o-mini');
    expect(cheapTier.attributes).toMatchObject({
      'langfuse.observation.level': 'WARNING',
      'sqlagent.escalation_reason': 'final_sql_failed',
      'sqlagent.outcome': 'escalated',
      'sqlagent.tier': 'cheap',
    });
    expect(String(cheapTier.attributes['langfuse.observation.status_message'])).toMatch(/nope/);
    expect(byName('tier:gpt-4o')[0].attributes).toMatchObject({ 'sqlagent.outcome': 'answered', 'sqlagent.tier': 'strong' });
    expect(byName('tier:gpt-4o')[0].attributes['langfuse.observation.level']).toBeUndefined();

    const failedSql = byName('tool:execute_sql')[0].attributes;
    expect(failedSql['langfuse.observation.level']).toBe('ERROR');
    expect(String(failedSql['langfuse.observation.status_message'])).toMatch(/column "nope" does not exist/);
    expect(root.attributes).toMatchObject({ 'sqlagent.escalated': true, 'sqlagent.tier': 'strong', 'sqlagent.answer_model': 'gpt-4o' });
    expect(json(byName('generation').at(-1)!.attributes['langfuse.observation.usage_details'])).toEqual({
      input: 2000,
      output: 50,
      total: 2050,
    });
  });

  it('a cache hit: query → schema, prompt, cache (hit, SQL re-run as a tool span), no tier and no generation', async () => {
    const question = { datasource: 'shop', question: 'How many regions are there?', userId: 'cy' };
    const first = await service(
      new ScriptedChatModel([finalAnswer(countRegions, 'There are 12 regions.')]),
      new ScriptedChatModel([], 'gpt-4o'),
    ).ask(question);
    exporter.reset();
    const neverCalled = new ScriptedChatModel([]);
    const hit = await service(neverCalled, new ScriptedChatModel([], 'gpt-4o')).ask(question);
    expect(hit.cached).toBe('sql');
    expect(hit.traceId).not.toBe(first.traceId);
    expect(neverCalled.calls).toHaveLength(0);

    const { root, tree, byName } = treeOf(exporter.getFinishedSpans(), hit.traceId);
    expect(tree).toEqual({
      name: 'query',
      type: 'span',
      children: [
        leaf('schema', 'span'),
        leaf('prompt', 'span'),
        { name: 'cache', type: 'span', children: [leaf('tool:execute_sql', 'tool')] },
      ],
    });
    expect(byName('cache')[0].attributes).toMatchObject({ 'sqlagent.cache_status': 'sql', 'sqlagent.cache_hit': true });
    expect(byName('tool:execute_sql')[0].attributes).toMatchObject({ 'sqlagent.row_count': 1 });
    expect(root.attributes).toMatchObject({
      'sqlagent.cache_status': 'sql',
      'langfuse.trace.metadata.cacheStatus': 'sql',
      'sqlagent.escalated': false,
    });
  });

  it('a failed request: the root and the failing step are ERROR with the error type, and the error carries the trace id', async () => {
    const error = await service(new ScriptedChatModel([]), new ScriptedChatModel([], 'gpt-4o'))
      .ask({ datasource: 'nowhere', question: 'How many regions are there?' })
      .then(
        () => {
          throw new Error('expected the request to fail');
        },
        (thrown: unknown) => thrown as { code: string; details: { traceId: string } },
      );
    expect(error.code).toBe('datasource_not_found');
    const { root, tree, byName } = treeOf(exporter.getFinishedSpans(), error.details.traceId);
    expect(tree.children.map((child) => child.name)).toEqual(['schema']);
    for (const span of [root, byName('schema')[0]]) {
      expect(span.attributes).toMatchObject({ 'langfuse.observation.level': 'ERROR', 'sqlagent.error_type': 'datasource_not_found' });
      expect(String(span.attributes['langfuse.observation.status_message'])).toMatch(/nowhere/);
    }
  });

  it('a model call that throws leaves its generation span ERROR and ended, and the cascade goes on', async () => {
    const cheap = new ScriptedChatModel(() => {
      throw new ModelUnavailableError('the cheap model is down');
    });
    const strong = new ScriptedChatModel([finalAnswer(countRegions, 'There are 12 regions.')], 'gpt-4o');
    const result = await service(cheap, strong).ask({ datasource: 'shop', question: 'How many regions are there?', userId: 'ed' });
    expect(result.tier).toBe('strong');
    const { tree, byName } = treeOf(exporter.getFinishedSpans(), result.traceId);
    expect(
      tree.children.filter((child) => child.name.startsWith('tier:')).map((tier) => [tier.name, tier.children.map((child) => child.name)]),
    ).toEqual([
      ['tier:gpt-4o-mini', ['generation']],
      ['tier:gpt-4o', ['generation', 'tool:final_answer']],
    ]);
    const [failed, answered] = byName('generation').sort(
      (left, right) => left.startTime[0] - right.startTime[0] || left.startTime[1] - right.startTime[1],
    );
    expect(failed.attributes['langfuse.observation.level']).toBe('ERROR');
    expect(String(failed.attributes['langfuse.observation.status_message'])).toMatch(/the cheap model is down/);
    expect(answered.attributes['langfuse.observation.level']).not.toBe('ERROR');
  });

  it('the local store gets the same trace and renders it as a tree with durations, costs, tokens and the escalation', async () => {
    const badSql = 'SELECT nope FROM regions';
    const cheap = new ScriptedChatModel([
      callTool('execute_sql', { sql: badSql }, { inputTokens: 1234, outputTokens: 210 }),
      finalAnswer(badSql, 'Done.'),
      finalAnswer(badSql, 'Done.'),
    ]);
    const strong = new ScriptedChatModel(
      [finalAnswer(countRegions, 'There are 12 regions.', { inputTokens: 4000, outputTokens: 100 })],
      'gpt-4o',
    );
    const result = await service(cheap, strong).ask({ datasource: 'shop', question: 'How many regions are there?', userId: 'di' });
    await tracing.forceFlush();

    const [summary] = await store.listTraces({ user: 'di' });
    expect(summary).toMatchObject({
      traceId: result.traceId,
      name: 'query',
      label: 'production',
      promptVersion: shippedLabels.production,
      model: 'gpt-4o',
      hasError: true,
      failed: false,
    });
    expect(summary.totalCostUsd).toBeCloseTo(result.costUsd!, 12);
    expect(summary.inputTokens).toBe(1234 + 100 + 100 + 4000);

    const text = renderTraceTree((await store.getTrace(result.traceId))!);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(new RegExp(`^Trace: query ${result.traceId.slice(0, 4)}…  \\d+(ms|\\.\\d s)?`.replace(' s', 's')));
    // Each line's label, without the columns after it.
    const label = (line: string) => line.replace(/(\S)\s{3,}.*$/, '$1');
    expect(lines.map(label)).toEqual([
      label(lines[0]),
      '├─ schema',
      `├─ prompt agent/db_agent v${shippedLabels.production} (production)`,
      '├─ cache',
      '├─ tier gpt-4o-mini',
      '│  ├─ generation gpt-4o-mini',
      '│  ├─ tool execute_sql',
      '│  ├─ generation gpt-4o-mini',
      '│  ├─ tool final_answer',
      '│  ├─ generation gpt-4o-mini',
      '│  └─ tool final_answer',
      '└─ tier gpt-4o',
      '   ├─ generation gpt-4o',
      '   └─ tool final_answer',
    ]);
    expect(lines[4]).toMatch(/escalated: final_sql_failed/);
    expect(lines[5]).toMatch(/\$0\.000 {2}1,234→210 tok/);
    expect(lines[6]).toMatch(/error: column "nope" does not exist/);
    // gpt-4o: 4,000 × $2.50/M + 100 × $10/M = $0.011.
    expect(lines[11]).toMatch(/\$0\.011/);
  });
});
