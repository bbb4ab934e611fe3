import type { Server } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, createEvalAgent, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { runEvalSession, type EvalRunRequest } from '../../src/evals/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { evalRequest } from '../support/eval-request.ts';
import { promptsWithProductionAt } from '../support/pinned-prompts.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const adminToken = 'admin-token-for-eval-tests-0123456789';

/** Answers every question with one SQL statement, through the real tool loop. */
const countingModel = () =>
  new ScriptedChatModel((request) =>
    request.messages.some((message) => message.role === 'tool')
      ? finalAnswer('SELECT COUNT(*) FROM regions', 'Twelve.')
      : callTool('execute_sql', { sql: 'SELECT COUNT(*) FROM regions' }),
  );

describe('evals over HTTP: a running service as the eval target, and the runs as JSON', { timeout: 120_000 }, () => {
  let dir: string;
  let app: App;
  let server: Server;
  let base: string;
  let config: Readonly<Config>;

  const request = (overrides: Partial<EvalRunRequest> = {}) =>
    evalRequest(['http'], { datasourceUrls: [`shop=pglite:${path.join(dir, 'gold-shop')}`], server: base, ...overrides });
  const session = (overrides: Partial<EvalRunRequest> = {}, token: string | null = adminToken) =>
    runEvalSession(request(overrides), {
      config,
      createAgent: async () => {
        throw new Error('no in-process agent with --server');
      },
      adminToken: token,
      langfuse: null,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-http-'));
    const template = inject('testEnvironment').pgliteTemplates.shop;
    await copyTemplate(template, path.join(dir, 'shop'));
    // The gold runs on its own copy of the same fixture: the service holds its PGlite directory.
    await copyTemplate(template, path.join(dir, 'gold-shop'));
    await mkdir(path.join(dir, 'datasets'));
    await writeFile(
      path.join(dir, 'datasets', 'http.yaml'),
      [
        '- { id: h-1, datasource: shop, question: "Count the regions, please.", sql: "SELECT COUNT(*) FROM regions", difficulty: simple, tags: [count] }',
        '- { id: h-2, datasource: shop, question: "How many regions are in Japan?", sql: "SELECT COUNT(*) FROM regions WHERE country = \'Japan\'", difficulty: simple, tags: [count, filter] }',
      ].join('\n'),
    );
    const prompts = await promptsWithProductionAt(dir, 2);
    config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: adminToken },
      overrides: {
        dataDir: dir,
        logLevel: 'silent',
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        prompts: { directory: prompts, source: 'local' },
        tracing: { localStore: false },
        evals: { datasetsDir: path.join(dir, 'datasets'), reportsDir: path.join(dir, 'reports') },
      },
    });
    app = createApp(config, { logger: createLogger('silent'), models: () => countingModel() });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('asks the service with the label forced and the cache bypassed, and scores against the gold copy', async () => {
    const { report } = await session();
    expect(report.parameters.target).toBe(`http ${base}`);
    expect(report.items).toHaveLength(4);
    const byCase = (caseId: string) => report.items.filter((item) => item.caseId === caseId);
    expect(byCase('h-1').map((item) => item.outcome)).toEqual(['correct', 'correct']);
    expect(byCase('h-2').map((item) => item.outcome)).toEqual(['wrong', 'wrong']);
    expect(report.items.map((item) => [item.label, item.promptVersion, item.cacheStatus])).toEqual([
      ['production', 2, 'bypass'],
      ['staging', shippedLabels.staging, 'bypass'],
      ['production', 2, 'bypass'],
      ['staging', shippedLabels.staging, 'bypass'],
    ]);
    for (const item of report.items) expect(item.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(report.comparisons[0]).toMatchObject({ identicalVerdicts: true, identicalSql: 2, bothWithoutSql: 0 });
    expect(report.comparisons[0].sentence).toBe(
      `staging (v${shippedLabels.staging}) and production (v2) scored identically on every one of the 2 cases (50.0% each; the same SQL on 2), so staging is not distinguishable from production (p = 1). The prompt versions do not differ in anything the model uses: the model did the same with either.`,
    );
    expect(report.notes.join(' ')).toMatch(/do not differ in anything the model uses/);
  });

  it('checks the service before the run: the admin token must be set and /healthz must answer', async () => {
    await expect(session({ labels: ['staging'] }, null)).rejects.toMatchObject({
      code: 'invalid_input',
      message: expect.stringMatching(/--server needs the service's admin token in SQLAGENT_ADMIN_TOKEN/),
    });
    await expect(session({ server: 'http://127.0.0.1:9', labels: ['production'] })).rejects.toMatchObject({
      code: 'eval_target_unavailable',
      message: expect.stringMatching(/The service at http:\/\/127\.0\.0\.1:9 could not be reached/),
    });
    await expect(session({ server: 'http://admin:hunter2@127.0.0.1:9' })).rejects.toThrow(/--server takes the service address only/);
  });

  it('stops at a fault of the setup (a label the service does not have) without recording it, and says how to resume', async () => {
    const { report } = await session({ labels: ['production', 'no_such_label'], concurrency: 1 });
    expect(report.complete).toBe(false);
    expect(report.stoppedBy).toMatchObject({ code: 'prompt_not_found' });
    expect(report.items.every((item) => item.label === 'production')).toBe(true);
    expect(report.notes[0]).toMatch(
      /^This run stopped \(prompt_not_found: .*\) after 1 of 4 items; nothing of the item that met it was recorded\. Fix the cause, then resume it with `sqlagent eval run --resume /,
    );
  });

  it("records a malformed answer from a hostile or broken service as that item's error, and finishes the run", async () => {
    const good = {
      sql: 'SELECT COUNT(*) FROM regions',
      answer: 'Twelve.',
      rows: [[12]],
      truncated: false,
      promptVersion: 2,
      model: 'm',
      tier: 't',
      attempts: [],
      usage: {},
      costUsd: 0,
      traceId: 'abc',
    };
    const bodies: Array<[number, string]> = [
      [200, JSON.stringify({ ...good, rows: 'abc' })],
      [200, JSON.stringify({ ...good, sql: 12345 })],
      [200, JSON.stringify({ ...good, costUsd: 'free' })],
      [200, 'not json at all'],
      [
        422,
        JSON.stringify({
          error: { code: 'agent_failed', message: 'x'.repeat(5000), details: { reason: 42, attempts: 'many', usage: 5, costUsd: 'lots' } },
        }),
      ],
      [200, JSON.stringify(good)],
    ];
    let call = 0;
    const { server: hostile, base: hostileBase } = await listenOnLoopback((request, response) => {
      if (request.url === '/healthz') return void response.end('{"status":"ok"}');
      const [status, body] = bodies[call++ % bodies.length];
      response.writeHead(status, { 'content-type': 'application/json' }).end(body);
    });
    try {
      const { report } = await session({ server: hostileBase, labels: ['production', 'staging', 'variant_a'], concurrency: 1 });
      expect(report.complete).toBe(true);
      expect(report.items.map((item) => [item.outcome, item.errorCode])).toEqual([
        ['error', 'invalid_response'],
        ['error', 'invalid_response'],
        ['error', 'invalid_response'],
        ['error', 'invalid_response'],
        ['error', 'agent_failed'],
        ['wrong', null],
      ]);
      expect(report.items[0].reason).toMatch(/The service answered 200 with a body that is not an answer \(rows: /);
      expect(report.items[4].reason!.length).toBeLessThanOrEqual(2000);
    } finally {
      hostile.close();
    }
  });

  it('lists runs newest first and serves a run report, without items on request', async () => {
    const listing: any = await (await fetch(`${base}/v1/evals/runs`)).json();
    expect(listing.runs.length).toBeGreaterThanOrEqual(2);
    const newest = listing.runs[0];
    expect(newest).toMatchObject({ mode: 'run', datasets: ['http'], hasReport: true });
    // The run that stopped at the unknown label is listed too, marked incomplete.
    expect(listing.runs.filter((run: { complete: boolean }) => !run.complete)).toHaveLength(1);
    expect(listing.runs.map((run: { createdAt: string }) => run.createdAt)).toEqual(
      [...listing.runs.map((run: { createdAt: string }) => run.createdAt)].sort().reverse(),
    );
    const first = listing.runs[listing.runs.length - 1];
    expect(first.labels.map((label: { label: string; accuracy: number }) => [label.label, label.accuracy])).toEqual([
      ['production', 0.5],
      ['staging', 0.5],
    ]);

    const full = await fetch(`${base}/v1/evals/runs/${first.runId}`);
    expect(full.status).toBe(200);
    const report: any = await full.json();
    expect(report).toMatchObject({ runId: first.runId, format: 1 });
    expect(report.items).toHaveLength(4);
    const lean: any = await (await fetch(`${base}/v1/evals/runs/${first.runId}?items=false`)).json();
    expect(lean.items).toEqual([]);
    expect(lean.labels).toEqual(report.labels);
  });

  it('answers 404 for an unknown run and 400 for an id that is not one', async () => {
    const missing = await fetch(`${base}/v1/evals/runs/20990101-000000-nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error).toMatchObject({ code: 'eval_run_not_found' });
    const traversal = await fetch(`${base}/v1/evals/runs/..%2F..%2Fetc`);
    expect(traversal.status).toBe(400);
    expect(((await traversal.json()) as any).error.code).toBe('invalid_input');
    const badFlag = await fetch(`${base}/v1/evals/runs/${'x'}?items=maybe`);
    expect(badFlag.status).toBe(400);
  });

  it('refuses to pin today without the admin scope', async () => {
    const response = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ datasource: 'shop', question: 'Count the regions', today: '2025-03-01' }),
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as any).error.message).toMatch(/Pinning "today" needs the admin scope/);
  });
});
