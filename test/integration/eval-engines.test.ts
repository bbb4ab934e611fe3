import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEvalAgent } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { Datasource, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { ensureFixtureOnServer, runEvalSession } from '../../src/evals/index.ts';
import { dropDatabase } from '../../src/fixtures/index.ts';
import { databaseUrl, requireServers } from '../support/servers.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { evalRequest } from '../support/eval-request.ts';

const repository = path.resolve(import.meta.dirname, '../..');
const environment = inject('testEnvironment');

/** Cases of our own that need the engine-specific parts: a schema placeholder, MySQL's AVG precision, booleans. */
const dataset = `cases:
  - { id: e-1, datasource: shop, question: "How many days of site activity were on tablets?", sql: "SELECT COUNT(*) FROM {{schema:analytics}}.user_behavior WHERE device = 'tablet'", difficulty: simple, tags: [analytics] }
  - { id: e-2, datasource: shop, question: "Average number of units per order line?", sql: "SELECT AVG(quantity) FROM order_items", difficulty: simple, tags: [avg] }
  - { id: e-3, datasource: shop, question: "Are products 1 to 3 still sold?", sql: "SELECT id, is_active FROM products WHERE id <= 3 ORDER BY id", difficulty: simple, tags: [boolean] }
`;

/** The SQL a model would write on each engine (different arithmetic for the average than the gold). */
function modelFor(dialect: 'postgres' | 'mysql', analyticsSchema: string): ScriptedChatModel {
  const sqlByQuestion: Record<string, string> = {
    'How many days of site activity were on tablets?': `SELECT COUNT(*) AS days FROM ${analyticsSchema}.user_behavior WHERE device = 'tablet'`,
    'Average number of units per order line?':
      dialect === 'mysql'
        ? 'SELECT SUM(quantity) / COUNT(*) AS average FROM order_items'
        : 'SELECT SUM(quantity)::float / COUNT(*) AS average FROM order_items',
    'Are products 1 to 3 still sold?': 'SELECT id, is_active FROM products WHERE id IN (1, 2, 3) ORDER BY id',
  };
  return new ScriptedChatModel((request) => {
    const sql = sqlByQuestion[String(request.messages[1]?.content)];
    return request.messages.some((message) => message.role === 'tool') ? finalAnswer(sql, 'scripted') : callTool('execute_sql', { sql });
  });
}

const engines = [
  { name: 'postgres', dialect: 'postgres' as const, server: environment.postgres },
  { name: 'mariadb', dialect: 'mysql' as const, server: environment.mysql },
];

for (const engine of engines) {
  describe.skipIf(!engine.server && !requireServers)(`evals on ${engine.name}`, { timeout: 180_000 }, () => {
    let dir: string;
    beforeAll(async () => {
      dir = await mkdtemp(path.join(tmpdir(), `sqlagent-eval-${engine.name}-`));
      await mkdir(path.join(dir, 'datasets'));
      await writeFile(path.join(dir, 'datasets', 'engines.yaml'), dataset);
    });
    afterAll(() => rm(dir, { recursive: true, force: true }));

    it('runs gold and predictions on the given database: schema placeholders, booleans, and MySQL arithmetic within tolerance', async () => {
      const url = engine.server!.shop;
      const config = loadConfig({
        env: {},
        overrides: {
          dataDir: path.join(dir, 'data'),
          logLevel: 'silent',
          prompts: { directory: path.join(repository, 'prompts'), source: 'local' },
          tracing: { localStore: false },
          evals: { datasetsDir: path.join(dir, 'datasets'), reportsDir: path.join(dir, 'reports') },
        },
      });
      const analyticsSchema = engine.dialect === 'mysql' ? `\`${new URL(url).pathname.slice(1)}_analytics\`` : 'analytics';
      const request = evalRequest(['engines'], { labels: ['production'], datasourceUrls: [`shop=${url}`] });
      const { report } = await runEvalSession(request, {
        config,
        createAgent: async (datasources) =>
          createEvalAgent(config, datasources, { models: () => modelFor(engine.dialect, analyticsSchema) }),
        adminToken: null,
        langfuse: null,
      });
      expect(report.parameters.databases.shop).toMatch(engine.dialect === 'mysql' ? /^mysql:\/\// : /^postgres:\/\//);
      expect(report.cases.map((evalCase) => evalCase.goldError)).toEqual([null, null, null]);
      expect(report.items.map((item) => [item.caseId, item.outcome, item.reason])).toEqual([
        ['e-1', 'correct', null],
        ['e-2', 'correct', null],
        ['e-3', 'correct', null],
      ]);
      expect(report.cases[0].goldSql).toContain(engine.dialect === 'mysql' ? '_analytics`.user_behavior' : '"analytics".user_behavior');
    });

    it('loads a fixture into a server database only when it is missing, changed, or loaded elsewhere', async () => {
      const url = databaseUrl(engine.server!.server, `sqlagent_t${process.pid}_evalfix${engine.name.slice(0, 2)}`);
      const record = path.join(dir, 'eval-fixtures.json');
      const messages: string[] = [];
      const ensure = (file = record) => ensureFixtureOnServer(url, 'clinic', (message) => messages.push(message), file);
      try {
        await ensure();
        expect(messages).toHaveLength(1);
        await ensure();
        expect(messages).toHaveLength(1);
        // Same row counts, one value changed: the recorded checksums tell.
        const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'check', url, sampleValues: false, poolSize: 1 }));
        try {
          await datasource.driver.withSession((session) => session.query('UPDATE prescriptions SET days = days + 1 WHERE id = 1'));
        } finally {
          await datasource.close();
        }
        await ensure();
        expect(messages).toHaveLength(2);
        expect(messages[1]).toMatch(/Loading fixture "clinic" into .* for the eval/);
        await ensure();
        expect(messages).toHaveLength(2);
        // Another machine (no record of this database) cannot know it is unchanged: it loads it.
        await ensure(path.join(dir, 'elsewhere.json'));
        expect(messages).toHaveLength(3);
      } finally {
        await dropDatabase(url);
      }
    });
  });
}

