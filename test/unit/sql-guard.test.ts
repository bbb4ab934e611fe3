import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SqlRejectedError } from '../../src/errors/index.ts';
import { allowedFunctions, guardSql, maxStatementLength, type GuardPolicy, type SqlGrammar } from '../../src/sql/index.ts';
import { hostileStatements, legitQueries } from '../corpus/index.ts';

const engines = [
  { dialect: 'postgres', engine: 'postgres' },
  { dialect: 'mysql', engine: 'mysql' },
  { dialect: 'mysql', engine: 'mariadb' },
] as const;

/** The shop fixture with every schema readable (on MySQL, the database `shop` and its `shop_*` siblings). */
const shop: Record<'postgres' | 'mysql', GuardPolicy> = {
  postgres: { schemas: ['public', 'analytics'], defaultSchema: 'public' },
  mysql: { schemas: ['shop', 'shop_*'], defaultSchema: 'shop' },
};
/** The shop fixture limited to its public schema, as the hostile corpus assumes. */
const publicOnly: Record<'postgres' | 'mysql', GuardPolicy> = {
  postgres: { schemas: ['public'], defaultSchema: 'public' },
  mysql: { schemas: ['shop'], defaultSchema: 'shop' },
};
const dialectOf = (grammar: SqlGrammar) => (grammar === 'postgres' ? 'postgres' : 'mysql');

const reject = async (
  sql: string,
  grammar: SqlGrammar = 'postgres',
  policy = publicOnly[dialectOf(grammar)],
): Promise<SqlRejectedError> => {
  const error = await guardSql(sql, grammar, policy).catch((caught) => caught);
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
        const outcome = await guardSql(entry.sql, engine, publicOnly[dialect]).then(
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
        await guardSql(entry.sql, engine, shop[dialect]).catch((error) => refused.push(`${entry.id}: ${(error as Error).message}`));
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
    const postgres = await guardSql('SELECT lower(name) FROM public.regions ORDER BY 1 LIMIT 5;  -- done', 'postgres', shop.postgres);
    expect(postgres.sql).toBe('SELECT lower(name) FROM public.regions ORDER BY 1 LIMIT 5');
    expect(postgres).toMatchObject({ hasTopLevelLimit: true, topLevelLimit: 5, functions: ['lower'], relations: ['public.regions'] });
    const inner = await guardSql('SELECT * FROM (SELECT id FROM orders LIMIT 3) recent', 'postgres', shop.postgres);
    expect(inner.hasTopLevelLimit).toBe(false);

    const mysql = await guardSql("SELECT id FROM orders WHERE status = 'a;b' LIMIT 10, 20; # done", 'mariadb', shop.mysql);
    expect(mysql.sql).toBe("SELECT id FROM orders WHERE status = 'a;b' LIMIT 10, 20");
    expect(mysql).toMatchObject({ hasTopLevelLimit: true, topLevelLimit: 20, relations: ['orders'] });
    const nested = await guardSql('SELECT * FROM (SELECT id FROM orders LIMIT 3) recent -- note', 'mysql', shop.mysql);
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
      expect((await guardSql(sql, engine, shop[dialect])).hasTopLevelOrderBy).toBe(ordered);
    });
  }
});

describe('what runs is what was checked', () => {
  it('isolates the statement by bytes, not characters, when multi-byte text precedes it', async () => {
    const sneaky = "/*éééééééé*/;SELECT 'SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --'";
    const guarded = await guardSql(sneaky, 'postgres', shop.postgres);
    expect(guarded.sql).toBe("SELECT 'SELECT 1;COMMIT;UPDATE regions SET name = $$PWNED$$ WHERE id = 1; --'");
    expect((await guardSql("SELECT 'ééééé' AS x; /* note */", 'postgres', shop.postgres)).sql).toBe("SELECT 'ééééé' AS x");
  });
  it('refuses text whose trimmed statement would parse differently, and runs a bare statement as it was given', async () => {
    // Postgres reads a no-break space as part of a name ("x\u00a0"); JavaScript's trim drops it, and "x" is
    // another alias: the re-parse of what would run catches it.
    await expect(guardSql('SELECT 1 AS x\u00a0', 'postgres', shop.postgres)).rejects.toThrow(/could not be isolated exactly as checked/);
    await expect(guardSql('SELECT 2 AS y\u2003', 'postgres', shop.postgres)).rejects.toThrow(/could not be isolated exactly as checked/);
    // Nothing around the statement: what runs is the text itself.
    const bare = 'SELECT name FROM regions WHERE id > 2';
    expect((await guardSql(bare, 'postgres', shop.postgres)).sql).toBe(bare);
    expect((await guardSql(` ${bare} ;`, 'postgres', shop.postgres)).sql).toBe(bare);
  });
});

