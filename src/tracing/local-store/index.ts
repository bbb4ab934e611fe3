/**
 * The local span store: spans and feedback in the application database, with the trace list, the
 * trace tree (data and text) and per-group statistics.
 */
export { answeredQuestionOf, type AnsweredQuestion } from './answered-question.ts';
export { computeStats, type LatencyPercentiles, type StatsGroup, type StatsOptions } from './compute-stats.ts';
export { parseStatsGrouping, statsGroupings, type StatsGrouping } from './stats-grouping.ts';
export {
  LocalSpanStore,
  type FeedbackRecord,
  type ListTracesOptions,
  type LocalSpanStoreOptions,
  type RetentionPolicy,
  type RetentionResult,
  type TraceSummary,
} from './local-span-store.ts';
export { formatCost, formatDuration, formatTokens, renderTraceTree, spanDisplayName, subtreeCost } from './render-trace-tree.ts';
export { spanKinds, spanLevels, type SpanKind, type SpanLevel, type SpanRecord } from './span-record.ts';
export { appliedMigrationVersions, applyMigrations, spanStoreMigrations, type SchemaMigration } from './span-store-migrations.ts';
export { buildSpanTree, type SpanNode, type TraceTree } from './span-tree.ts';
export { drainSpanSpool, SpanSpool, type SpanSink } from './span-spool.ts';
export { parseSince, type ParseSinceOptions } from './parse-since.ts';
