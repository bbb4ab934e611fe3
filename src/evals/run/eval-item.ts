/** How one item (a case under one label, one repeat) ended. */
export type ItemOutcome = 'correct' | 'wrong' | 'declined' | 'error';

/** How a system under test got to its answer: the facts an item keeps whatever its outcome. */
export interface AnswerFacts {
  sql: string | null;
  answer: string | null;
  promptVersion: number | null;
  model: string | null;
  tier: string | null;
  /** Every cascade attempt: the tier and why it escalated (null for the answering one). */
  attempts: Array<{ tier: string; model: string; outcome: string; reason: string | null }>;
  /** Tool steps over all attempts. */
  steps: number;
  inputTokens: number;
  outputTokens: number;
  /** USD; null when a model has no price. */
  costUsd: number | null;
  latencyMs: number;
  cacheStatus: string | null;
  traceId: string | null;
}

/** What a system under test said about one case: its SQL and how it got there. */
export interface TargetAnswer extends AnswerFacts {
  /** `answered`: it gave SQL; `declined`: it said it cannot answer; `error`: it failed. */
  status: 'answered' | 'declined' | 'error';
  /** The rows of its SQL when it ran them itself and they were not cut by a row cap; else null (the scorer runs the SQL). */
  rows: unknown[][] | null;
  /** A stable code for a decline or error: `agent_failed:model_declined`, `model_unavailable`, `timeout`… */
  errorCode: string | null;
  message: string | null;
}

/** One finished item, as `items.jsonl` and `report.json` record it. */
export interface EvalItemResult extends AnswerFacts {
  /** `<dataset>/<case id>@<label>#<repeat>`: unique in a run; resume skips the keys already recorded. */
  key: string;
  dataset: string;
  caseId: string;
  label: string;
  /** 1-based. */
  repeat: number;
  outcome: ItemOutcome;
  /** Why it is not correct: the comparator's reason, the decline, or the error; null when correct. */
  reason: string | null;
  errorCode: string | null;
  /** Rows the predicted SQL returned (null when it did not run). */
  rowCount: number | null;
  /** A later cascade tier was tried. */
  escalated: boolean;
  startedAt: string;
}

export function itemKey(dataset: string, caseId: string, label: string, repeat: number): string {
  return `${dataset}/${caseId}@${label}#${repeat}`;
}

/** An answer for a system that failed before saying anything useful. */
export function failedAnswer(status: 'declined' | 'error', errorCode: string, message: string, extra: Partial<TargetAnswer> = {}): TargetAnswer {
  return {
    status,
    sql: null,
    answer: null,
    rows: null,
    errorCode,
    message,
    promptVersion: null,
    model: null,
    tier: null,
    attempts: [],
    steps: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    latencyMs: 0,
    cacheStatus: null,
    traceId: null,
    ...extra,
  };
}
