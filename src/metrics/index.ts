export { boundedLabelValue, labelValue, unknownLabelValue } from './label-values.ts';
export {
  llmCallDurationBuckets,
  requestDurationBuckets,
  ServiceMetrics,
  type CacheResult,
  type RequestFailure,
  type RequestOutcome,
  type ServiceMetricsOptions,
  type TraceExporter,
} from './service-metrics.ts';
export { classifySqlErrorCode, classifySqlErrorText, sqlErrorTypes, type SqlErrorType } from './sql-error-type.ts';
