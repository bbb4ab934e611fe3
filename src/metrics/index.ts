export { boundedLabelValue, labelValue, unknownLabelValue } from './label-values.ts';
export {
  llmCallDurationBuckets,
  requestDurationBuckets,
  ServiceMetrics,
  type CacheResult,
  type AnsweredRequest,
  type AttemptMetrics,
  type RequestFailure,
  type StepMetrics,
  type UsageMetrics,
  type RequestOutcome,
  type ServiceMetricsOptions,
  type TraceExporter,
} from './service-metrics.ts';
export { classifySqlErrorCode, sqlErrorTypes, type SqlErrorType } from './sql-error-type.ts';
