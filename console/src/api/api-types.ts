/**
 * The API's response bodies as the console reads them, typed from the zod schemas that describe them in the
 * OpenAPI document (src/http/api-schemas.ts): a type-only import, so no server code reaches the bundle, and
 * a change of the API's shapes fails the console's type check.
 */
import type { z } from 'zod';
import type * as api from '../../../src/http/api-schemas.ts';

export type Datasource = z.output<typeof api.datasourceSummarySchema>;
export type DatasourceQuestions = z.output<typeof api.datasourceQuestionsSchema>;
export type QueryResult = z.output<typeof api.queryResultSchema>;
export type ResultColumn = QueryResult['columns'][number];
/** A `step` event of `POST /v1/query` as server-sent events: one tool call as it ends. */
export type QueryStep = z.output<(typeof api.queryEventSchemas)['step']>;
/** The `error` object every failing route answers (`{"error": …}`); one the console makes (the network failed) has no request id. */
export type ErrorBody = Omit<z.output<typeof api.errorResponseSchema>['error'], 'requestId'> & { requestId?: string };

export type TraceTree = z.output<typeof api.traceTreeSchema>;
export type Span = TraceTree['spans'][number];
export type TraceSummary = z.output<typeof api.traceListSchema>['traces'][number];

export type PromptList = z.output<typeof api.promptListSchema>;
export type PromptSummary = PromptList['prompts'][number];
export type PromptDetail = z.output<typeof api.promptDetailSchema>;
export type PromptDiff = z.output<typeof api.promptDiffSchema>;
export type RenderedPrompt = z.output<typeof api.renderedPromptSchema>;
export type LabelMoved = z.output<typeof api.labelMovedSchema>;

export type Stats = z.output<typeof api.statsSchema>;
export type StatsGrouping = Stats['by'];
export type StatsGroup = Stats['groups'][number];

export type FeedbackResult = z.output<typeof api.feedbackResultSchema>;

export type EvalRunSummary = z.output<typeof api.evalRunListSchema>['runs'][number];

/** One side of a flipped question: the fields of a comparison's `improvements` and `regressions` (docs/evals.md). */
export interface EvalFlipSide {
  sql: string | null;
  outcome: string;
  reason: string | null;
  traceId: string | null;
}

export interface EvalFlip {
  caseId: string;
  question: string;
  first: EvalFlipSide;
  second: EvalFlipSide;
}

type EvalReportDocumented = z.output<typeof api.evalReportSchema>;
/** A run's report: the document describes labels and comparisons in part; these are the open fields the console reads. */
export type EvalReport = Omit<EvalReportDocumented, 'labels' | 'comparisons'> & {
  labels: Array<
    EvalReportDocumented['labels'][number] & {
      overall: { items: number; correct: number; accuracy: number | null; interval?: { low: number; high: number } };
    }
  >;
  comparisons: Array<EvalReportDocumented['comparisons'][number] & { improvements?: EvalFlip[]; regressions?: EvalFlip[] }>;
};
