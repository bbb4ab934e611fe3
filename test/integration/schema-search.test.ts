import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaMeta, TableMeta } from '../../src/datasource/index.ts';
import { describeTable, findTable, searchMetadata, type MetadataHit } from '../../src/agent/schema-search/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';

/** `schema.table` or `schema.table.column`. */
const label = (hit: MetadataHit) => [hit.schema, hit.table, ...(hit.column === undefined ? [] : [hit.column])].join('.');
const labels = (hits: MetadataHit[]) => hits.map(label);

describe('schema search over the fixtures', () => {
  let openedShop: OpenedTarget;
  let openedClinic: OpenedTarget;
  let shop: SchemaMeta;
  let clinic: SchemaMeta;
  const table = (meta: SchemaMeta, schema: string, name: string): TableMeta =>
    meta.schemas.find((entry) => entry.name === schema)!.tables.find((entry) => entry.name === name)!;

  beforeAll(async () => {
    const target = dialectTargets()[0];
    // Named like the configured demo datasources, so `shop`.`orders` can use the datasource id as qualifier.
    openedShop = await target.open('shop', { sampleValues: true, id: 'shop' });
    shop = await openedShop.datasource.introspect({ sampleBudgetMs: 10_000 });
    openedClinic = await target.open('clinic', { sampleValues: true, id: 'clinic' });
    clinic = await openedClinic.datasource.introspect({ sampleBudgetMs: 10_000 });
  });
  afterAll(async () => {
    await openedShop?.close();
    await openedClinic?.close();
  });

  describe('searchMetadata', () => {
    it('finds a value through sample values: "Germany" → customers.country', () => {
      const hits = searchMetadata(shop, 'Germany');
      expect(hits[0]).toMatchObject({ kind: 'column', schema: 'public', table: 'customers', column: 'country' });
      expect(hits[0].reasons).toContain('sample value "Germany"');
      // Every column holding the value is found, and nothing else scores.
      expect(labels(hits).sort()).toEqual(['public.customers.country', 'public.orders.shipping_country', 'public.regions.country']);
    });

    it('ranks the table named by a word first: "customer" → customers', () => {
      const hits = searchMetadata(shop, 'customer');
      expect(hits[0]).toMatchObject({ kind: 'table', schema: 'public', table: 'customers' });
      expect(hits[0].column).toBeUndefined();
      expect(hits[0].reasons).toContain('name matches "customer"');
      expect(labels(searchMetadata(shop, 'Customers'))[0]).toBe('public.customers');
    });

    it('ranks the revenue column and the categories table high for "revenue by category"', () => {
      const top = labels(searchMetadata(shop, 'revenue by category', { limit: 5 }));
      expect(top).toContain('analytics.sales_summary.revenue');
      expect(top).toContain('public.categories');
      expect(top).toContain('analytics.sales_summary');
    });

    it('finds patients.last_name first for "last name of patients"', () => {
      const hits = searchMetadata(clinic, 'last name of patients');
      expect(label(hits[0])).toBe('public.patients.last_name');
      expect(labels(hits)).toContain('public.doctors.last_name');
      expect(labels(hits)).toContain('public.patients');
    });

    it('finds regions.name for "Bavaria"', () => {
      const hits = searchMetadata(shop, 'Bavaria');
      expect(label(hits[0])).toBe('public.regions.name');
      expect(hits[0].reasons).toContain('sample value "Bavaria"');
    });

    it('matches multi-word sample values as whole values: "united states orders"', () => {
      for (const query of ['united states orders', 'orders from the United States']) {
        const hits = searchMetadata(shop, query, { limit: 5 });
        const valueHits = hits.filter((hit) => ['public.customers.country', 'public.orders.shipping_country'].includes(label(hit)));
        expect(valueHits.length, query).toBeGreaterThan(0);
        for (const hit of valueHits) expect(hit.reasons, query).toContain('sample value "United States"');
      }
    });

    it('finds values of stop words only, and values in other fixtures', () => {
      expect(
        searchMetadata(clinic, 'no show appointments', { limit: 3 }).find((hit) => label(hit) === 'public.appointments.status')?.reasons,
      ).toContain('sample value "no_show"');
      expect(label(searchMetadata(clinic, 'Cardiology')[0])).toBe('public.departments.name');
      expect(label(searchMetadata(clinic, 'insurance provider')[0])).toBe('public.patients.insurance_provider');
    });

    it('is deterministic, also with a freshly built index', () => {
      for (const query of ['Germany', 'customer', 'revenue by category', 'order status']) {
        const first = searchMetadata(shop, query);
        expect(searchMetadata(shop, query)).toEqual(first);
        expect(searchMetadata(structuredClone(shop), query)).toEqual(first);
      }
    });

    it('returns sorted hits with 3-decimal scores and reasons, up to the limit', () => {
      const hits = searchMetadata(shop, 'order');
      expect(hits).toHaveLength(10);
      expect(searchMetadata(shop, 'order', { limit: 3 })).toEqual(hits.slice(0, 3));
      for (const [position, hit] of hits.entries()) {
        expect(hit.score).toBeGreaterThan(0);
        expect(Math.round(hit.score * 1000) / 1000).toBe(hit.score);
        expect(hit.reasons.length).toBeGreaterThan(0);
        if (position > 0) expect(hit.score).toBeLessThanOrEqual(hits[position - 1].score);
      }
    });

    it('returns nothing for an empty or stop-word-only query', () => {
      expect(searchMetadata(shop, '')).toEqual([]);
      expect(searchMetadata(shop, '   ')).toEqual([]);
      expect(searchMetadata(shop, 'show me all of the')).toEqual([]);
      expect(searchMetadata(shop, 'zzyzx')).toEqual([]);
      expect(searchMetadata(shop, 'customer', { limit: 0 })).toEqual([]);
    });
  });

  describe('findTable', () => {
    const found = (meta: SchemaMeta, reference: string) => {
      const result = findTable(meta, reference);
      return 'table' in result ? `${result.table.schema}.${result.table.name}` : result;
    };

    it('accepts bare, qualified, quoted and differently cased references', () => {
      for (const reference of [
        'orders',
        'public.orders',
        '"public"."orders"',
        '`shop`.`orders`',
        '`public`.`orders`',
        'ORDERS',
        'Public.Orders',
        ' public . orders ',
        'shop.public.orders',
      ]) {
        expect(found(shop, reference), reference).toBe('public.orders');
      }
      expect(found(shop, 'analytics.Sales_Summary')).toBe('analytics.sales_summary');
      expect(found(shop, 'customer_order_counts')).toBe('analytics.customer_order_counts');
      // The datasource id qualifies only when no schema has that name.
      expect(found(clinic, '`shop`.`patients`')).toHaveProperty('error');
    });

    it('names the reference and suggests close tables when nothing matches', () => {
      const typo = findTable(shop, 'custmers');
      expect(typo).toMatchObject({ suggestions: ['public.customers'] });
      expect('error' in typo && typo.error).toContain('"custmers"');

      const singular = findTable(shop, 'order');
      expect('suggestions' in singular && singular.suggestions.slice(0, 2)).toEqual(['public.orders', 'public.order_items']);
      expect('suggestions' in singular && singular.suggestions.length).toBeLessThanOrEqual(5);

      const wrongSchema = findTable(shop, 'sales.orders');
      expect('error' in wrongSchema && wrongSchema.error).toContain('no schema "sales"');
      expect('suggestions' in wrongSchema && wrongSchema.suggestions[0]).toBe('public.orders');

      expect(findTable(shop, 'zzyzx')).toMatchObject({ suggestions: [] });
      expect(findTable(shop, '')).toMatchObject({ suggestions: [] });
      expect(findTable(shop, '"unterminated')).toHaveProperty('error');
    });

    it('refuses a bare name that exists in several schemas, listing the qualified candidates', () => {
      const meta = structuredClone(shop);
      meta.schemas.push({ name: 'archive', tables: [{ ...structuredClone(table(shop, 'public', 'orders')), schema: 'archive' }] });
      const result = findTable(meta, 'orders');
      expect(result).toMatchObject({ suggestions: ['archive.orders', 'public.orders'] });
      expect('error' in result && result.error).toMatch(/ambiguous.*archive\.orders.*public\.orders/);
      expect(found(meta, 'archive.orders')).toBe('archive.orders');
      expect(found(meta, '"public".orders')).toBe('public.orders');
    });

    it('prefers the exact case when names differ only in case', () => {
      const meta = structuredClone(shop);
      const upper = { ...structuredClone(table(shop, 'public', 'orders')), name: 'Orders' };
      meta.schemas.find((schema) => schema.name === 'public')!.tables.push(upper);
      expect(findTable(meta, '"Orders"')).toMatchObject({ table: { name: 'Orders' } });
      expect(findTable(meta, 'orders')).toMatchObject({ table: { name: 'orders' } });
      expect(findTable(meta, 'ORDERS')).toMatchObject({
        error: expect.stringContaining('exact case'),
        suggestions: ['public.Orders', 'public.orders'],
      });
    });
  });

  describe('describeTable', () => {
    it('describes orders with its columns and the foreign keys pointing into it', () => {
      const description = describeTable(shop, table(shop, 'public', 'orders'));
      expect(description).toMatchObject({ name: 'public.orders', kind: 'table', primaryKey: ['id'] });
      expect(description.comment).toMatch(/order/i);
      expect(description.rowEstimate).toBeGreaterThan(0);
      expect(description.referencedBy).toEqual([
        { from: 'public.order_items(order_id)', to: 'public.orders(id)' },
        { from: 'public.payments(order_id)', to: 'public.orders(id)' },
      ]);
      const column = (name: string) => description.columns.find((entry) => entry.name === name)!;
      // The family is left out where it is the type itself, the flags where false: the model reads them on every call.
      expect(column('id')).toMatchObject({ type: 'integer', primaryKey: true });
      expect(column('id')).not.toHaveProperty('family');
      expect(column('id')).not.toHaveProperty('nullable');
      expect(column('customer_id')).toMatchObject({ references: 'public.customers(id)' });
      expect(column('customer_id')).not.toHaveProperty('primaryKey');
      expect(column('status')).toMatchObject({ family: 'text', type: expect.stringMatching(/char/) });
      expect(column('customer_id').comment).toBeTruthy();
      expect(column('total_amount')).toMatchObject({ family: 'decimal', type: expect.stringMatching(/numeric/) });
      expect(column('status').sampleValues).toContain('cancelled');
      expect(column('order_date')).not.toHaveProperty('sampleValues');
      expect(column('order_date')).not.toHaveProperty('references');
      expect(JSON.parse(JSON.stringify(description))).toEqual(description);
    });

    it('lists references from other schemas and leaves self-references on the columns', () => {
      const description = describeTable(shop, table(shop, 'public', 'categories'));
      expect(description.referencedBy.map((reference) => reference.from)).toEqual([
        'analytics.sales_summary(category_id)',
        'public.products(category_id)',
      ]);
      expect(description.columns.find((entry) => entry.name === 'parent_id')).toMatchObject({
        references: 'public.categories(id)',
        nullable: true,
      });
      const view = describeTable(shop, table(shop, 'analytics', 'customer_order_counts'));
      expect(view).toMatchObject({ kind: 'view', referencedBy: [], primaryKey: [] });
    });
  });
});
