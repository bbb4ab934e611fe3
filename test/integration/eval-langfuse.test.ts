import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LangfuseClient } from '@langfuse/client';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { createEvalAgent, evalResultSink } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import {
  langfuseDatasetName,
  langfuseItemId,
  runEvalSession,
  type EvalReport,
  type EvalResultSink,
  type EvalSessionResult,
} from '../../src/evals/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { langfuseDatasetPaths, LangfuseTestServer, type LangfuseTestServerMode } from '../support/langfuse-server.ts';
import { evalRequest } from '../support/eval-request.ts';
import { promptsWithProductionAt } from '../support/pinned-prompts.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const publicKey = 'pk-lf-eval-upload';
const secretKey = 'sk-lf-eval-upload-secret';
const datasetFileName = 'lf-shop';
const datasetName = langfuseDatasetName(datasetFileName);
const authorization = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;

/**
 * Cases of our own (never the committed eval questions) on the shop fixture. The offline model answers the two
 * counts right, gives an extra column for the max price and the top country (wrong), and declines the share.
 */
const cases = [
  { id: 'lf-regions', question: 'How many regions are there in total?', sql: 'SELECT COUNT(*) FROM regions' },
  {
    id: 'lf-corporate',
    question: 'How many customers belong to the corporate segment?',
    sql: "SELECT COUNT(*) FROM customers WHERE segment = 'corporate'",
  },
  { id: 'lf-max-price', question: "What is the most expensive product's price?", sql: 'SELECT MAX(price) FROM products' },
  {
    id: 'lf-top-country',
    question: 'Which country has the most customers?',
    sql: 'SELECT country FROM customers GROUP BY country ORDER BY COUNT(*) DESC LIMIT 1',
  },
  {
    id: 'lf-discount-share',
    question: 'What share of order lines got any discount, as a percentage?',
    sql: 'SELECT 100.0 * COUNT(*) FILTER (WHERE discount > 0) / COUNT(*) FROM order_items',
  },
];

const datasetYaml = [
  'description: Langfuse upload test cases',
  'cases:',
  ...cases.flatMap((entry) => [
    `  - id: ${entry.id}`,
    '    datasource: shop',
    `    question: ${JSON.stringify(entry.question)}`,
    `    sql: ${JSON.stringify(entry.sql)}`,
    '    difficulty: simple',
    '    tags: [langfuse]',
  ]),
  '',
].join('\n');

const request = evalRequest([datasetFileName]);

