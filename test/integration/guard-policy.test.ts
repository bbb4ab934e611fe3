import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlExecutionError, SqlRejectedError } from '../../src/errors/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { rejectionOf } from '../support/rejection.ts';

/**
 * The datasource's config as the guard's boundary, on the real engines: the schemas it may read,
 * where an unqualified name reads, and what the refusals say.
 */
for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`what a datasource may read on ${target.name}`, () => {
    let opened: OpenedTarget;
    let analyticsOnly: OpenedTarget;
    let database: string;

    beforeAll(async () => {
      opened = await target.open('shop');
      database = new URL(opened.url).pathname.slice(1);
      const analytics = opened.datasource.adapter.schemasAreDatabases ? `${database}_analytics` : 'analytics';
      analyticsOnly = await target.open('shop', { schemas: [analytics] });
    });
    afterAll(async () => {
      await opened?.close();
      await analyticsOnly?.close();
    });

    it('reads an unqualified name where the guard checked it, whatever the server search path says', async () => {
      const error = await rejectionOf(analyticsOnly.datasource.executeReadOnly('SELECT COUNT(*) FROM regions'));
      if (target.dialect === 'postgres') {
        // The guard resolved `regions` to analytics.regions (allowed); the server, pinned to analytics, finds none.
        expect(error).toBeInstanceOf(SqlExecutionError);
        expect(error.message).toMatch(/relation "regions" does not exist/);
        expect((await analyticsOnly.datasource.executeReadOnly('SELECT COUNT(*) FROM user_behavior')).rows[0][0]).toBeGreaterThan(0);
      } else {
        // MySQL reads unqualified names in the URL's database, which this datasource may not read.
        expect(error).toBeInstanceOf(SqlRejectedError);
        expect(error.message).toContain(`reading regions (in ${database}) is not allowed`);
      }
    });

    it('refuses another schema by name and rule, without the host or the credentials', async () => {
      const error = await rejectionOf(analyticsOnly.datasource.executeReadOnly('SELECT * FROM orders o JOIN public.regions r ON true'));
      expect(error).toBeInstanceOf(SqlRejectedError);
      const url = new URL(opened.url);
      if (url.host) expect(error.message).not.toContain(url.host);
      if (url.username) expect(error.message).not.toContain(url.username);
      expect(error.message).toMatch(/is not allowed: this datasource may read only the (schemas|databases) /);
    });

    it('with a table allow-list, introspects and reads those tables only', async () => {
      const listed = await target.open('shop', { tables: ['orders', 'regions'] });
      try {
        const meta = await listed.datasource.introspect({ sampleBudgetMs: 0 });
        const tables = meta.schemas.flatMap((schema) => schema.tables.map((table) => table.name));
        expect(tables.sort()).toEqual(['orders', 'regions']);
        // orders references customers, which is not listed: the key goes with it.
        const orders = meta.schemas.flatMap((schema) => schema.tables).find((table) => table.name === 'orders')!;
        expect(orders.foreignKeys.map((key) => key.references.table)).not.toContain('customers');
        expect((await listed.datasource.executeReadOnly('SELECT COUNT(*) FROM orders WHERE id < 0')).rows).toEqual([[0]]);
        const error = await rejectionOf(listed.datasource.executeReadOnly('SELECT COUNT(*) FROM customers'));
        expect(error.message).toMatch(/customers is not allowed: this datasource may read only the tables .*orders, .*regions$/);
      } finally {
        await listed.close();
      }
    });

    it('reads every user schema when the config lists none, and never a system catalog', async () => {
      const analytics = target.dialect === 'postgres' ? 'analytics' : `\`${database}_analytics\``;
      expect((await opened.datasource.executeReadOnly(`SELECT COUNT(*) FROM ${analytics}.sales_summary`)).rowCount).toBe(1);
      const catalog = target.dialect === 'postgres' ? 'pg_catalog.pg_namespace' : 'information_schema.schemata';
      expect(await rejectionOf(opened.datasource.executeReadOnly(`SELECT * FROM ${catalog}`))).toBeInstanceOf(SqlRejectedError);
    });
  });
}