describe.skipIf(!environment.postgres && !requireServers)(
  'a database that goes away during an eval run (Postgres behind a proxy)',
  { timeout: 180_000 },
  () => {
    it('stops the run at the fault without recording it, and a resume after the database is back finishes it', async () => {
      const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-gone-'));
      const target = new URL(environment.postgres!.shop);
      const proxy = new TcpProxy(target.hostname, Number(target.port));
      await proxy.start();
      try {
        await mkdir(path.join(dir, 'datasets'));
        await writeFile(path.join(dir, 'datasets', 'engines.yaml'), dataset);
        const config = loadConfig({
          env: {},
          overrides: {
            dataDir: path.join(dir, 'data'),
            logLevel: 'silent',
            prompts: { directory: path.join(repository, 'prompts'), source: 'local' },
            tracing: { localStore: false },
            evals: { datasetsDir: path.join(dir, 'datasets'), reportsDir: path.join(dir, 'reports') },
          },
        });
        const proxied = new URL(environment.postgres!.shop);
        proxied.port = String(proxy.port);
        const request = evalRequest(['engines'], {
          labels: ['production'],
          datasourceUrls: [`shop=${proxied.toString()}?connect_timeout=2`],
          concurrency: 1,
        });
        const environmentFor = (onItem?: (finished: number) => void) => ({
          config,
          createAgent: async (datasources: Parameters<typeof createEvalAgent>[1]) =>
            createEvalAgent(config, datasources, { models: () => modelFor('postgres', 'analytics') }),
          adminToken: null,
          langfuse: null,
          onEvent: (event: { type: string; finished?: number }) => (event.type === 'item' ? onItem?.(event.finished!) : undefined),
        });
        let stopping: Promise<void> | null = null;
        const first = await runEvalSession(
          request,
          environmentFor((finished) => {
            if (finished === 1) stopping = proxy.stop();
          }),
        );
        await stopping;
        expect(first.report.complete).toBe(false);
        expect(first.report.stoppedBy).toMatchObject({ code: 'datasource_unavailable' });
        expect(first.report.items.map((item) => item.caseId)).toEqual(['e-1']);

        await proxy.start();
        const second = await runEvalSession({ ...request, datasets: [], labels: [], resume: first.report.runId }, environmentFor());
        expect(second.report.complete).toBe(true);
        expect(second.report.stoppedBy).toBeNull();
        expect(second.report.items.map((item) => [item.caseId, item.outcome])).toEqual([
          ['e-1', 'correct'],
          ['e-2', 'correct'],
          ['e-3', 'correct'],
        ]);
      } finally {
        await proxy.stop();
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);
