import { difficulties, type Difficulty, type EvalCase } from '../dataset/eval-case.ts';
import type { GoldResult } from '../run/eval-database.ts';
import type { EvalItemResult, ItemOutcome } from '../run/eval-item.ts';
import { caseKey } from '../run/eval-runner.ts';
import { mcnemarExactP } from '../statistics/mcnemar-test.ts';
import { wilsonInterval } from '../statistics/wilson-interval.ts';
import { evalReportFormat, type AccuracyCell, type EvalReport, type FlippedItem, type LabelComparison, type LabelSummary, type ReasonCount, type RepeatSpread, type ReportCase } from './eval-report.ts';

/** The significance level of the label comparison. */
export const significanceLevel = 0.05;

export interface BuildReportInput {
  runId: string;
  createdAt: string;
  finishedAt: string;
  mode: EvalReport['mode'];
  parameters: EvalReport['parameters'];
  datasets: EvalReport['datasets'];
  cases: readonly EvalCase[];
  golds: ReadonlyMap<string, GoldResult>;
  items: readonly EvalItemResult[];
  complete: boolean;
  /** The run fault that stopped the run, if one did. */
  stoppedBy?: { code: string; message: string } | null;
  durationMs: number;
}

/** Everything the report says, computed from the items: per-label figures, paired comparisons, notes. */
export function buildEvalReport(input: BuildReportInput): EvalReport {
  const { parameters } = input;
  const cases: ReportCase[] = input.cases.map((evalCase) => {
    const gold = input.golds.get(caseKey(evalCase));
    return {
      id: evalCase.id,
      dataset: evalCase.dataset,
      datasource: evalCase.datasource,
      question: evalCase.question,
      difficulty: evalCase.difficulty,
      tags: evalCase.tags,
      goldSql: gold?.sql ?? evalCase.gold.postgres ?? evalCase.gold.mysql ?? '',
      orderMatters: gold?.orderMatters ?? false,
      goldRowCount: gold && !gold.error ? gold.rows.length : null,
      goldError: gold?.error ?? null,
    };
  });
  const caseByKey = new Map(input.cases.map((evalCase) => [caseKey(evalCase), evalCase]));
  const items = [...input.items].sort(compareItems(input.cases, parameters.labels));
  const labels = parameters.labels.map((label) => summarizeLabel(label, items.filter((item) => item.label === label), caseByKey, parameters.repeat));
  const comparisons: LabelComparison[] = [];
  for (let first = 0; first < parameters.labels.length; first += 1) {
    for (let second = first + 1; second < parameters.labels.length; second += 1) {
      comparisons.push(compareLabels(parameters.labels[first], parameters.labels[second], items, caseByKey, labels));
    }
  }
  const gate = parameters.failUnder === null
    ? null
    : (() => {
        const failing = labels.filter((label) => label.overall.accuracy === null || label.overall.accuracy < parameters.failUnder!).map((label) => label.label);
        return { threshold: parameters.failUnder, passed: failing.length === 0, failing };
      })();
  return {
    format: evalReportFormat,
    runId: input.runId,
    createdAt: input.createdAt,
    finishedAt: input.finishedAt,
    complete: input.complete,
    stoppedBy: input.stoppedBy ?? null,
    mode: input.mode,
    parameters,
    datasets: input.datasets,
    labels,
    comparisons,
    gate,
    notes: notesFor(input, cases, labels, comparisons, gate),
    cases,
    items,
    durationMs: input.durationMs,
  };
}

/** Whether a case counts as correct: right in most of its repeats (in its only run, without repeats). */
function caseVerdicts(items: readonly EvalItemResult[]): Map<string, boolean> {
  const tally = new Map<string, { correct: number; runs: number }>();
  for (const item of items) {
    const key = `${item.dataset}/${item.caseId}`;
    const entry = tally.get(key) ?? { correct: 0, runs: 0 };
    entry.runs += 1;
    if (item.outcome === 'correct') entry.correct += 1;
    tally.set(key, entry);
  }
  return new Map([...tally].map(([key, entry]) => [key, entry.correct * 2 > entry.runs]));
}

function cell(verdicts: boolean[]): AccuracyCell {
  const correct = verdicts.filter(Boolean).length;
  return { items: verdicts.length, correct, accuracy: verdicts.length ? correct / verdicts.length : null, interval: wilsonInterval(correct, verdicts.length) };
}

