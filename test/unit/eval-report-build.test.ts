import { mkdtemp, mkdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildEvalReport,
  listRuns,
  RunStore,
  type EvalCase,
  type EvalItemResult,
  type EvalReport,
  type RunManifest,
} from '../../src/evals/index.ts';

const evalCase = (id: string): EvalCase => ({
  id,
  dataset: 'd',
  datasource: 'shop',
  question: `Question ${id}?`,
  gold: { postgres: 'SELECT 1', mysql: 'SELECT 1' },
  difficulty: 'simple',
  tags: [],
  orderMatters: null,
  today: null,
  expectEmpty: false,
});

const item = (
  caseId: string,
  label: string,
  repeat: number,
  outcome: EvalItemResult['outcome'],
  sql: string | null = `SELECT ${repeat}`,
): EvalItemResult => ({
  key: `d/${caseId}@${label}#${repeat}`,
  dataset: 'd',
  caseId,
  label,
  repeat,
  outcome,
  reason: outcome === 'correct' ? null : `${outcome} in repeat ${repeat}`,
  errorCode: outcome === 'error' ? 'model_unavailable' : null,
  sql,
  answer: null,
  rowCount: 1,
  promptVersion: label === 'a' ? 1 : 2,
  model: 'm',
  tier: 't',
  escalated: false,
  attempts: [],
  steps: 1,
  inputTokens: 10,
  outputTokens: 1,
  costUsd: 0,
  latencyMs: 5,
  cacheStatus: 'bypass',
  traceId: `${caseId}${label}${repeat}`.padEnd(32, '0'),
  startedAt: '2026-01-01T00:00:00.000Z',
});

function report(items: EvalItemResult[], cases: EvalCase[], repeat = 1): EvalReport {
  const parameters = {
    datasets: ['d'],
    labels: ['a', 'b'],
    prompt: 'agent/db_agent',
    target: 'in-process',
    engine: null,
    databases: {},
    concurrency: 1,
    repeat,
    limit: null,
    tags: [],
    failUnder: null,
    itemTimeoutMs: 1000,
  };
  const golds = new Map(
    cases.map((entry) => [
      `d/${entry.id}`,
      { sql: 'SELECT 1', rows: [[1]], orderMatters: false, dialect: 'postgres' as const, error: null },
    ]),
  );
  return buildEvalReport({
    runId: 'r',
    createdAt: 'c',
    finishedAt: 'f',
    mode: 'run',
    parameters,
    datasets: [],
    cases,
    golds,
    items,
    complete: true,
    durationMs: 1,
  });
}

describe('the report of a run', () => {
  it('with repeats, shows for a flipped case a repeat that agrees with its majority verdict', () => {
    // a: wrong, right, right (right by majority); b: right, wrong, wrong (wrong by majority).
    const items = [
      item('c1', 'a', 1, 'wrong'),
      item('c1', 'a', 2, 'correct'),
      item('c1', 'a', 3, 'correct'),
      item('c1', 'b', 1, 'correct'),
      item('c1', 'b', 2, 'wrong'),
      item('c1', 'b', 3, 'wrong'),
    ];
    const [comparison] = report(items, [evalCase('c1')], 3).comparisons;
    expect(comparison).toMatchObject({ onlyFirst: 1, onlySecond: 0 });
    expect(comparison.regressions[0].first).toMatchObject({ outcome: 'correct', sql: 'SELECT 2' });
    expect(comparison.regressions[0].second).toMatchObject({ outcome: 'wrong', sql: 'SELECT 2', reason: 'wrong in repeat 2' });
  });

  it('does not call identical labels a finding about the prompts when items failed with errors', () => {
    const items = [
      item('c1', 'a', 1, 'error', null),
      item('c1', 'b', 1, 'error', null),
      item('c2', 'a', 1, 'correct', 'SELECT 9'),
      item('c2', 'b', 1, 'correct', 'SELECT 9'),
    ];
    const [comparison] = report(items, [evalCase('c1'), evalCase('c2')]).comparisons;
    expect(comparison.identicalVerdicts).toBe(true);
    expect(comparison.sentence).toMatch(
      /1 case failed with an error under a label \(see the reasons\), so this says less about the prompts than it seems\.$/,
    );
    expect(comparison.sentence).not.toMatch(/do not differ in anything the model uses/);
  });
});

describe('run folders', () => {
  let reports: string;
  const manifest = (runId: string): RunManifest => ({
    runId,
    createdAt: '2026-01-01T00:00:00.000Z',
    mode: 'run',
    parameters: {} as RunManifest['parameters'],
    datasets: [],
  });
  beforeAll(async () => {
    reports = await mkdtemp(path.join(tmpdir(), 'sqlagent-run-store-'));
  });
  afterAll(() => rm(reports, { recursive: true, force: true }));

  it('lets one process write a run at a time, and takes over a lock left by a process that is gone', async () => {
    const store = await RunStore.create(reports, manifest('run-a'));
    await expect(RunStore.open(reports, 'run-a')).rejects.toThrow(`The run run-a is being written by process ${process.pid} (this one)`);
    await store.release();
    const reopened = await RunStore.open(reports, 'run-a');
    await reopened.store.release();
    await writeFile(path.join(reports, 'run-a', 'run.lock'), '999999999');
    const taken = await RunStore.open(reports, 'run-a');
    expect(await readFile(path.join(reports, 'run-a', 'run.lock'), 'utf8')).toBe(String(process.pid));
    await taken.store.release();
  });

  it('counts an item key recorded twice once, and drops a torn last line', async () => {
    await mkdir(path.join(reports, 'run-b'));
    await writeFile(path.join(reports, 'run-b', 'run.json'), JSON.stringify(manifest('run-b')));
    const first = item('c1', 'a', 1, 'correct');
    await writeFile(
      path.join(reports, 'run-b', 'items.jsonl'),
      [first, { ...first, outcome: 'wrong' }, item('c2', 'a', 1, 'wrong')].map((entry) => JSON.stringify(entry)).join('\n') +
        '\n{"key": "d/c3@a#1", "outc',
    );
    const { store, items } = await RunStore.open(reports, 'run-b');
    await store.release();
    expect(items.map((entry) => [entry.key, entry.outcome])).toEqual([
      ['d/c1@a#1', 'correct'],
      ['d/c2@a#1', 'wrong'],
    ]);
  });

  it("lists a published copy (latest/) once: under the run's own name when that folder exists, else as latest", async () => {
    const published = report([item('c1', 'a', 1, 'correct'), item('c1', 'b', 1, 'correct')], [evalCase('c1')]);
    await mkdir(path.join(reports, 'r'));
    await writeFile(path.join(reports, 'r', 'report.json'), JSON.stringify(published));
    await cp(path.join(reports, 'r'), path.join(reports, 'latest'), { recursive: true });
    expect((await listRuns(reports)).map((run) => run.runId).filter((id) => id === 'r' || id === 'latest')).toEqual(['r']);
    await rm(path.join(reports, 'r'), { recursive: true });
    expect((await listRuns(reports)).map((run) => run.runId).filter((id) => id === 'r' || id === 'latest')).toEqual(['latest']);
  });
});
