import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Datasource, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { SqlExecutionError } from '../../src/errors/index.ts';
import { dropDatabase, ensureDatabase } from '../../src/fixtures/index.ts';
import { readonlyPassword, readonlyRole } from '../support/global-setup.ts';
import { databaseUrl } from '../support/servers.ts';

const environment = inject('testEnvironment');

const engines = [
  { name: 'pglite', dialect: 'postgres' as const, server: 'pglite', skipReason: undefined },
  {
    name: 'postgres',
    dialect: 'postgres' as const,
    server: environment.postgres?.server ?? null,
    skipReason: environment.skipReasons.postgres,
  },
  { name: 'mariadb', dialect: 'mysql' as const, server: environment.mysql?.server ?? null, skipReason: environment.skipReasons.mysql },
];

/**
 * The guard is one layer of three. These tests go around it on purpose, to prove the other two hold
 * alone: a function that writes passes the guard (the datasource's allowFunctions lets it through, as an
 * administrator might by mistake) and is stopped by the read-only transaction; and the SELECT-only role
 * cannot write even with no transaction at all.
 */
for (const engine of engines) {
  describe.skipIf(engine.server === null)(`read-only layers on ${engine.name}`, () => {
    let url: string;
    let datasource: Datasource;
    const admin = (statement: string) => datasource.driver.withSession((session) => session.query(statement));

    beforeAll(async () => {
      url = engine.server === 'pglite' ? 'pglite:memory' : databaseUrl(engine.server!, `sqlagent_t${process.pid}_layers`);
      await ensureDatabase(url);
      datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'layers', url, allowFunctions: ['bump'] }));
      await admin('CREATE TABLE counter (id integer PRIMARY KEY, hits integer NOT NULL)');
      await admin('INSERT INTO counter VALUES (1, 0)');
      await admin(
        engine.dialect === 'postgres'
          ? 'CREATE FUNCTION bump() RETURNS integer LANGUAGE sql AS $$ UPDATE counter SET hits = hits + 1 RETURNING hits $$'
          : 'CREATE FUNCTION bump() RETURNS integer MODIFIES SQL DATA BEGIN UPDATE counter SET hits = hits + 1; RETURN 1; END',
      );
    });
    afterAll(async () => {
      await datasource?.close();
      if (url) await dropDatabase(url);
    });

    it('the read-only transaction stops a write the guard cannot see', async () => {
      const error = await datasource.executeReadOnly('SELECT bump() AS hits').catch((caught) => caught);
      expect(error).toBeInstanceOf(SqlExecutionError);
      expect(error.message).toMatch(/read[- ]only/i);
      expect((await datasource.executeReadOnly('SELECT hits FROM counter')).rows).toEqual([[0]]);
    });

    // PGlite has a single built-in superuser, so the role layer applies to servers only.
    if (engine.server !== 'pglite')
      it('the SELECT-only role can read but not write, even outside any transaction', async () => {
        const roleUrl = new URL(environment[engine.dialect === 'postgres' ? 'postgres' : 'mysql']!.shop);
        roleUrl.username = readonlyRole;
        roleUrl.password = readonlyPassword;
        const reader = await Datasource.open(datasourceConfigSchema.parse({ id: 'reader', url: roleUrl.toString() }));
        try {
          expect((await reader.executeReadOnly('SELECT COUNT(*) FROM regions')).rows).toEqual([[12]]);
          const write = await reader.driver
            .withSession((session) => session.query("UPDATE regions SET name = 'x' WHERE id = 1"))
            .catch((caught) => caught);
          expect(write).toBeInstanceOf(SqlExecutionError);
          expect(write.message).toMatch(/permission denied|command denied/i);
        } finally {
          await reader.close();
        }
      });
  });
}
