import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvalAgent } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config/index.ts';
import { runEvalSession, type EvalRunRequest, type EvalReport } from '../../src/evals/index.ts';
import { ModelUnavailableError } from '../../src/errors/index.ts';
import type { GenerateRequest } from '../../src/llm/index.ts';
import { dialectTargets } from '../support/dialects.ts';
import { callTool, finalAnswer, ScriptedChatModel, type ScriptedReply } from '../support/scripted-chat-model.ts';
import { evalRequest } from '../support/eval-request.ts';
import { promptsWithProductionAt } from '../support/pinned-prompts.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

/** Test cases of our own (never the committed eval questions), on the shop fixture. */
const datasetYaml = `
description: runner test cases
cases:
  - id: t-regions
    datasource: shop
    question: How many sales regions exist?
    sql: SELECT COUNT(*) FROM regions
    difficulty: simple
    tags: [count]
  - id: t-continents
    datasource: shop
    question: Name the continents of our regions, alphabetically.
    sql: SELECT DISTINCT continent FROM regions ORDER BY continent
    difficulty: simple
    tags: [distinct, order]
  - id: t-top-categories
    datasource: shop
    question: Which top-level categories are there?
    sql: SELECT name FROM categories WHERE parent_id IS NULL
    difficulty: medium
    tags: [nulls]
  - id: t-german-regions
    datasource: shop
    question: How many regions are in Germany?
    sql: SELECT COUNT(*) FROM regions WHERE country = 'Germany'
    difficulty: simple
    tags: [count, filter]
  - id: t-broken-gold
    datasource: shop
    question: A case whose gold does not run.
    sql: SELECT no_such_column FROM regions
    difficulty: hard
    tags: [broken]
  - id: t-pinned-today
    datasource: shop
    question: How many orders came in during the previous calendar month?
    sql: SELECT COUNT(*) FROM orders WHERE order_date >= '2025-02-01' AND order_date < '2025-03-01'
    difficulty: medium
    tags: [relative-date]
    today: 2025-03-15
`;

/** The SQL the scripted model gives per question, by label; `null` declines, `throw` fails the model. */
const answers: Record<string, Record<string, string | null | 'throw'>> = {
  'How many sales regions exist?': {
    production: 'SELECT COUNT(*) AS regions FROM regions',
    staging: 'SELECT COUNT(*) AS regions FROM regions',
  },
  'Name the continents of our regions, alphabetically.': {
    production: 'SELECT DISTINCT continent FROM regions ORDER BY continent DESC',
    staging: 'SELECT DISTINCT continent FROM regions ORDER BY 1',
  },
  'Which top-level categories are there?': { production: 'SELECT name FROM categories WHERE parent_id IS NOT NULL', staging: null },
  'How many regions are in Germany?': { production: "SELECT COUNT(*) FROM regions WHERE country = 'Germany'", staging: 'throw' },
  'How many orders came in during the previous calendar month?': {
    production: "SELECT COUNT(*) FROM orders WHERE order_date >= '2025-02-01' AND order_date < '2025-03-01'",
    staging: "SELECT COUNT(*) FROM orders WHERE order_date >= '2025-06-01' AND order_date < '2025-07-01'",
  },
};

/** Answers from `answers`, telling the label by the prompt version's text (v2 has "## Rules", v3 does not). */
function scriptedModel(): ScriptedChatModel {
  return new ScriptedChatModel((request: GenerateRequest): ScriptedReply => {
    const system = String(request.messages[0]?.content ?? '');
    const question = String(request.messages[1]?.content ?? '');
    const label = system.includes('## Rules') ? 'production' : 'staging';
    const sql = answers[question]?.[label];
    if (sql === 'throw') throw new ModelUnavailableError('scripted outage: the model API kept failing');
    if (sql === null || sql === undefined) return { content: 'I cannot answer that from this database.' };
    // The pinned-today case must see its own today in the prompt.
    if (question.includes('previous calendar month') && !system.includes('2025-03-15')) return { content: 'no pinned today' };
    if (request.messages.some((message) => message.role === 'tool')) return finalAnswer(sql, 'scripted answer');
    return callTool('execute_sql', { sql });
  });
}

