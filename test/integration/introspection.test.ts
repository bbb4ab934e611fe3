import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaMeta } from '../../src/datasource/index.ts';
import { getFixture } from '../../src/fixtures/index.ts';
import { dialectTargets, logicalSchemaName, type OpenedTarget } from '../support/dialects.ts';

/** The structure that must be identical on every engine: names, kinds, families, keys, comments. */
function portableStructure(meta: SchemaMeta, database: string | null) {
  const logical = (name: string) => logicalSchemaName(name, database);
  return meta.schemas
    .map((schema) => ({
      name: logical(schema.name),
      tables: schema.tables.map((table) => ({
        name: table.name,
        kind: table.kind,
        // MySQL cannot store comments on views.
        comment: table.kind === 'view' ? undefined : table.comment,
        primaryKey: table.primaryKey,
        foreignKeys: table.foreignKeys.map((key) => ({
          ...key,
          references: { ...key.references, schema: logical(key.references.schema) },
        })),
        columns: table.columns.map((column) => ({
          name: column.name,
          typeFamily: column.typeFamily,
          // View columns' nullability is inferred differently by each engine.
          nullable: table.kind === 'view' ? undefined : column.nullable,
          isPrimaryKey: column.isPrimaryKey,
          references: column.references && { ...column.references, schema: logical(column.references.schema) },
          // MariaDB copies base-table column comments onto view columns; Postgres does not.
          comment: table.kind === 'view' ? undefined : column.comment,
        })),
      })),
    }))
    .sort((left, right) => left.name.localeCompare(right.name));
}

const structures: Record<string, ReturnType<typeof portableStructure>> = {};

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(
    `introspection on ${target.name}${target.skipReason ? ` (skipped: ${target.skipReason})` : ''}`,
    () => {
      let opened: OpenedTarget;
      let meta: SchemaMeta;
      let database: string | null = null;

      beforeAll(async () => {
        opened = await target.open('shop', { sampleValues: true });
        meta = await opened.datasource.introspect({ sampleBudgetMs: 10_000 });
        if (target.dialect === 'mysql') database = new URL(opened.url).pathname.slice(1);
        structures[target.name] = portableStructure(meta, database);
      });
      afterAll(() => opened?.close());

      it('finds both schemas, every fixture table, and the view', () => {
        const fixture = getFixture('shop');
        const found = meta.schemas
          .flatMap((schema) => schema.tables.map((table) => `${logicalSchemaName(schema.name, database)}.${table.name}:${table.kind}`))
          .sort();
        const expected = [
          ...fixture.tables.map((table) => `${table.schema}.${table.name}:table`),
          ...fixture.views!.map((view) => `${view.schema}.${view.name}:view`),
        ].sort();
        expect(found).toEqual(expected);
        expect(meta.engine).toBe(target.name);
        expect(meta.dialect).toBe(target.dialect);
      });

      it('records comments, primary keys (also composite) and foreign keys (also across schemas)', () => {
        const table = (schema: string, name: string) =>
          meta.schemas.find((entry) => logicalSchemaName(entry.name, database) === schema)!.tables.find((entry) => entry.name === name)!;
        const orders = table('public', 'orders');
        expect(orders.comment).toMatch(/order/i);
        expect(orders.primaryKey).toEqual(['id']);
        const customerId = orders.columns.find((column) => column.name === 'customer_id')!;
        expect(customerId.references).toMatchObject({ table: 'customers', column: 'id' });
        expect(customerId.comment).toBeTruthy();
        expect(customerId.typeFamily).toBe('integer');
        expect(orders.columns.find((column) => column.name === 'total_amount')!.typeFamily).toBe('decimal');
        expect(orders.columns.find((column) => column.name === 'order_date')!.typeFamily).toBe('date');
        expect(orders.columns.find((column) => column.name === 'created_at')!.typeFamily).toBe('timestamp');
        expect(table('public', 'products').columns.find((column) => column.name === 'is_active')!.typeFamily).toBe('boolean');

        const summary = table('analytics', 'sales_summary');
        expect(summary.primaryKey).toEqual(['summary_month', 'region_id', 'category_id']);
        const region = summary.columns.find((column) => column.name === 'region_id')!;
        expect(logicalSchemaName(region.references!.schema, database)).toBe('public');
        expect(region.references).toMatchObject({ table: 'regions', column: 'id' });

        const parent = table('public', 'categories').columns.find((column) => column.name === 'parent_id')!;
        expect(parent.nullable).toBe(true);
        expect(parent.references).toMatchObject({ table: 'categories', column: 'id' });
      });

      it('estimates row counts and samples low-cardinality text columns only', () => {
        const customers = meta.schemas.flatMap((schema) => schema.tables).find((table) => table.name === 'customers')!;
        expect(customers.rowEstimate).toBeGreaterThan(1000);
        expect(customers.rowEstimate).toBeLessThan(4000);
        const country = customers.columns.find((column) => column.name === 'country')!;
        expect(country.sampleValues!.length).toBeLessThanOrEqual(5);
        expect(country.sampleValues).toContain('Germany');
        expect(customers.columns.find((column) => column.name === 'email')!.sampleValues).toBeUndefined();
        expect(customers.columns.find((column) => column.name === 'id')!.sampleValues).toBeUndefined();
      });

      it('gives a schemaVersion that is stable across introspections and reconnects', async () => {
        const again = await opened.datasource.introspect({ sampleBudgetMs: 0 });
        expect(again.schemaVersion).toBe(meta.schemaVersion);
        const reopened = await target.open('shop');
        try {
          // PGlite opens a fresh copy of the same template; servers open a second pool on the same database.
          expect((await reopened.datasource.introspect({ sampleBudgetMs: 0 })).schemaVersion).toBe(meta.schemaVersion);
        } finally {
          await reopened.close();
        }
      });
    },
  );
}

describe('the same fixture gives the same structure on every engine', () => {
  it('matches PGlite, Postgres and MariaDB table by table', () => {
    const names = Object.keys(structures);
    expect(names).toContain('pglite');
    for (const name of names.filter((entry) => entry !== 'pglite')) {
      expect(structures[name], `${name} vs pglite`).toEqual(structures.pglite);
    }
  });
});
