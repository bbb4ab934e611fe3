import type { Difficulty } from '../dataset/eval-case.ts';
import type { Interval } from '../statistics/wilson-interval.ts';
import type { EvalItemResult, ItemOutcome } from '../run/eval-item.ts';

/** Bumped when the report's shape changes incompatibly. */
export const evalReportFormat = 1;

/** Accuracy over a group of items. */
export interface AccuracyCell {
  items: number;
  correct: number;
  /** correct / items; null for an empty group. */
  accuracy: number | null;
  /** 95% Wilson interval. */
  interval: Interval;
}

export interface ReasonCount {
  outcome: Exclude<ItemOutcome, 'correct'>;
  /** The error or decline code, or the comparator's reason for a wrong answer, shortened. */
  reason: string;
  count: number;
}

/** Everything the report says about one label. */
export interface LabelSummary {
  label: string;
  /** The prompt versions the label served during the run (more than one means it moved mid-run). */
  promptVersions: number[];
  /**
   * Headline accuracy over the cases (with `repeat` > 1, a case counts as correct when most of its repeats
   * were), with its 95% Wilson interval.
   */
  overall: AccuracyCell;
  byDifficulty: Record<Difficulty, AccuracyCell>;
  byTag: Record<string, AccuracyCell>;
  byDataset: Record<string, AccuracyCell>;
  outcomes: Record<ItemOutcome, number>;
  latencyMs: { p50: number | null; p95: number | null; mean: number | null };
  tokens: { meanInput: number | null; meanOutput: number | null };
  /** USD; `unpricedItems` counts items whose cost is unknown (a model without a price), left out of both. */
  cost: { meanUsd: number | null; totalUsd: number; unpricedItems: number };
  meanSteps: number | null;
  /** Share of items where a later cascade tier answered or tried. */
  escalationRate: number | null;
  /** Items by the tier that answered (`none` when nothing answered). */
  answeringTiers: Record<string, number>;
  cacheStatus: Record<string, number>;
  /** Declines, errors and wrong answers grouped by reason, most frequent first. */
  reasons: ReasonCount[];
  /** Present when the run repeated items: each repeat's own accuracy and how much they spread. */
  repeats: RepeatSpread | null;
}

export interface RepeatSpread {
  count: number;
  /** Accuracy of each repeat, in order. */
  accuracies: number[];
  mean: number;
  standardDeviation: number;
  min: number;
  max: number;
  /** Cases that were right in some repeats and wrong in others. */
  inconsistentCases: string[];
}

/** One item that one label got right and the other wrong. */
export interface FlippedItem {
  caseId: string;
  dataset: string;
  question: string;
  /** The SQL each label gave (null when it gave none), with its outcome, reason and trace. */
  first: { sql: string | null; outcome: ItemOutcome; reason: string | null; traceId: string | null };
  second: { sql: string | null; outcome: ItemOutcome; reason: string | null; traceId: string | null };
}

/** A paired comparison of two labels on the same cases. */
export interface LabelComparison {
  /** The baseline (the earlier label in `--labels`). */
  first: string;
  /** The candidate. */
  second: string;
  cases: number;
  bothCorrect: number;
  onlyFirst: number;
  onlySecond: number;
  bothWrong: number;
  /** second − first accuracy. */
  accuracyDifference: number;
  /** Exact McNemar (two-sided binomial on the discordant pairs). */
  pValue: number;
  /** At α = 0.05: `better` / `worse` means the second is better / worse than the first. */
  verdict: 'better' | 'worse' | 'not_distinguishable';
  /** True when both labels gave the same verdict on every case. */
  identicalVerdicts: boolean;
  /** Cases where both labels gave the very same SQL. */
  identicalSql: number;
  /** Cases where neither label gave any SQL (both declined or failed). */
  bothWithoutSql: number;
  /** The plain sentence for a pull request. */
  sentence: string;
  /** Items the second got right and the first wrong (improvements), and the reverse (regressions). */
  improvements: FlippedItem[];
  regressions: FlippedItem[];
}

/** A case as the report lists it, with its gold. */
export interface ReportCase {
  id: string;
  dataset: string;
  datasource: string;
  question: string;
  difficulty: Difficulty;
  tags: string[];
  goldSql: string;
  orderMatters: boolean;
  goldRowCount: number | null;
  /** Set when the gold failed on this database; the case is then left out of every figure. */
  goldError: string | null;
}

/** The complete, machine-readable result of one run (`report.json`). */
export interface EvalReport {
  format: typeof evalReportFormat;
  runId: string;
  createdAt: string;
  finishedAt: string;
  /** False when the run was interrupted or stopped: resume it with `eval run --resume <runId>`. */
  complete: boolean;
  /** What stopped the run early when it was not the user (a run fault: service unreachable, database gone…). */
  stoppedBy: { code: string; message: string } | null;
  /** `run` (the agent answered) or `score` (predictions from a file were scored). */
  mode: 'run' | 'score';
  parameters: {
    datasets: string[];
    labels: string[];
    prompt: string;
    target: string;
    engine: string | null;
    /** The databases, by datasource id, with passwords masked. */
    databases: Record<string, string>;
    concurrency: number;
    repeat: number;
    limit: number | null;
    tags: string[];
    failUnder: number | null;
    itemTimeoutMs: number;
  };
  datasets: Array<{ name: string; file: string; sha256: string; cases: number }>;
  labels: LabelSummary[];
  comparisons: LabelComparison[];
  /** The `--fail-under` gate: whether every label reached the threshold. Null without a threshold. */
  gate: { threshold: number; passed: boolean; failing: string[] } | null;
  /** Plain sentences worth reading first (identical labels, moved labels, gold failures, interruptions). */
  notes: string[];
  cases: ReportCase[];
  items: EvalItemResult[];
  durationMs: number;
}
