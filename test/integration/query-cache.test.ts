import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DbAgent } from '../../src/agent/index.ts';
import { MemoryResultCache, RedisResultCache, type ResultCache } from '../../src/cache/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { singleModelTiers, defaultModelPrices } from '../../src/llm/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import { QueryService } from '../../src/query/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const limits = {
  maxSteps: 4,
  maxQuestionChars: 2000,
  maxToolOutputChars: 8000,
  maxTotalTokens: 60_000,
  rowsShownToModel: 20,
  defaultRowLimit: 100,
};
const countRegions = () =>
  new ScriptedChatModel(async () => finalAnswer('SELECT COUNT(*) AS regions FROM regions', 'Counted the regions.'));
const environment = inject('testEnvironment');

describe('the result cache in front of the agent (PGlite)', () => {
  let opened: OpenedTarget;
  let registry: DatasourceRegistry;
  let promptsDirectory: string;
  let store: LocalPromptStore;
  const service = (model: ScriptedChatModel, cache: ResultCache, rowsTtlMs = 0) => {
    const prompts = new PromptService(store, { experiments: [], defaultLabel: 'production' });
    const agent = new DbAgent({ datasources: registry, prompts, tiers: singleModelTiers(() => model), limits, prices: defaultModelPrices });
    return new QueryService({ agent, cache, rowsTtlMs, logger: createLogger('silent') });
  };
  const ask = (queries: QueryService, question = 'How many regions are there?', cache?: 'use' | 'bypass' | 'refresh') =>
    queries.ask({ datasource: 'shop', question, cache });
  // Writes go through the registry's own datasource: PGlite is one process's, so a second instance on the
  // same directory would not see them.
  const write = async (statement: string) => (await registry.get('shop')).driver.withSession((session) => session.query(statement));
  const insertRegion = (id: number) =>
    write(`INSERT INTO regions (id, name, country, continent) VALUES (${id}, 'Test ${id}', 'Testland', 'Europe')`);

  beforeAll(async () => {
    opened = await dialectTargets()[0].open('shop');
    // Only the directory is used; the registry opens the one PGlite instance on it.
    await opened.datasource.close();
    registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: opened.url, today: '2025-07-01' })], {
      introspectionTtlMs: 60_000,
      sampleBudgetMs: 0,
    });
    promptsDirectory = await mkdtemp(path.join(tmpdir(), 'sqlagent-cache-prompts-'));
    await cp(path.resolve(import.meta.dirname, '../../prompts'), promptsDirectory, { recursive: true });
    store = new LocalPromptStore({ directory: promptsDirectory, reloadIntervalMs: 0 });
  });
  afterAll(async () => {
    await registry?.closeAll();
    await opened?.close();
    await rm(promptsDirectory, { recursive: true, force: true });
  });

  it('answers a repeated question from the cache with no model call, re-running the SQL for fresh rows', async () => {
    const model = countRegions();
    const queries = service(model, new MemoryResultCache({}), 0);
    const first = await ask(queries);
    expect(first).toMatchObject({ cached: false, rows: [[12]], cacheAgeMs: null });
    expect(model.calls).toHaveLength(1);
    // Same question, other spelling: the normalized question is the key.
    const second = await ask(queries, '  how MANY regions are there ');
    expect(second).toMatchObject({ cached: 'sql', rows: [[12]], sql: first.sql, answer: first.answer, costUsd: 0, tier: 'cache' });
    expect(model.calls).toHaveLength(1);
    await insertRegion(101);
    expect((await ask(queries)).rows).toEqual([[13]]);
    expect(model.calls).toHaveLength(1);
  });

  it("counts a served answer's preparation in its latency: the schema, knowledge and prompt come before the lookup", async () => {
    // The service's clock, moved only by a prompt store that takes 150 ms to answer.
    let clock = Date.parse('2026-01-01T00:00:00Z');
    class SlowStore extends LocalPromptStore {
      override async get(...args: Parameters<LocalPromptStore['get']>) {
        clock += 150;
        return super.get(...args);
      }
    }
    const prompts = new PromptService(new SlowStore({ directory: promptsDirectory, reloadIntervalMs: 0 }), {
      experiments: [],
      defaultLabel: 'production',
    });
    const agent = new DbAgent({
      datasources: registry,
      prompts,
      tiers: singleModelTiers(countRegions),
      limits,
      prices: defaultModelPrices,
    });
    const queries = new QueryService({
      agent,
      cache: new MemoryResultCache({}),
      rowsTtlMs: 60_000,
      logger: createLogger('silent'),
      now: () => clock,
    });
    await ask(queries, 'How many regions are listed?');
    const hit = await ask(queries, 'How many regions are listed?');
    expect(hit.cached).toBe('rows');
    expect(hit.latency.totalMs).toBeGreaterThanOrEqual(150);
  });

  it('returns stored rows within the rows TTL, and says so with their age', async () => {
    const model = countRegions();
    const queries = service(model, new MemoryResultCache({}), 60_000);
    const before = (await ask(queries, 'Count the regions please')).rows[0][0] as number;
    await insertRegion(102);
    const stored = await ask(queries, 'Count the regions please');
    expect(stored).toMatchObject({ cached: 'rows', rows: [[before]] });
    expect(stored.cacheAgeMs).toBeGreaterThanOrEqual(0);
    expect(stored.cacheAgeMs).toBeLessThan(60_000);
    expect(await ask(queries, 'Count the regions please', 'refresh')).toMatchObject({ cached: false, rows: [[before + 1]] });
    expect(model.calls).toHaveLength(2);
    expect(await ask(queries, 'Count the regions please', 'bypass')).toMatchObject({ cached: false });
    expect(model.calls).toHaveLength(3);
  });

  it('misses after a schema change or a new prompt version', async () => {
    const model = countRegions();
    const queries = service(model, new MemoryResultCache({}), 60_000);
    await ask(queries, 'regions total?');
    await ask(queries, 'regions total?');
    expect(model.calls).toHaveLength(1);
    await write('ALTER TABLE regions ADD COLUMN note text');
    const refreshed = await registry.schema('shop', { refresh: true });
    const afterAlter = await ask(queries, 'regions total?');
    expect(afterAlter).toMatchObject({ cached: false, schemaVersion: refreshed.schemaVersion });
    expect(model.calls).toHaveLength(2);
    const version = await store.createVersion('agent/db_agent', 'Short prompt for {{ meta.datasource }}.', {}, 'cache test');
    await store.setLabel('agent/db_agent', 'production', version.version);
    expect(await ask(queries, 'regions total?')).toMatchObject({ cached: false, promptVersion: version.version });
    expect(model.calls).toHaveLength(3);
    await store.rollback('agent/db_agent', 'production');
  });

  it('runs the agent once for 20 concurrent identical questions', async () => {
    let runs = 0;
    const model = new ScriptedChatModel(async () => {
      runs += 1;
      await new Promise((resolve) => setTimeout(resolve, 200));
      return finalAnswer('SELECT COUNT(*) AS regions FROM regions', 'Counted.');
    });
    const queries = service(model, new MemoryResultCache({}));
    const results = await Promise.all(Array.from({ length: 20 }, () => ask(queries, 'How many regions exist right now?')));
    expect(runs).toBe(1);
    expect(new Set(results.map((result) => JSON.stringify(result.rows))).size).toBe(1);
  });

  describe.skipIf(environment.skipReasons.redis !== undefined)(
    `shared through Redis${environment.skipReasons.redis ? ` (skipped: ${environment.skipReasons.redis})` : ''}`,
    () => {
      const prefix = `sqlagent-test:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
      const logger = createLogger('silent');

      it("lets a second instance answer from the first one's entry, and keeps working uncached when Redis goes away", async () => {
        const first = countRegions();
        const second = countRegions();
        const cacheA = new RedisResultCache({ url: 'redis://127.0.0.1:6379', prefix, logger });
        const cacheB = new RedisResultCache({ url: 'redis://127.0.0.1:6379', prefix, logger });
        try {
          await ask(service(first, cacheA), 'How many sales regions?');
          const shared = await ask(service(second, cacheB), 'How many sales regions?');
          expect(shared.cached).toBe('sql');
          expect(second.calls).toHaveLength(0);
        } finally {
          await cacheA.close();
          await cacheB.close();
        }

        const proxy = new TcpProxy('127.0.0.1', 6379);
        const port = await proxy.start();
        const flaky = new RedisResultCache({ url: `redis://127.0.0.1:${port}`, prefix, logger, connectTimeoutMs: 300 });
        const model = countRegions();
        try {
          const queries = service(model, flaky);
          expect((await ask(queries, 'How many sales regions?')).cached).toBe('sql');
          await proxy.stop();
          const started = Date.now();
          const uncached = await ask(queries, 'How many sales regions?');
          expect(uncached.cached).toBe(false);
          expect(model.calls).toHaveLength(1);
          expect(Date.now() - started).toBeLessThan(3000);
          expect(flaky.stats.errors).toBeGreaterThan(0);
        } finally {
          await flaky.close();
          await proxy.stop();
        }
      });
    },
  );
});