describe('eval runs end to end on PGlite', () => {
  let work: string;
  let shopUrl: string;
  let closeShop: () => Promise<void>;
  let config: Readonly<Config>;

  const request = (overrides: Partial<EvalRunRequest> = {}) => evalRequest(['runner'], overrides);

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-runner-'));
    const opened = await dialectTargets()[0].open('shop');
    // Only the directory is used; each eval opens the one PGlite instance on it in turn.
    await opened.datasource.close();
    shopUrl = opened.url;
    closeShop = () => opened.close();
    await mkdir(path.join(work, 'datasets'), { recursive: true });
    await writeFile(path.join(work, 'datasets', 'runner.yaml'), datasetYaml);
    const prompts = await promptsWithProductionAt(work, 2);
    config = loadConfig({
      env: {},
      overrides: {
        dataDir: path.join(work, 'data'),
        logLevel: 'silent',
        datasources: [{ id: 'shop', url: shopUrl, today: '2025-07-01' }],
        prompts: { directory: prompts, source: 'local' },
        tracing: { localStore: false },
        evals: { datasetsDir: path.join(work, 'datasets'), reportsDir: path.join(work, 'reports') },
      },
    });
  });
  afterAll(async () => {
    await closeShop?.();
    await rm(work, { recursive: true, force: true });
  });

  const run = async (
    overrides: Partial<EvalRunRequest> = {},
    model = scriptedModel(),
    extra: { signal?: AbortSignal; onItem?: (finished: number) => void } = {},
  ) => {
    const result = await runEvalSession(request(overrides), {
      config,
      createAgent: async (datasources) => createEvalAgent(config, datasources, { models: () => model }),
      adminToken: null,
      langfuse: null,
      signal: extra.signal,
      onEvent: (event) => (event.type === 'item' ? extra.onItem?.(event.finished) : undefined),
    });
    return { ...result, model };
  };
  const item = (report: EvalReport, caseId: string, label: string, repeat = 1) =>
    report.items.find((entry) => entry.caseId === caseId && entry.label === label && entry.repeat === repeat)!;

  it('scores every case under every label, records failures per item, leaves out a broken gold, and compares the labels', async () => {
    const { report, directory } = await run();
    expect(report.complete).toBe(true);
    expect(report.items).toHaveLength(10);
    expect(item(report, 't-regions', 'production')).toMatchObject({ outcome: 'correct', reason: null, promptVersion: 2, rowCount: 1 });
    expect(item(report, 't-continents', 'production')).toMatchObject({
      outcome: 'wrong',
      reason: 'the same rows in a different order, and the order matters',
    });
    expect(item(report, 't-continents', 'staging')).toMatchObject({ outcome: 'correct', promptVersion: shippedLabels.staging });
    expect(item(report, 't-top-categories', 'production').outcome).toBe('wrong');
    expect(item(report, 't-top-categories', 'staging')).toMatchObject({ outcome: 'declined', errorCode: 'agent_failed:model_declined' });
    expect(item(report, 't-german-regions', 'staging')).toMatchObject({ outcome: 'error', errorCode: 'model_unavailable' });
    expect(item(report, 't-pinned-today', 'production').outcome).toBe('correct');
    expect(item(report, 't-pinned-today', 'staging')).toMatchObject({ outcome: 'wrong' });
    for (const entry of report.items) expect(entry.traceId).toMatch(/^[0-9a-f]{32}$/);

    expect(report.cases.find((evalCase) => evalCase.id === 't-broken-gold')?.goldError).toMatch(/no_such_column/);
    expect(report.items.some((entry) => entry.caseId === 't-broken-gold')).toBe(false);
    expect(report.notes.join('\n')).toMatch(/1 case was left out because the gold SQL failed/);

    const [production, staging] = report.labels;
    expect(production.overall).toMatchObject({ items: 5, correct: 3, accuracy: 0.6 });
    expect(staging.overall).toMatchObject({ items: 5, correct: 2, accuracy: 0.4 });
    expect(production.overall.interval.low).toBeLessThan(0.6);
    expect(staging.outcomes).toEqual({ correct: 2, wrong: 1, declined: 1, error: 1 });
    expect(staging.reasons.map((reason) => reason.reason).sort()).toEqual([
      'agent_failed:model_declined',
      'different values',
      'model_unavailable',
    ]);
    expect(production.byDifficulty.simple).toMatchObject({ items: 3, correct: 2 });
    expect(production.byTag.count).toMatchObject({ items: 2, correct: 2 });

    const [comparison] = report.comparisons;
    expect(comparison).toMatchObject({
      first: 'production',
      second: 'staging',
      cases: 5,
      bothCorrect: 1,
      onlyFirst: 2,
      onlySecond: 1,
      bothWrong: 1,
      verdict: 'not_distinguishable',
    });
    expect(comparison.pValue).toBe(1);
    expect(comparison.sentence).toBe(
      `staging (v${shippedLabels.staging}) is not distinguishable from production (v2) at this sample size: 40.0% vs 60.0% (−20.0 points), 1 case improved and 2 regressed; exact McNemar p = 1.`,
    );
    expect(comparison.regressions.map((flip) => flip.caseId).sort()).toEqual(['t-german-regions', 't-pinned-today']);
    expect(comparison.improvements[0]).toMatchObject({
      caseId: 't-continents',
      first: { outcome: 'wrong' },
      second: { outcome: 'correct' },
    });

    const written = JSON.parse(await readFile(path.join(directory, 'report.json'), 'utf8')) as EvalReport;
    expect(written.items).toHaveLength(10);
    expect((await readFile(path.join(directory, 'items.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(10);
    expect(await readFile(path.join(directory, 'report.md'), 'utf8')).toContain(
      `staging (v${shippedLabels.staging}) is not distinguishable from production (v2) at this sample size`,
    );
  });

  it('repeats items and reports the spread; the gate fails a label below the threshold', async () => {
    const { report } = await run({ repeat: 2, failUnder: 0.5, tags: ['count', 'relative-date'] });
    expect(report.items).toHaveLength(3 * 2 * 2);
    expect(report.labels[0].repeats).toMatchObject({ count: 2, accuracies: [1, 1], standardDeviation: 0, inconsistentCases: [] });
    expect(report.gate).toEqual({ threshold: 0.5, passed: false, failing: ['staging'] });
    expect(report.labels[1].overall).toMatchObject({ items: 3, correct: 1 });
  });

  it('resumes an interrupted run without redoing the finished items', async () => {
    const controller = new AbortController();
    const first = await run({ concurrency: 1 }, scriptedModel(), {
      signal: controller.signal,
      onItem: (finished) => finished >= 3 && controller.abort(),
    });
    expect(first.report.complete).toBe(false);
    expect(first.report.items).toHaveLength(3);
    expect(first.report.notes[0]).toMatch(
      new RegExp(`interrupted after 3 of 10 items; resume it with \`sqlagent eval run --resume ${first.report.runId}\``),
    );

    const second = await run({ resume: first.report.runId, datasets: [], labels: [], concurrency: 2 });
    expect(second.report.complete).toBe(true);
    expect(second.report.runId).toBe(first.report.runId);
    expect(second.report.items).toHaveLength(10);
    // Exactly the unfinished items were asked again: each (question, label) pair the second model saw is one
    // the first run had not finished, and every unfinished pair was asked.
    const questionOf = new Map(second.report.cases.map((evalCase) => [evalCase.id, evalCase.question]));
    const pairOf = (caseId: string, label: string) => `${questionOf.get(caseId)}|${label}`;
    const finishedBefore = new Set(first.report.items.map((entry) => pairOf(entry.caseId, entry.label)));
    const askedAgain = new Set(
      second.model.calls.map(
        (call) =>
          `${String(call.messages[1]?.content)}|${String(call.messages[0]?.content).includes('## Rules') ? 'production' : 'staging'}`,
      ),
    );
    const unfinished = second.report.items.map((entry) => pairOf(entry.caseId, entry.label)).filter((pair) => !finishedBefore.has(pair));
    expect([...askedAgain].sort()).toEqual([...new Set(unfinished)].sort());
    expect(unfinished).toHaveLength(7);
    for (const done of first.report.items) expect(second.report.items.find((entry) => entry.key === done.key)).toEqual(done);
  });

  it('scores predictions from a file with the same comparator, without any agent', async () => {
    const predictions = path.join(work, 'other-system.jsonl');
    await writeFile(
      predictions,
      [
        { id: 't-regions', sql: 'SELECT 12' },
        { id: 't-continents', sql: 'SELECT DISTINCT continent FROM regions' },
        { id: 't-top-categories', sql: 'SELECT nme FROM categories' },
        { id: 't-german-regions', sql: null },
        { id: 'runner/t-pinned-today', sql: "SELECT COUNT(*) FROM orders WHERE order_date BETWEEN '2025-02-01' AND '2025-02-28'" },
        { id: 'not-a-case', sql: 'SELECT 1' },
      ]
        .map((line) => JSON.stringify(line))
        .join('\n'),
    );
    const { report } = await run({ predictions, labels: [] }, new ScriptedChatModel([]));
    expect(report.mode).toBe('score');
    expect(report.parameters.labels).toEqual(['other-system']);
    const outcome = (caseId: string) => item(report, caseId, 'other-system');
    expect(outcome('t-regions').outcome).toBe('correct');
    expect(outcome('t-continents')).toMatchObject({
      outcome: 'wrong',
      reason: 'the same rows in a different order, and the order matters',
    });
    expect(outcome('t-top-categories')).toMatchObject({ outcome: 'error', errorCode: 'sql_error' });
    expect(outcome('t-german-regions')).toMatchObject({ outcome: 'declined', errorCode: 'no_sql' });
    // A prediction id may name the dataset too.
    expect(outcome('t-pinned-today').outcome).toBe('correct');
    expect(report.labels[0].overall).toMatchObject({ items: 5, correct: 2 });
  });

  it('names the problem when asked for an unknown label or a dataset that does not exist', async () => {
    await expect(run({ labels: ['production', 'no_such_label'] })).rejects.toMatchObject({ code: 'prompt_not_found' });
    await expect(run({ datasets: ['nope'] })).rejects.toThrow(/No dataset "nope" in .*datasets \(there are: runner\)/);
    await expect(run({ labels: ['production', 'production'] })).rejects.toThrow(/given twice/);
    await expect(run({ concurrency: 0 })).rejects.toThrow(/--concurrency must be a whole number from 1 to 64/);
  });
});
