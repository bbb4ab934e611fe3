import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mysqlSessionSetup, type Datasource } from '../../src/datasource/index.ts';
import { SqlTimeoutError } from '../../src/errors/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';

/** Runs statements the way the executor frames them, but without the guard (to plant session state on purpose). */
async function inReadOnlySession(datasource: Datasource, statements: string[]): Promise<unknown[][][]> {
  return datasource.driver.withSession(async (session) => {
    await session.runScript(datasource.adapter.beginReadOnly(5000));
    try {
      const results: unknown[][][] = [];
      for (const statement of statements) results.push((await session.query(statement)).rows);
      return results;
    } finally {
      await session.runScript(datasource.adapter.endReadOnly()).catch(() => {});
    }
  });
}

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`session hygiene and limits on ${target.name}`, () => {
    let opened: OpenedTarget;
    beforeAll(async () => {
      // One connection, so the second session surely reuses the first one's.
      opened = await target.open('shop', { poolSize: 1, maxResultBytes: 1024 * 1024, statementTimeoutMs: 5000 });
    });
    afterAll(() => opened?.close());

    it('leaves no lock, setting or timeout behind for the next request on the same connection', async () => {
      const datasource = opened.datasource;
      if (target.dialect === 'postgres') {
        await inReadOnlySession(datasource, ['SELECT pg_advisory_lock(42)', "SELECT set_config('search_path', 'analytics', false)"]);
        const [[locks], [searchPath]] = await inReadOnlySession(datasource, [
          "SELECT COUNT(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()",
          "SELECT current_setting('search_path')",
        ]);
        expect(locks).toEqual(['0']);
        expect(searchPath[0]).not.toBe('analytics');
      } else {
        await inReadOnlySession(datasource, ["SELECT GET_LOCK('sqlagent_hygiene', 0)"]);
        const [[lock], [timeouts]] = await inReadOnlySession(datasource, ["SELECT IS_USED_LOCK('sqlagent_hygiene')", 'SELECT 1']);
        expect(lock).toEqual([null]);
        expect(timeouts).toEqual([1]);
        const restored = await datasource.driver.withSession((session) =>
          session.query('SELECT @@SESSION.max_statement_time = @@GLOBAL.max_statement_time'),
        );
        expect(restored.rows).toEqual([[1]]);
      }
    });

    if (target.dialect === 'mysql') {
      it('drops NO_BACKSLASH_ESCAPES and ANSI_QUOTES from the session sql_mode, keeping the rest', async () => {
        const modes = await opened.datasource.driver.withSession(async (session) => {
          await session.query("SET SESSION sql_mode = 'NO_BACKSLASH_ESCAPES,STRICT_TRANS_TABLES,ANSI_QUOTES,ONLY_FULL_GROUP_BY'");
          await session.query(mysqlSessionSetup);
          const result = (await session.query('SELECT @@SESSION.sql_mode')).rows[0][0];
          await session.query(mysqlSessionSetup.replace(/= .*/s, '= DEFAULT'));
          return result;
        });
        expect(modes).toBe('ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES');
      });
    }

    it('cuts a result at the byte budget and says so', async () => {
      const wide =
        target.dialect === 'postgres'
          ? "SELECT repeat('x', 100000) AS wide_text FROM generate_series(1, 1000)"
          : "SELECT REPEAT('x', 100000) AS wide_text FROM order_items LIMIT 1000";
      const result = await opened.datasource.executeReadOnly(wide);
      expect(result).toMatchObject({ truncated: true, truncatedBy: 'bytes' });
      expect(result.rowCount).toBeGreaterThan(0);
      expect(result.rowCount).toBeLessThan(20);
      const narrow = await opened.datasource.executeReadOnly('SELECT id FROM regions');
      expect(narrow).toMatchObject({ truncated: false, truncatedBy: null, rowCount: 12 });
    });

    if (target.dialect === 'postgres') {
      it('runs the statement that was checked, even after multi-byte text and an empty statement', async () => {
        const result = await opened.datasource.executeReadOnly(
          "/*éééééééé*/;SELECT 'SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --' AS text",
        );
        expect(result.rows).toEqual([['SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --']]);
        expect((await opened.datasource.executeReadOnly('SELECT name FROM regions WHERE id = 1')).rows[0][0]).not.toBe('PWNED');
      });

      it('counts planning time against the same timeout as running time', async () => {
        const started = performance.now();
        const error = await opened.datasource
          .executeReadOnly('SELECT factorial(20000) IS NULL AS planned, (SELECT COUNT(*) FROM generate_series(1, 100000000)) AS counted', {
            timeoutMs: 1000,
          })
          .catch((caught) => caught);
        expect(error).toBeInstanceOf(SqlTimeoutError);
        expect(performance.now() - started).toBeLessThan(2000);
      });
    }
  });
}