function summarizeLabel(label: string, items: EvalItemResult[], caseByKey: ReadonlyMap<string, EvalCase>, repeat: number): LabelSummary {
  const verdicts = caseVerdicts(items);
  const entries = [...verdicts].map(([key, correct]) => ({ evalCase: caseByKey.get(key), correct })).filter((entry): entry is { evalCase: EvalCase; correct: boolean } => Boolean(entry.evalCase));
  const group = (keyOf: (evalCase: EvalCase) => string[]) => {
    const groups: Record<string, boolean[]> = {};
    for (const entry of entries) for (const key of keyOf(entry.evalCase)) (groups[key] ??= []).push(entry.correct);
    return Object.fromEntries(Object.entries(groups).sort(([left], [right]) => left.localeCompare(right)).map(([key, list]) => [key, cell(list)]));
  };
  const byDifficulty = Object.fromEntries(difficulties.map((difficulty) => [difficulty, cell(entries.filter((entry) => entry.evalCase.difficulty === difficulty).map((entry) => entry.correct))])) as Record<Difficulty, AccuracyCell>;
  const outcomes: Record<ItemOutcome, number> = { correct: 0, wrong: 0, declined: 0, error: 0 };
  for (const item of items) outcomes[item.outcome] += 1;
  const latencies = items.map((item) => item.latencyMs).sort((left, right) => left - right);
  const priced = items.filter((item) => item.costUsd !== null);
  const count = (keyOf: (item: EvalItemResult) => string) => {
    const counts: Record<string, number> = {};
    for (const item of items) counts[keyOf(item)] = (counts[keyOf(item)] ?? 0) + 1;
    return counts;
  };
  return {
    label,
    promptVersions: [...new Set(items.map((item) => item.promptVersion).filter((version): version is number => version !== null))].sort((left, right) => left - right),
    overall: cell(entries.map((entry) => entry.correct)),
    byDifficulty,
    byTag: group((evalCase) => evalCase.tags),
    byDataset: group((evalCase) => [evalCase.dataset]),
    outcomes,
    latencyMs: { p50: nearestRank(latencies, 0.5), p95: nearestRank(latencies, 0.95), mean: mean(latencies) },
    tokens: { meanInput: mean(items.map((item) => item.inputTokens)), meanOutput: mean(items.map((item) => item.outputTokens)) },
    cost: { meanUsd: mean(priced.map((item) => item.costUsd!)), totalUsd: priced.reduce((sum, item) => sum + item.costUsd!, 0), unpricedItems: items.length - priced.length },
    meanSteps: mean(items.map((item) => item.steps)),
    escalationRate: items.length ? items.filter((item) => item.escalated).length / items.length : null,
    answeringTiers: count((item) => item.tier ?? 'none'),
    cacheStatus: count((item) => item.cacheStatus ?? 'unknown'),
    reasons: reasonCounts(items),
    repeats: repeat > 1 ? repeatSpread(items, repeat) : null,
  };
}

