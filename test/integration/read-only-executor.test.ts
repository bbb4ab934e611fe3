import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchemaMeta } from '../../src/datasource/index.ts';
import {
  DatasourceUnavailableError,
  ResultTooLargeError,
  SqlExecutionError,
  SqlRejectedError,
  SqlTimeoutError,
} from '../../src/errors/index.ts';
import { tableChecksums } from '../../src/fixtures/index.ts';
import { hostileStatements, legitQueries } from '../corpus/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`read-only executor on ${target.name}`, () => {
    let opened: OpenedTarget;
    // The hostile corpus assumes a datasource limited to the fixture's public schema (on MySQL, the
    // database alone), so that reading analytics is as hostile as reading another database.
    let publicOnly: OpenedTarget;
    let meta: SchemaMeta;
    let publicVersion: string;
    let before: Record<string, string>;

    beforeAll(async () => {
      opened = await target.open('shop', { statementTimeoutMs: 5000 });
      meta = await opened.datasource.introspect({ sampleBudgetMs: 0 });
      const publicSchema = opened.datasource.adapter.schemasAreDatabases ? new URL(opened.url).pathname.slice(1) : 'public';
      publicOnly = await target.open('shop', { statementTimeoutMs: 5000, schemas: [publicSchema] });
      publicVersion = (await publicOnly.datasource.introspect({ sampleBudgetMs: 0 })).schemaVersion;
      // Every table of every schema (PGlite opens a copy of the same template for each datasource).
      before = await tableChecksums(publicOnly.datasource, meta);
    });
    afterAll(async () => {
      await opened?.close();
      await publicOnly?.close();
    });

    const hostile = hostileStatements.filter((entry) => entry.dialects.includes(target.dialect));
    const legit = legitQueries.filter((entry) => entry.dialects.includes(target.dialect));

    it(`rejects or harmlessly fails all ${hostile.length} hostile statements, and nothing changes`, async () => {
      const outcomes: Record<string, string> = {};
      for (const entry of hostile) {
        try {
          await publicOnly.datasource.executeReadOnly(entry.sql, { timeoutMs: 2000 });
          outcomes[entry.id] = 'SUCCEEDED';
        } catch (error) {
          outcomes[entry.id] =
            error instanceof SqlRejectedError
              ? 'rejected'
              : error instanceof SqlExecutionError || error instanceof SqlTimeoutError
                ? `failed: ${(error as Error).message.slice(0, 80)}`
                : `UNEXPECTED ${String(error)}`;
        }
      }
      const succeeded = Object.entries(outcomes).filter(([, outcome]) => outcome === 'SUCCEEDED' || outcome.startsWith('UNEXPECTED'));
      expect(succeeded).toEqual([]);
      // The guard is the first line: every hostile statement should stop there, before the database.
      const reachedDatabase = Object.entries(outcomes).filter(([, outcome]) => outcome !== 'rejected');
      expect(reachedDatabase).toEqual([]);
      expect(await tableChecksums(publicOnly.datasource, meta)).toEqual(before);
      expect((await opened.datasource.introspect({ sampleBudgetMs: 0 })).schemaVersion).toBe(meta.schemaVersion);
      expect((await publicOnly.datasource.introspect({ sampleBudgetMs: 0 })).schemaVersion).toBe(publicVersion);
      expect((await publicOnly.datasource.executeReadOnly('SELECT COUNT(*) AS n FROM regions')).rows).toEqual([[12]]);
    });

    it(`runs all ${legit.length} legitimate analytical queries`, async () => {
      const failures: Array<[string, string]> = [];
      for (const entry of legit) {
        try {
          await opened.datasource.executeReadOnly(entry.sql);
        } catch (error) {
          failures.push([entry.id, (error as Error).message]);
        }
      }
      expect(failures).toEqual([]);
    });

    it('caps rows exactly: truncated is true only when there were more rows than the cap', async () => {
      const regions = 'SELECT id FROM regions ORDER BY id';
      const atCap = await opened.datasource.executeReadOnly(regions, { rowCap: 12 });
      expect(atCap).toMatchObject({ rowCount: 12, truncated: false, rowCap: 12 });
      const overCap = await opened.datasource.executeReadOnly(regions, { rowCap: 11 });
      expect(overCap).toMatchObject({ rowCount: 11, truncated: true });
      expect(overCap.rows.map((row) => row[0])).toEqual(atCap.rows.slice(0, 11).map((row) => row[0]));
      expect(await opened.datasource.executeReadOnly(`${regions} LIMIT 5`, { rowCap: 3 })).toMatchObject({ rowCount: 3, truncated: true });
      expect(await opened.datasource.executeReadOnly(`${regions} LIMIT 5;`, { rowCap: 5 })).toMatchObject({
        rowCount: 5,
        truncated: false,
      });
      expect(await opened.datasource.executeReadOnly(`${regions} -- trailing comment`, { rowCap: 2 })).toMatchObject({
        rowCount: 2,
        truncated: true,
      });
      const big = await opened.datasource.executeReadOnly('SELECT id FROM order_items', { rowCap: 1000 });
      expect(big).toMatchObject({ rowCount: 1000, truncated: true });
      // The cap can be lowered per call, never raised above the datasource's.
      expect((await opened.datasource.executeReadOnly('SELECT id FROM order_items', { rowCap: 10 ** 9 })).rowCap).toBe(
        opened.datasource.config.rowCap,
      );
    });

    it('keeps only the rows that fit the byte budget on every engine, and names a first row that does not fit', async () => {
      const small = await target.open('shop', { maxResultBytes: 1024 * 1024 });
      try {
        // Three rows of about 600 kB each (two bytes per character): one fits in 1 MiB, the second would not.
        const three = "SELECT repeat('x', 300000) AS a UNION ALL SELECT repeat('y', 300000) UNION ALL SELECT repeat('z', 300000)";
        const cut = await small.datasource.executeReadOnly(three);
        expect(cut).toMatchObject({ rowCount: 1, truncated: true, truncatedBy: 'bytes' });
        const error = await small.datasource.executeReadOnly("SELECT repeat('x', 5000000) AS big").catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(ResultTooLargeError);
        expect(error).toMatchObject({
          code: 'result_too_large',
          message: expect.stringMatching(/first row is larger than the result budget of 1048576 bytes/),
        });
      } finally {
        await small.close();
      }
    });

    it('returns JSON-safe values that are the same on every engine, and keeps duplicate column names', async () => {
      const result = await opened.datasource.executeReadOnly(
        'SELECT id, total_amount, order_date, created_at, status, COUNT(*) OVER () AS total FROM orders WHERE id IN (1, 2) ORDER BY id',
      );
      expect(result.columns.map((column) => [column.name, column.typeFamily])).toEqual([
        ['id', 'integer'],
        ['total_amount', 'decimal'],
        ['order_date', 'date'],
        ['created_at', 'timestamp'],
        ['status', 'text'],
        ['total', 'integer'],
      ]);
      const [first] = result.rows;
      expect(typeof first[1]).toBe('number');
      expect(first[2]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(first[3]).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
      expect(first[5]).toBe(2);
      expect(JSON.parse(JSON.stringify(result.rows))).toEqual(result.rows);
      const active = await opened.datasource.executeReadOnly('SELECT is_active FROM products ORDER BY id LIMIT 1');
      expect(typeof active.rows[0][0]).toBe('boolean');
      const duplicate = await opened.datasource.executeReadOnly('SELECT 1 AS a, 2 AS a');
      expect(duplicate.columns.map((column) => column.name)).toEqual(['a', 'a']);
      expect(duplicate.rows).toEqual([[1, 2]]);
    });

    it('reports database errors with the database message and code, and keeps working', async () => {
      const error = await opened.datasource.executeReadOnly('SELECT no_such_column FROM orders').catch((caught) => caught);
      expect(error).toBeInstanceOf(SqlExecutionError);
      expect(error.message).toMatch(/no_such_column/);
      expect(error.databaseCode).toBeTruthy();
      expect((await opened.datasource.executeReadOnly('SELECT 1 AS ok')).rows).toEqual([[1]]);
    });

    it('stops a heavy query (minutes of work) with SqlTimeoutError soon after the 1 s timeout, then serves the next one', async () => {
      const heavy =
        target.dialect === 'postgres'
          ? 'SELECT COUNT(*) FROM generate_series(1, 100000000000) AS s'
          : 'SELECT COUNT(*) FROM order_items a CROSS JOIN order_items b CROSS JOIN regions c';
      const started = performance.now();
      const error = await opened.datasource.executeReadOnly(heavy, { timeoutMs: 1000 }).catch((caught) => caught);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(SqlTimeoutError);
      // The query would run for minutes; the bound leaves room for a busy machine.
      expect(elapsed).toBeLessThan(10_000);
      expect((await opened.datasource.executeReadOnly('SELECT COUNT(*) FROM regions')).rows).toEqual([[12]]);
    });
  });
}

describe('a database that goes away', () => {
  it('gives DatasourceUnavailableError on a closed PGlite datasource, not a crash', async () => {
    const opened = await dialectTargets()[0].open('clinic');
    await opened.close();
    await expect(opened.datasource.executeReadOnly('SELECT 1')).rejects.toBeInstanceOf(DatasourceUnavailableError);
  });
});
