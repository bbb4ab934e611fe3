import type { Logger } from '../logging/index.ts';
import { MemoryResultCache } from './memory-result-cache.ts';
import { RedisResultCache } from './redis-result-cache.ts';
import type { ResultCache } from './result-cache.ts';

/** Settings for {@link createResultCache}; each falls back to the chosen implementation's default. */
export interface ResultCacheSettings {
  /** When set (and not empty), the cache lives in Redis and is shared by replicas; else in memory. */
  redisUrl?: string;
  /** How long an answer is kept. Default 24 hours. */
  entryTtlMs?: number;
  /** Redis key namespace. Default `sqlagent:cache`. */
  prefix?: string;
  /** Longest a call waits on Redis. Default 1000 ms. */
  connectTimeoutMs?: number;
  /** Memory cache: most entries. Default 1000. */
  maxEntries?: number;
  /** Memory cache: most bytes (JSON length). Default 50 MiB. */
  maxBytes?: number;
}

/**
 * A Redis result cache when `settings.redisUrl` is given, else an in-memory one. Does not wait for Redis:
 * until it is reachable the cache misses.
 *
 * @throws ConfigError on invalid settings.
 */
export function createResultCache(settings: ResultCacheSettings, logger: Logger): ResultCache {
  if (settings.redisUrl) {
    return new RedisResultCache({
      url: settings.redisUrl,
      prefix: settings.prefix,
      entryTtlMs: settings.entryTtlMs,
      connectTimeoutMs: settings.connectTimeoutMs,
      logger,
    });
  }
  return new MemoryResultCache({ maxEntries: settings.maxEntries, maxBytes: settings.maxBytes, entryTtlMs: settings.entryTtlMs });
}
