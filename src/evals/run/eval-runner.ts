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
  | { type: 'start'; total: number; alreadyFinished: number; labels: readonly string[] }
  | { type: 'item'; item: EvalItemResult; finished: number; total: number };

/** What stopped a run before its end: a fault of the setup, not of one item. */
export interface RunFault {
  code: string;
  message: string;
}

export interface RunOutcome {
  items: EvalItemResult[];
  /** Gold results by `<dataset>/<case id>`. */
  golds: Map<string, GoldResult>;
  /** True when the run stopped early (interrupted, or a run fault): resume it to finish. */
  interrupted: boolean;
  /** Set when a run fault stopped it. */
  fault: RunFault | null;
}

/**
 * Failures that are not the item's but the setup's: the service is unreachable or refuses the admin
 * scope, the label does not exist, the database went away. They would fail every item alike, so the
 * item is not recorded; the run stops and can be resumed once the cause is fixed.
 */
export const runFaultCodes: ReadonlySet<string> = new Set([
  'service_unreachable',
  'forbidden',
  'prompt_not_found',
  'prompt_store_unavailable',
  'datasource_unavailable',
  'datasource_not_found',
]);

/**
 * Runs every case under every label (and repeat): golds first, once per case, on the eval database;
 * then the items, `concurrency` at a time, each scored by execution accuracy as it finishes and
 * appended to the run's `items.jsonl`. One item's failure is recorded with its reason and never stops
 * the run; a case whose gold fails is left out and reported. A run fault (see `runFaultCodes`) stops it.
 */
export async function runEval(options: EvalRunnerOptions): Promise<RunOutcome> {
  const now = options.now ?? (() => new Date());
  // Our own signal: the caller's interrupt, or a run fault, stops every worker.
  const stop = new AbortController();
  let fault: RunFault | null = null;
  const onCallerAbort = () => stop.abort();
  options.signal?.addEventListener('abort', onCallerAbort);
  if (options.signal?.aborted) stop.abort();
  try {
    const golds = new Map<string, GoldResult>();
    await forEachConcurrently(options.cases, options.concurrency, stop, async (evalCase) => {
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
    options.onEvent?.({ type: 'start', total, alreadyFinished: items.length, labels: options.labels });

    await forEachConcurrently(queue, options.concurrency, stop, async ({ evalCase, label, repeat }) => {
      const result = await runItem(options, evalCase, label, repeat, golds.get(caseKey(evalCase))!, stop.signal, now);
      if (stop.signal.aborted) return;
      if ('fault' in result) {
        fault ??= result.fault;
        stop.abort();
        return;
      }
      items.push(result.item);
      const finished = items.length;
      await options.store?.append(result.item);
      options.onEvent?.({ type: 'item', item: result.item, finished, total });
    });
    return { items, golds, interrupted: stop.signal.aborted, fault };
  } finally {
    options.signal?.removeEventListener('abort', onCallerAbort);
  }
}

export function caseKey(evalCase: EvalCase): string {
  return `${evalCase.dataset}/${evalCase.id}`;
}

async function runItem(
  options: EvalRunnerOptions,
  evalCase: EvalCase,
  label: string,
  repeat: number,
  gold: GoldResult,
  runSignal: AbortSignal,
  now: () => Date,
): Promise<{ item: EvalItemResult } | { fault: RunFault }> {
  const startedAt = now().toISOString();
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), options.itemTimeoutMs);
  let answer: TargetAnswer;
  try {
    answer = await options.target.answer(evalCase, label, { runId: options.runId, signal: AbortSignal.any([runSignal, timeout.signal]) });
  } catch (error) {
    answer = failedAnswer('error', 'target_failed', (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
  if (!runSignal.aborted && timeout.signal.aborted && answer.status !== 'answered') {
    answer = { ...answer, status: 'error', errorCode: 'timeout', message: `No answer within ${options.itemTimeoutMs} ms (the item timeout).` };
  }
  if (answer.errorCode && runFaultCodes.has(answer.errorCode)) return { fault: { code: answer.errorCode, message: answer.message ?? answer.errorCode } };
  let scored: Awaited<ReturnType<typeof scoreAnswer>>;
  try {
    scored = await scoreAnswer(answer, gold, evalCase, options.database);
  } catch (error) {
    // A datasource that went away while scoring is the setup's fault; anything else is this item's.
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && runFaultCodes.has(code)) return { fault: { code, message: (error as Error).message } };
    scored = { outcome: 'error', reason: `scoring failed: ${(error as Error).message}`, errorCode: 'scoring_failed', rowCount: null };
  }
  const { status: _status, rows: _rows, message: _message, errorCode: _errorCode, ...facts } = answer;
  return {
    item: {
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
    },
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

/**
 * Runs `work` over `items`, at most `concurrency` at once, starting nothing new once `stop` aborts. When
 * one call throws, the others are stopped and awaited before the error is rethrown, so nothing keeps
 * working (or writing) after the run has failed.
 */
async function forEachConcurrently<T>(items: readonly T[], concurrency: number, stop: AbortController, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop.signal.aborted) {
      const item = items[next];
      next += 1;
      try {
        await work(item);
      } catch (error) {
        stop.abort();
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}