/** Whether the guard accepts `sql` under `policy`, or the reason it gives. */
const verdict = (sql: string, grammar: SqlGrammar, policy: GuardPolicy): Promise<string> =>
  guardSql(sql, grammar, policy).then(
    () => 'accepted',
    (error: Error) => (error instanceof SqlRejectedError ? `rejected: ${error.reason}` : `threw ${String(error)}`),
  );

describe('the schema allow-list is a boundary (issue 13): every relation is resolved and checked', () => {
  // [statement, accepted?, what the reason must say]
  const postgresCases: Array<[string, boolean, RegExp?]> = [
    ['SELECT * FROM orders', true],
    ['SELECT * FROM public.orders', true],
    ['SELECT * FROM "public"."orders"', true],
    ['SELECT * FROM PUBLIC.Orders', true],
    [
      'SELECT * FROM analytics.sales_summary',
      false,
      /reading analytics\.sales_summary is not allowed: this datasource may read only the schemas public$/,
    ],
    ['SELECT * FROM "analytics"."sales_summary"', false, /analytics\.sales_summary/],
    ['SELECT * FROM ANALYTICS.Sales_Summary', false, /analytics\.sales_summary/],
    ['SELECT * FROM "Public".orders', false, /may read only the schemas public/],
    ['SELECT * FROM otherdb.public.orders', false, /cross-database/],
    // aliases name nothing that can be read
    ['SELECT pg_class.id FROM orders AS pg_class', true],
    ['SELECT orders.* FROM analytics.sales_summary AS orders', false, /analytics\.sales_summary/],
    // every place a relation can hide
    ['WITH s AS (SELECT * FROM analytics.sales_summary) SELECT * FROM s', false, /analytics\.sales_summary/],
    ['SELECT id FROM orders WHERE id IN (SELECT region_id FROM analytics.sales_summary)', false, /analytics\.sales_summary/],
    ['SELECT (SELECT count(*) FROM analytics.user_behavior) AS n', false, /analytics\.user_behavior/],
    ['SELECT name FROM regions UNION ALL SELECT device FROM analytics.user_behavior', false, /analytics\.user_behavior/],
    [
      'SELECT r.name FROM regions r CROSS JOIN LATERAL (SELECT revenue FROM analytics.sales_summary s WHERE s.region_id = r.id) x',
      false,
      /analytics/,
    ],
    ['SELECT * FROM orders o JOIN (regions r JOIN analytics.sales_summary s ON s.region_id = r.id) ON true', false, /analytics/],
    ['SELECT * FROM orders WHERE EXISTS (SELECT 1 FROM (SELECT * FROM analytics.user_behavior) b)', false, /analytics/],
    // CTEs shadow relations inside their scope only
    ['WITH pg_settings AS (SELECT 1 AS name) SELECT name FROM pg_settings', true],
    ['WITH x AS (SELECT id FROM orders) SELECT id FROM x UNION ALL SELECT id FROM x', true],
    ['WITH x AS (SELECT 1 AS a) SELECT * FROM (SELECT * FROM (SELECT a FROM x) deeper) deep', true],
    [
      'SELECT * FROM (WITH pg_settings AS (SELECT 1 AS name) SELECT name FROM pg_settings) a CROSS JOIN pg_settings',
      false,
      /reading pg_settings/,
    ],
    [
      '(WITH pg_settings AS (SELECT 1 AS name) SELECT name FROM pg_settings) UNION ALL SELECT name FROM pg_settings',
      false,
      /reading pg_settings/,
    ],
    ['WITH pg_roles AS (SELECT * FROM pg_roles) SELECT * FROM pg_roles', false, /reading pg_roles/],
    ['WITH a AS (SELECT * FROM pg_user), pg_user AS (SELECT 1 AS x) SELECT * FROM a', false, /reading pg_user/],
    ['WITH RECURSIVE a AS (SELECT * FROM pg_user), pg_user AS (SELECT 1 AS x) SELECT * FROM a', true],
    ['WITH sales_summary AS (SELECT 1 AS x) SELECT * FROM analytics.sales_summary', false, /analytics\.sales_summary/],
    // system catalogs and metadata schemas, qualified or not
    ['SELECT * FROM information_schema.tables', false, /reading information_schema\.tables is not allowed: system catalogs/],
    ['SELECT * FROM INFORMATION_SCHEMA.COLUMNS', false, /system catalogs/],
    ['SELECT * FROM "information_schema"."tables"', false, /system catalogs/],
    ['SELECT name, setting FROM pg_settings', false, /reading pg_settings is not allowed: system catalogs/],
    ['SELECT * FROM pg_catalog.pg_config', false, /system catalogs/],
    ['SELECT * FROM "pg_catalog"."pg_roles"', false, /system catalogs/],
    ['SELECT * FROM pg_toast.pg_toast_2619', false, /system catalogs/],
    ['SELECT * FROM public.pg_anything', false, /system catalogs/],
    ["SELECT 'pg_authid'::regclass::oid", false, /casts to regclass/],
    ["SELECT CAST('now' AS pg_catalog.regproc)", false, /casts to regproc/],
    ["SELECT '{}'::regtype[]", false, /casts to regtype/],
  ];
  it.each(postgresCases)('postgres, public only: %s → %s', async (sql, accepted, reason) => {
    const outcome = await verdict(sql, 'postgres', publicOnly.postgres);
    expect(outcome).toMatch(accepted ? /^accepted$/ : /^rejected: /);
    if (reason) expect(outcome).toMatch(reason);
  });

  const mysqlCases: Array<[string, boolean, RegExp?]> = [
    ['SELECT * FROM orders', true],
    ['SELECT * FROM shop.orders', true],
    ['SELECT * FROM `shop`.`orders`', true],
    ['SELECT * FROM SHOP.orders', false, /reading SHOP\.orders is not allowed: this datasource may read only the databases shop$/],
    ['SELECT * FROM other_db.creds', false, /reading other_db\.creds is not allowed: this datasource may read only the databases shop/],
    ['SELECT * FROM `other_db`.`creds`', false, /other_db\.creds/],
    ['SELECT * FROM shop_analytics.sales_summary', false, /shop_analytics\.sales_summary/],
    ['SELECT o.id FROM orders o JOIN other_db.creds c ON c.id = o.id', false, /other_db\.creds/],
    ['SELECT * FROM (SELECT * FROM other_db.creds) AS orders', false, /other_db\.creds/],
    ['SELECT orders.* FROM other_db.creds AS orders', false, /other_db\.creds/],
    ['WITH c AS (SELECT * FROM other_db.creds) SELECT * FROM c', false, /other_db\.creds/],
    ['SELECT id FROM orders WHERE id IN (SELECT id FROM other_db.creds)', false, /other_db\.creds/],
    ['SELECT id FROM orders UNION SELECT id FROM other_db.creds', false, /other_db\.creds/],
    // node-sql-parser leaves a nested join out of its table list; the walk finds it
    ['SELECT * FROM orders o JOIN (regions r JOIN other_db.creds c ON 1 = 1) ON 1 = 1', false, /other_db\.creds/],
    ['SELECT * FROM information_schema.tables', false, /system catalogs/],
    ['SELECT trx_query FROM INFORMATION_SCHEMA.INNODB_TRX', false, /system catalogs/],
    ['SELECT * FROM `information_schema`.`innodb_trx`', false, /system catalogs/],
    ['SELECT * FROM performance_schema.threads', false, /not allowed/],
    ['SELECT * FROM sys.session', false, /not allowed/],
    ['SELECT @@datadir', false, /system variables/],
    ['SELECT @@global.version', false, /system variables/],
    ['SELECT @x', false, /user variables/],
    ['SELECT @`x`', false, /variables/],
  ];
  for (const grammar of ['mysql', 'mariadb'] as const) {
    it.each(mysqlCases)(`${grammar}, the database alone: %s → %s`, async (sql, accepted, reason) => {
      const outcome = await verdict(sql, grammar, publicOnly.mysql);
      expect(outcome).toMatch(accepted ? /^accepted$/ : /^rejected: /);
      if (reason) expect(outcome).toMatch(reason);
    });
  }

  it('allows the sibling databases a `<database>_*` entry names, and no others', async () => {
    expect(await verdict('SELECT * FROM shop_analytics.sales_summary', 'mariadb', shop.mysql)).toBe('accepted');
    expect(await verdict('SELECT * FROM `shop_analytics`.`user_behavior` u JOIN orders o ON 1 = 1', 'mysql', shop.mysql)).toBe('accepted');
    expect(await verdict('SELECT * FROM shop_.x', 'mysql', shop.mysql)).toMatch(/rejected/);
    expect(await verdict('SELECT * FROM shopx.x', 'mysql', shop.mysql)).toMatch(/rejected/);
  });

  it('refuses unqualified names when there is no default database', async () => {
    const outcome = await verdict('SELECT * FROM orders', 'mariadb', { schemas: ['shop'], defaultSchema: null });
    expect(outcome).toMatch(/reading orders is not allowed: this datasource has no default database, so qualify the name with one of shop/);
    expect(await verdict('SELECT * FROM shop.orders', 'mariadb', { schemas: ['shop'], defaultSchema: null })).toBe('accepted');
  });

  describe('with a table allow-list, CTEs that shadow real tables', () => {
    const postgres: GuardPolicy = { ...publicOnly.postgres, tables: ['public.orders', 'regions'] };
    const mysql: GuardPolicy = { ...publicOnly.mysql, tables: ['shop.orders', 'regions'] };
    it.each([
      ['SELECT * FROM orders JOIN regions ON true', true],
      ['SELECT * FROM customers', false],
      ['WITH customers AS (SELECT customer_id AS id FROM orders) SELECT * FROM customers', true],
      ['SELECT * FROM orders WHERE customer_id IN (SELECT id FROM customers)', false],
      ['SELECT * FROM (WITH customers AS (SELECT customer_id AS id FROM orders) SELECT id FROM customers) c, customers', false],
      ['WITH customers AS (SELECT * FROM customers) SELECT * FROM customers', false],
      ['WITH x AS (SELECT 1 AS id) SELECT id FROM x UNION SELECT id FROM customers', false],
    ] as Array<[string, boolean]>)('postgres and both MySQL grammars: %s → %s', async (sql, accepted) => {
      for (const [grammar, policy] of [
        ['postgres', postgres],
        ['mysql', mysql],
        ['mariadb', mysql],
      ] as const) {
        const outcome = await verdict(sql, grammar, policy);
        expect(outcome, grammar).toMatch(accepted ? /^accepted$/ : /is not allowed: this datasource may read only the tables/);
      }
    });

    it('names the resolved relation and the tables', async () => {
      expect(await verdict('SELECT * FROM customers', 'postgres', postgres)).toBe(
        'rejected: reading public.customers is not allowed: this datasource may read only the tables public.orders, public.regions',
      );
    });

    it('reads forward references under RECURSIVE as the servers do: MariaDB and Postgres see later CTEs, MySQL does not', async () => {
      const sql = 'WITH RECURSIVE a AS (SELECT * FROM customers), customers AS (SELECT 1 AS x) SELECT * FROM a';
      expect(await verdict(sql, 'postgres', postgres)).toBe('accepted');
      expect(await verdict(sql, 'mariadb', mysql)).toBe('accepted');
      expect(await verdict(sql, 'mysql', mysql)).toMatch(/rejected: reading shop\.customers/);
      const plain = 'WITH a AS (SELECT * FROM customers), customers AS (SELECT 1 AS x) SELECT * FROM a';
      for (const [grammar, policy] of [
        ['postgres', postgres],
        ['mysql', mysql],
        ['mariadb', mysql],
      ] as const)
        expect(await verdict(plain, grammar, policy)).toMatch(/rejected: reading \w+\.customers/);
    });
  });
});

