export type { CachedAnswer, CachedAnswerColumn } from './cached-answer.ts';
export { cacheKey, type CacheKeyInput } from './cache-key.ts';
export { normalizeQuestion } from './normalize-question.ts';
export { DEFAULT_ENTRY_TTL_MS, type ResultCache, type ResultCacheStats } from './result-cache.ts';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_ENTRIES, MemoryResultCache, type MemoryResultCacheOptions } from './memory-result-cache.ts';
export { DEFAULT_REDIS_PREFIX, RedisResultCache, type RedisResultCacheOptions } from './redis-result-cache.ts';
export { SingleFlight } from './single-flight.ts';
export { createResultCache, type ResultCacheSettings } from './create-result-cache.ts';
