import type { CachedAnswer } from './cached-answer.ts';
import { positiveSetting } from './positive-setting.ts';
import { DEFAULT_ENTRY_TTL_MS, emptyStats, type ResultCache, type ResultCacheStats } from './result-cache.ts';

/** Settings of a {@link MemoryResultCache}. */
export interface MemoryResultCacheOptions {
  /** Most entries kept; the least recently used go first. Default 1000. */
  maxEntries?: number;
  /** Most bytes kept, measured as the length of each entry's JSON. Default 50 MiB. */
  maxBytes?: number;
  /** How long an entry is served after it is set. Default 24 hours. */
  entryTtlMs?: number;
  /** Clock in milliseconds, for tests. Default `Date.now`. */
  now?: () => number;
}

/** Default {@link MemoryResultCacheOptions.maxEntries}. */
export const DEFAULT_MAX_ENTRIES = 1000;
/** Default {@link MemoryResultCacheOptions.maxBytes}: 50 MiB. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

interface MemoryEntry {
  datasource: string;
  /** The value as JSON, so callers never share (or mutate) the stored object. */
  json: string;
  bytes: number;
  expiresAt: number;
}

/**
 * A result cache in this process's memory: an LRU bounded by entry count and by bytes (a `get` refreshes an
 * entry's recency; the least recently used entries are evicted until both bounds hold). An entry larger than
 * `maxBytes` is not stored. Expired entries are misses. Not shared between replicas.
 */
export class MemoryResultCache implements ResultCache {
  readonly kind = 'memory' as const;
  readonly stats: ResultCacheStats = emptyStats();
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly maxEntries: number;
  private readonly maxBytes: number;
  private readonly entryTtlMs: number;
  private readonly now: () => number;
  private totalBytes = 0;
  private closed = false;

  /** @throws ConfigError when a bound or the TTL is not a positive number. */
  constructor(options: MemoryResultCacheOptions = {}) {
    this.maxEntries = positiveSetting('maxEntries', options.maxEntries ?? DEFAULT_MAX_ENTRIES);
    this.maxBytes = positiveSetting('maxBytes', options.maxBytes ?? DEFAULT_MAX_BYTES);
    this.entryTtlMs = positiveSetting('entryTtlMs', options.entryTtlMs ?? DEFAULT_ENTRY_TTL_MS);
    this.now = options.now ?? Date.now;
  }

  /** How many entries are stored (expired ones included until they are looked at or evicted). */
  get size(): number {
    return this.entries.size;
  }

  /** The stored bytes, as JSON length. */
  get bytes(): number {
    return this.totalBytes;
  }

  async get(key: string): Promise<CachedAnswer | null> {
    const entry = this.closed ? undefined : this.entries.get(key);
    if (!entry || entry.expiresAt <= this.now()) {
      if (entry) this.remove(key, entry);
      this.stats.misses++;
      return null;
    }
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.stats.hits++;
    return JSON.parse(entry.json) as CachedAnswer;
  }

  async set(key: string, datasource: string, value: CachedAnswer): Promise<void> {
    if (this.closed) return;
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch {
      this.stats.errors++;
      return;
    }
    const existing = this.entries.get(key);
    if (existing) this.remove(key, existing);
    const bytes = json.length;
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { datasource, json, bytes, expiresAt: this.now() + this.entryTtlMs });
    this.totalBytes += bytes;
    this.stats.sets++;
    this.evict();
  }

  async delete(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (entry) this.remove(key, entry);
  }

  async invalidateDatasource(datasource: string): Promise<void> {
    for (const [key, entry] of this.entries) {
      if (entry.datasource === datasource) this.remove(key, entry);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.entries.clear();
    this.totalBytes = 0;
  }

  private remove(key: string, entry: MemoryEntry): void {
    this.entries.delete(key);
    this.totalBytes -= entry.bytes;
  }

  /** Drops expired entries first, then the least recently used, until both bounds hold. */
  private evict(): void {
    if (!this.overLimit()) return;
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt <= now) this.remove(key, entry);
    }
    for (const [key, entry] of this.entries) {
      if (!this.overLimit()) break;
      this.remove(key, entry);
    }
  }

  private overLimit(): boolean {
    return this.entries.size > this.maxEntries || this.totalBytes > this.maxBytes;
  }
}
