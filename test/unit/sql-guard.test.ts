import { describe, expect, it } from 'vitest';
import { SqlRejectedError } from '../../src/errors/index.ts';
import { guardSql, maxStatementLength, type SqlGrammar } from '../../src/sql/index.ts';
import { hostileStatements, legitQueries } from '../corpus/index.ts';

const engines = [
  { dialect: 'postgres', engine: 'postgres' },
  { dialect: 'mysql', engine: 'mysql' },
  { dialect: 'mysql', engine: 'mariadb' },
] as const;

const reject = async (sql: string, grammar: SqlGrammar = 'postgres'): Promise<SqlRejectedError> => {
  const error = await guardSql(sql, grammar).catch((caught) => caught);
  expect(error, sql).toBeInstanceOf(SqlRejectedError);
  return error;
};

for (const { dialect, engine } of engines) {
  describe(`the guard for ${engine}`, () => {
    const hostile = hostileStatements.filter((entry) => entry.dialects.includes(dialect));
    const legit = legitQueries.filter((entry) => entry.dialects.includes(dialect));

    it(`rejects all ${hostile.length} hostile statements before they reach a database`, async () => {
      const accepted: string[] = [];
      for (const entry of hostile) {
        const outcome = await guardSql(entry.sql, engine).then(
          () => 'accepted',
          (error) => (error instanceof SqlRejectedError ? 'rejected' : `threw ${String(error)}`),
        );
        if (outcome !== 'rejected') accepted.push(`${entry.id}: ${outcome}`);
      }
      expect(accepted).toEqual([]);
    });

    it(`accepts all ${legit.length} legitimate analytical queries`, async () => {
      const refused: string[] = [];
      for (const entry of legit) {
        await guardSql(entry.sql, engine).catch((error) => refused.push(`${entry.id}: ${(error as Error).message}`));
      }
      expect(refused).toEqual([]);
    });
  });
}

describe('guard reasons name the problem', () => {
  it.each([
    ['SELECT 1; DROP TABLE orders', /exactly one statement/],
    ['DROP TABLE orders', /not DROP/],
    ['WITH gone AS (DELETE FROM orders RETURNING id) SELECT * FROM gone', /data-modifying statement \(DELETE\).*WITH/],
    ['SELECT * INTO copy_of_orders FROM orders', /INTO/],
    ['SELECT * FROM orders FOR UPDATE', /row locks/],
    ['SELECT * FROM (SELECT * FROM orders FOR SHARE) locked', /row locks/],
    ['SELECT PG_CATALOG.Pg_Sleep(1)', /pg_sleep\(\) is on the deny-list/i],
    ['SELECT "pg_sleep"(1)', /deny-list/],
    ['SELECT rolpassword FROM pg_authid', /pg_authid is not allowed/],
    ['SELEC 1', /does not parse: syntax error at or near "SELEC"/],
    ['   -- nothing here\n', /no statement/],
    ['EXPLAIN ANALYZE DELETE FROM orders', /not EXPLAIN/],
    ["COPY orders TO PROGRAM 'rm -rf /'", /not COPY/],
  ])('postgres: %s', async (sql, reason) => {
    const error = await reject(sql);
    expect(error.message).toMatch(reason);
    expect(error.code).toBe('sql_rejected');
    expect(error.details.reason).toBeTruthy();
  });

  it.each([
    ['SELECT 1; DELETE FROM orders', /exactly one statement/],
    ['SELECT 1--1; DELETE FROM orders', /ambiguous: `--` not followed by a space/],
    ['SELECT 1 --\u00a0, SLEEP(3)\nFROM orders', /ambiguous: `--` not followed by a space/],
    ['SELECT\u3000id FROM orders', /non-ASCII space character \(U\+3000\)/],
    ['SELECT /*+ MAX_EXECUTION_TIME(100000) */ 1', /optimizer hints/],
    ['SELECT 1 /*!50000 ; DROP TABLE orders */', /executable comments/],
    ["SELECT * FROM orders INTO OUTFILE '/tmp/x'", /INTO/],
    ['SELECT * FROM orders LOCK IN SHARE MODE', /LOCK IN SHARE MODE/],
    ['SELECT SLEEP (5)', /sleep\(\) is on the deny-list/],
    ['SELECT `benchmark`(1000000, MD5(1))', /benchmark\(\) is on the deny-list/],
    ['SELECT @x := 1', /:=/],
    ['SELECT user, authentication_string FROM mysql.user', /mysql\.user is not allowed/],
    ["SELECT 'unterminated", /unterminated string/],
    ['UPDATE orders SET status = 1', /not UPDATE/],
  ])('mysql: %s', async (sql, reason) => {
    const error = await reject(sql, 'mariadb');
    expect(error.message).toMatch(reason);
  });

  it('refuses oversized statements and NUL bytes without parsing them', async () => {
    expect((await reject(`SELECT ${'1,'.repeat(maxStatementLength)}1`)).message).toMatch(/longer than/);
    expect((await reject('SELECT 1\u0000; DROP TABLE orders')).message).toMatch(/NUL/);
  });
});

