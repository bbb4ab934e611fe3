import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DatasourceRegistry, datasourceConfigSchema, type SchemaMeta } from '../../src/datasource/index.ts';
import { embeddedFixtureSchemas, ensureEmbeddedFixture } from '../../src/fixtures/index.ts';
import { copyTemplate } from '../support/global-setup.ts';

// The schema cache of an embedded fixture (`<dir>.schema.json`): what lets `sqlagent ask` skip introspection.
describe('the schema cache of an embedded fixture', { timeout: 120_000 }, () => {
  let dir: string;
  let data: string;
  let realVersion: string;
  const cacheFile = () => `${data}.schema.json`;

  /** A registry over the shop copy, as the app builds it; `extra` overrides the datasource's config. */
  const registryOf = (ttlMs = 60_000, extra: Record<string, unknown> = {}) =>
    new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: `pglite:${data}`, fixture: 'shop', ...extra })], {
      introspectionTtlMs: ttlMs,
      sampleBudgetMs: 0,
      prepare: (datasource) => ensureEmbeddedFixture(datasource),
      persistentSchemas: embeddedFixtureSchemas,
    });

  /** Reads the schema once through a fresh registry, then closes it (PGlite serves one opener at a time). */
  const schemaOnce = async (ttlMs?: number, extra?: Record<string, unknown>) => {
    const registry = registryOf(ttlMs, extra);
    try {
      return await registry.schema('shop');
    } finally {
      await registry.closeAll();
    }
  };

  /** Marks the cached schema so a read served from the cache is told apart from an introspection. */
  const markCache = async () => {
    const saved = JSON.parse(await readFile(cacheFile(), 'utf8')) as { key: string; meta: SchemaMeta };
    await writeFile(cacheFile(), JSON.stringify({ ...saved, meta: { ...saved.meta, schemaVersion: 'from-the-cache' } }));
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-schema-cache-'));
    data = path.join(dir, 'shop');
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, data);
    // The template holds the shop fixture already: its marker says so, and nothing is loaded again.
    await writeFile(`${data}.fixture.json`, JSON.stringify({ fixture: 'shop', loadedAt: '2026-01-01T00:00:00.000Z', rows: 1 }));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('is written by the first introspection and serves the next process', async () => {
    const first = await schemaOnce();
    realVersion = first.schemaVersion;
    expect(realVersion).toMatch(/^[0-9a-f]{16}$/);
    const saved = JSON.parse(await readFile(cacheFile(), 'utf8'));
    expect(saved.meta.schemaVersion).toBe(realVersion);
    // Written beside it and renamed into place: no temporary file is left.
    expect((await readdir(dir)).filter((name) => name.startsWith('shop.schema.json'))).toEqual(['shop.schema.json']);
    expect(saved.meta.schemas.flatMap((schema: { tables: { name: string }[] }) => schema.tables.map((table) => table.name))).toContain(
      'orders',
    );

    await markCache();
    expect((await schemaOnce()).schemaVersion).toBe('from-the-cache');
  });

  it('stands in for the first read only: an expired schema and a refresh read the catalog', async () => {
    await markCache();
    const registry = registryOf(0);
    try {
      expect((await registry.schema('shop')).schemaVersion).toBe('from-the-cache');
      expect((await registry.schema('shop')).schemaVersion).toBe(realVersion);
    } finally {
      await registry.closeAll();
    }
    await markCache();
    const refreshing = registryOf();
    try {
      expect((await refreshing.schema('shop', { refresh: true })).schemaVersion).toBe(realVersion);
    } finally {
      await refreshing.closeAll();
    }
  });

  it('is ignored once the fixture is loaded again, or the allow-list changes', async () => {
    await markCache();
    expect((await schemaOnce(60_000, { schemas: ['public'] })).schemaVersion).toMatch(/^[0-9a-f]{16}$/);

    await markCache();
    await writeFile(`${data}.fixture.json`, JSON.stringify({ fixture: 'shop', loadedAt: '2026-02-01T00:00:00.000Z', rows: 1 }));
    expect((await schemaOnce()).schemaVersion).toBe(realVersion);
  });

  it('is ignored when unreadable, and introspection answers', async () => {
    await writeFile(cacheFile(), '{ not json');
    expect((await schemaOnce()).schemaVersion).toBe(realVersion);
    expect(JSON.parse(await readFile(cacheFile(), 'utf8')).meta.schemaVersion).toBe(realVersion);
  });
});
