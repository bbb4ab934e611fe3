import type { EvalCase } from '../dataset/eval-case.ts';
import { compareResults, mysqlArithmeticTolerance } from '../compare/compare-results.ts';
import { ServiceError } from '../../errors/index.ts';
import type { EvalDatabase, GoldResult } from './eval-database.ts';
import { failedAnswer, itemKey, type EvalItemResult, type TargetAnswer } from './eval-item.ts';
import type { EvalTarget } from './eval-target.ts';
import type { RunStore } from './run-store.ts';

export interface EvalRunnerOptions {
  runId: string;
  cases: readonly EvalCase[];
  /** Labels to ask every case under; predictions use one pseudo-label. */
  labels: readonly string[];
  /** Times each item runs (models are not deterministic). Default 1. */
  repeat: number;
  /** Items in flight at once. */
  concurrency: number;
  /** An item with no answer after this long is recorded as a `timeout` error. */
  itemTimeoutMs: number;
  target: EvalTarget;
  database: EvalDatabase;
  /** Where finished items are appended (null: kept in memory only). */
  store: RunStore | null;
  /** Items an earlier, interrupted run finished: not run again. */
  finished?: readonly EvalItemResult[];
  onEvent?: (event: RunEvent) => void;
  /** Aborting stops the run: nothing new starts, items in flight are dropped (a resume runs them). */
  signal?: AbortSignal;
  now?: () => Date;
}

export type RunEvent =
  | { type: 'gold'; evalCase: EvalCase; gold: GoldResult }
  | { type: 'start'; total: number; alreadyFinished: number }
  | { type: 'item'; item: EvalItemResult; finished: number; total: number };

export interface RunOutcome {
  items: EvalItemResult[];
  /** Gold results by `<dataset>/<case id>`. */
  golds: Map<string, GoldResult>;
  interrupted: boolean;
}

/**
 * Runs every case under every label (and repeat): golds first, once per case, on the eval database;
 * then the items, `concurrency` at a time, each scored by execution accuracy as it finishes and
 * appended to the run's `items.jsonl`. One item's failure is recorded with its reason and never stops
 * the run; a case whose gold fails is left out and reported.
 */
export async function runEval(options: EvalRunnerOptions): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  const signal = options.signal ?? new AbortController().signal;
  const golds = new Map<string, GoldResult>();
  await forEachConcurrently(options.cases, options.concurrency, signal, async (evalCase) => {
    const gold = await options.database.gold(evalCase);
    golds.set(caseKey(evalCase), gold);
    options.onEvent?.({ type: 'gold', evalCase, gold });
  });

  const finishedKeys = new Set((options.finished ?? []).map((item) => item.key));
  const items: EvalItemResult[] = [...(options.finished ?? [])];
  const queue: Array<{ evalCase: EvalCase; label: string; repeat: number }> = [];
  for (let repeat = 1; repeat <= options.repeat; repeat += 1) {
    for (const evalCase of options.cases) {
      if (golds.get(caseKey(evalCase))?.error) continue;
      for (const label of options.labels) {
        if (!finishedKeys.has(itemKey(evalCase.dataset, evalCase.id, label, repeat))) queue.push({ evalCase, label, repeat });
      }
    }
  }
  const total = queue.length + items.length;
  options.onEvent?.({ type: 'start', total, alreadyFinished: items.length });

  await forEachConcurrently(queue, options.concurrency, signal, async ({ evalCase, label, repeat }) => {
    const item = await runItem(options, evalCase, label, repeat, golds.get(caseKey(evalCase))!, signal, now);
    if (!item || signal.aborted) return;
    items.push(item);
    await options.store?.append(item);
    options.onEvent?.({ type: 'item', item, finished: items.length, total });
  });
  return { items, golds, interrupted: signal.aborted };
}

export function caseKey(evalCase: EvalCase): string {
  return `${evalCase.dataset}/${evalCase.id}`;
}

async function runItem(options: EvalRunnerOptions, evalCase: EvalCase, label: string, repeat: number, gold: GoldResult, runSignal: AbortSignal, now: () => Date): Promise<EvalItemResult | null> {
  const startedAt = now().toISOString();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.itemTimeoutMs);
  let answer: TargetAnswer;
  try {
    answer = await options.target.answer(evalCase, label, { runId: options.runId, signal: AbortSignal.any([runSignal, timeout.signal]) });
  } catch (error) {
    if (runSignal.aborted) return null;
    answer = failedAnswer('error', 'target_failed', (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
  if (runSignal.aborted) return null;
  if (timeout.signal.aborted && answer.status !== 'answered') {
    answer = { ...answer, status: 'error', errorCode: 'timeout', message: `No answer within ${options.itemTimeoutMs} ms (the item timeout).` };
  }
  const scored = await scoreAnswer(answer, gold, evalCase, options.database);
  const { status: _status, rows: _rows, message: _message, errorCode: _errorCode, ...facts } = answer;
  return {
    ...facts,
    key: itemKey(evalCase.dataset, evalCase.id, label, repeat),
    dataset: evalCase.dataset,
    caseId: evalCase.id,
    label,
    repeat,
    outcome: scored.outcome,
    reason: scored.reason,
    errorCode: scored.errorCode,
    rowCount: scored.rowCount,
    escalated: answer.attempts.length > 1,
    startedAt,
  };
}

/**
 * Scores one answer by execution accuracy: the rows the system returned (or, when it gave none or they
 * were cut by a row cap, the rows of its SQL run here) against the gold rows. A prediction that errors,
 * times out or declines scores 0.
 */
export async function scoreAnswer(
  answer: TargetAnswer,
  gold: GoldResult,
  evalCase: EvalCase,
  database: EvalDatabase,
): Promise<{ outcome: EvalItemResult['outcome']; reason: string | null; errorCode: string | null; rowCount: number | null }> {
  if (answer.status !== 'answered' || !answer.sql) {
    return { outcome: answer.status === 'declined' ? 'declined' : 'error', reason: answer.message ?? 'no SQL', errorCode: answer.errorCode ?? 'no_sql', rowCount: null };
  }
  let rows = answer.rows;
  if (rows === null) {
    try {
      const result = await database.run(evalCase.datasource, answer.sql);
      if (result.truncated) return { outcome: 'wrong', reason: `the predicted result was cut at ${result.rowCap} rows; the gold has ${gold.rows.length}`, errorCode: null, rowCount: result.rows.length };
      rows = result.rows;
    } catch (error) {
      const code = error instanceof ServiceError ? error.code : 'sql_error';
      return { outcome: 'error', reason: (error as Error).message, errorCode: code, rowCount: null };
    }
  }
  const verdict = compareResults(gold.rows, rows, { orderMatters: gold.orderMatters, ...(gold.dialect === 'mysql' ? { absoluteTolerance: mysqlArithmeticTolerance } : {}) });
  return { outcome: verdict.equal ? 'correct' : 'wrong', reason: verdict.equal ? null : (verdict.reason ?? 'the results differ'), errorCode: null, rowCount: rows.length };
}

/** Runs `work` over `items`, at most `concurrency` at once, starting nothing new once `signal` aborts. */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, signal: AbortSignal, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !signal.aborted) {
      const item = items[next];
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
}
