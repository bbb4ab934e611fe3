import { InvalidInputError } from '../../errors/index.ts';
import { mcnemarExactP } from '../statistics/mcnemar-test.ts';
import { formatP, significanceLevel } from './build-report.ts';
import type { EvalReport } from './eval-report.ts';
import type { EvalItemResult } from '../run/eval-item.ts';

/** One case whose verdict changed between two runs, under one label. */
export interface RunChange {
  label: string;
  dataset: string;
  caseId: string;
  question: string;
  before: { outcome: EvalItemResult['outcome']; sql: string | null; reason: string | null; traceId: string | null };
  after: { outcome: EvalItemResult['outcome']; sql: string | null; reason: string | null; traceId: string | null };
}

/** Two runs compared label by label on the cases both ran. */
export interface RunComparison {
  before: string;
  after: string;
  labels: Array<{
    label: string;
    /** The label in each run, when its name differs (`--label A:B` compares different labels). */
    beforeLabel: string;
    afterLabel: string;
    promptVersions: { before: number[]; after: number[] };
    cases: number;
    accuracy: { before: number | null; after: number | null };
    regressions: RunChange[];
    improvements: RunChange[];
    pValue: number;
    verdict: 'better' | 'worse' | 'not_distinguishable';
    sentence: string;
  }>;
  /** Cases only one run has (different datasets, limits or tags). */
  onlyBefore: number;
  onlyAfter: number;
}

/**
 * The regressions and improvements between two runs: per label that both ran (or the pairs given), the
 * cases that were right before and wrong after and the reverse, with an exact McNemar test. A case with
 * repeats counts as right when most of its repeats were.
 */
export function compareRuns(before: EvalReport, after: EvalReport, pairs?: Array<{ before: string; after: string }>): RunComparison {
  const chosen = pairs ?? before.parameters.labels.filter((label) => after.parameters.labels.includes(label)).map((label) => ({ before: label, after: label }));
  if (chosen.length === 0) {
    throw new InvalidInputError(`The runs share no label (${before.runId}: ${before.parameters.labels.join(', ')}; ${after.runId}: ${after.parameters.labels.join(', ')}); name the pair with --label <before>:<after>.`, { field: 'label' });
  }
  for (const pair of chosen) {
    if (!before.parameters.labels.includes(pair.before)) throw new InvalidInputError(`${before.runId} has no label ${pair.before}.`, { field: 'label' });
    if (!after.parameters.labels.includes(pair.after)) throw new InvalidInputError(`${after.runId} has no label ${pair.after}.`, { field: 'label' });
  }
  const questionOf = new Map([...before.cases, ...after.cases].map((evalCase) => [`${evalCase.dataset}/${evalCase.id}`, evalCase.question]));
  const scoredKeys = (report: EvalReport) => new Set(report.items.map((item) => `${item.dataset}/${item.caseId}`));
  const beforeKeys = scoredKeys(before);
  const afterKeys = scoredKeys(after);
  const labels = chosen.map((pair) => {
    const beforeCases = verdictsByCase(before.items.filter((item) => item.label === pair.before));
    const afterCases = verdictsByCase(after.items.filter((item) => item.label === pair.after));
    const shared = [...beforeCases.keys()].filter((key) => afterCases.has(key)).sort();
    const regressions: RunChange[] = [];
    const improvements: RunChange[] = [];
    let beforeCorrect = 0;
    let afterCorrect = 0;
    for (const key of shared) {
      const was = beforeCases.get(key)!;
      const now = afterCases.get(key)!;
      if (was.correct) beforeCorrect += 1;
      if (now.correct) afterCorrect += 1;
      if (was.correct === now.correct) continue;
      const change: RunChange = {
        label: pair.before === pair.after ? pair.before : `${pair.before}→${pair.after}`,
        dataset: was.item.dataset,
        caseId: was.item.caseId,
        question: questionOf.get(key) ?? '',
        before: { outcome: was.item.outcome, sql: was.item.sql, reason: was.item.reason, traceId: was.item.traceId },
        after: { outcome: now.item.outcome, sql: now.item.sql, reason: now.item.reason, traceId: now.item.traceId },
      };
      (was.correct ? regressions : improvements).push(change);
    }
    const pValue = mcnemarExactP(regressions.length, improvements.length);
    const verdict = pValue < significanceLevel ? (improvements.length > regressions.length ? 'better' : 'worse') : 'not_distinguishable';
    const accuracy = { before: shared.length ? beforeCorrect / shared.length : null, after: shared.length ? afterCorrect / shared.length : null };
    const name = pair.before === pair.after ? pair.before : `${pair.before} → ${pair.after}`;
    const percent = (value: number | null) => (value === null ? '—' : `${(value * 100).toFixed(1)}%`);
    const headline = verdict === 'better' ? 'improved' : verdict === 'worse' ? 'regressed' : 'did not change distinguishably';
    return {
      label: name,
      beforeLabel: pair.before,
      afterLabel: pair.after,
      promptVersions: {
        before: before.labels.find((label) => label.label === pair.before)?.promptVersions ?? [],
        after: after.labels.find((label) => label.label === pair.after)?.promptVersions ?? [],
      },
      cases: shared.length,
      accuracy,
      regressions,
      improvements,
      pValue,
      verdict: verdict as 'better' | 'worse' | 'not_distinguishable',
      sentence: `${name} ${headline}: ${percent(accuracy.before)} → ${percent(accuracy.after)} on ${shared.length} shared cases, ${improvements.length} improved and ${regressions.length} regressed (exact McNemar ${formatP(pValue)}).`,
    };
  });
  return {
    before: before.runId,
    after: after.runId,
    labels,
    onlyBefore: [...beforeKeys].filter((key) => !afterKeys.has(key)).length,
    onlyAfter: [...afterKeys].filter((key) => !beforeKeys.has(key)).length,
  };
}

function verdictsByCase(items: readonly EvalItemResult[]): Map<string, { correct: boolean; item: EvalItemResult }> {
  const grouped = new Map<string, EvalItemResult[]>();
  for (const item of items) {
    const key = `${item.dataset}/${item.caseId}`;
    grouped.set(key, [...(grouped.get(key) ?? []), item]);
  }
  return new Map(
    [...grouped].map(([key, list]) => {
      const sorted = [...list].sort((left, right) => left.repeat - right.repeat);
      const correct = sorted.filter((item) => item.outcome === 'correct').length * 2 > sorted.length;
      // Shown: the first repeat whose outcome agrees with the majority.
      return [key, { correct, item: sorted.find((item) => (item.outcome === 'correct') === correct) ?? sorted[0] }];
    }),
  );
}
