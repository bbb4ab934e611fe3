export {
  QueryService,
  type CacheMode,
  type CacheStatus,
  type QueryRequest,
  type QueryResult,
  type QueryServiceOptions,
} from './query-service.ts';