describe('functions are allow-listed per dialect (issue 13)', () => {
  it.each([
    [
      "SELECT current_setting('data_directory')",
      /the function current_setting\(\) is not allowed: it is not on the Postgres function allow-list .*allowFunctions/,
    ],
    ["SELECT pg_catalog.current_setting('config_file')", /current_setting\(\) is not allowed/],
    ["SELECT pg_nextoid('pg_catalog.pg_class', 'oid', 'pg_catalog.pg_class_oid_index')", /pg_nextoid\(\) is not allowed/],
    ['SELECT version()', /version\(\) is not allowed/],
    ['SELECT current_user', /current_user\(\) is not allowed/],
    ['SELECT session_user', /session_user\(\) is not allowed/],
    ['SELECT inet_server_addr()', /inet_server_addr\(\) is not allowed/],
    ["SELECT to_regclass('pg_authid')", /to_regclass\(\) is not allowed/],
    ["SELECT has_table_privilege('pg_authid', 'SELECT')", /has_table_privilege\(\) is not allowed/],
    [
      'SELECT analytics.fiscal_quarter(order_date) FROM orders',
      /analytics\.fiscal_quarter\(\) is not allowed: functions may be qualified only with pg_catalog/,
    ],
    ['SELECT "COUNT"(*) FROM orders', /COUNT\(\) is not allowed/],
    ['SELECT 1 OPERATOR(analytics.+) 1', /operator analytics\.\+ is not allowed/],
    ['SELECT 1 WHERE 1 OPERATOR(analytics.=) ANY (SELECT 1)', /operator analytics\.= is not allowed/],
    ['SELECT id FROM orders ORDER BY id USING OPERATOR(analytics.<)', /operator analytics\.< is not allowed/],
    ['SELECT * FROM orders TABLESAMPLE system_rows(10)', /TABLESAMPLE system_rows is not allowed/],
  ])('postgres refuses %s', async (sql, reason) => {
    expect(await verdict(sql, 'postgres', publicOnly.postgres)).toMatch(reason);
  });

  it.each([
    ['SELECT VERSION()', /version\(\) is not allowed: it is not on the MySQL function allow-list/],
    ['SELECT USER()', /user\(\) is not allowed/],
    ['SELECT CURRENT_USER', /current_user\(\) is not allowed/],
    ['SELECT CURRENT_USER()', /current_user\(\) is not allowed/],
    ['SELECT DATABASE()', /database\(\) is not allowed/],
    ['SELECT CONNECTION_ID()', /connection_id\(\) is not allowed/],
    ['SELECT other_db.f(1)', /other_db\.f\(\) is not allowed: functions may not be qualified with a database/],
  ])('mysql and mariadb refuse %s', async (sql, reason) => {
    expect(await verdict(sql, 'mysql', publicOnly.mysql)).toMatch(reason);
    expect(await verdict(sql, 'mariadb', publicOnly.mysql)).toMatch(reason);
  });

  it('accepts the common functions, pg_catalog-qualified ones and set-returning functions in FROM', async () => {
    for (const sql of [
      "SELECT pg_catalog.count(*), date_trunc('month', order_date), extract(year FROM order_date), coalesce(status, 'x'), greatest(1, 2), nullif(1, 2) FROM orders GROUP BY 2, 3, 4",
      'SELECT current_date, current_timestamp, localtimestamp',
      "SELECT g FROM generate_series(DATE '2025-01-01', DATE '2025-03-01', INTERVAL '1 month') AS g",
      "SELECT substring(email FROM 2 FOR 3), position('@' IN email), trim(both ' ' FROM email) FROM customers",
    ])
      expect(await verdict(sql, 'postgres', publicOnly.postgres), sql).toBe('accepted');
    expect(
      await verdict("SELECT GROUP_CONCAT(name SEPARATOR ', '), COUNT(*), IFNULL(MAX(id), 0) FROM regions", 'mariadb', publicOnly.mysql),
    ).toBe('accepted');
  });

  it('takes extra functions from the policy (allowFunctions), but never a deny-listed one', async () => {
    const postgres: GuardPolicy = { ...publicOnly.postgres, allowFunctions: ['fiscal_quarter', 'analytics.fiscal_week', 'pg_sleep'] };
    expect(await verdict('SELECT fiscal_quarter(order_date) FROM orders', 'postgres', postgres)).toBe('accepted');
    expect(await verdict('SELECT analytics.fiscal_week(order_date) FROM orders', 'postgres', postgres)).toBe('accepted');
    expect(await verdict('SELECT analytics.fiscal_quarter(order_date) FROM orders', 'postgres', postgres)).toMatch(/rejected/);
    expect(await verdict('SELECT pg_sleep(1)', 'postgres', postgres)).toMatch(/rejected: the function pg_sleep\(\) is on the deny-list/);
    const mysql: GuardPolicy = { ...publicOnly.mysql, allowFunctions: ['UUID', 'shop.fiscal_quarter', 'sleep'] };
    expect(await verdict('SELECT uuid()', 'mariadb', mysql)).toBe('accepted');
    expect(await verdict('SELECT shop.fiscal_quarter(order_date) FROM orders', 'mariadb', mysql)).toBe('accepted');
    expect(await verdict('SELECT SLEEP(1)', 'mariadb', mysql)).toMatch(/rejected: the function sleep\(\) is on the deny-list/);
  });
});