// The machine is slow and shared: generous limits, and no assertion on how long anything took.
describe(
  'an eval run uploaded to Langfuse: datasets, run items linked to exported traces, scores (loopback Langfuse, real SDK, offline model, Postgres or PGlite)',
  { timeout: 300_000 },
  () => {
    let langfuse: LangfuseTestServer;
    let work: string;
    let config: Readonly<Config>;
    let client: LangfuseClient;
    /**
     * The loaded shop on Postgres (read only here), or a PGlite copy where no server runs: the subject is the
     * upload, and each of the eight eval sessions opens the datasource afresh, which PGlite's start makes
     * about a second slower.
     */
    let shopUrl: string;

    const configWith = (
      langfuseOverrides: Record<string, unknown> = {},
      tracingOverrides: Record<string, unknown> = {},
    ): Readonly<Config> =>
      loadConfig({
        env: {},
        overrides: {
          dataDir: path.join(work, 'data'),
          logLevel: 'silent',
          datasources: [{ id: 'shop', url: shopUrl, today: '2025-07-01' }],
          langfuse: { publicKey, secretKey, baseUrl: langfuse.baseUrl, ...langfuseOverrides },
          tracing: { localStore: false, langfuseExportMode: 'immediate', ...tracingOverrides },
          evals: { datasetsDir: path.join(work, 'datasets'), reportsDir: path.join(work, 'reports') },
          prompts: { directory: path.join(work, 'prompts'), source: 'local' },
        },
      });

    /** One eval session; `sink` replaces the Langfuse sink the app builds from the config. */
    const runSession = async (sink?: EvalResultSink | null): Promise<EvalSessionResult> => {
      return runEvalSession(request, {
        config,
        createAgent: async (datasources) => createEvalAgent(config, datasources),
        adminToken: null,
        langfuse: sink === undefined ? await evalResultSink(config) : sink,
      });
    };

    /** A sink that puts the double in `mode` for the upload only (the run itself, and its trace export, see it up). */
    const uploadingWhile = (mode: LangfuseTestServerMode, sink: EvalResultSink, slowMs?: number): EvalResultSink => ({
      publish: async (report, datasets) => {
        langfuse.setMode(mode, { slowMs });
        try {
          return await sink.publish(report, datasets);
        } finally {
          langfuse.setMode('up');
        }
      },
    });

    const runItemsOf = async (runName: string) => (await client.api.datasets.getRun(datasetName, runName)).datasetRunItems;
    const scoresOf = (traceId: string) => langfuse.scores.filter((score) => score.traceId === traceId);
    const readReportFile = async (result: EvalSessionResult): Promise<EvalReport> =>
      JSON.parse(await readFile(path.join(result.directory, 'report.json'), 'utf8')) as EvalReport;

    beforeAll(async () => {
      langfuse = await LangfuseTestServer.start({ publicKey, secretKey });
      work = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-langfuse-'));
      await promptsWithProductionAt(work, 2);
      const environment = inject('testEnvironment');
      shopUrl = environment.postgres?.shop ?? `pglite:${path.join(work, 'shop')}`;
      if (!environment.postgres) await copyTemplate(environment.pgliteTemplates.shop, path.join(work, 'shop'));
      await mkdir(path.join(work, 'datasets'), { recursive: true });
      await writeFile(path.join(work, 'datasets', `${datasetFileName}.yaml`), datasetYaml);
      config = configWith();
      client = new LangfuseClient({ publicKey, secretKey, baseUrl: langfuse.baseUrl });
    });
    afterAll(async () => {
      await langfuse?.close();
      if (work) await rm(work, { recursive: true, force: true });
    });
    beforeEach(() => {
      langfuse.setMode('up');
      langfuse.setRouteFailure(null);
    });

    describe('a Langfuse that is up', () => {
      let first: EvalSessionResult;

      it('upserts the dataset and its items, links every item to the trace that answered it in a run per label, and scores every trace', async () => {
        first = await runSession();
        const { report } = first;
        expect(report.complete).toBe(true);
        expect(report.items).toHaveLength(cases.length * 2);
        const outcomes = report.items.map((item) => item.outcome);
        expect(outcomes).toContain('correct');
        expect(outcomes.some((outcome) => outcome !== 'correct')).toBe(true);
        for (const item of report.items) expect(item.traceId).toMatch(/^[0-9a-f]{32}$/);

        // The dataset, named after the eval dataset, with one item per case: the question in, the gold SQL out.
        expect(langfuse.datasets).toEqual([
          expect.objectContaining({
            name: datasetName,
            description: 'Langfuse upload test cases',
            metadata: { file: report.datasets[0].file, sha256: report.datasets[0].sha256 },
          }),
        ]);
        const items = langfuse.datasetItems(datasetName);
        expect(items.map((item) => item.id).sort()).toEqual(cases.map((entry) => langfuseItemId(datasetFileName, entry.id)).sort());
        for (const entry of cases) {
          const item = items.find((candidate) => candidate.id === langfuseItemId(datasetFileName, entry.id))!;
          const reportCase = report.cases.find((candidate) => candidate.id === entry.id)!;
          expect(item).toMatchObject({
            status: 'ACTIVE',
            datasetName,
            input: { question: entry.question, datasource: 'shop' },
            expectedOutput: { sql: reportCase.goldSql, rowCount: reportCase.goldRowCount },
          });
          expect(reportCase.goldSql.trim()).toBe(entry.sql);
        }

        // One run per label, named after the prompt version it served, linking each case to the item's trace.
        expect(report.labels.map((label) => [label.label, label.promptVersions])).toEqual([
          ['production', [2]],
          ['staging', [shippedLabels.staging]],
        ]);
        expect((await client.api.datasets.getRuns(datasetName)).data.map((run) => run.name).sort()).toEqual([
          'production@v2',
          `staging@v${shippedLabels.staging}`,
        ]);
        for (const [label, runName] of [
          ['production', 'production@v2'],
          ['staging', `staging@v${shippedLabels.staging}`],
        ]) {
          const run = await client.api.datasets.getRun(datasetName, runName);
          expect(run.metadata).toMatchObject({ evalRunId: report.runId, label });
          const linked = Object.fromEntries(run.datasetRunItems.map((runItem) => [runItem.datasetItemId, runItem.traceId]));
          const expected = Object.fromEntries(
            report.items.filter((item) => item.label === label).map((item) => [langfuseItemId(datasetFileName, item.caseId), item.traceId]),
          );
          expect(run.datasetRunItems).toHaveLength(cases.length);
          expect(linked).toEqual(expected);
        }

        // Each linked trace is one the service exported over OTLP (the session closes the agent, which flushes).
        for (const item of report.items) {
          await expect
            .poll(
              () =>
                langfuse.otelSpans.filter((span) => span.traceId === item.traceId && span.parentSpanId === null).map((span) => span.name),
              { timeout: 60_000, interval: 200 },
            )
            .toEqual(['query']);
        }

        // Three numeric scores on every trace; exec_accuracy is 1 exactly for the items the report calls correct.
        for (const item of report.items) {
          const scores = scoresOf(item.traceId!);
          expect(scores.map((score) => score.name).sort()).toEqual(['cost_usd', 'exec_accuracy', 'latency_ms']);
          for (const score of scores) expect(score.dataType).toBe('NUMERIC');
          const accuracy = scores.find((score) => score.name === 'exec_accuracy')!;
          expect(accuracy.value).toBe(item.outcome === 'correct' ? 1 : 0);
          if (item.outcome !== 'correct') expect(accuracy.comment).toMatch(new RegExp(`^${item.outcome}: `));
          expect(scores.find((score) => score.name === 'latency_ms')!.value).toBe(item.latencyMs);
          expect(scores.find((score) => score.name === 'cost_usd')!.value).toBe(item.costUsd);
        }
        expect(langfuse.scores).toHaveLength(report.items.length * 3);

        expect(first.langfuse).toBe(
          `Langfuse: datasets ${datasetName} (${cases.length} items); runs production@v2, staging@v${shippedLabels.staging} (${cases.length * 2} run items, ${cases.length * 2 * 3} scores).`,
        );

        // Every request, OTLP export and uploads alike, carried the project's keys.
        const uploadPaths = new Set(langfuse.requests.map((entry) => `${entry.method} ${entry.path}`));
        for (const route of [
          'POST /api/public/v2/datasets',
          'POST /api/public/dataset-items',
          'POST /api/public/dataset-run-items',
          'POST /api/public/scores',
          'POST /api/public/otel/v1/traces',
        ])
          expect(uploadPaths).toContain(route);
        for (const entry of langfuse.requests) expect(entry.authorization).toBe(authorization);
      });

      it('a second run of the same dataset upserts the items (no duplicates) and adds run items to the same runs', async () => {
        expect(first).toBeDefined();
        const itemsBefore = langfuse.datasetItems(datasetName);
        const second = await runSession();
        expect(second.report.complete).toBe(true);
        expect(second.report.runId).not.toBe(first.report.runId);

        expect(langfuse.datasets.map((dataset) => dataset.name)).toEqual([datasetName]);
        const itemsAfter = langfuse.datasetItems(datasetName);
        expect(itemsAfter.map((item) => item.id)).toEqual(itemsBefore.map((item) => item.id));
        for (const [index, item] of itemsAfter.entries()) {
          expect(item.createdAt).toBe(itemsBefore[index].createdAt);
          expect(Date.parse(item.updatedAt)).toBeGreaterThan(Date.parse(itemsBefore[index].updatedAt));
        }

        expect(
          langfuse
            .datasetRuns(datasetName)
            .map((run) => run.name)
            .sort(),
        ).toEqual(['production@v2', `staging@v${shippedLabels.staging}`]);
        for (const [label, runName] of [
          ['production', 'production@v2'],
          ['staging', `staging@v${shippedLabels.staging}`],
        ]) {
          const runItems = await runItemsOf(runName);
          expect(runItems).toHaveLength(cases.length * 2);
          const traces = runItems.map((runItem) => runItem.traceId).sort();
          const expected = [...first.report.items, ...second.report.items]
            .filter((item) => item.label === label)
            .map((item) => item.traceId)
            .sort();
          expect(traces).toEqual(expected);
        }
        for (const item of second.report.items) expect(scoresOf(item.traceId!)).toHaveLength(3);
        expect(second.langfuse).toBe(first.langfuse);
      });
    });

    it('with batched export, every trace reaches Langfuse before the run items that link to it (the agent is closed, and flushed, first)', async () => {
      const batched = configWith({}, { langfuseExportMode: 'batched', langfuseFlushAt: 10_000, langfuseFlushIntervalSeconds: 600 });
      const inner = (await evalResultSink(batched))!;
      let exportedAtUpload = new Set<string>();
      const result = await runEvalSession(request, {
        config: batched,
        createAgent: async (datasources) => createEvalAgent(batched, datasources),
        adminToken: null,
        langfuse: {
          publish: (report, datasets) => {
            exportedAtUpload = new Set(langfuse.otelSpans.filter((span) => span.parentSpanId === null).map((span) => span.traceId));
            return inner.publish(report, datasets);
          },
        },
      });
      expect(result.report.items.length).toBeGreaterThan(0);
      for (const item of result.report.items) expect(exportedAtUpload.has(item.traceId!), item.key).toBe(true);
    });

    describe('a Langfuse that fails: the run completes, report.json is written, the summary says the upload failed', () => {
      beforeEach(() => {
        langfuse.clearDatasets();
        langfuse.clearScores();
      });

      const expectReportWritten = async (result: EvalSessionResult) => {
        expect(result.report.complete).toBe(true);
        const written = await readReportFile(result);
        expect(written.runId).toBe(result.report.runId);
        expect(written.items).toHaveLength(cases.length * 2);
      };

      it('dataset routes answering 500 (after the SDK retries): nothing is uploaded', async () => {
        langfuse.setRouteFailure({ paths: langfuseDatasetPaths, status: 500, message: 'datasets are down' });
        const result = await runSession();
        await expectReportWritten(result);
        expect(result.langfuse).toMatch(/^Langfuse upload failed: 1 requests failed: dataset sqlagent-eval\/lf-shop: .*500/s);
        expect(result.langfuse).toContain('datasets are down');
        expect(langfuse.datasets).toEqual([]);
        expect(langfuse.scores).toEqual([]);
        // The SDK tried three times (two retries of a 5xx).
        expect(
          langfuse.requests.filter((entry) => entry.path === '/api/public/v2/datasets' && entry.method === 'POST').length,
        ).toBeGreaterThanOrEqual(3);
      });

      it('only run items failing: the items and scores are uploaded, no run is claimed, the failures are counted', async () => {
        langfuse.setRouteFailure({ paths: ['/api/public/dataset-run-items'], status: 500 });
        const result = await runSession();
        await expectReportWritten(result);
        expect(result.langfuse).toMatch(
          new RegExp(
            `^Langfuse: datasets ${datasetName} \\(${cases.length} items\\); no runs \\(${cases.length * 2 * 3} scores\\); ${cases.length * 2} requests failed: run item `,
          ),
        );
        expect(langfuse.datasetItems(datasetName)).toHaveLength(cases.length);
        expect(langfuse.datasetRuns()).toEqual([]);
        expect(langfuse.scores).toHaveLength(cases.length * 2 * 3);
      });

      it('Langfuse unreachable (connection reset) during the upload', async () => {
        const result = await runSession(uploadingWhile('down-connection-reset', (await evalResultSink(config))!));
        await expectReportWritten(result);
        expect(result.langfuse).toMatch(/^Langfuse upload failed: 1 requests failed: dataset sqlagent-eval\/lf-shop: .*fetch failed/s);
        expect(langfuse.datasets).toEqual([]);
      });

      it('Langfuse slower than langfuse.timeoutMs: each request gives up at the configured timeout, not the SDK’s 60 s', async () => {
        const sink = (await evalResultSink(configWith({ timeoutMs: 1000 })))!;
        const result = await runSession(uploadingWhile('slow', sink, 8000));
        await expectReportWritten(result);
        expect(result.langfuse).toMatch(/^Langfuse upload failed: 1 requests failed: dataset sqlagent-eval\/lf-shop: .*timeout/is);
        expect(langfuse.datasets).toEqual([]);
      });

      it('wrong keys: every upload route answers 401 and nothing is stored', async () => {
        const sink = (await evalResultSink(configWith({ secretKey: 'sk-lf-wrong' })))!;
        const result = await runSession(sink);
        await expectReportWritten(result);
        expect(result.langfuse).toMatch(/^Langfuse upload failed: 1 requests failed: dataset sqlagent-eval\/lf-shop: .*401/s);
        const wrongAuthorization = `Basic ${Buffer.from(`${publicKey}:sk-lf-wrong`).toString('base64')}`;
        expect(
          langfuse.requests.filter((entry) => entry.authorization === wrongAuthorization).map((entry) => `${entry.method} ${entry.path}`),
        ).toEqual(['POST /api/public/v2/datasets']);
        expect(langfuse.datasets).toEqual([]);
      });
    });
  },
);
