import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { ConfigError } from '../errors/index.ts';
import { redactSecrets, type Logger } from '../logging/index.ts';
import type { CachedAnswer } from './cached-answer.ts';
import { positiveSetting } from './positive-setting.ts';
import { DEFAULT_ENTRY_TTL_MS, emptyStats, type ResultCache, type ResultCacheStats } from './result-cache.ts';
import { WarningLimiter } from './warning-limiter.ts';

/** Settings of a {@link RedisResultCache}. */
export interface RedisResultCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…`. Its password is never logged. */
  url: string;
  /** Namespace of every key this cache writes. Default `sqlagent:cache`. */
  prefix?: string;
  /** How long an entry is served after it is set (the Redis TTL). Default 24 hours. */
  entryTtlMs?: number;
  logger: Logger;
  /**
   * Longest a call waits on Redis: the connect timeout, the wait for a connection being established, and
   * the per-command timeout. Default 1000 ms.
   */
  connectTimeoutMs?: number;
  /** Cap of the background reconnect delay while Redis is down. Default 2000 ms. */
  maxReconnectDelayMs?: number;
  /** Shortest interval between two "Redis unavailable" warnings. Default 10 000 ms. */
  warningIntervalMs?: number;
}

/** Default {@link RedisResultCacheOptions.prefix}. */
export const DEFAULT_REDIS_PREFIX = 'sqlagent:cache';

/*
 * Key layout (all under the prefix):
 *   {prefix}:{datasource}:generation       INCR'd by invalidateDatasource; no TTL (one small key per datasource)
 *   {prefix}:{datasource}:g{generation}:{key}   the answer JSON, SET … PX entryTtlMs
 *   {prefix}:entry:{key}                    the datasource segment of `key`, same TTL: `get(key)` is not told
 *                                           the datasource, so it finds the current generation through this
 * The scripts run the whole lookup in one round trip and atomically. They build keys from the
 * generation they read, which standalone Redis (and Sentinel) allows but Redis Cluster does not.
 */
const getScript = `
local datasource = redis.call('GET', KEYS[1])
if not datasource then return false end
local generation = redis.call('GET', ARGV[1] .. ':' .. datasource .. ':generation') or '0'
return redis.call('GET', ARGV[1] .. ':' .. datasource .. ':g' .. generation .. ':' .. ARGV[2])
`;

const setScript = `
local generation = redis.call('GET', KEYS[1]) or '0'
redis.call('SET', ARGV[1] .. ':g' .. generation .. ':' .. ARGV[2], ARGV[3], 'PX', ARGV[4])
redis.call('SET', KEYS[2], ARGV[5], 'PX', ARGV[4])
return generation
`;

const deleteScript = `
local datasource = redis.call('GET', KEYS[1])
if not datasource then return 0 end
local generation = redis.call('GET', ARGV[1] .. ':' .. datasource .. ':generation') or '0'
redis.call('DEL', KEYS[1])
return redis.call('DEL', ARGV[1] .. ':' .. datasource .. ':g' .. generation .. ':' .. ARGV[2])
`;

/** The scripts above, as ioredis defines them on the client (EVALSHA, falling back to EVAL). */
interface ScriptCommands {
  resultCacheGet(entryKey: string, prefix: string, key: string): Promise<string | null>;
  resultCacheSet(
    generationKey: string,
    entryKey: string,
    datasourcePrefix: string,
    key: string,
    value: string,
    ttlMs: number,
    datasourceSegment: string,
  ): Promise<string>;
  resultCacheDelete(entryKey: string, prefix: string, key: string): Promise<number>;
}

/**
 * A result cache in Redis, shared by every replica. Values are JSON with a Redis TTL; invalidating a
 * datasource bumps its generation counter, which every replica reads with each lookup, so it is O(1) and
 * seen everywhere at once (old entries are left to expire).
 *
 * Redis being down never fails a request: `get` gives null and writes do nothing, each counted in
 * `stats.errors` with a rate-limited warning. Commands are not queued while disconnected, so a call waits at
 * most about `connectTimeoutMs`; the client keeps reconnecting in the background.
 */
export class RedisResultCache implements ResultCache {
  readonly kind = 'redis' as const;
  readonly stats: ResultCacheStats = emptyStats();
  private readonly client: Redis;
  private readonly scripts: ScriptCommands;
  private readonly prefix: string;
  private readonly entryTtlMs: number;
  private readonly connectTimeoutMs: number;
  private readonly safeUrl: string;
  private readonly secrets: string[];
  private readonly logger: Logger;
  private readonly warnings: WarningLimiter;
  private readyWait: Promise<boolean> | null = null;
  private failing = false;
  private closed = false;

  /** Starts connecting at once; does not wait for the connection. @throws ConfigError on invalid settings. */
  constructor(options: RedisResultCacheOptions) {
    this.prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
    if (this.prefix.length === 0) throw new ConfigError('result cache prefix must not be empty', { field: 'prefix' });
    this.entryTtlMs = Math.round(positiveSetting('entryTtlMs', options.entryTtlMs ?? DEFAULT_ENTRY_TTL_MS));
    this.connectTimeoutMs = positiveSetting('connectTimeoutMs', options.connectTimeoutMs ?? 1000);
    const maxReconnectDelayMs = positiveSetting('maxReconnectDelayMs', options.maxReconnectDelayMs ?? 2000);
    this.logger = options.logger;
    this.warnings = new WarningLimiter(options.logger, options.warningIntervalMs ?? 10_000);
    this.secrets = passwordsOf(options.url);
    this.safeUrl = this.redact(options.url);
    if (!/^rediss?:\/\//i.test(options.url)) {
      throw new ConfigError(`result cache Redis URL must start with redis:// or rediss://: ${this.safeUrl}`, { field: 'redisUrl' });
    }

    // ioredis is CommonJS: required here, it loads only when a Redis cache is configured (the same module
    // instance an import would give).
    const { Redis: RedisClient } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
    this.client = new RedisClient(options.url, {
      connectTimeout: this.connectTimeoutMs,
      commandTimeout: this.connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 10), maxReconnectDelayMs),
      connectionName: 'sqlagent-result-cache',
    });
    this.client.defineCommand('resultCacheGet', { numberOfKeys: 1, lua: getScript, readOnly: true });
    this.client.defineCommand('resultCacheSet', { numberOfKeys: 2, lua: setScript });
    this.client.defineCommand('resultCacheDelete', { numberOfKeys: 1, lua: deleteScript });
    this.scripts = this.client as unknown as ScriptCommands;

    this.client.on('error', (error: unknown) => {
      if (this.closed) return;
      this.failing = true;
      this.warnings.warn('result cache: Redis connection error', { url: this.safeUrl, error: this.describe(error) });
    });
    this.client.on('ready', () => {
      if (this.failing) this.logger.info('result cache: Redis is reachable again', { url: this.safeUrl });
      this.failing = false;
    });
  }

  async get(key: string): Promise<CachedAnswer | null> {
    if (this.closed) {
      this.stats.misses++;
      return null;
    }
    try {
      await this.ensureReady();
      const json = await this.scripts.resultCacheGet(this.entryKey(key), this.prefix, key);
      if (json === null) {
        this.stats.misses++;
        return null;
      }
      const value = JSON.parse(json) as CachedAnswer;
      this.stats.hits++;
      return value;
    } catch (error) {
      this.stats.misses++;
      this.fail('get', error);
      return null;
    }
  }

  async set(key: string, datasource: string, value: CachedAnswer): Promise<void> {
    if (this.closed) return;
    try {
      const json = JSON.stringify(value);
      await this.ensureReady();
      const segment = datasourceSegment(datasource);
      await this.scripts.resultCacheSet(
        this.generationKey(segment),
        this.entryKey(key),
        `${this.prefix}:${segment}`,
        key,
        json,
        this.entryTtlMs,
        segment,
      );
      this.stats.sets++;
    } catch (error) {
      this.fail('set', error);
    }
  }

  async delete(key: string): Promise<void> {
    if (this.closed) return;
    try {
      await this.ensureReady();
      await this.scripts.resultCacheDelete(this.entryKey(key), this.prefix, key);
    } catch (error) {
      this.fail('delete', error);
    }
  }

  async invalidateDatasource(datasource: string): Promise<void> {
    if (this.closed) return;
    try {
      await this.ensureReady();
      await this.client.incr(this.generationKey(datasourceSegment(datasource)));
    } catch (error) {
      this.fail('invalidateDatasource', error);
    }
  }

  /** Quits cleanly when connected (waiting at most `connectTimeoutMs`), else drops the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.client.status === 'ready') {
      const quit = this.client.quit().then(
        () => true,
        () => false,
      );
      if (await withTimeout(quit, this.connectTimeoutMs, false)) return;
    }
    this.client.disconnect();
  }

  /** The Redis key of the current-generation lookup for `key`. */
  private entryKey(key: string): string {
    return `${this.prefix}:entry:${key}`;
  }

  private generationKey(segment: string): string {
    return `${this.prefix}:${segment}:generation`;
  }

  /**
   * Resolves once the client is ready. While a connection is being established it waits (shared by all
   * callers) at most `connectTimeoutMs`; while Redis is known to be down (between reconnect attempts) it
   * fails at once.
   */
  private async ensureReady(): Promise<void> {
    const status = this.client.status;
    if (status === 'ready') return;
    if (status !== 'connecting' && status !== 'connect' && status !== 'wait') throw new Error(`Redis is not connected (${status})`);
    this.readyWait ??= new Promise<boolean>((resolve) => {
      const finish = (ready: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        this.client.off('close', onClose);
        this.client.off('end', onClose);
        this.readyWait = null;
        resolve(ready);
      };
      const onReady = () => finish(true);
      const onClose = () => finish(false);
      const timer = setTimeout(() => finish(false), this.connectTimeoutMs);
      timer.unref();
      this.client.once('ready', onReady);
      this.client.once('close', onClose);
      this.client.once('end', onClose);
    });
    if (!(await this.readyWait)) throw new Error(`Redis did not become ready within ${this.connectTimeoutMs} ms`);
  }

  private fail(operation: string, error: unknown): void {
    this.stats.errors++;
    this.failing = true;
    this.warnings.warn('result cache: Redis unavailable, serving without cache', {
      operation,
      url: this.safeUrl,
      error: this.describe(error),
    });
  }

  private describe(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }

  private redact(text: string): string {
    return redactSecrets(text, this.secrets);
  }
}

/**
 * The datasource as a key segment: an id (letters, digits, `_`, `-`) as it is; anything else (a URL, which may
 * carry a password, or text with `:`) as a hash, so keys stay unambiguous and free of secrets.
 */
function datasourceSegment(datasource: string): string {
  if (/^[A-Za-z0-9_-]{1,100}$/.test(datasource)) return datasource;
  return `~${createHash('sha256').update(datasource).digest('hex').slice(0, 32)}`;
}

/** The password in a Redis URL, raw and decoded, to scrub from anything logged. */
function passwordsOf(url: string): string[] {
  try {
    const password = new URL(url).password;
    if (!password) return [];
    let decoded = password;
    try {
      decoded = decodeURIComponent(password);
    } catch {
      // keep the raw form only
    }
    return [...new Set([password, decoded])];
  } catch {
    return [];
  }
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => resolve(fallback), timeoutMs);
    timer.unref();
    promise.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