describe('what the guard hands to the executor', () => {
  it('strips the trailing semicolon and reports the outer LIMIT, functions and relations', async () => {
    const postgres = await guardSql('SELECT lower(name) FROM public.regions ORDER BY 1 LIMIT 5;  -- done', 'postgres');
    expect(postgres.sql).toBe('SELECT lower(name) FROM public.regions ORDER BY 1 LIMIT 5');
    expect(postgres).toMatchObject({ hasTopLevelLimit: true, topLevelLimit: 5, functions: ['lower'], relations: ['public.regions'] });
    const inner = await guardSql('SELECT * FROM (SELECT id FROM orders LIMIT 3) recent', 'postgres');
    expect(inner.hasTopLevelLimit).toBe(false);

    const mysql = await guardSql("SELECT id FROM orders WHERE status = 'a;b' LIMIT 10, 20; # done", 'mariadb');
    expect(mysql.sql).toBe("SELECT id FROM orders WHERE status = 'a;b' LIMIT 10, 20");
    expect(mysql).toMatchObject({ hasTopLevelLimit: true, topLevelLimit: 20, relations: ['orders'] });
    const nested = await guardSql('SELECT * FROM (SELECT id FROM orders LIMIT 3) recent -- note', 'mysql');
    expect(nested).toMatchObject({ hasTopLevelLimit: false, sql: 'SELECT * FROM (SELECT id FROM orders LIMIT 3) recent' });
  });
});

describe('whether the outermost query orders its rows (evals compare rows in order only then)', () => {
  const cases: Array<[string, boolean]> = [
    ['SELECT name FROM regions ORDER BY name', true],
    ['SELECT name FROM regions', false],
    ['SELECT * FROM (SELECT name FROM regions ORDER BY name LIMIT 3) t', false],
    ['WITH t AS (SELECT name FROM regions ORDER BY name) SELECT name FROM t', false],
    ['SELECT name, RANK() OVER (ORDER BY id) FROM regions', false],
    ["SELECT 'ORDER BY' AS label FROM regions", false],
    ['SELECT name FROM regions UNION SELECT name FROM categories ORDER BY 1', true],
    ['WITH t AS (SELECT id FROM regions) SELECT id FROM t ORDER BY id DESC LIMIT 2', true],
  ];
  for (const { dialect, engine } of engines) {
    it.each(cases)(`${engine}: %s → %s`, async (sql, ordered) => {
      expect((await guardSql(sql, engine)).hasTopLevelOrderBy).toBe(ordered);
    });
  }
});

describe('what runs is what was checked', () => {
  it('isolates the statement by bytes, not characters, when multi-byte text precedes it', async () => {
    const sneaky = "/*éééééééé*/;SELECT 'SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --'";
    const guarded = await guardSql(sneaky, 'postgres');
    expect(guarded.sql).toBe("SELECT 'SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --'");
    expect((await guardSql("SELECT 'ééééé' AS x; /* note */", 'postgres')).sql).toBe("SELECT 'ééééé' AS x");
  });
});
