/**
 * Hostile SQL corpus for the SQL guard and the read-only executor.
 *
 * Every case must end in one of two ways: the guard rejects it, or the read-only executor returns an
 * error. In both cases a checksum of every table must prove that nothing changed. No case may be
 * something a correct guard would accept as a single plain read that then succeeds.
 *
 * Cases are written against the `shop` fixture (see the fixture definition), on a datasource limited to
 * its `public` schema (on MySQL, to the database itself): reading `analytics` is then as hostile as
 * reading another database. Where the hostile
 * meaning depends on one dialect's lexer or grammar (backslash escapes, MySQL executable comments,
 * `--` without a trailing space, dollar quoting, ...) the `dialects` list is limited to the dialect
 * where the statement is actually hostile: under the other dialect it may be a harmless read.
 *
 * File paths used by file-writing cases point at `/tmp/sqlagent_corpus_*` and role/user names at
 * `sqlagent_intruder`, so an accidental execution on a test server is easy to spot and clean up.
 */

export type CorpusDialect = 'postgres' | 'mysql';

export interface HostileCase {
  id: string;
  dialects: Array<CorpusDialect>;
  sql: string;
  why: string;
}

export const hostileStatements: HostileCase[] = [
  // ---------------------------------------------------------------------------------------------
  // Plain data modification
  // ---------------------------------------------------------------------------------------------
  {
    id: 'dml-insert-values',
    dialects: ['postgres', 'mysql'],
    sql: `INSERT INTO regions (id, name, country, continent) VALUES (9999, 'Evil', 'Nowhere', 'Atlantis')`,
    why: 'INSERT writes a row.',
  },
  {
    id: 'dml-insert-select',
    dialects: ['postgres', 'mysql'],
    sql: `INSERT INTO categories (id, name, parent_id) SELECT id + 100000, name, NULL FROM categories`,
    why: 'INSERT … SELECT starts with a write even though it contains a SELECT.',
  },
  {
    id: 'dml-update-all',
    dialects: ['postgres', 'mysql'],
    sql: `UPDATE orders SET status = 'cancelled'`,
    why: 'UPDATE without WHERE rewrites every order.',
  },
  {
    id: 'dml-update-where',
    dialects: ['postgres', 'mysql'],
    sql: `UPDATE products SET price = 0.01 WHERE id = 1`,
    why: 'Targeted UPDATE is still a write.',
  },
  {
    id: 'dml-update-from-join',
    dialects: ['postgres'],
    sql: `UPDATE orders o SET status = 'returned' FROM customers c WHERE c.id = o.customer_id AND c.segment = 'corporate'`,
    why: 'Postgres UPDATE … FROM join is a write.',
  },
  {
    id: 'dml-update-multi-table',
    dialects: ['mysql'],
    sql: `UPDATE orders o JOIN customers c ON c.id = o.customer_id SET o.status = 'returned' WHERE c.segment = 'corporate'`,
    why: 'MySQL multi-table UPDATE is a write.',
  },
  {
    id: 'dml-delete-all',
    dialects: ['postgres', 'mysql'],
    sql: `DELETE FROM orders`,
    why: 'DELETE without WHERE removes every order.',
  },
  {
    id: 'dml-delete-where',
    dialects: ['postgres', 'mysql'],
    sql: `DELETE FROM payments WHERE status = 'failed'`,
    why: 'Targeted DELETE is still a write.',
  },
  {
    id: 'dml-delete-multi-table',
    dialects: ['mysql'],
    sql: `DELETE o, oi FROM orders o JOIN order_items oi ON oi.order_id = o.id WHERE o.id = 1`,
    why: 'MySQL multi-table DELETE is a write.',
  },
  {
    id: 'dml-delete-using',
    dialects: ['postgres'],
    sql: `DELETE FROM order_items oi USING orders o WHERE o.id = oi.order_id AND o.status = 'cancelled'`,
    why: 'Postgres DELETE … USING is a write.',
  },
  {
    id: 'dml-truncate',
    dialects: ['postgres', 'mysql'],
    sql: `TRUNCATE TABLE order_items`,
    why: 'TRUNCATE empties a table (and is DDL with an implicit commit on MySQL).',
  },
  {
    id: 'dml-truncate-cascade',
    dialects: ['postgres'],
    sql: `TRUNCATE customers, orders, order_items, payments RESTART IDENTITY CASCADE`,
    why: 'TRUNCATE … CASCADE empties several tables at once.',
  },
  {
    id: 'dml-merge',
    dialects: ['postgres'],
    sql: `MERGE INTO products p USING (SELECT 1 AS id) s ON p.id = s.id WHEN MATCHED THEN UPDATE SET price = 0 WHEN NOT MATCHED THEN DO NOTHING`,
    why: 'MERGE is a write (Postgres 15+).',
  },
  {
    id: 'dml-replace-into',
    dialects: ['mysql'],
    sql: `REPLACE INTO regions (id, name, country, continent) VALUES (1, 'Evil', 'Nowhere', 'Atlantis')`,
    why: 'MySQL REPLACE deletes and re-inserts a row.',
  },
  {
    id: 'dml-insert-on-duplicate-key',
    dialects: ['mysql'],
    sql: `INSERT INTO regions (id, name, country, continent) VALUES (1, 'x', 'x', 'x') ON DUPLICATE KEY UPDATE name = 'Evil'`,
    why: 'INSERT … ON DUPLICATE KEY UPDATE overwrites an existing row.',
  },
  {
    id: 'dml-insert-on-conflict',
    dialects: ['postgres'],
    sql: `INSERT INTO regions (id, name, country, continent) VALUES (1, 'x', 'x', 'x') ON CONFLICT (id) DO UPDATE SET name = 'Evil'`,
    why: 'Postgres upsert overwrites an existing row.',
  },
  {
    id: 'dml-with-then-delete',
    dialects: ['postgres', 'mysql'],
    sql: `WITH old_orders AS (SELECT id FROM orders WHERE order_date < '2024-01-01') DELETE FROM payments WHERE order_id IN (SELECT id FROM old_orders)`,
    why: 'Starts with WITH like a read, but the main statement is a DELETE (valid on Postgres and MySQL 8).',
  },
  {
    id: 'dml-with-then-update',
    dialects: ['postgres', 'mysql'],
    sql: `WITH cheap AS (SELECT id FROM products WHERE price < 20) UPDATE products SET price = price * 10 WHERE id IN (SELECT id FROM cheap)`,
    why: 'WITH prefix in front of an UPDATE.',
  },

  // ---------------------------------------------------------------------------------------------
  // Data-modifying CTEs (Postgres executes these even inside a "SELECT")
  // ---------------------------------------------------------------------------------------------
  {
    id: 'cte-delete-returning',
    dialects: ['postgres', 'mysql'],
    sql: `WITH x AS (DELETE FROM orders RETURNING *) SELECT * FROM x`,
    why: 'Data-modifying CTE: the top level is a SELECT but the CTE deletes (MySQL: not valid syntax, must still be rejected).',
  },
  {
    id: 'cte-update-returning',
    dialects: ['postgres'],
    sql: `WITH u AS (UPDATE products SET price = 0 RETURNING id) SELECT count(*) FROM u`,
    why: 'UPDATE hidden inside a CTE.',
  },
  {
    id: 'cte-insert-returning',
    dialects: ['postgres'],
    sql: `WITH i AS (INSERT INTO regions (id, name, country, continent) VALUES (9998, 'Evil', 'Nowhere', 'Atlantis') RETURNING id) SELECT id FROM i`,
    why: 'INSERT hidden inside a CTE.',
  },
  {
    id: 'cte-delete-unreferenced',
    dialects: ['postgres'],
    sql: `WITH d AS (DELETE FROM order_items RETURNING 1) SELECT 1 AS ok`,
    why: 'Postgres runs data-modifying CTEs even when the main query never references them.',
  },
  {
    id: 'cte-delete-second-of-several',
    dialects: ['postgres'],
    sql: `WITH recent AS (SELECT id FROM orders WHERE order_date >= '2025-01-01'), gone AS (DELETE FROM payments WHERE order_id IN (SELECT id FROM recent) RETURNING id) SELECT (SELECT count(*) FROM recent) AS recent_orders, (SELECT count(*) FROM gone) AS deleted`,
    why: 'The write is the second of several CTEs; a guard that only inspects the first CTE misses it.',
  },
  {
    id: 'cte-nested-delete',
    dialects: ['postgres'],
    sql: `WITH outer_cte AS (WITH inner_cte AS (DELETE FROM payments RETURNING order_id) SELECT order_id FROM inner_cte) SELECT * FROM outer_cte`,
    why: 'DELETE in a CTE nested inside another CTE.',
  },
  {
    id: 'cte-delete-in-subquery',
    dialects: ['postgres'],
    sql: `SELECT * FROM (WITH d AS (DELETE FROM orders WHERE id < 100 RETURNING id) SELECT id FROM d) AS s`,
    why: 'Data-modifying CTE inside a FROM subquery.',
  },
  {
    id: 'cte-update-in-scalar-subquery',
    dialects: ['postgres'],
    sql: `SELECT (WITH u AS (UPDATE customers SET email = 'pwned@example.com' RETURNING 1) SELECT count(*) FROM u) AS n`,
    why: 'Data-modifying CTE inside a scalar subquery in the select list.',
  },
  {
    id: 'cte-delete-in-union-branch',
    dialects: ['postgres'],
    sql: `SELECT 1 AS n UNION ALL (WITH d AS (DELETE FROM orders RETURNING id) SELECT count(*)::int FROM d)`,
    why: 'Data-modifying CTE inside the second branch of a UNION.',
  },
  {
    id: 'cte-recursive-plus-delete',
    dialects: ['postgres'],
    sql: `WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r WHERE n < 3), d AS (DELETE FROM orders WHERE id IN (SELECT n FROM r) RETURNING id) SELECT * FROM d`,
    why: 'WITH RECURSIVE list where a later member deletes.',
  },
  {
    id: 'cte-materialized-update',
    dialects: ['postgres'],
    sql: `WITH u AS MATERIALIZED (UPDATE orders SET total_amount = 0 WHERE id = 1 RETURNING id) SELECT id FROM u`,
    why: 'UPDATE in a CTE with the MATERIALIZED modifier.',
  },

  // ---------------------------------------------------------------------------------------------
  // DDL
  // ---------------------------------------------------------------------------------------------
  {
    id: 'ddl-drop-table',
    dialects: ['postgres', 'mysql'],
    sql: `DROP TABLE orders`,
    why: 'DROP TABLE destroys data.',
  },
  {
    id: 'ddl-drop-table-if-exists-cascade',
    dialects: ['postgres', 'mysql'],
    sql: `DROP TABLE IF EXISTS customers CASCADE`,
    why: 'DROP TABLE with IF EXISTS / CASCADE.',
  },
  {
    id: 'ddl-drop-schema-cascade',
    dialects: ['postgres'],
    sql: `DROP SCHEMA analytics CASCADE`,
    why: 'Drops a whole schema with its tables and views.',
  },
  {
    id: 'ddl-drop-view',
    dialects: ['postgres'],
    sql: `DROP VIEW analytics.customer_order_counts`,
    why: 'Drops the analytics view.',
  },
  {
    id: 'ddl-alter-add-column',
    dialects: ['postgres', 'mysql'],
    sql: `ALTER TABLE customers ADD COLUMN password_hash varchar(200)`,
    why: 'ALTER TABLE changes the schema.',
  },
  {
    id: 'ddl-alter-rename',
    dialects: ['postgres', 'mysql'],
    sql: `ALTER TABLE orders RENAME TO orders_old`,
    why: 'Renaming a table breaks every later query.',
  },
  {
    id: 'ddl-rename-table',
    dialects: ['mysql'],
    sql: `RENAME TABLE orders TO orders_old`,
    why: 'MySQL RENAME TABLE statement.',
  },
  {
    id: 'ddl-create-table',
    dialects: ['postgres', 'mysql'],
    sql: `CREATE TABLE stolen (id integer, payload text)`,
    why: 'CREATE TABLE (implicit commit on MySQL).',
  },
  {
    id: 'ddl-create-table-as-select',
    dialects: ['postgres', 'mysql'],
    sql: `CREATE TABLE customers_copy AS SELECT * FROM customers`,
    why: 'CREATE TABLE AS contains a SELECT but creates a table.',
  },
  {
    id: 'ddl-create-temp-table',
    dialects: ['postgres', 'mysql'],
    sql: `CREATE TEMPORARY TABLE scratch_copy AS SELECT * FROM customers`,
    why: 'Temporary tables are still writes; MySQL even allows them inside a READ ONLY transaction.',
  },
  {
    id: 'ddl-create-temp-table-pg-short',
    dialects: ['postgres'],
    sql: `CREATE TEMP TABLE scratch (id int)`,
    why: 'Postgres CREATE TEMP TABLE short form.',
  },
  {
    id: 'ddl-create-index',
    dialects: ['postgres', 'mysql'],
    sql: `CREATE INDEX idx_orders_status_evil ON orders (status)`,
    why: 'CREATE INDEX changes the schema and can lock the table.',
  },
  {
    id: 'ddl-create-view',
    dialects: ['postgres', 'mysql'],
    sql: `CREATE VIEW all_emails AS SELECT email FROM customers`,
    why: 'CREATE VIEW persists an object.',
  },
  {
    id: 'ddl-create-materialized-view',
    dialects: ['postgres'],
    sql: `CREATE MATERIALIZED VIEW order_dump AS SELECT * FROM orders`,
    why: 'CREATE MATERIALIZED VIEW stores a copy of the data.',
  },
  {
    id: 'ddl-create-function-sql',
    dialects: ['postgres'],
    sql: `CREATE FUNCTION evil() RETURNS integer LANGUAGE sql AS $$ DELETE FROM orders RETURNING 1 $$`,
    why: 'CREATE FUNCTION whose body deletes.',
  },
  {
    id: 'ddl-create-or-replace-function-plpgsql',
    dialects: ['postgres'],
    sql: `CREATE OR REPLACE FUNCTION public.lower(text) RETURNS text LANGUAGE plpgsql AS $fn$ BEGIN DELETE FROM orders; RETURN $1; END $fn$`,
    why: 'Shadows a built-in name with a function that deletes.',
  },
  {
    id: 'ddl-create-function-mysql',
    dialects: ['mysql'],
    sql: `CREATE FUNCTION evil() RETURNS INT DETERMINISTIC RETURN 1`,
    why: 'CREATE FUNCTION on MySQL (implicit commit).',
  },
  {
    id: 'ddl-create-procedure-mysql',
    dialects: ['mysql'],
    sql: `CREATE PROCEDURE wipe_orders() DELETE FROM orders`,
    why: 'CREATE PROCEDURE whose body deletes.',
  },
  {
    id: 'ddl-create-trigger',
    dialects: ['mysql'],
    sql: `CREATE TRIGGER evil_trg BEFORE INSERT ON orders FOR EACH ROW SET NEW.status = 'cancelled'`,
    why: 'CREATE TRIGGER persists behaviour on a table.',
  },
  {
    id: 'ddl-create-udf-soname',
    dialects: ['mysql'],
    sql: `CREATE FUNCTION sys_exec RETURNS INTEGER SONAME 'lib_mysqludf_sys.so'`,
    why: 'Loads a native UDF giving shell access.',
  },
  {
    id: 'ddl-create-role',
    dialects: ['postgres'],
    sql: `CREATE ROLE sqlagent_intruder WITH LOGIN SUPERUSER PASSWORD 'letmein'`,
    why: 'Creates a superuser role.',
  },
  {
    id: 'ddl-alter-role',
    dialects: ['postgres'],
    sql: `ALTER ROLE sqlagent_intruder WITH SUPERUSER`,
    why: 'ALTER ROLE escalates privileges.',
  },
  {
    id: 'ddl-create-user-mysql',
    dialects: ['mysql'],
    sql: `CREATE USER 'sqlagent_intruder'@'%' IDENTIFIED BY 'letmein'`,
    why: 'Creates a database account.',
  },
  {
    id: 'ddl-create-extension',
    dialects: ['postgres'],
    sql: `CREATE EXTENSION IF NOT EXISTS dblink`,
    why: 'Installing dblink would allow writes through a second connection.',
  },
  {
    id: 'ddl-comment-on',
    dialects: ['postgres'],
    sql: `COMMENT ON TABLE orders IS 'pwned'`,
    why: 'COMMENT ON writes to the catalog.',
  },
  {
    id: 'ddl-alter-system',
    dialects: ['postgres'],
    sql: `ALTER SYSTEM SET statement_timeout = 0`,
    why: 'ALTER SYSTEM rewrites server configuration.',
  },

  // ---------------------------------------------------------------------------------------------
  // Privileges
  // ---------------------------------------------------------------------------------------------
  {
    id: 'grant-all-tables-public',
    dialects: ['postgres'],
    sql: `GRANT ALL PRIVILEGES ON ALL TABLES IN SCHEMA public TO PUBLIC`,
    why: 'GRANT widens privileges for everybody.',
  },
  {
    id: 'revoke-select',
    dialects: ['postgres'],
    sql: `REVOKE SELECT ON orders FROM PUBLIC`,
    why: 'REVOKE changes privileges.',
  },
  {
    id: 'grant-mysql-global',
    dialects: ['mysql'],
    sql: `GRANT ALL PRIVILEGES ON *.* TO 'sqlagent_intruder'@'%' WITH GRANT OPTION`,
    why: 'Global GRANT (MariaDB may even create the account).',
  },
  {
    id: 'revoke-mysql',
    dialects: ['mysql'],
    sql: `REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'sqlagent_intruder'@'%'`,
    why: 'REVOKE changes privileges.',
  },

  // ---------------------------------------------------------------------------------------------
  // Stacked statements
  // ---------------------------------------------------------------------------------------------
  {
    id: 'stacked-select-drop',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1; DROP TABLE orders`,
    why: 'A read followed by a second, destructive statement.',
  },
  {
    id: 'stacked-select-delete-trailing-semicolon',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT * FROM orders WHERE id = 1; DELETE FROM orders WHERE id = 1;`,
    why: 'Two statements, both terminated.',
  },
  {
    id: 'stacked-two-selects',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1; SELECT 2`,
    why: 'Exactly one statement is allowed, even if both are reads.',
  },
  {
    id: 'stacked-string-then-comment',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 'a'; DELETE FROM orders --'`,
    why: 'The trailing quote sits in a comment, so the naive "inside a string" reading is wrong.',
  },
  {
    id: 'stacked-doubled-quote',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 'it''s'; DELETE FROM orders; -- '`,
    why: 'Doubled quote inside the literal; the semicolon after it is real.',
  },
  {
    id: 'stacked-empty-statement-between',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;;UPDATE products SET price = 0`,
    why: 'An empty statement between a read and a write.',
  },
  {
    id: 'stacked-after-line-comment-newline',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1 -- harmless comment\n; DELETE FROM payments`,
    why: 'Line comment ends at the newline; the second line holds a second statement.',
  },
  {
    id: 'stacked-comment-then-drop-next-line',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1; -- all done\nDROP TABLE order_items`,
    why: 'A trailing comment makes it look finished; the next line is a DROP.',
  },
  {
    id: 'stacked-semicolon-in-block-comment',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1 /* ; */; DROP TABLE payments`,
    why: 'A fake semicolon inside a comment and a real one after it.',
  },
  {
    id: 'stacked-commit-then-delete',
    dialects: ['postgres', 'mysql'],
    sql: `COMMIT; DELETE FROM payments`,
    why: 'Ends the read-only transaction, then writes in autocommit mode (payments has no dependent rows, so no foreign key stops it).',
  },
  {
    id: 'stacked-set-then-select',
    dialects: ['postgres'],
    sql: `SET transaction_read_only = off; SELECT 1`,
    why: 'Tries to flip the transaction to read-write before a harmless read.',
  },
  {
    id: 'stacked-backslash-not-escape-pg',
    dialects: ['postgres'],
    sql: "SELECT 'x\\'; DELETE FROM orders; --'",
    why: "With standard_conforming_strings the backslash does not escape, so 'x\\' ends the literal and the DELETE is real (a MySQL-style tokenizer thinks it is all one string).",
  },
  {
    id: 'stacked-estring-escaped-quote-pg',
    dialects: ['postgres'],
    sql: "SELECT E'\\''; DELETE FROM orders; --'",
    why: "E'\\'' is a complete literal holding one quote; the DELETE after it is real.",
  },
  {
    id: 'stacked-dollar-quote-pg',
    dialects: ['postgres'],
    sql: `SELECT $q$x$q$; DROP TABLE orders; --$q$`,
    why: 'A dollar-quoted literal closes early; a tokenizer unaware of tags sees one long string.',
  },
  {
    id: 'stacked-backslash-escape-mysql',
    dialects: ['mysql'],
    sql: "SELECT '\\''; DELETE FROM orders; -- '",
    why: "In MySQL '\\'' is a complete literal holding one quote; the DELETE after it is real (in Postgres this text is one harmless string, hence mysql only).",
  },
  {
    id: 'stacked-double-dash-no-space-mysql',
    dialects: ['mysql'],
    sql: `SELECT 1--1; DELETE FROM orders`,
    why: 'MySQL needs whitespace after -- for a comment, so this is 1 - (-1) followed by a DELETE (Postgres would treat the rest as a comment, hence mysql only).',
  },
  {
    id: 'stacked-hash-comment-mysql',
    dialects: ['mysql'],
    sql: `SELECT 1 # comment\n; DROP TABLE payments`,
    why: 'MySQL # comment ends at the newline; a second statement follows.',
  },
  {
    id: 'stacked-cr-ends-comment-pg',
    dialects: ['postgres'],
    sql: `SELECT 1; -- note\rDELETE FROM orders`,
    why: 'A bare carriage return ends a Postgres line comment, so the DELETE is a real second statement.',
  },

  // ---------------------------------------------------------------------------------------------
  // Comment tricks
  // ---------------------------------------------------------------------------------------------
  {
    id: 'comment-between-keywords',
    dialects: ['postgres', 'mysql'],
    sql: `DROP/**/TABLE/**/order_items`,
    why: 'Block comments as whitespace between keywords.',
  },
  {
    id: 'comment-fake-select-prefix',
    dialects: ['postgres', 'mysql'],
    sql: `/* SELECT */ DELETE FROM orders`,
    why: 'The word SELECT appears first, but only inside a comment.',
  },
  {
    id: 'comment-line-select-then-delete',
    dialects: ['postgres', 'mysql'],
    sql: `-- SELECT * FROM orders\nDELETE FROM orders`,
    why: 'A line comment that looks like a SELECT, then a DELETE.',
  },
  {
    id: 'comment-nested-pg',
    dialects: ['postgres'],
    sql: `/* outer /* inner */ SELECT 1 */ DROP TABLE orders`,
    why: 'Postgres block comments nest, so the SELECT is commented out and only the DROP remains.',
  },
  {
    id: 'comment-mysql-executable-drop',
    dialects: ['mysql'],
    sql: `/*!50000 DROP TABLE orders */`,
    why: 'MySQL executes versioned comments: this is a DROP TABLE, not a comment.',
  },
  {
    id: 'comment-mysql-executable-stacked',
    dialects: ['mysql'],
    sql: `SELECT 1 /*!; DROP TABLE orders */`,
    why: 'Executable comment smuggles a second statement behind a harmless SELECT.',
  },
  {
    id: 'comment-mysql-executable-into-outfile',
    dialects: ['mysql'],
    sql: `SELECT email FROM customers /*!50000 INTO OUTFILE '/tmp/sqlagent_corpus_emails.txt' */`,
    why: 'Executable comment turns a read into a file write.',
  },
  {
    id: 'comment-mysql-executable-union-load-file',
    dialects: ['mysql'],
    sql: `SELECT 'x' AS v /*!50000 UNION SELECT LOAD_FILE('/etc/passwd') */`,
    why: 'Executable comment hides a UNION branch that reads a server file.',
  },
  {
    id: 'comment-mariadb-executable-delete',
    dialects: ['mysql'],
    sql: `SELECT 1 /*M!100000 ; DELETE FROM orders */`,
    why: 'MariaDB-specific /*M! executable comment hiding a second statement.',
  },
  {
    id: 'comment-mysql-executable-sleep',
    dialects: ['mysql'],
    sql: `SELECT id /*!, SLEEP(30) */ FROM orders WHERE id = 1`,
    why: 'Executable comment hides a deny-listed function call in the select list.',
  },

  // ---------------------------------------------------------------------------------------------
  // SELECT … INTO, locking reads, LOCK
  // ---------------------------------------------------------------------------------------------
  {
    id: 'select-into-new-table-pg',
    dialects: ['postgres'],
    sql: `SELECT * INTO orders_backup FROM orders`,
    why: 'Postgres SELECT … INTO creates a table.',
  },
  {
    id: 'select-into-temp-table-pg',
    dialects: ['postgres'],
    sql: `SELECT id, email INTO TEMP TABLE leaked_emails FROM customers`,
    why: 'SELECT … INTO TEMP creates a table.',
  },
  {
    id: 'select-into-outfile',
    dialects: ['mysql'],
    sql: `SELECT * FROM customers INTO OUTFILE '/tmp/sqlagent_corpus_customers.csv'`,
    why: 'Writes a file on the database server.',
  },
  {
    id: 'select-into-outfile-fields',
    dialects: ['mysql'],
    sql: `SELECT id, email INTO OUTFILE '/tmp/sqlagent_corpus_emails.csv' FIELDS TERMINATED BY ',' FROM customers`,
    why: 'INTO OUTFILE placed before FROM.',
  },
  {
    id: 'select-into-dumpfile',
    dialects: ['mysql'],
    sql: `SELECT email FROM customers WHERE id = 1 INTO DUMPFILE '/tmp/sqlagent_corpus_dump.bin'`,
    why: 'Writes a raw file on the database server.',
  },
  {
    id: 'select-into-user-variable',
    dialects: ['mysql'],
    sql: `SELECT COUNT(*) INTO @n FROM orders`,
    why: 'SELECT … INTO assigns session state; not a plain read.',
  },
  {
    id: 'lock-for-update',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT * FROM orders WHERE id = 1 FOR UPDATE`,
    why: 'Row locks block writers.',
  },
  {
    id: 'lock-for-update-nowait',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT id FROM orders WHERE status = 'pending' FOR UPDATE NOWAIT`,
    why: 'FOR UPDATE with NOWAIT.',
  },
  {
    id: 'lock-for-share',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT * FROM orders WHERE id = 1 FOR SHARE`,
    why: 'FOR SHARE takes row locks (not valid on MariaDB, which must still reject or error).',
  },
  {
    id: 'lock-for-no-key-update',
    dialects: ['postgres'],
    sql: `SELECT * FROM orders WHERE id = 1 FOR NO KEY UPDATE`,
    why: 'Postgres FOR NO KEY UPDATE row lock.',
  },
  {
    id: 'lock-for-key-share-skip-locked',
    dialects: ['postgres'],
    sql: `SELECT * FROM payments FOR KEY SHARE SKIP LOCKED`,
    why: 'Postgres FOR KEY SHARE SKIP LOCKED row lock.',
  },
  {
    id: 'lock-for-update-of-table',
    dialects: ['postgres'],
    sql: `SELECT o.id, c.email FROM orders o JOIN customers c ON c.id = o.customer_id WHERE o.id = 1 FOR UPDATE OF o`,
    why: 'FOR UPDATE OF one table in a join.',
  },
  {
    id: 'lock-for-update-in-subquery',
    dialects: ['postgres'],
    sql: `SELECT count(*) FROM (SELECT id FROM orders WHERE status = 'pending' FOR UPDATE) AS locked`,
    why: 'Locking clause hidden inside a subquery.',
  },
  {
    id: 'lock-for-update-in-cte',
    dialects: ['postgres'],
    sql: `WITH l AS (SELECT id FROM customers FOR UPDATE) SELECT count(*) FROM l`,
    why: 'Locking clause hidden inside a CTE.',
  },
  {
    id: 'lock-in-share-mode',
    dialects: ['mysql'],
    sql: `SELECT * FROM orders WHERE id = 1 LOCK IN SHARE MODE`,
    why: 'MySQL shared row lock.',
  },
  {
    id: 'lock-table-pg',
    dialects: ['postgres'],
    sql: `LOCK TABLE orders IN ACCESS EXCLUSIVE MODE`,
    why: 'Blocks every other session on the table.',
  },
  {
    id: 'lock-tables-mysql',
    dialects: ['mysql'],
    sql: `LOCK TABLES orders WRITE`,
    why: 'MySQL table lock (also commits the running transaction).',
  },
  {
    id: 'unlock-tables-mysql',
    dialects: ['mysql'],
    sql: `UNLOCK TABLES`,
    why: 'Not a read statement; changes session lock state.',
  },

  // ---------------------------------------------------------------------------------------------
  // COPY, CALL, DO
  // ---------------------------------------------------------------------------------------------
  {
    id: 'copy-to-file',
    dialects: ['postgres'],
    sql: `COPY orders TO '/tmp/sqlagent_corpus_orders.csv' WITH (FORMAT csv)`,
    why: 'Writes a server-side file; allowed even in a read-only transaction.',
  },
  {
    id: 'copy-from-program',
    dialects: ['postgres'],
    sql: `COPY regions FROM PROGRAM 'echo 9997,Evil,Nowhere,Atlantis' WITH (FORMAT csv)`,
    why: 'Runs a shell command and inserts its output.',
  },
  {
    id: 'copy-query-to-program',
    dialects: ['postgres'],
    sql: `COPY (SELECT email FROM customers) TO PROGRAM 'cat > /dev/null'`,
    why: 'Runs a shell command on the server with query results as input.',
  },
  {
    id: 'copy-from-file',
    dialects: ['postgres'],
    sql: `COPY categories FROM '/etc/passwd'`,
    why: 'Reads a server file into a table.',
  },
  {
    id: 'call-procedure-pg',
    dialects: ['postgres'],
    sql: `CALL public.rebuild_everything()`,
    why: 'CALL runs a procedure that may write or commit.',
  },
  {
    id: 'call-procedure-mysql',
    dialects: ['mysql'],
    sql: `CALL wipe_orders()`,
    why: 'CALL runs a stored procedure that may write.',
  },
  {
    id: 'do-block-delete',
    dialects: ['postgres'],
    sql: `DO $$ BEGIN DELETE FROM orders; END $$`,
    why: 'Anonymous PL/pgSQL block that deletes.',
  },
  {
    id: 'do-block-dynamic-sql',
    dialects: ['postgres'],
    sql: `DO LANGUAGE plpgsql 'BEGIN EXECUTE ''DROP TABLE orders''; END'`,
    why: 'DO block with dynamic SQL in a plain string body.',
  },
  {
    id: 'do-statement-mysql',
    dialects: ['mysql'],
    sql: `DO SLEEP(10)`,
    why: 'MySQL DO evaluates expressions (here a sleep); not a SELECT.',
  },

  // ---------------------------------------------------------------------------------------------
  // Session and transaction control
  // ---------------------------------------------------------------------------------------------
  {
    id: 'set-statement-timeout',
    dialects: ['postgres'],
    sql: `SET statement_timeout = 0`,
    why: 'Disables the executor timeout for the session.',
  },
  {
    id: 'set-session-characteristics-rw',
    dialects: ['postgres'],
    sql: `SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE`,
    why: 'Makes later transactions read-write.',
  },
  {
    id: 'set-session-search-path',
    dialects: ['postgres'],
    sql: `SET SESSION search_path TO analytics, public`,
    why: 'Changes name resolution for later queries on the same connection.',
  },
  {
    id: 'set-role',
    dialects: ['postgres'],
    sql: `SET ROLE postgres`,
    why: 'Switches the effective role.',
  },
  {
    id: 'reset-all',
    dialects: ['postgres'],
    sql: `RESET ALL`,
    why: 'Resets the timeout and read-only settings of the session.',
  },
  {
    id: 'set-transaction-read-write',
    dialects: ['postgres', 'mysql'],
    sql: `SET TRANSACTION READ WRITE`,
    why: 'Tries to make the transaction writable.',
  },
  {
    id: 'set-session-sql-mode',
    dialects: ['mysql'],
    sql: `SET SESSION sql_mode = ''`,
    why: 'Changes session behaviour for later queries on a pooled connection.',
  },
  {
    id: 'set-session-max-execution-time',
    dialects: ['mysql'],
    sql: `SET SESSION max_execution_time = 0`,
    why: 'Disables the MySQL statement timeout (unknown variable on MariaDB, which must still reject or error).',
  },
  {
    id: 'set-global-local-infile',
    dialects: ['mysql'],
    sql: `SET GLOBAL local_infile = 1`,
    why: 'Changes server-wide configuration to allow LOAD DATA LOCAL.',
  },
  {
    id: 'set-user-variable',
    dialects: ['mysql'],
    sql: `SET @n = (SELECT COUNT(*) FROM orders)`,
    why: 'SET with a subquery is not a read statement.',
  },
  {
    id: 'tx-begin',
    dialects: ['postgres', 'mysql'],
    sql: `BEGIN`,
    why: 'Transaction control belongs to the executor.',
  },
  {
    id: 'tx-start-transaction-read-write',
    dialects: ['postgres', 'mysql'],
    sql: `START TRANSACTION READ WRITE`,
    why: 'Opens a writable transaction.',
  },
  {
    id: 'tx-commit',
    dialects: ['postgres', 'mysql'],
    sql: `COMMIT`,
    why: 'Ends the executor read-only transaction early.',
  },
  {
    id: 'tx-rollback',
    dialects: ['postgres', 'mysql'],
    sql: `ROLLBACK`,
    why: 'Ends the executor read-only transaction early.',
  },
  {
    id: 'tx-savepoint',
    dialects: ['postgres', 'mysql'],
    sql: `SAVEPOINT before_attack`,
    why: 'Transaction control statement.',
  },
  {
    id: 'tx-release-savepoint',
    dialects: ['postgres', 'mysql'],
    sql: `RELEASE SAVEPOINT before_attack`,
    why: 'Transaction control statement.',
  },

  // ---------------------------------------------------------------------------------------------
  // EXPLAIN / ANALYZE
  // ---------------------------------------------------------------------------------------------
  {
    id: 'explain-analyze-delete',
    dialects: ['postgres', 'mysql'],
    sql: `EXPLAIN ANALYZE DELETE FROM orders`,
    why: 'EXPLAIN ANALYZE actually executes the DELETE.',
  },
  {
    id: 'explain-analyze-update-options-pg',
    dialects: ['postgres'],
    sql: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) UPDATE products SET price = 0`,
    why: 'Option-list form of EXPLAIN ANALYZE executing an UPDATE.',
  },
  {
    id: 'analyze-delete-mariadb',
    dialects: ['mysql'],
    sql: `ANALYZE DELETE FROM orders WHERE id < 100`,
    why: 'MariaDB ANALYZE <statement> executes the statement.',
  },
  {
    id: 'explain-analyze-select',
    dialects: ['postgres', 'mysql'],
    sql: `EXPLAIN ANALYZE SELECT * FROM orders`,
    why: 'EXPLAIN is not one of the accepted read statements (and ANALYZE executes).',
  },
  {
    id: 'explain-select',
    dialects: ['postgres', 'mysql'],
    sql: `EXPLAIN SELECT * FROM orders`,
    why: 'EXPLAIN is not one of the accepted read statement kinds.',
  },

  // ---------------------------------------------------------------------------------------------
  // PREPARE / EXECUTE / DEALLOCATE
  // ---------------------------------------------------------------------------------------------
  {
    id: 'prepare-delete-pg',
    dialects: ['postgres'],
    sql: `PREPARE wipe AS DELETE FROM orders`,
    why: 'Prepares a write for later execution on the same connection.',
  },
  {
    id: 'execute-prepared-pg',
    dialects: ['postgres'],
    sql: `EXECUTE wipe`,
    why: 'Executes a prepared statement of unknown content.',
  },
  {
    id: 'deallocate-all-pg',
    dialects: ['postgres'],
    sql: `DEALLOCATE ALL`,
    why: 'Drops the driver’s prepared statements.',
  },
  {
    id: 'prepare-from-string-mysql',
    dialects: ['mysql'],
    sql: `PREPARE stmt FROM 'DELETE FROM orders'`,
    why: 'Prepares a write hidden in a string.',
  },
  {
    id: 'execute-prepared-mysql',
    dialects: ['mysql'],
    sql: `EXECUTE stmt`,
    why: 'Executes a prepared statement of unknown content.',
  },
  {
    id: 'deallocate-prepare-mysql',
    dialects: ['mysql'],
    sql: `DEALLOCATE PREPARE stmt`,
    why: 'Statement management, not a read.',
  },
  {
    id: 'execute-immediate-mariadb',
    dialects: ['mysql'],
    sql: `EXECUTE IMMEDIATE 'DROP TABLE payments'`,
    why: 'MariaDB dynamic SQL hidden in a string.',
  },

  // ---------------------------------------------------------------------------------------------
  // LISTEN / NOTIFY, maintenance
  // ---------------------------------------------------------------------------------------------
  {
    id: 'listen',
    dialects: ['postgres'],
    sql: `LISTEN order_events`,
    why: 'Subscribes the pooled connection to notifications.',
  },
  {
    id: 'notify',
    dialects: ['postgres'],
    sql: `NOTIFY order_events, 'pwned'`,
    why: 'Sends a notification to other sessions.',
  },
  {
    id: 'vacuum-full',
    dialects: ['postgres'],
    sql: `VACUUM FULL orders`,
    why: 'Rewrites the table under an exclusive lock.',
  },
  {
    id: 'vacuum-analyze-all',
    dialects: ['postgres'],
    sql: `VACUUM ANALYZE`,
    why: 'Maintenance over every table.',
  },
  {
    id: 'analyze-table-pg',
    dialects: ['postgres'],
    sql: `ANALYZE orders`,
    why: 'Writes planner statistics.',
  },
  {
    id: 'analyze-table-mysql',
    dialects: ['mysql'],
    sql: `ANALYZE TABLE orders`,
    why: 'Writes statistics (implicit commit).',
  },
  {
    id: 'optimize-table-mysql',
    dialects: ['mysql'],
    sql: `OPTIMIZE TABLE orders`,
    why: 'Rebuilds the table.',
  },
  {
    id: 'refresh-materialized-view',
    dialects: ['postgres'],
    sql: `REFRESH MATERIALIZED VIEW analytics.monthly_revenue`,
    why: 'Rewrites a materialized view.',
  },
  {
    id: 'reindex-table',
    dialects: ['postgres'],
    sql: `REINDEX TABLE orders`,
    why: 'Rebuilds indexes under locks.',
  },
  {
    id: 'checkpoint',
    dialects: ['postgres'],
    sql: `CHECKPOINT`,
    why: 'Server-level maintenance command.',
  },
  {
    id: 'discard-all',
    dialects: ['postgres'],
    sql: `DISCARD ALL`,
    why: 'Resets session state of a pooled connection.',
  },

  // ---------------------------------------------------------------------------------------------
  // MySQL server-level statements
  // ---------------------------------------------------------------------------------------------
  {
    id: 'load-data-infile',
    dialects: ['mysql'],
    sql: `LOAD DATA INFILE '/etc/passwd' INTO TABLE regions`,
    why: 'Reads a server file into a table.',
  },
  {
    id: 'load-data-local-infile',
    dialects: ['mysql'],
    sql: `LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE regions FIELDS TERMINATED BY ':'`,
    why: 'Makes the client send one of its files to the server.',
  },
  {
    id: 'load-xml',
    dialects: ['mysql'],
    sql: `LOAD XML INFILE '/tmp/sqlagent_corpus_rows.xml' INTO TABLE regions`,
    why: 'LOAD XML is another bulk-load statement.',
  },
  {
    id: 'handler-open',
    dialects: ['mysql'],
    sql: `HANDLER orders OPEN`,
    why: 'HANDLER bypasses normal statement processing and keeps state on the connection.',
  },
  {
    id: 'handler-read',
    dialects: ['mysql'],
    sql: `HANDLER orders READ FIRST`,
    why: 'HANDLER reads are not SELECT statements.',
  },
  {
    id: 'flush-privileges',
    dialects: ['mysql'],
    sql: `FLUSH PRIVILEGES`,
    why: 'Server administration.',
  },
  {
    id: 'flush-tables',
    dialects: ['mysql'],
    sql: `FLUSH TABLES`,
    why: 'Server administration that closes every open table.',
  },
  {
    id: 'kill-query',
    dialects: ['mysql'],
    sql: `KILL QUERY 999999`,
    why: 'Kills another session’s query.',
  },
  {
    id: 'kill-connection',
    dialects: ['mysql'],
    sql: `KILL CONNECTION 999999`,
    why: 'Kills another session.',
  },
  {
    id: 'shutdown',
    dialects: ['mysql'],
    sql: `SHUTDOWN`,
    why: 'Stops the database server.',
  },
  {
    id: 'install-plugin',
    dialects: ['mysql'],
    sql: `INSTALL PLUGIN sqlagent_evil SONAME 'sqlagent_evil.so'`,
    why: 'Loads native code into the server.',
  },
  {
    id: 'install-soname-mariadb',
    dialects: ['mysql'],
    sql: `INSTALL SONAME 'sqlagent_evil'`,
    why: 'MariaDB form of loading a plugin library.',
  },

  // ---------------------------------------------------------------------------------------------
  // Deny-listed Postgres functions
  // ---------------------------------------------------------------------------------------------
  {
    id: 'pg-fn-pg-sleep',
    dialects: ['postgres'],
    sql: `SELECT pg_sleep(10)`,
    why: 'Ties up a connection; deny-listed.',
  },
  {
    id: 'pg-fn-pg-sleep-for',
    dialects: ['postgres'],
    sql: `SELECT pg_sleep_for('10 seconds')`,
    why: 'Sleep variant; deny-listed.',
  },
  {
    id: 'pg-fn-pg-sleep-until',
    dialects: ['postgres'],
    sql: `SELECT pg_sleep_until(now() + interval '10 seconds')`,
    why: 'Sleep variant.',
  },
  {
    id: 'pg-fn-pg-read-file',
    dialects: ['postgres'],
    sql: `SELECT pg_read_file('/etc/passwd')`,
    why: 'Reads a server file.',
  },
  {
    id: 'pg-fn-pg-read-binary-file',
    dialects: ['postgres'],
    sql: `SELECT pg_read_binary_file('/etc/hostname')`,
    why: 'Reads a server file.',
  },
  {
    id: 'pg-fn-pg-ls-dir-in-from',
    dialects: ['postgres'],
    sql: `SELECT * FROM pg_ls_dir('.') AS f(name)`,
    why: 'Lists the server data directory (function in FROM).',
  },
  {
    id: 'pg-fn-pg-stat-file',
    dialects: ['postgres'],
    sql: `SELECT (pg_stat_file('postgresql.conf')).size`,
    why: 'Probes server files.',
  },
  {
    id: 'pg-fn-lo-import',
    dialects: ['postgres'],
    sql: `SELECT lo_import('/etc/passwd')`,
    why: 'Reads a server file into a large object (a write).',
  },
  {
    id: 'pg-fn-lo-export',
    dialects: ['postgres'],
    sql: `SELECT lo_export(12345, '/tmp/sqlagent_corpus_lo.bin')`,
    why: 'Writes a server file.',
  },
  {
    id: 'pg-fn-dblink',
    dialects: ['postgres'],
    sql: `SELECT * FROM dblink('host=127.0.0.1 dbname=shop user=postgres', 'DELETE FROM orders RETURNING id') AS t(id int)`,
    why: 'dblink runs SQL over a second, writable connection.',
  },
  {
    id: 'pg-fn-dblink-exec',
    dialects: ['postgres'],
    sql: `SELECT dblink_exec('dbname=shop', 'DROP TABLE orders')`,
    why: 'dblink_exec runs a write over a second connection.',
  },
  {
    id: 'pg-fn-pg-terminate-backend',
    dialects: ['postgres'],
    sql: `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    why: 'Kills other sessions.',
  },
  {
    id: 'pg-fn-pg-cancel-backend',
    dialects: ['postgres'],
    sql: `SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    why: 'Cancels other sessions’ queries.',
  },
  {
    id: 'pg-fn-set-config',
    dialects: ['postgres'],
    sql: `SELECT set_config('statement_timeout', '0', false)`,
    why: 'Function form of SET; disables the timeout for the session.',
  },
  {
    id: 'pg-fn-set-config-read-only',
    dialects: ['postgres'],
    sql: `SELECT set_config('default_transaction_read_only', 'off', false)`,
    why: 'Function form of SET aimed at the read-only default.',
  },
  {
    id: 'pg-fn-pg-advisory-lock',
    dialects: ['postgres'],
    sql: `SELECT pg_advisory_lock(42)`,
    why: 'Session-level advisory lock outlives the query on a pooled connection.',
  },
  {
    id: 'pg-fn-pg-advisory-xact-lock',
    dialects: ['postgres'],
    sql: `SELECT pg_advisory_xact_lock(42)`,
    why: 'Advisory lock; can block other sessions.',
  },
  {
    id: 'pg-fn-pg-reload-conf',
    dialects: ['postgres'],
    sql: `SELECT pg_reload_conf()`,
    why: 'Server administration.',
  },
  {
    id: 'pg-fn-pg-rotate-logfile',
    dialects: ['postgres'],
    sql: `SELECT pg_rotate_logfile()`,
    why: 'Server administration.',
  },
  {
    id: 'pg-fn-txid-current',
    dialects: ['postgres'],
    sql: `SELECT txid_current()`,
    why: 'Assigns a transaction id (a write to the clog); deny-listed.',
  },
  {
    id: 'pg-fn-pg-current-xact-id',
    dialects: ['postgres'],
    sql: `SELECT pg_current_xact_id()`,
    why: 'Assigns a transaction id; deny-listed.',
  },
  {
    id: 'pg-fn-nextval',
    dialects: ['postgres'],
    sql: `SELECT nextval('orders_id_seq')`,
    why: 'Advances a sequence (not transactional).',
  },
  {
    id: 'pg-fn-setval',
    dialects: ['postgres'],
    sql: `SELECT setval('orders_id_seq', 1, false)`,
    why: 'Resets a sequence.',
  },
  {
    id: 'pg-fn-currval',
    dialects: ['postgres'],
    sql: `SELECT currval('orders_id_seq')`,
    why: 'Sequence function; deny-listed with nextval/setval.',
  },
  {
    id: 'pg-fn-query-to-xml-delete',
    dialects: ['postgres'],
    sql: `SELECT query_to_xml('delete from orders returning id', true, false, '')`,
    why: 'query_to_xml executes arbitrary SQL text passed as a string.',
  },

  // Deny-listed Postgres functions, hidden
  {
    id: 'pg-hidden-sleep-in-subquery',
    dialects: ['postgres'],
    sql: `SELECT * FROM orders WHERE id = (SELECT 1 FROM pg_sleep(10))`,
    why: 'pg_sleep inside a scalar subquery in WHERE.',
  },
  {
    id: 'pg-hidden-read-file-in-cte',
    dialects: ['postgres'],
    sql: `WITH f AS (SELECT pg_read_file('/etc/passwd') AS content) SELECT length(content) FROM f`,
    why: 'pg_read_file inside a CTE.',
  },
  {
    id: 'pg-hidden-sleep-in-case',
    dialects: ['postgres'],
    sql: `SELECT id, CASE WHEN id = 1 THEN pg_sleep(10) END AS x FROM orders WHERE id <= 2`,
    why: 'pg_sleep inside a CASE branch.',
  },
  {
    id: 'pg-hidden-read-file-in-function-arg',
    dialects: ['postgres'],
    sql: `SELECT md5(coalesce(pg_read_file('/etc/hostname'), ''))`,
    why: 'pg_read_file nested two levels deep in function arguments.',
  },
  {
    id: 'pg-hidden-sleep-in-order-by',
    dialects: ['postgres'],
    sql: `SELECT id FROM customers ORDER BY (SELECT 1 FROM pg_sleep(10)), id LIMIT 5`,
    why: 'pg_sleep inside ORDER BY.',
  },
  {
    id: 'pg-hidden-advisory-lock-in-window',
    dialects: ['postgres'],
    sql: `SELECT id, row_number() OVER (PARTITION BY pg_advisory_xact_lock(id) IS NULL ORDER BY id) AS rn FROM orders WHERE id <= 3`,
    why: 'Advisory lock inside a window PARTITION BY.',
  },
  {
    id: 'pg-hidden-nextval-in-window-order',
    dialects: ['postgres'],
    sql: `SELECT id, sum(total_amount) OVER (ORDER BY nextval('orders_id_seq')) AS s FROM orders WHERE id <= 3`,
    why: 'nextval inside a window ORDER BY.',
  },
  {
    id: 'pg-hidden-sleep-in-lateral',
    dialects: ['postgres'],
    sql: `SELECT o.id FROM orders o CROSS JOIN LATERAL (SELECT pg_sleep(10)) AS s WHERE o.id = 1`,
    why: 'pg_sleep inside a LATERAL subquery.',
  },
  {
    id: 'pg-hidden-set-config-in-having',
    dialects: ['postgres'],
    sql: `SELECT status, count(*) FROM orders GROUP BY status HAVING set_config('statement_timeout', '0', false) IS NOT NULL`,
    why: 'set_config inside HAVING.',
  },
  {
    id: 'pg-hidden-advisory-lock-in-join',
    dialects: ['postgres'],
    sql: `SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id AND pg_advisory_lock(7) IS NOT NULL WHERE o.id = 1`,
    why: 'Advisory lock inside a JOIN condition.',
  },
  {
    id: 'pg-hidden-cancel-in-union',
    dialects: ['postgres'],
    sql: `SELECT 1 AS n UNION ALL SELECT pg_cancel_backend(pg_backend_pid())::int`,
    why: 'Deny-listed function in the second branch of a UNION.',
  },
  {
    id: 'pg-hidden-read-file-in-values',
    dialects: ['postgres'],
    sql: `VALUES (1, pg_read_file('/etc/passwd'))`,
    why: 'Deny-listed function inside VALUES.',
  },
  {
    id: 'pg-hidden-ls-dir-rows-from',
    dialects: ['postgres'],
    sql: `SELECT * FROM ROWS FROM (pg_ls_dir('/etc')) AS t(name)`,
    why: 'Deny-listed set-returning function in ROWS FROM.',
  },
  {
    id: 'pg-hidden-query-to-xml-in-exists',
    dialects: ['postgres'],
    sql: `SELECT id FROM customers WHERE EXISTS (SELECT 1 WHERE query_to_xml('update products set price = 0 returning id', true, false, '') IS NOT NULL) LIMIT 1`,
    why: 'query_to_xml inside an EXISTS subquery.',
  },
  {
    id: 'pg-obfuscated-odd-casing',
    dialects: ['postgres'],
    sql: `SELECT Pg_SlEeP(10)`,
    why: 'Mixed case must not bypass the deny-list.',
  },
  {
    id: 'pg-obfuscated-schema-qualified',
    dialects: ['postgres'],
    sql: `SELECT pg_catalog.pg_sleep(10)`,
    why: 'Schema qualification must not bypass the deny-list.',
  },
  {
    id: 'pg-obfuscated-quoted-identifier',
    dialects: ['postgres'],
    sql: `SELECT "pg_sleep"(10)`,
    why: 'Quoted function name must not bypass the deny-list.',
  },
  {
    id: 'pg-obfuscated-quoted-schema-and-name',
    dialects: ['postgres'],
    sql: `SELECT "pg_catalog"."pg_read_file"('/etc/passwd')`,
    why: 'Quoted schema and function name.',
  },
  {
    id: 'pg-obfuscated-whitespace',
    dialects: ['postgres'],
    sql: `SELECT pg_sleep\n\t(\n  10\n)`,
    why: 'Newlines and tabs between the function name and its arguments.',
  },
  {
    id: 'pg-obfuscated-comment-before-paren',
    dialects: ['postgres'],
    sql: `SELECT pg_sleep/* nap */(10)`,
    why: 'Block comment between the function name and the parenthesis.',
  },
  {
    id: 'pg-obfuscated-upper-qualified-set-config',
    dialects: ['postgres'],
    sql: `SELECT PG_CATALOG.SET_CONFIG('statement_timeout', '0', FALSE)`,
    why: 'Upper-case, schema-qualified set_config.',
  },

  // ---------------------------------------------------------------------------------------------
  // Deny-listed MySQL functions
  // ---------------------------------------------------------------------------------------------
  {
    id: 'my-fn-sleep',
    dialects: ['mysql'],
    sql: `SELECT SLEEP(10)`,
    why: 'Ties up a connection; deny-listed.',
  },
  {
    id: 'my-fn-benchmark',
    dialects: ['mysql'],
    sql: `SELECT BENCHMARK(1000000000, MD5('x'))`,
    why: 'CPU burner; deny-listed.',
  },
  {
    id: 'my-fn-load-file',
    dialects: ['mysql'],
    sql: `SELECT LOAD_FILE('/etc/passwd')`,
    why: 'Reads a server file.',
  },
  {
    id: 'my-fn-get-lock',
    dialects: ['mysql'],
    sql: `SELECT GET_LOCK('sqlagent_corpus', 10)`,
    why: 'Named lock outlives the query on a pooled connection.',
  },
  {
    id: 'my-fn-release-lock',
    dialects: ['mysql'],
    sql: `SELECT RELEASE_LOCK('sqlagent_corpus')`,
    why: 'Lock function; deny-listed.',
  },
  {
    id: 'my-fn-master-pos-wait',
    dialects: ['mysql'],
    sql: `SELECT MASTER_POS_WAIT('mysql-bin.000001', 4, 10)`,
    why: 'Blocks waiting on replication.',
  },
  {
    id: 'my-fn-sys-exec',
    dialects: ['mysql'],
    sql: `SELECT sys_exec('id')`,
    why: 'Shell-execution UDF.',
  },
  {
    id: 'my-fn-sys-eval',
    dialects: ['mysql'],
    sql: `SELECT sys_eval('cat /etc/passwd')`,
    why: 'Shell-execution UDF.',
  },

  // Deny-listed MySQL functions, hidden
  {
    id: 'my-hidden-sleep-in-subquery',
    dialects: ['mysql'],
    sql: `SELECT * FROM orders WHERE id = (SELECT SLEEP(10))`,
    why: 'SLEEP inside a scalar subquery.',
  },
  {
    id: 'my-hidden-load-file-in-cte',
    dialects: ['mysql'],
    sql: `WITH f AS (SELECT LOAD_FILE('/etc/passwd') AS content) SELECT LENGTH(content) FROM f`,
    why: 'LOAD_FILE inside a CTE.',
  },
  {
    id: 'my-hidden-sleep-in-case',
    dialects: ['mysql'],
    sql: `SELECT CASE WHEN COUNT(*) > 0 THEN SLEEP(10) ELSE 0 END AS x FROM orders`,
    why: 'SLEEP inside a CASE branch.',
  },
  {
    id: 'my-hidden-load-file-in-function-arg',
    dialects: ['mysql'],
    sql: `SELECT MD5(COALESCE(LOAD_FILE('/etc/passwd'), ''))`,
    why: 'LOAD_FILE nested in function arguments.',
  },
  {
    id: 'my-hidden-sleep-in-order-by',
    dialects: ['mysql'],
    sql: `SELECT id FROM customers ORDER BY (SELECT SLEEP(10)), id LIMIT 5`,
    why: 'SLEEP inside ORDER BY.',
  },
  {
    id: 'my-hidden-get-lock-in-window',
    dialects: ['mysql'],
    sql: `SELECT id, ROW_NUMBER() OVER (PARTITION BY GET_LOCK('sqlagent_corpus', 0) ORDER BY id) AS rn FROM orders WHERE id <= 3`,
    why: 'GET_LOCK inside a window PARTITION BY.',
  },
  {
    id: 'my-hidden-benchmark-in-union',
    dialects: ['mysql'],
    sql: `SELECT 1 AS n UNION SELECT BENCHMARK(1000000000, SHA1('x'))`,
    why: 'BENCHMARK in the second branch of a UNION.',
  },
  {
    id: 'my-hidden-sleep-in-having',
    dialects: ['mysql'],
    sql: `SELECT status, COUNT(*) AS n FROM orders GROUP BY status HAVING SLEEP(2) = 0`,
    why: 'SLEEP inside HAVING (runs once per group).',
  },
  {
    id: 'my-hidden-sleep-in-join-on',
    dialects: ['mysql'],
    sql: `SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id AND SLEEP(10) = 0 WHERE o.id = 1`,
    why: 'SLEEP inside a JOIN condition.',
  },
  {
    id: 'my-obfuscated-odd-casing',
    dialects: ['mysql'],
    sql: `SeLeCt SlEeP(10)`,
    why: 'Mixed case must not bypass the deny-list.',
  },
  {
    id: 'my-obfuscated-backtick-name',
    dialects: ['mysql'],
    sql: 'SELECT `sleep`(10)',
    why: 'Backtick-quoted function name (MySQL still resolves it to the built-in).',
  },
  {
    id: 'my-obfuscated-whitespace',
    dialects: ['mysql'],
    sql: `SELECT SLEEP\n\t(\n  10\n)`,
    why: 'Newlines and tabs between the function name and its arguments.',
  },
  {
    id: 'my-obfuscated-comment-before-paren',
    dialects: ['mysql'],
    sql: `SELECT BENCHMARK/* busy */(1000000000, MD5('x'))`,
    why: 'Block comment between the function name and the parenthesis.',
  },
  {
    id: 'my-obfuscated-executable-comment-function',
    dialects: ['mysql'],
    sql: `SELECT /*!50000 SLEEP(10) */ AS x`,
    why: 'The whole function call lives in an executable comment.',
  },

  // ---------------------------------------------------------------------------------------------
  // Odd whitespace and Unicode
  // ---------------------------------------------------------------------------------------------
  {
    id: 'ws-tabs-between-keywords',
    dialects: ['postgres', 'mysql'],
    sql: `DELETE\tFROM\torders`,
    why: 'Tabs instead of spaces.',
  },
  {
    id: 'ws-leading-newlines',
    dialects: ['postgres', 'mysql'],
    sql: `\n\n   \r\n  DROP\nTABLE\npayments\n`,
    why: 'Leading blank lines and CRLF before a DROP.',
  },
  {
    id: 'ws-form-feed-stacked',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;\f\vDROP TABLE payments`,
    why: 'Form feed and vertical tab between two statements.',
  },
  {
    id: 'unicode-nbsp-stacked',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;\u00a0DROP TABLE orders`,
    why: 'No-break space after the semicolon.',
  },
  {
    id: 'unicode-zero-width-stacked',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;\u200bDELETE FROM orders`,
    why: 'Zero-width space after the semicolon.',
  },
  {
    id: 'unicode-line-separator-stacked',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1;\u2028DELETE FROM orders`,
    why: 'Unicode line separator (U+2028) between two statements.',
  },
  {
    id: 'unicode-fullwidth-semicolon',
    dialects: ['postgres', 'mysql'],
    sql: `SELECT 1\uff1b DROP TABLE orders`,
    why: 'Full-width semicolon that normalizes to ";".',
  },
  {
    id: 'unicode-bom-prefix',
    dialects: ['postgres', 'mysql'],
    sql: `\ufeffDELETE FROM orders`,
    why: 'Byte-order mark in front of a write.',
  },
  {
    id: 'unicode-nbsp-inside-keyword-gap',
    dialects: ['postgres', 'mysql'],
    sql: `DROP\u00a0TABLE\u00a0orders`,
    why: 'No-break spaces between keywords.',
  },

  // ---------------------------------------------------------------------------------------------
  // Degenerate input
  // ---------------------------------------------------------------------------------------------
  {
    id: 'empty-string',
    dialects: ['postgres', 'mysql'],
    sql: ``,
    why: 'No statement at all.',
  },
  {
    id: 'whitespace-only',
    dialects: ['postgres', 'mysql'],
    sql: `  \n\t  \r\n `,
    why: 'No statement at all.',
  },
  {
    id: 'only-line-comment',
    dialects: ['postgres', 'mysql'],
    sql: `-- just a comment`,
    why: 'No statement at all.',
  },
  {
    id: 'only-block-comment',
    dialects: ['postgres', 'mysql'],
    sql: `/* SELECT * FROM orders */`,
    why: 'A commented-out query is no statement.',
  },
  {
    id: 'only-semicolon',
    dialects: ['postgres', 'mysql'],
    sql: `;`,
    why: 'Empty statement.',
  },
  {
    id: 'only-semicolons-and-comments',
    dialects: ['postgres', 'mysql'],
    sql: `; /* nothing */ ; -- still nothing\n;`,
    why: 'Only empty statements and comments.',
  },

  // ---------------------------------------------------------------------------------------------
  // Found by the security review of the first guard (each once got past it)
  // ---------------------------------------------------------------------------------------------
  {
    id: 'review-mysql-nbsp-double-dash',
    dialects: ['mysql'],
    sql: 'SELECT 1 --\u00a0, SLEEP(3) AS s\nFROM (SELECT 5 AS `\u00a0`) t',
    why: 'Parsers read `--` + U+00A0 as a comment; MySQL reads minus, minus and runs the rest of the line.',
  },
  {
    id: 'review-mysql-ideographic-space-outfile',
    dialects: ['mysql'],
    sql: "SELECT 1 --\u3000 INTO OUTFILE '/tmp/sqlagent_corpus_review.txt'\nFROM (SELECT 5 AS `\u3000`) t",
    why: 'The same trick with U+3000 hides INTO OUTFILE from the lexer and the parser.',
  },
  {
    id: 'review-mysql-line-separator-lock',
    dialects: ['mysql'],
    sql: "SELECT 1 --\u2028, GET_LOCK('sqlagent_corpus', 0) AS l\nFROM (SELECT 5 AS `\u2028`) t",
    why: 'U+2028 after `--`: a user lock would outlive the request on the pooled connection.',
  },
  {
    id: 'review-mysql-bom-variable',
    dialects: ['mysql'],
    sql: "SELECT 1 --\ufeff, @leak := 'set by request 1' AS v\nFROM (SELECT 5 AS `\ufeff`) t",
    why: 'U+FEFF after `--`: a user variable would leak into the next request.',
  },
  {
    id: 'review-mysql-glued-double-dash-credentials',
    dialects: ['mysql'],
    sql: "SELECT 1 --x, (SELECT CONCAT(User, '@', Host, ' ', authentication_string) FROM mysql.user LIMIT 1) AS cred\nFROM (SELECT 5 AS x) t",
    why: 'node-sql-parser reads `--x` as a comment and so never lists mysql.user; MySQL runs it.',
  },
  {
    id: 'review-mysql-processlist',
    dialects: ['mysql'],
    sql: 'SELECT 1 --x, (SELECT GROUP_CONCAT(INFO) FROM information_schema.PROCESSLIST) AS other_sessions\nFROM (SELECT 5 AS x) t',
    why: "Other sessions' statements, hidden from the parser the same way.",
  },
  {
    id: 'review-mysql-optimizer-hint-timeout',
    dialects: ['mysql'],
    sql: 'SELECT /*+ MAX_EXECUTION_TIME(100000000) */ COUNT(*) FROM orders',
    why: 'On MySQL 8 the hint overrides the session statement timeout.',
  },
  {
    id: 'review-pg-ts-stat-advisory-lock',
    dialects: ['postgres'],
    sql: "SELECT * FROM ts_stat('SELECT to_tsvector(pg_advisory_lock(42)::text)')",
    why: 'ts_stat runs the SQL text it is given: a session lock outliving the request.',
  },
  {
    id: 'review-pg-ts-stat-read-file',
    dialects: ['postgres'],
    sql: "SELECT * FROM ts_stat('SELECT to_tsvector(pg_read_file(''/etc/hostname''))')",
    why: 'A server file read through dynamic SQL.',
  },
  {
    id: 'review-pg-ts-rewrite-sleep',
    dialects: ['postgres'],
    sql: "SELECT ts_rewrite('a'::tsquery, 'SELECT to_tsquery(pg_sleep(1)::text), to_tsquery(''b'')')",
    why: 'ts_rewrite also runs SQL text.',
  },
  {
    id: 'review-pg-table-to-xml-authid',
    dialects: ['postgres'],
    sql: "SELECT table_to_xml('pg_authid', true, false, '')",
    why: 'Dumps password hashes without naming pg_authid as a relation.',
  },
  {
    id: 'review-pg-stat-get-activity',
    dialects: ['postgres'],
    sql: 'SELECT query FROM pg_stat_get_activity(NULL)',
    why: "The function behind pg_stat_activity: other sessions' statements.",
  },
  {
    id: 'review-pg-file-settings',
    dialects: ['postgres'],
    sql: 'SELECT * FROM pg_show_all_file_settings()',
    why: 'Server configuration files.',
  },
  {
    id: 'review-pg-hba-rules',
    dialects: ['postgres'],
    sql: 'SELECT * FROM pg_hba_file_rules()',
    why: "The server's client authentication rules.",
  },
  {
    id: 'review-pg-setseed',
    dialects: ['postgres'],
    sql: 'SELECT setseed(0.5)',
    why: 'Changes session state that outlives the request.',
  },
  // ---------------------------------------------------------------------------------------------
  // Outside the allowed schemas, system catalogs, functions off the allow-list (issue 13)
  // ---------------------------------------------------------------------------------------------
  {
    id: 'scope-pg-other-schema',
    dialects: ['postgres'],
    sql: `SELECT * FROM analytics.sales_summary`,
    why: 'The datasource may read only public; analytics is another schema.',
  },
  {
    id: 'scope-pg-other-schema-quoted',
    dialects: ['postgres'],
    sql: `SELECT * FROM "analytics"."user_behavior"`,
    why: 'The same, with quoted identifiers.',
  },
  {
    id: 'scope-pg-other-schema-mixed-case',
    dialects: ['postgres'],
    sql: `SELECT * FROM Analytics.Customer_Order_Counts`,
    why: 'Unquoted mixed case folds to analytics.customer_order_counts.',
  },
  {
    id: 'scope-pg-other-schema-in-cte',
    dialects: ['postgres'],
    sql: `WITH sales_summary AS (SELECT * FROM analytics.sales_summary) SELECT * FROM sales_summary`,
    why: 'A CTE named like the table it reads from another schema.',
  },
  {
    id: 'scope-pg-other-schema-in-where',
    dialects: ['postgres'],
    sql: `SELECT id, name FROM regions WHERE id IN (SELECT region_id FROM analytics.sales_summary WHERE revenue > 0)`,
    why: 'Another schema read in a WHERE subquery.',
  },
  {
    id: 'scope-pg-other-schema-select-list',
    dialects: ['postgres'],
    sql: `SELECT (SELECT count(*) FROM analytics.user_behavior) AS sessions`,
    why: 'Another schema read in a scalar subquery of the select list.',
  },
  {
    id: 'scope-pg-other-schema-union',
    dialects: ['postgres'],
    sql: `SELECT name FROM regions UNION ALL SELECT device FROM analytics.user_behavior`,
    why: 'Another schema read in a set-operation branch.',
  },
  {
    id: 'scope-pg-other-schema-lateral',
    dialects: ['postgres'],
    sql: `SELECT r.name, s.revenue FROM regions r CROSS JOIN LATERAL (SELECT revenue FROM analytics.sales_summary x WHERE x.region_id = r.id LIMIT 1) s`,
    why: 'Another schema read in a LATERAL subquery.',
  },
  {
    id: 'scope-pg-other-schema-alias-shadow',
    dialects: ['postgres'],
    sql: `SELECT orders.* FROM analytics.sales_summary AS orders`,
    why: 'An alias named like an allowed table does not make the relation allowed.',
  },
  {
    id: 'scope-pg-cross-database',
    dialects: ['postgres'],
    sql: `SELECT * FROM other_db.public.creds`,
    why: 'A three-part name reaches for another database.',
  },
  {
    id: 'catalog-pg-information-schema-tables',
    dialects: ['postgres'],
    sql: `SELECT table_schema, table_name, table_type FROM information_schema.tables WHERE table_schema IN ('public', 'analytics') ORDER BY table_schema, table_name`,
    why: 'information_schema lists every schema the role can see; search_metadata and show_table are the way.',
  },
  {
    id: 'catalog-pg-information-schema-columns',
    dialects: ['postgres'],
    sql: `SELECT column_name, data_type FROM INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'orders'`,
    why: 'The same metadata schema in upper case.',
  },
  {
    id: 'catalog-pg-settings',
    dialects: ['postgres'],
    sql: `SELECT name, setting FROM pg_settings`,
    why: 'Server settings (data directory, file paths), unqualified: pg_catalog is first on the search path.',
  },
  {
    id: 'catalog-pg-settings-quoted',
    dialects: ['postgres'],
    sql: `SELECT * FROM "pg_catalog"."pg_settings" WHERE name = 'data_directory'`,
    why: 'The same, qualified and quoted.',
  },
  {
    id: 'catalog-pg-config',
    dialects: ['postgres'],
    sql: `SELECT * FROM pg_config`,
    why: 'Build and installation paths of the server.',
  },
  {
    id: 'catalog-pg-class',
    dialects: ['postgres'],
    sql: `SELECT relname, relkind FROM pg_catalog.pg_class`,
    why: 'Every relation in the database, other schemas included.',
  },
  {
    id: 'catalog-pg-roles',
    dialects: ['postgres'],
    sql: `SELECT rolname, rolsuper FROM pg_roles`,
    why: 'Roles and their privileges.',
  },
  {
    id: 'catalog-pg-locks',
    dialects: ['postgres'],
    sql: `SELECT * FROM pg_locks`,
    why: "Other sessions' locks.",
  },
  {
    id: 'catalog-pg-cte-out-of-scope',
    dialects: ['postgres'],
    sql: `SELECT * FROM (WITH pg_settings AS (SELECT 1 AS name) SELECT name FROM pg_settings) a CROSS JOIN pg_settings`,
    why: 'The CTE hides pg_settings only inside the subquery; the second reference is the real catalog.',
  },
  {
    id: 'catalog-pg-cte-self-reference',
    dialects: ['postgres'],
    sql: `WITH pg_roles AS (SELECT * FROM pg_roles) SELECT * FROM pg_roles`,
    why: 'Without RECURSIVE, a CTE body that names its own CTE reads the real relation.',
  },
  {
    id: 'catalog-pg-regclass-cast',
    dialects: ['postgres'],
    sql: `SELECT 'pg_authid'::regclass::oid AS oid`,
    why: 'A cast to regclass looks names up in the system catalogs.',
  },
  {
    id: 'catalog-pg-regproc-cast',
    dialects: ['postgres'],
    sql: `SELECT CAST('current_setting' AS pg_catalog.regproc)`,
    why: 'The same for functions.',
  },
  {
    id: 'function-pg-current-setting',
    dialects: ['postgres'],
    sql: `SELECT current_setting('data_directory') AS data_directory`,
    why: 'Reads server settings; not on the function allow-list.',
  },
  {
    id: 'function-pg-current-setting-qualified',
    dialects: ['postgres'],
    sql: `SELECT pg_catalog.current_setting('config_file') AS config_file`,
    why: 'The same, qualified with pg_catalog.',
  },
  {
    id: 'function-pg-nextoid',
    dialects: ['postgres'],
    sql: `SELECT pg_nextoid('pg_catalog.pg_class', 'oid', 'pg_catalog.pg_class_oid_index') AS oid`,
    why: 'Consumes an OID: a side effect outside the transaction.',
  },
  {
    id: 'function-pg-version',
    dialects: ['postgres'],
    sql: `SELECT version()`,
    why: 'The server version and build: an attacker needs it to pick an exploit.',
  },
  {
    id: 'function-pg-server-address',
    dialects: ['postgres'],
    sql: `SELECT inet_server_addr(), inet_server_port()`,
    why: 'The network address of the database server.',
  },
  {
    id: 'function-pg-current-user',
    dialects: ['postgres'],
    sql: `SELECT current_user, session_user`,
    why: 'The role the service connects as.',
  },
  {
    id: 'function-pg-to-regclass',
    dialects: ['postgres'],
    sql: `SELECT to_regclass('analytics.sales_summary')`,
    why: 'Probes the catalog for relations outside the allowed schemas.',
  },
  {
    id: 'function-pg-other-schema',
    dialects: ['postgres'],
    sql: `SELECT analytics.fiscal_quarter(order_date) FROM orders`,
    why: 'A function in another schema runs whatever its owner wrote.',
  },
  {
    id: 'scope-mysql-other-database',
    dialects: ['mysql'],
    sql: 'SELECT * FROM other_db.creds',
    why: 'Another database on the same server (as root it reads it).',
  },
  {
    id: 'scope-mysql-other-database-backquoted',
    dialects: ['mysql'],
    sql: 'SELECT * FROM `other_db`.`creds`',
    why: 'The same, back-quoted.',
  },
  {
    id: 'scope-mysql-other-database-mixed-case',
    dialects: ['mysql'],
    sql: 'SELECT * FROM Other_DB.Creds',
    why: 'Database names are compared exactly; mixed case is another name.',
  },
  {
    id: 'scope-mysql-other-database-join',
    dialects: ['mysql'],
    sql: 'SELECT o.id, c.secret FROM orders o JOIN other_db.creds c ON c.id = o.id',
    why: 'Another database joined to an allowed table.',
  },
  {
    id: 'scope-mysql-other-database-nested-join',
    dialects: ['mysql'],
    sql: 'SELECT * FROM orders o JOIN (regions r JOIN other_db.creds c ON c.id = r.id) ON r.id = o.id',
    why: "A parenthesized join: node-sql-parser's table list leaves it out.",
  },
  {
    id: 'scope-mysql-other-database-in-cte',
    dialects: ['mysql'],
    sql: 'WITH creds AS (SELECT * FROM other_db.creds) SELECT * FROM creds',
    why: 'A CTE named like the table it reads from another database.',
  },
  {
    id: 'scope-mysql-other-database-in-where',
    dialects: ['mysql'],
    sql: 'SELECT id FROM orders WHERE id IN (SELECT id FROM other_db.creds)',
    why: 'Another database read in a WHERE subquery.',
  },
  {
    id: 'scope-mysql-other-database-union',
    dialects: ['mysql'],
    sql: 'SELECT id FROM orders UNION SELECT id FROM other_db.creds',
    why: 'Another database read in a set-operation branch.',
  },
  {
    id: 'scope-mysql-other-database-alias-shadow',
    dialects: ['mysql'],
    sql: 'SELECT orders.* FROM (SELECT * FROM other_db.creds) AS orders',
    why: 'An alias named like an allowed table does not make the relation allowed.',
  },
  {
    id: 'catalog-mysql-information-schema-tables',
    dialects: ['mysql'],
    sql: `SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = DATABASE() ORDER BY table_name`,
    why: 'information_schema lists every database the account can see; search_metadata and show_table are the way.',
  },
  {
    id: 'catalog-mysql-information-schema-columns',
    dialects: ['mysql'],
    sql: "SELECT column_name, data_type FROM `information_schema`.`columns` WHERE table_name = 'orders'",
    why: 'The same, back-quoted.',
  },
  {
    id: 'catalog-mysql-innodb-trx',
    dialects: ['mysql'],
    sql: 'SELECT trx_id, trx_query FROM INFORMATION_SCHEMA.INNODB_TRX',
    why: "Other sessions' running statements.",
  },
  {
    id: 'catalog-mysql-system-variable-datadir',
    dialects: ['mysql'],
    sql: 'SELECT @@datadir AS datadir',
    why: "The server's data directory.",
  },
  {
    id: 'catalog-mysql-system-variable-version',
    dialects: ['mysql'],
    sql: 'SELECT @@GLOBAL.version, @@hostname',
    why: 'Server version and host name.',
  },
  {
    id: 'catalog-mysql-user-variable',
    dialects: ['mysql'],
    sql: 'SELECT @sqlagent_corpus AS leftover',
    why: 'A user variable another request may have set on the pooled connection.',
  },
  {
    id: 'function-mysql-version',
    dialects: ['mysql'],
    sql: 'SELECT VERSION()',
    why: 'The server version: not on the function allow-list.',
  },
  {
    id: 'function-mysql-current-user',
    dialects: ['mysql'],
    sql: 'SELECT CURRENT_USER() AS account, USER() AS login',
    why: 'The account the service connects as.',
  },
  {
    id: 'function-mysql-connection-id',
    dialects: ['mysql'],
    sql: 'SELECT CONNECTION_ID()',
    why: 'Session identity, a first step towards other sessions.',
  },
  {
    id: 'function-mysql-other-database',
    dialects: ['mysql'],
    sql: 'SELECT other_db.fiscal_quarter(order_date) FROM orders',
    why: 'A stored function in another database runs whatever its definer wrote.',
  },
];
