import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import type { RateLimiterAbstract, RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimitedError } from '../errors/index.ts';
import type { Logger } from '../logging/index.ts';

/** The limits of one caller. */
export interface CallerLimits {
  /** Requests per minute; 0 means no limit. */
  requestsPerMinute: number;
  /** Model spend per UTC day in USD; null means no limit. */
  dailySpendUsd: number | null;
}

export interface RateLimitsOptions {
  /** Redis shared by replicas (`REDIS_URL`); without it the counts are this process's. */
  redisUrl?: string;
  prefix?: string;
  logger: Logger;
}

/** Spend is counted in micro-dollars: the limiter counts whole points. */
const microDollars = (usd: number) => Math.max(0, Math.round(usd * 1_000_000));

/** Seconds until the next UTC midnight (when daily spend starts again). */
const secondsToMidnight = (now = new Date()) =>
  Math.max(1, Math.ceil((Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1) - now.getTime()) / 1000));

/**
 * Per-caller rate limits (rate-limiter-flexible): requests per minute and model spend per UTC day, held in
 * Redis when it is configured, so that every replica counts against the same budget (with an in-memory
 * limiter standing in while Redis is unreachable), else in memory. A limit that is reached throws
 * `RateLimitedError` (429) with the seconds until it frees up; `headers` gives the `RateLimit-*` values.
 */
export class RateLimits {
  private readonly require = createRequire(import.meta.url);
  private readonly flexible = this.require('rate-limiter-flexible') as typeof import('rate-limiter-flexible');
  private readonly redis: Redis | null;
  private readonly byMinute = new Map<number, RateLimiterAbstract>();
  private readonly byDay = new Map<number, RateLimiterAbstract>();

  constructor(private readonly options: RateLimitsOptions) {
    if (options.redisUrl) {
      const { Redis: RedisClient } = this.require('ioredis') as typeof import('ioredis');
      this.redis = new RedisClient(options.redisUrl, {
        connectTimeout: 1000,
        commandTimeout: 1000,
        enableOfflineQueue: false,
        maxRetriesPerRequest: 0,
        connectionName: 'sqlagent-rate-limits',
      });
      this.redis.on('error', () => undefined);
      // The first counts wait (a second at most) for the connection, rather than go to the in-memory stand-in.
      const client = this.redis;
      this.connected = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 1000);
        timer.unref();
        client.once('ready', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } else this.redis = null;
  }

  private connected: Promise<void> = Promise.resolve();

  /** One limiter per distinct limit, shared by the callers that have it (keys keep them apart). */
  private limiter(cache: Map<number, RateLimiterAbstract>, points: number, duration: number, name: string): RateLimiterAbstract {
    let limiter = cache.get(points);
    if (!limiter) {
      const keyPrefix = `${this.options.prefix ?? 'sqlagent:limits'}:${name}:${points}`;
      const memory = new this.flexible.RateLimiterMemory({ points, duration, keyPrefix });
      limiter = this.redis
        ? new this.flexible.RateLimiterRedis({
            storeClient: this.redis,
            points,
            duration,
            keyPrefix,
            insuranceLimiter: memory,
            useRedisPackage: false,
          })
        : memory;
      cache.set(points, limiter);
    }
    return limiter;
  }

  /**
   * Counts one request of `caller` against its per-minute limit and checks its spend of the day; throws
   * `RateLimitedError` when either is used up. Returns the `RateLimit-*` headers of the per-minute limit.
   */
  async admit(caller: string, limits: CallerLimits, options: { checkSpend: boolean }): Promise<Record<string, string>> {
    let headers: Record<string, string> = {};
    await this.connected;
    if (limits.requestsPerMinute > 0) {
      const limiter = this.limiter(this.byMinute, limits.requestsPerMinute, 60, 'minute');
      try {
        const state = await limiter.consume(caller, 1);
        headers = rateLimitHeaders(limits.requestsPerMinute, state);
      } catch (rejection) {
        const state = rejection as RateLimiterRes;
        if (!(typeof state?.msBeforeNext === 'number')) throw rejection;
        throw new RateLimitedError(`The key "${caller}" used its ${limits.requestsPerMinute} requests of this minute.`, {
          limit: 'requests_per_minute',
          retryAfterSeconds: Math.max(1, Math.ceil(state.msBeforeNext / 1000)),
          headers: rateLimitHeaders(limits.requestsPerMinute, state),
        });
      }
    }
    if (options.checkSpend && limits.dailySpendUsd !== null) {
      const points = microDollars(limits.dailySpendUsd);
      const spent = await this.limiter(this.byDay, points, secondsToMidnight(), 'spend').get(caller);
      if (spent && spent.consumedPoints >= points)
        throw new RateLimitedError(`The key "${caller}" spent its $${limits.dailySpendUsd} of model calls for today (UTC).`, {
          limit: 'daily_spend',
          retryAfterSeconds: secondsToMidnight(),
        });
    }
    return headers;
  }

  /** Adds what an answer cost to `caller`'s spend of the day. */
  async recordSpend(caller: string, limits: CallerLimits, costUsd: number | null): Promise<void> {
    if (limits.dailySpendUsd === null || !costUsd) return;
    const points = microDollars(limits.dailySpendUsd);
    // Over the limit the limiter rejects, having counted the points: that is what the next check reads.
    await this.limiter(this.byDay, points, secondsToMidnight(), 'spend')
      .consume(caller, Math.min(microDollars(costUsd), points + 1))
      .catch(() => undefined);
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** The IETF `RateLimit-*` headers of a per-minute limit. */
function rateLimitHeaders(limit: number, state: RateLimiterRes): Record<string, string> {
  return {
    'RateLimit-Limit': String(limit),
    'RateLimit-Remaining': String(Math.max(0, state.remainingPoints)),
    'RateLimit-Reset': String(Math.max(0, Math.ceil(state.msBeforeNext / 1000))),
  };
}
