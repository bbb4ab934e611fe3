import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatasourceRegistry, datasourceConfigSchema, type Datasource } from '../../src/datasource/index.ts';
import { dropDatabase, ensureDatabase } from '../../src/fixtures/index.ts';
import { databaseUrl } from '../support/servers.ts';
import { dialectTargets } from '../support/dialects.ts';
import { inject } from 'vitest';

const environment = inject('testEnvironment');

/** A private, writable database per engine, since these tests change the schema. */
function scratchUrl(target: string): string | null {
  const name = `sqlagent_t${process.pid}_scratch_${Math.random().toString(36).slice(2, 8)}`;
  if (target === 'pglite') return 'pglite:memory';
  if (target === 'postgres') return environment.postgres && databaseUrl(environment.postgres.server, name);
  return environment.mysql && databaseUrl(environment.mysql.server, name);
}

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`schemaVersion follows schema changes on ${target.name}`, () => {
    let url: string;
    let registry: DatasourceRegistry;
    let datasource: Datasource;
    /** What the registry reported of failed re-reads. */
    const refreshErrors: string[] = [];
    /** The registry's clock, moved by the tests. */
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const admin = (statement: string) => datasource.driver.withSession((session) => session.query(statement));

    beforeAll(async () => {
      url = scratchUrl(target.name)!;
      await ensureDatabase(url);
      registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'scratch', url, sampleValues: false })], {
        introspectionTtlMs: 60_000,
        sampleBudgetMs: 0,
        now: () => new Date(clock),
        onRefreshError: (id, error) => refreshErrors.push(`${id}: ${(error as Error).message}`),
      });
      datasource = await registry.get('scratch');
      await admin('CREATE TABLE parent (id integer PRIMARY KEY, name varchar(20) NOT NULL)');
      await admin('CREATE TABLE child (id integer PRIMARY KEY, parent_id integer NOT NULL)');
    });
    afterAll(async () => {
      await registry?.closeAll();
      if (url) await dropDatabase(url);
    });

    it('changes on ADD COLUMN, type change, new foreign key and comment; the cache serves the old one until refreshed', async () => {
      const first = await registry.schema('scratch');
      expect((await registry.schema('scratch', { refresh: true })).schemaVersion).toBe(first.schemaVersion);

      await admin('ALTER TABLE parent ADD COLUMN note varchar(50)');
      expect((await registry.schema('scratch')).schemaVersion).toBe(first.schemaVersion);
      const added = await registry.schema('scratch', { refresh: true });
      expect(added.schemaVersion).not.toBe(first.schemaVersion);
      expect(
        added.schemas
          .flatMap((schema) => schema.tables)
          .find((table) => table.name === 'parent')!
          .columns.map((column) => column.name),
      ).toEqual(['id', 'name', 'note']);

      await admin(target.dialect === 'postgres' ? 'ALTER TABLE parent ALTER COLUMN note TYPE text' : 'ALTER TABLE parent MODIFY note text');
      const retyped = await registry.schema('scratch', { refresh: true });
      expect(retyped.schemaVersion).not.toBe(added.schemaVersion);

      await admin('ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parent_id) REFERENCES parent (id)');
      const keyed = await registry.schema('scratch', { refresh: true });
      expect(keyed.schemaVersion).not.toBe(retyped.schemaVersion);
      const parentId = keyed.schemas
        .flatMap((schema) => schema.tables)
        .find((table) => table.name === 'child')!
        .columns.find((column) => column.name === 'parent_id')!;
      expect(parentId.references).toMatchObject({ table: 'parent', column: 'id' });

      await admin(target.dialect === 'postgres' ? "COMMENT ON TABLE child IS 'Children'" : "ALTER TABLE child COMMENT = 'Children'");
      const commented = await registry.schema('scratch', { refresh: true });
      expect(commented.schemaVersion).not.toBe(keyed.schemaVersion);

      registry.invalidate('scratch');
      expect((await registry.schema('scratch')).schemaVersion).toBe(commented.schemaVersion);
    });

    it('answers with the expired schema at once and reads the catalog behind it: the next request gets the new one', async () => {
      const known = await registry.schema('scratch', { refresh: true });
      await admin('CREATE TABLE later (id integer PRIMARY KEY)');
      clock += 60_001;
      // Expired, and the catalog has changed: still the schema known, the very object, not a new read.
      expect(await registry.schema('scratch')).toBe(known);
      await vi.waitFor(async () => expect((await registry.schema('scratch')).schemaVersion).not.toBe(known.schemaVersion), {
        timeout: 30_000,
      });
      const fresh = await registry.schema('scratch');
      expect(fresh.schemas.flatMap((schema) => schema.tables).map((table) => table.name)).toContain('later');
      // Fresh for another TTL: read again only once that has passed.
      await admin('DROP TABLE later');
      expect(await registry.schema('scratch')).toBe(fresh);
      clock += 60_001;
      expect(await registry.schema('scratch')).toBe(fresh);
      await vi.waitFor(async () => expect((await registry.schema('scratch')).schemaVersion).toBe(known.schemaVersion), { timeout: 30_000 });
    });

    it('keeps serving the known schema when the read behind it fails, and reads on every request with a TTL of 0', async () => {
      const uncached = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'scratch', url, sampleValues: false })], {
        introspectionTtlMs: 0,
        sampleBudgetMs: 0,
      });
      try {
        // Its own connection (on PGlite, pglite:memory is a database of its own).
        const own = await uncached.get('scratch');
        const first = await uncached.schema('scratch');
        await own.driver.withSession((session) => session.query('CREATE TABLE zero_ttl (id integer PRIMARY KEY)'));
        const second = await uncached.schema('scratch');
        expect(second.schemaVersion).not.toBe(first.schemaVersion);
        await own.driver.withSession((session) => session.query('DROP TABLE zero_ttl'));
      } finally {
        await uncached.closeAll();
      }
      const known = await registry.schema('scratch', { refresh: true });
      const opened = await registry.get('scratch');
      const introspect = vi.spyOn(opened, 'introspect').mockRejectedValue(new Error('the catalog read failed'));
      try {
        clock += 60_001;
        expect(await registry.schema('scratch')).toBe(known);
        await vi.waitFor(() => expect(refreshErrors).toEqual(['scratch: the catalog read failed']));
        expect(introspect).toHaveBeenCalledTimes(1);
        // Served as known, and read again only after a pause of 30 s, not by every request behind it.
        expect(await registry.schema('scratch')).toBe(known);
        expect(await registry.schema('scratch')).toBe(known);
        expect(introspect).toHaveBeenCalledTimes(1);
        clock += 30_001;
        expect(await registry.schema('scratch')).toBe(known);
        await vi.waitFor(() => expect(refreshErrors).toHaveLength(2));
        expect(introspect).toHaveBeenCalledTimes(2);
        // An explicit refresh waits for the read, and so meets its failure.
        await expect(registry.schema('scratch', { refresh: true })).rejects.toThrow('the catalog read failed');
      } finally {
        introspect.mockRestore();
        refreshErrors.length = 0;
      }
    });
  });
}
