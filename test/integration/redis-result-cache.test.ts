import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { cacheKey, RedisResultCache, type CachedAnswer } from '../../src/cache/index.ts';
import { sampleCachedAnswer } from '../support/cached-answer-sample.ts';
import { createLogger } from '../../src/logging/index.ts';
import { serverUrls } from '../support/servers.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const environment = inject('testEnvironment');
const skipReason = environment.skipReasons.redis;
const prefix = `sqlagent-test:${process.pid}:${randomBytes(4).toString('hex')}`;

const answer = (overrides: Partial<CachedAnswer> = {}): CachedAnswer =>
  sampleCachedAnswer({ explanation: 'Counts the orders.', ...overrides });

function key(question: string, datasource = 'shop'): string {
  return cacheKey({ question, datasource, schemaVersion: 'v1', prompt: 'sql-agent', promptVersion: 3 });
}

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(skipReason !== undefined)(`RedisResultCache on a real Redis${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let admin: Redis;
  const caches: RedisResultCache[] = [];
  const logLines: string[] = [];
  const logger = createLogger('debug', (line) => logLines.push(line));

  // With a 500 ms connect timeout a failing call returns in about that; without one, ioredis would queue it
  // until Redis came back (the test would hang). The bound tells the two apart with room for a busy machine.
  const failsFastMs = 5000;

  function open(url = serverUrls.redis, entryTtlMs = 60_000): RedisResultCache {
    const cache = new RedisResultCache({ url, prefix, entryTtlMs, logger, connectTimeoutMs: 500, maxReconnectDelayMs: 500 });
    caches.push(cache);
    return cache;
  }

  beforeAll(() => {
    admin = new Redis(serverUrls.redis);
  });

  afterEach(async () => {
    for (const cache of caches.splice(0)) await cache.close();
  });

  afterAll(async () => {
    const keys = await admin.keys(`${prefix}:*`);
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });

  it('shares entries between two replicas, with the TTL set on the entry', async () => {
    const [first, second] = [open(), open()];
    expect(first.kind).toBe('redis');
    const k = key('How many orders?');
    expect(await second.get(k)).toBeNull();
    await first.set(k, 'shop', answer());
    expect(await second.get(k)).toEqual(answer());
    expect(second.stats).toMatchObject({ hits: 1, misses: 1, errors: 0 });
    expect(first.stats.sets).toBe(1);

    const valueKey = `${prefix}:shop:g0:${k}`;
    expect(JSON.parse((await admin.get(valueKey))!)).toEqual(answer());
    const ttl = await admin.pttl(valueKey);
    expect(ttl).toBeGreaterThan(55_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await admin.pttl(`${prefix}:entry:${k}`)).toBeGreaterThan(55_000);

    await second.delete(k);
    expect(await first.get(k)).toBeNull();
    expect(await admin.exists(valueKey)).toBe(0);
  });

  it('expires entries with the Redis TTL', async () => {
    const cache = open(serverUrls.redis, 200);
    const k = key('short lived');
    await cache.set(k, 'shop', answer());
    expect(await cache.get(k)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await cache.get(k)).toBeNull();
  });

  it('invalidateDatasource on one replica is seen by the other, for that datasource only', async () => {
    const [first, second] = [open(), open()];
    const shopKey = key('how many orders', 'shop-b');
    const clinicKey = key('how many patients', 'clinic-b');
    await first.set(shopKey, 'shop-b', answer());
    await first.set(clinicKey, 'clinic-b', answer({ datasource: 'clinic-b' }));
    expect(await second.get(shopKey)).not.toBeNull();

    await first.invalidateDatasource('shop-b');
    expect(await second.get(shopKey)).toBeNull();
    expect(await first.get(shopKey)).toBeNull();
    expect(await second.get(clinicKey)).not.toBeNull();
    expect(await admin.get(`${prefix}:shop-b:generation`)).toBe('1');

    await second.set(shopKey, 'shop-b', answer({ answer: 'fresh' }));
    expect((await first.get(shopKey))?.answer).toBe('fresh');
    expect(await admin.pttl(`${prefix}:shop-b:g1:${shopKey}`)).toBeGreaterThan(0);
  });

  it('keeps a URL datasource (with a password) out of the keys', async () => {
    const cache = open();
    const datasource = 'postgres://user:topsecretpw@db:5432/shop';
    const k = key('how many orders', datasource);
    await cache.set(k, datasource, answer());
    expect(await cache.get(k)).not.toBeNull();
    const keys = await admin.keys(`${prefix}:*`);
    expect(keys.some((name) => name.includes('topsecretpw'))).toBe(false);
    await cache.invalidateDatasource(datasource);
    expect(await cache.get(k)).toBeNull();
  });

  it('fails fast and quietly while Redis is away, and works again when it is back', async () => {
    const target = new URL(serverUrls.redis);
    let proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
    const port = await proxy.start();
    const url = `redis://127.0.0.1:${port}`;
    const cache = open(url);
    try {
      const k = key('how many orders during the outage');
      await cache.set(k, 'shop', answer());
      expect(await cache.get(k)).not.toBeNull();

      await proxy.stop();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const linesBefore = logLines.length;
      const errorsBefore = cache.stats.errors;

      const get = await timed(() => cache.get(k));
      expect(get.value).toBeNull();
      expect(get.ms).toBeLessThan(failsFastMs);
      const set = await timed(() => cache.set(key('another'), 'shop', answer()));
      expect(set.ms).toBeLessThan(failsFastMs);
      const invalidate = await timed(() => cache.invalidateDatasource('shop'));
      expect(invalidate.ms).toBeLessThan(failsFastMs);
      const remove = await timed(() => cache.delete(k));
      expect(remove.ms).toBeLessThan(failsFastMs);
      // Repeated failures stay fast too (no queue builds up).
      for (let attempt = 0; attempt < 5; attempt++) {
        const again = await timed(() => cache.get(k));
        expect(again.value).toBeNull();
        expect(again.ms).toBeLessThan(failsFastMs);
      }
      expect(cache.stats.errors).toBe(errorsBefore + 9);
      expect(cache.stats.sets).toBe(1);
      // Rate-limited: the outage is reported, but not once per failure.
      const warnings = logLines.slice(linesBefore).filter((line) => JSON.parse(line).level === 'warn');
      expect(warnings.length).toBeGreaterThanOrEqual(1);
      expect(warnings.length).toBeLessThan(5);

      proxy = new TcpProxy(target.hostname, Number(target.port || 6379));
      proxy.port = port;
      await proxy.start();
      await eventually(async () => (await cache.get(k)) !== null);
      const k2 = key('after the outage');
      await cache.set(k2, 'shop', answer({ answer: 'back' }));
      expect((await cache.get(k2))?.answer).toBe('back');
      expect(logLines.some((line) => JSON.parse(line).message.includes('reachable again'))).toBe(true);
    } finally {
      await cache.close();
      await proxy.stop();
    }
  });

  it('does not wait on a Redis that never answers to connect', async () => {
    const cache = open('redis://:s3cretpass@127.0.0.1:1');
    const get = await timed(() => cache.get(key('nothing there')));
    expect(get.value).toBeNull();
    expect(get.ms).toBeLessThan(failsFastMs);
    expect(cache.stats.errors).toBe(1);
    expect(logLines.join('\n')).not.toContain('s3cretpass');
  });

  it('does not wait on a server that accepts connections but never answers', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const cache = open(`redis://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    try {
      const operations: Array<() => Promise<unknown>> = [
        () => cache.get(key('silence')),
        () => cache.set(key('silence'), 'shop', answer()),
      ];
      for (const operation of operations) {
        const { ms } = await timed(operation);
        expect(ms).toBeLessThan(failsFastMs);
      }
      expect(cache.stats.errors).toBe(2);
    } finally {
      await cache.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('closes cleanly, and a closed cache just misses', async () => {
    const cache = open();
    const k = key('closing');
    await cache.set(k, 'shop', answer());
    await cache.close();
    expect(await cache.get(k)).toBeNull();
    await cache.set(k, 'shop', answer());
    expect(cache.stats.errors).toBe(0);
  });
});
