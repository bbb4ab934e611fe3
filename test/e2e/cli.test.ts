import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runCliInProcess, runCliProcess, startServeProcess } from '../support/cli-runner.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { keylessEnv } from '../support/keyless-env.ts';
import { requireServers } from '../support/servers.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

/** The CLI in this process: the same parsing, output and exit codes as the installed command. */
const cli = runCliInProcess;

// Some cases open embedded databases several times; on a busy two-core machine that takes a while.
describe('the CLI', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-cli-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({ logLevel: 'warn', datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, rowCap: 50 }] }),
    );
    env = { SQLAGENT_CONFIG: config };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('sql prints rows as a table, and as JSON with --json', async () => {
    const table = await cli(['sql', 'shop', 'SELECT name, country FROM regions ORDER BY id LIMIT 3'], env);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^name\s+\| country/m);
    expect(table.stdout).toMatch(/\(3 rows, /);

    const json = await cli(['sql', 'shop', 'SELECT id FROM orders ORDER BY id', '--json'], env);
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result).toMatchObject({ rowCount: 50, truncated: true, rowCap: 50, columns: [{ name: 'id', typeFamily: 'integer' }] });
  });

  it.each([
    [['sql', 'shop', 'DROP TABLE orders'], 3, /error \[sql_rejected\]: SQL rejected: only reads/],
    [['sql', 'shop', 'SELECT nope FROM orders'], 5, /error \[sql_error\]: .*nope/],
    [['sql', 'warehouse', 'SELECT 1'], 7, /Unknown datasource "warehouse". Known datasources: shop/],
    [['sql', 'postgres://u:hunter2@127.0.0.1:1/x', 'SELECT 1'], 6, /error \[datasource_unavailable\]/],
    [['fixtures', 'load', 'zoo', '--url', 'pglite:memory'], 8, /Unknown fixture "zoo". Available: shop, clinic/],
  ])('%j exits %i naming the problem', async (args, code, message) => {
    const result = await cli(args, env);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('prints the typed error as JSON on stderr with --json', async () => {
    const result = await cli(['sql', 'shop', 'SELECT 1; SELECT 2', '--json'], env);
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stderr).error).toMatchObject({
      code: 'sql_rejected',
      details: { reason: expect.stringMatching(/exactly one statement/) },
    });
  });

  it('schema prints the SchemaMeta and its version; a URL works as a datasource', async () => {
    const json = await cli(['schema', 'shop', '--json'], env);
    expect(json.code).toBe(0);
    const meta: any = JSON.parse(json.stdout);
    expect(meta.schemaVersion).toMatch(/^[0-9a-f]{16}$/);
    const text = await cli(['schema', `pglite:${path.join(dir, 'shop')}`], { SQLAGENT_CONFIG: path.join(dir, 'none.json') });
    expect(text.code).toBe(9);
    const byUrl = await cli(['schema', `pglite:${path.join(dir, 'shop')}`], env);
    expect(byUrl.code).toBe(0);
    expect(byUrl.stdout).toContain(`schemaVersion ${meta.schemaVersion}`);
    expect(byUrl.stdout).toMatch(/table orders\s+~8000 rows/);
  });

  it('ask answers with the offline model and spools its spans; the next traces command loads them', async () => {
    const dataDir = path.join(dir, 'ask-data');
    const askEnv = { ...env, ...keylessEnv, SQLAGENT_DATA_DIR: dataDir };
    const asked = await cli(['ask', 'shop', 'How many regions are there?', '--json'], askEnv);
    expect(asked.code, asked.stderr).toBe(0);
    const result = JSON.parse(asked.stdout);
    expect(result.sql).toMatch(/FROM\s+\S*regions/i);
    expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
    // One-shot commands leave the embedded app database closed: the spans wait in the spool.
    const spool = path.join(dataDir, 'trace-spool');
    expect((await readdir(spool)).length).toBeGreaterThan(0);

    const listed = await cli(['traces', 'list', '--json'], askEnv);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout).map((trace: { traceId: string }) => trace.traceId)).toContain(result.traceId);
    expect(await readdir(spool)).toEqual([]);
    const shown = await cli(['traces', 'show', result.traceId], askEnv);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/tool execute_sql/);
  });

  // The installed command as a process, as a user runs it: the entry point's dist/tsx choice, stdout and the exit code.
  it('as a process: --help prints usage and exits 0; a rejected statement exits 3 naming the problem', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sqlagent \[options\] \[command\]/m);
    const rejected = await runCliProcess(['sql', 'shop', 'DELETE FROM orders'], env);
    expect(rejected.code).toBe(3);
    expect(rejected.stderr).toMatch(/error \[sql_rejected\]/);
  });

  // `ask` and `sql` start a PGlite worker before the config says what the datasource is (bin/sqlagent.mjs).
  it('as a process: ask answers on an embedded datasource, whose worker started before the config loaded', async () => {
    const asked = await runCliProcess(['ask', 'shop', 'How many regions are there?', '--json'], {
      ...env,
      ...keylessEnv,
      SQLAGENT_DATA_DIR: path.join(dir, 'process-ask-data'),
    });
    expect(asked.code, asked.stderr).toBe(0);
    expect(JSON.parse(asked.stdout)).toMatchObject({ rows: [[12]] });
    // A datasource that does not exist: the worker started for it is never used, and the process still ends.
    const unknown = await runCliProcess(['ask', 'warehouse', 'How many?'], env, 60_000);
    expect(unknown.code).toBe(7);
    expect(unknown.stderr).toMatch(/Unknown datasource "warehouse"/);
  });

  it.skipIf(!inject('testEnvironment').postgres && !requireServers)(
    'as a process: sql on a datasource configured on a server exits when done, not held by the unused PGlite worker',
    async () => {
      const config = path.join(dir, 'postgres.json');
      await writeFile(
        config,
        JSON.stringify({ logLevel: 'warn', datasources: [{ id: 'shop', url: inject('testEnvironment').postgres!.shop }] }),
      );
      const run = await runCliProcess(['sql', 'shop', 'SELECT count(*) AS n FROM regions', '--json'], { SQLAGENT_CONFIG: config }, 60_000);
      expect(run.code, run.stderr).toBe(0);
      expect(JSON.parse(run.stdout).rows).toEqual([[12]]);
    },
  );

  it('fixtures list shows both fixtures', async () => {
    const result = await cli(['fixtures', 'list', '--json'], env);
    expect(JSON.parse(result.stdout).map((fixture: { name: string; rows: number }) => [fixture.name, fixture.rows > 5000])).toEqual([
      ['shop', true],
      ['clinic', true],
    ]);
  });
});

