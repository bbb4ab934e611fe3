import type { CachedAnswer } from './cached-answer.ts';

/** How long an answer is kept unless configured otherwise: 24 hours. */
export const DEFAULT_ENTRY_TTL_MS = 24 * 60 * 60 * 1000;

/** Running counters of a result cache, for metrics and tests. */
export interface ResultCacheStats {
  /** `get` calls that returned an entry. */
  hits: number;
  /** `get` calls that returned null, including those that failed. */
  misses: number;
  /** Entries stored. */
  sets: number;
  /** Operations that failed (Redis unreachable, a command error, a value that would not serialize). */
  errors: number;
}

/**
 * A store of finished answers keyed by {@link cacheKey}. No method throws: a failing cache behaves as an
 * empty one (`get` gives null, writes do nothing) and counts the failure in `stats.errors`.
 */
export interface ResultCache {
  /** Which implementation this is. */
  readonly kind: 'memory' | 'redis';
  /** The entry for `key`, or null when there is none, it expired, or the cache is unavailable. */
  get(key: string): Promise<CachedAnswer | null>;
  /** Stores `value` under `key` for the entry TTL; `datasource` is what `invalidateDatasource` matches. */
  set(key: string, datasource: string, value: CachedAnswer): Promise<void>;
  /** Removes the entry for `key`, if any. */
  delete(key: string): Promise<void>;
  /** Makes every entry of `datasource` a miss from now on (for every replica sharing the cache). */
  invalidateDatasource(datasource: string): Promise<void>;
  /** Releases the cache's resources; later calls behave as an empty, disabled cache. */
  close(): Promise<void>;
  /** Running counters; the object is live. */
  readonly stats: ResultCacheStats;
}

/** A fresh set of zeroed counters. */
export function emptyStats(): ResultCacheStats {
  return { hits: 0, misses: 0, sets: 0, errors: 0 };
}
