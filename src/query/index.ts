export { QueryService, type CacheMode, type QueryRequest, type QueryServiceOptions } from './query-service.ts';