/** Parses a JSON response body; tests read it loosely. */
const readJson = (response: Response): Promise<any> => response.json();

describe('npm start on embedded defaults', () => {
  it('loads the shop fixture into PGlite on first use, serves /healthz and the schema, and answers with the offline model', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-start-'));
    const { child, url, exited } = await startServeProcess({ ...keylessEnv, SQLAGENT_DATA_DIR: dataDir, SQLAGENT_CONFIG: '' });
    try {
      expect(await readJson(await fetch(`${url}/healthz`))).toEqual({ status: 'ok' });
      // Ready once both embedded demo databases are loaded and open; until then 503 naming what is opening.
      await vi.waitFor(
        async () => {
          const readiness = await fetch(`${url}/readyz`);
          const body = await readJson(readiness);
          if (readiness.status === 503) expect(JSON.stringify(body.checks)).toMatch(/opening|no answer within/);
          expect(readiness.status).toBe(200);
          expect(body.checks).toMatchObject({ 'datasource:shop': { ready: true }, 'datasource:clinic': { ready: true } });
        },
        { timeout: 200_000, interval: 250 },
      );
      const meta = await readJson(await fetch(`${url}/v1/datasources/shop/schema`));
      expect(meta.schemas.flatMap((schema: { tables: unknown[] }) => schema.tables)).toHaveLength(10);
      const orders = meta.schemas
        .find((schema: { name: string }) => schema.name === 'public')
        .tables.find((table: { name: string }) => table.name === 'orders');
      expect(orders.rowEstimate).toBe(8000);
      // With no LLM key the offline model answers, through the real tool loop.
      const answer = await fetch(`${url}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ datasource: 'shop', question: 'How many customers live in Germany?' }),
      });
      expect(answer.status).toBe(200);
      expect(await readJson(answer)).toMatchObject({
        rows: [[383]],
        model: 'offline',
        costUsd: 0,
        label: 'production',
        promptVersion: shippedLabels.production,
      });
    } finally {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