/** Groups what went wrong: declines and errors by code, wrong answers by the kind of difference. */
function reasonCounts(items: readonly EvalItemResult[]): ReasonCount[] {
  const counts = new Map<string, ReasonCount>();
  for (const item of items) {
    if (item.outcome === 'correct') continue;
    const reason = item.outcome === 'wrong' ? kindOfDifference(item.reason) : (item.errorCode ?? 'unknown');
    const key = `${item.outcome}:${reason}`;
    const entry = counts.get(key) ?? { outcome: item.outcome, reason, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((left, right) => right.count - left.count || left.reason.localeCompare(right.reason));
}

/** The comparator's reason, reduced to a kind that can be counted. */
export function kindOfDifference(reason: string | null): string {
  if (!reason) return 'results differ';
  if (/columns?; the prediction has/.test(reason)) return 'different number of columns';
  if (/prediction is empty/.test(reason)) return 'empty result';
  if (/gold result is empty/.test(reason)) return 'rows where none are expected';
  if (/rows?; the prediction has/.test(reason)) return 'different number of rows';
  if (/different order/.test(reason)) return 'same rows, wrong order';
  if (/cut at/.test(reason)) return 'result cut by the row cap';
  if (/no predicted column has the values/.test(reason)) return 'different values';
  if (/combined into different rows/.test(reason)) return 'values combined differently';
  return 'results differ';
}

function repeatSpread(items: readonly EvalItemResult[], repeat: number): RepeatSpread {
  const accuracies: number[] = [];
  for (let index = 1; index <= repeat; index += 1) {
    const run = items.filter((item) => item.repeat === index);
    if (run.length) accuracies.push(run.filter((item) => item.outcome === 'correct').length / run.length);
  }
  const average = mean(accuracies) ?? 0;
  const variance = accuracies.length > 1 ? accuracies.reduce((sum, value) => sum + (value - average) ** 2, 0) / (accuracies.length - 1) : 0;
  const byCase = new Map<string, Set<boolean>>();
  for (const item of items) {
    const key = `${item.dataset}/${item.caseId}`;
    const seen = byCase.get(key) ?? new Set<boolean>();
    seen.add(item.outcome === 'correct');
    byCase.set(key, seen);
  }
  return {
    count: accuracies.length,
    accuracies,
    mean: average,
    standardDeviation: Math.sqrt(variance),
    min: accuracies.length ? Math.min(...accuracies) : 0,
    max: accuracies.length ? Math.max(...accuracies) : 0,
    inconsistentCases: [...byCase].filter(([, seen]) => seen.size > 1).map(([key]) => key).sort(),
  };
}

function compareLabels(first: string, second: string, items: readonly EvalItemResult[], caseByKey: ReadonlyMap<string, EvalCase>, summaries: readonly LabelSummary[]): LabelComparison {
  const firstItems = items.filter((item) => item.label === first);
  const secondItems = items.filter((item) => item.label === second);
  const firstVerdicts = caseVerdicts(firstItems);
  const secondVerdicts = caseVerdicts(secondItems);
  // The item shown for a case: its first repeat whose outcome agrees with the case's majority verdict.
  const representative = (list: EvalItemResult[], verdicts: Map<string, boolean>) => {
    const map = new Map<string, EvalItemResult>();
    for (const item of [...list].sort((left, right) => left.repeat - right.repeat)) {
      const key = `${item.dataset}/${item.caseId}`;
      if (!map.has(key) && (item.outcome === 'correct') === verdicts.get(key)) map.set(key, item);
    }
    return map;
  };
  const firstByCase = representative(firstItems, firstVerdicts);
  const secondByCase = representative(secondItems, secondVerdicts);
  const counts = { bothCorrect: 0, onlyFirst: 0, onlySecond: 0, bothWrong: 0 };
  const improvements: FlippedItem[] = [];
  const regressions: FlippedItem[] = [];
  let identicalSql = 0;
  let bothWithoutSql = 0;
  const keys = [...firstVerdicts.keys()].filter((key) => secondVerdicts.has(key));
  for (const key of keys) {
    const a = firstVerdicts.get(key)!;
    const b = secondVerdicts.get(key)!;
    const firstItem = firstByCase.get(key)!;
    const secondItem = secondByCase.get(key)!;
    if (firstItem.sql !== null && secondItem.sql !== null && normalizeSql(firstItem.sql) === normalizeSql(secondItem.sql)) identicalSql += 1;
    if (firstItem.sql === null && secondItem.sql === null) bothWithoutSql += 1;
    if (a && b) counts.bothCorrect += 1;
    else if (!a && !b) counts.bothWrong += 1;
    else {
      const evalCase = caseByKey.get(key);
      const flip: FlippedItem = {
        caseId: firstItem.caseId,
        dataset: firstItem.dataset,
        question: evalCase?.question ?? '',
        first: { sql: firstItem.sql, outcome: firstItem.outcome, reason: firstItem.reason, traceId: firstItem.traceId },
        second: { sql: secondItem.sql, outcome: secondItem.outcome, reason: secondItem.reason, traceId: secondItem.traceId },
      };
      if (a) {
        counts.onlyFirst += 1;
        regressions.push(flip);
      } else {
        counts.onlySecond += 1;
        improvements.push(flip);
      }
    }
  }
  const erroredCases = keys.filter((key) => firstByCase.get(key)?.outcome === 'error' || secondByCase.get(key)?.outcome === 'error').length;
  const pValue = mcnemarExactP(counts.onlyFirst, counts.onlySecond);
  const verdict: LabelComparison['verdict'] = pValue < significanceLevel ? (counts.onlySecond > counts.onlyFirst ? 'better' : 'worse') : 'not_distinguishable';
  const cases = keys.length;
  const accuracyDifference = cases ? (counts.bothCorrect + counts.onlySecond - (counts.bothCorrect + counts.onlyFirst)) / cases : 0;
  const identicalVerdicts = counts.onlyFirst + counts.onlySecond === 0;
  const versions = (label: string) => summaries.find((summary) => summary.label === label)?.promptVersions.map((version) => `v${version}`).join('/') || 'v?';
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const firstAccuracy = cases ? (counts.bothCorrect + counts.onlyFirst) / cases : 0;
  const secondAccuracy = cases ? (counts.bothCorrect + counts.onlySecond) / cases : 0;
  const p = formatP(pValue);
  let sentence: string;
  if (cases === 0) {
    sentence = `${second} and ${first} have no case in common to compare.`;
  } else if (identicalVerdicts) {
    const differentSql = cases - identicalSql - bothWithoutSql;
    const parts = [
      identicalSql ? `the same SQL on ${identicalSql}` : null,
      bothWithoutSql ? `no SQL from either on ${bothWithoutSql}` : null,
      differentSql ? `different SQL with the same verdict on ${differentSql}` : null,
    ].filter(Boolean);
    sentence =
      `${second} (${versions(second)}) and ${first} (${versions(first)}) scored identically on every one of the ${cases} cases (${percent(firstAccuracy)} each; ${parts.join(', ')}), ` +
      `so ${second} is not distinguishable from ${first} (${p}). ` +
      (erroredCases > 0
        ? `${erroredCases} case${erroredCases === 1 ? '' : 's'} failed with an error under a label (see the reasons), so this says less about the prompts than it seems.`
        : differentSql === 0
          ? 'The prompt versions do not differ in anything the model uses: the model did the same with either.'
          : `Their SQL differs on ${differentSql} case${differentSql === 1 ? '' : 's'} without changing any verdict.`);
  } else {
    const movement = `${counts.onlySecond} case${counts.onlySecond === 1 ? '' : 's'} improved and ${counts.onlyFirst} regressed`;
    const verb = verdict === 'better' ? 'is better than' : verdict === 'worse' ? 'is worse than' : 'is not distinguishable from';
    const sign = accuracyDifference >= 0 ? '+' : '−';
    sentence =
      `${second} (${versions(second)}) ${verb} ${first} (${versions(first)})${verdict === 'not_distinguishable' ? ' at this sample size' : ''}: ` +
      `${percent(secondAccuracy)} vs ${percent(firstAccuracy)} (${sign}${Math.abs(accuracyDifference * 100).toFixed(1)} points), ${movement}; exact McNemar ${p}.`;
  }
  return { first, second, cases, ...counts, accuracyDifference, pValue, verdict, identicalVerdicts, identicalSql, bothWithoutSql, sentence, improvements, regressions };
}

function notesFor(input: BuildReportInput, cases: ReportCase[], labels: LabelSummary[], comparisons: LabelComparison[], gate: EvalReport['gate']): string[] {
  const notes: string[] = [];
  if (!input.complete) {
    const expected = cases.filter((evalCase) => !evalCase.goldError).length * input.parameters.labels.length * input.parameters.repeat;
    const how = input.stoppedBy ? `stopped (${input.stoppedBy.code}: ${input.stoppedBy.message}) after ${input.items.length} of ${expected} items; nothing of the item that met it was recorded. Fix the cause, then resume it` : `was interrupted after ${input.items.length} of ${expected} items; resume it`;
    notes.push(`This run ${how} with \`sqlagent eval run --resume ${input.runId}\`. The figures cover the finished items only.`);
  }
  const failedGolds = cases.filter((evalCase) => evalCase.goldError);
  if (failedGolds.length) {
    notes.push(`${failedGolds.length} case${failedGolds.length === 1 ? ' was' : 's were'} left out because the gold SQL failed on this database (run \`sqlagent eval validate\`): ${failedGolds.slice(0, 10).map((evalCase) => `${evalCase.id} (${evalCase.goldError})`).join('; ')}${failedGolds.length > 10 ? '; …' : ''}.`);
  }
  for (const label of labels) {
    if (label.promptVersions.length > 1) notes.push(`The label ${label.label} served more than one prompt version during the run (${label.promptVersions.map((version) => `v${version}`).join(', ')}): it moved mid-run, so its figures mix versions.`);
  }
  for (const comparison of comparisons) {
    if (comparison.identicalVerdicts && comparison.cases > 0) notes.push(comparison.sentence);
  }
  if (gate && !gate.passed) notes.push(`Below the --fail-under threshold of ${(gate.threshold * 100).toFixed(1)}%: ${gate.failing.join(', ')}.`);
  return notes;
}

function compareItems(cases: readonly EvalCase[], labels: readonly string[]) {
  const caseOrder = new Map(cases.map((evalCase, index) => [caseKey(evalCase), index]));
  const labelOrder = new Map(labels.map((label, index) => [label, index]));
  return (left: EvalItemResult, right: EvalItemResult) =>
    (caseOrder.get(`${left.dataset}/${left.caseId}`) ?? 0) - (caseOrder.get(`${right.dataset}/${right.caseId}`) ?? 0) ||
    (labelOrder.get(left.label) ?? 0) - (labelOrder.get(right.label) ?? 0) ||
    left.repeat - right.repeat;
}

/** Nearest-rank percentile of sorted values (as `stats` computes them). */
export function nearestRank(sorted: readonly number[], fraction: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1))];
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : null;
}

function normalizeSql(sql: string): string {
  return sql.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();
}

/** A p-value for a sentence: `p = 0.014` (two significant digits), `p = 1`, or `p < 0.001`. */
export function formatP(pValue: number): string {
  if (pValue < 0.001) return 'p < 0.001';
  return `p = ${pValue >= 0.995 ? '1' : pValue.toPrecision(2)}`;
}
