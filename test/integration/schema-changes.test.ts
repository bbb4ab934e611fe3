import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
    const admin = (statement: string) => datasource.driver.withSession((session) => session.query(statement));

    beforeAll(async () => {
      url = scratchUrl(target.name)!;
      await ensureDatabase(url);
      registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'scratch', url, sampleValues: false })], {
        introspectionTtlMs: 60_000,
        sampleBudgetMs: 0,
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
  });
}