describe('docs/sql-guard.md', () => {
  it('lists every function on each allow-list', () => {
    const docs = readFileSync(new URL('../../docs/sql-guard.md', import.meta.url), 'utf8');
    const [, postgres, mysql] = docs.split(/^### (?:Postgres and PGlite|MySQL and MariaDB)$/m);
    for (const [dialect, section] of [
      ['postgres', postgres],
      ['mysql', mysql],
    ] as const)
      expect(allowedFunctions[dialect].filter((name) => !section.includes(`\`${name}\``))).toEqual([]);
  });
});

describe('the guard remembers the statements it accepted, per policy (issue 17)', () => {
  /** A policy as `guardPolicyOf` makes them: frozen, arrays and all. */
  const frozen = (policy: GuardPolicy): GuardPolicy =>
    Object.freeze({
      ...policy,
      schemas: Object.freeze([...policy.schemas]),
      ...(policy.tables ? { tables: Object.freeze([...policy.tables]) } : {}),
    });

  it('answers a statement again with the same frozen result, and never across policies or grammars', async () => {
    const everything = frozen({ schemas: ['public', 'analytics'], defaultSchema: 'public' });
    const sql = 'SELECT name FROM analytics.sales_summary ORDER BY name LIMIT 5';
    const first = await guardSql(sql, 'postgres', everything);
    const again = await guardSql(sql, 'postgres', everything);
    expect(again).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first.relations) && Object.isFrozen(first.functions)).toBe(true);
    expect(first.relations).toEqual(['analytics.sales_summary']);
    // The same text under a narrower policy is judged afresh, and refused.
    const narrower: GuardPolicy = { schemas: ['public'], defaultSchema: 'public' };
    await expect(guardSql(sql, 'postgres', narrower)).rejects.toBeInstanceOf(SqlRejectedError);
    // A policy with the same content is another policy: accepted, but not the remembered object.
    const copy = frozen({ schemas: ['public', 'analytics'], defaultSchema: 'public' });
    const fresh = await guardSql(sql, 'postgres', copy);
    expect(fresh).not.toBe(first);
    expect(fresh).toEqual(first);
  });

  it('remembers nothing for a policy that can still change: a narrowed allow-list refuses at once', async () => {
    const mutable: { schemas: string[]; defaultSchema: string } = { schemas: ['public', 'analytics'], defaultSchema: 'public' };
    const sql = 'SELECT name FROM analytics.sales_summary';
    const first = await guardSql(sql, 'postgres', mutable);
    expect(await guardSql(sql, 'postgres', mutable)).not.toBe(first);
    mutable.schemas.pop();
    await expect(guardSql(sql, 'postgres', mutable)).rejects.toBeInstanceOf(SqlRejectedError);
  });

  it('keeps refusing what it refused, even after accepting other statements', async () => {
    const policy: GuardPolicy = { schemas: ['public'], defaultSchema: 'public' };
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await guardSql('SELECT 1 AS one', 'postgres', policy);
      await expect(guardSql('DELETE FROM orders', 'postgres', policy)).rejects.toBeInstanceOf(SqlRejectedError);
    }
  });
});

describe('NOT before a parenthesis on MySQL and MariaDB (the parser reads it as a function call)', () => {
  const policy = shop.mysql;
  for (const grammar of ['mysql', 'mariadb'] as const) {
    it(`accepts NOT (…) as the operator on ${grammar}, and still checks what it negates`, async () => {
      const accepted = await guardSql(
        "SELECT COUNT(*) FROM customers WHERE NOT (country = 'Germany' AND city = 'Berlin') AND NOT (id < 10)",
        grammar,
        policy,
      );
      expect(accepted.functions).toEqual(['count']);
      expect((await reject('SELECT id FROM customers WHERE NOT (SLEEP(5) = 0)', grammar, policy)).message).toMatch(/sleep/i);
      // Quoted, it is a call of a function named not, which the allow-list does not have.
      expect((await reject('SELECT id FROM customers WHERE `not`(id = 1)', grammar, policy)).message).toMatch(/function not\(\)/);
    });
  }
});
