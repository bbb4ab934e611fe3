import { describe, expect, it } from 'vitest';
import {
  cacheKey,
  createResultCache,
  MemoryResultCache,
  normalizeQuestion,
  SingleFlight,
  type CachedAnswer,
} from '../../src/cache/index.ts';
import { sampleCachedAnswer } from '../support/cached-answer-sample.ts';
import { ConfigError, InvalidInputError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';

const answer = (overrides: Partial<CachedAnswer> = {}): CachedAnswer => sampleCachedAnswer(overrides);

/** An answer whose JSON is about `size` characters long. */
function answerOfSize(size: number): CachedAnswer {
  const base = JSON.stringify(answer({ answer: '' })).length;
  return answer({ answer: 'x'.repeat(size - base) });
}

describe('normalizeQuestion', () => {
  it('folds case, width, whitespace and trailing punctuation', () => {
    expect(normalizeQuestion('How many  Orders?')).toBe('how many orders');
    expect(normalizeQuestion('  how\tmany\norders!! ')).toBe('how many orders');
    expect(normalizeQuestion('Ｈｏｗ ｍａｎｙ ｏｒｄｅｒｓ？')).toBe('how many orders');
    expect(normalizeQuestion('orders, by region; please')).toBe('orders by region please');
  });

  it('drops quotes', () => {
    expect(normalizeQuestion(`Orders of "O'Brien"`)).toBe('orders of obrien');
    expect(normalizeQuestion('Orders of “Berlin”')).toBe('orders of berlin');
  });

  it('keeps what can change a value', () => {
    expect(normalizeQuestion('Price above 1.5?')).toBe('price above 1.5');
    expect(normalizeQuestion('Price above 1.5')).not.toBe(normalizeQuestion('Price above 15'));
    expect(normalizeQuestion('Orders on 2024-01-05')).toBe('orders on 2024-01-05');
    expect(normalizeQuestion('Customers with an e-mail')).toBe('customers with an e-mail');
    expect(normalizeQuestion('Total in $ above 10%')).toBe('total in $ above 10%');
    expect(normalizeQuestion('Balance below -5')).not.toBe(normalizeQuestion('Balance below 5'));
    expect(normalizeQuestion('orders > 100')).not.toBe(normalizeQuestion('orders < 100'));
    expect(normalizeQuestion('sales 2020–2024')).toBe('sales 2020-2024');
  });

  it('drops a dash or dot that is not inside a value', () => {
    expect(normalizeQuestion('orders - by region.')).toBe('orders by region');
    expect(normalizeQuestion('orders. by region')).toBe('orders by region');
  });

  it('is locale-independent for the Turkish I', () => {
    expect(normalizeQuestion('INFO')).toBe('info');
  });
});

describe('cacheKey', () => {
  const base = { question: 'How many  Orders?', datasource: 'shop', schemaVersion: 'v1', prompt: 'sql-agent', promptVersion: 3 };

  it('is SHA-256 hex and the same for trivially different questions', () => {
    const key = cacheKey(base);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(cacheKey({ ...base, question: 'how many orders' })).toBe(key);
    expect(cacheKey({ ...base })).toBe(key);
  });

  it('differs by datasource, schema version, prompt, prompt version and question', () => {
    const key = cacheKey(base);
    const others = [
      cacheKey({ ...base, datasource: 'clinic' }),
      cacheKey({ ...base, schemaVersion: 'v2' }),
      cacheKey({ ...base, prompt: 'other' }),
      cacheKey({ ...base, promptVersion: 4 }),
      cacheKey({ ...base, question: 'how many customers' }),
    ];
    expect(new Set([key, ...others]).size).toBe(6);
  });

  it('does not let fields run into each other', () => {
    expect(cacheKey({ ...base, datasource: 'ab', schemaVersion: 'c' })).not.toBe(
      cacheKey({ ...base, datasource: 'a', schemaVersion: 'bc' }),
    );
  });

  it('refuses a prompt version that is not a number', () => {
    expect(() => cacheKey({ ...base, promptVersion: Number.NaN })).toThrow(InvalidInputError);
  });
});

describe('MemoryResultCache', () => {
  it('stores, returns a copy, deletes and counts', async () => {
    const cache = new MemoryResultCache({ entryTtlMs: 60_000 });
    expect(cache.kind).toBe('memory');
    expect(await cache.get('a')).toBeNull();
    await cache.set('a', 'shop', answer());
    const first = await cache.get('a');
    expect(first).toEqual(answer());
    first!.rows[0][0] = 0;
    expect((await cache.get('a'))!.rows).toEqual([[42]]);
    await cache.delete('a');
    expect(await cache.get('a')).toBeNull();
    expect(cache.stats).toEqual({ hits: 2, misses: 2, sets: 1, errors: 0 });
  });

  it('evicts the least recently used entry beyond maxEntries, and a get refreshes recency', async () => {
    const cache = new MemoryResultCache({ maxEntries: 3, entryTtlMs: 60_000 });
    for (const key of ['a', 'b', 'c']) await cache.set(key, 'shop', answer({ sql: key }));
    expect(await cache.get('a')).not.toBeNull(); // a is now the most recent; b the least
    await cache.set('d', 'shop', answer({ sql: 'd' }));
    expect(cache.size).toBe(3);
    expect(await cache.get('b')).toBeNull();
    for (const key of ['a', 'c', 'd']) expect((await cache.get(key))?.sql).toBe(key);
    await cache.set('c', 'shop', answer({ sql: 'c2' })); // replacing refreshes too: a is least recent now
    await cache.set('e', 'shop', answer({ sql: 'e' }));
    expect(await cache.get('a')).toBeNull();
    expect((await cache.get('c'))?.sql).toBe('c2');
  });

  it('evicts by bytes until the total fits, and does not store an entry larger than maxBytes', async () => {
    const cache = new MemoryResultCache({ maxEntries: 100, maxBytes: 10_000, entryTtlMs: 60_000 });
    await cache.set('a', 'shop', answerOfSize(4000));
    await cache.set('b', 'shop', answerOfSize(4000));
    expect(cache.bytes).toBe(8000);
    await cache.get('a'); // b is the least recent
    await cache.set('c', 'shop', answerOfSize(3000));
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('a')).not.toBeNull();
    expect(await cache.get('c')).not.toBeNull();
    expect(cache.bytes).toBe(7000);

    await cache.set('c', 'shop', answerOfSize(9000)); // needs 9000: evicts a, replaces c
    expect(cache.size).toBe(1);
    expect(cache.bytes).toBe(9000);

    await cache.set('huge', 'shop', answerOfSize(10_001));
    expect(await cache.get('huge')).toBeNull();
    expect(await cache.get('c')).not.toBeNull(); // nothing was evicted for it
    expect(cache.bytes).toBe(9000);
  });

  it('treats expired entries as misses (injected clock)', async () => {
    let now = 1_000_000;
    const cache = new MemoryResultCache({ entryTtlMs: 10_000, now: () => now });
    await cache.set('a', 'shop', answer());
    now += 9_999;
    expect(await cache.get('a')).not.toBeNull(); // a get does not extend the TTL
    now += 1;
    expect(await cache.get('a')).toBeNull();
    expect(cache.size).toBe(0);
    await cache.set('a', 'shop', answer());
    now += 5_000;
    expect(await cache.get('a')).not.toBeNull();
  });

  it('evicts expired entries before live ones', async () => {
    let now = 0;
    const cache = new MemoryResultCache({ maxEntries: 2, entryTtlMs: 10_000, now: () => now });
    await cache.set('old', 'shop', answer());
    now += 6_000;
    await cache.set('recent', 'shop', answer());
    await cache.get('old');
    now += 5_000; // old expired, recent is live
    await cache.set('new', 'shop', answer());
    expect(await cache.get('recent')).not.toBeNull();
    expect(await cache.get('new')).not.toBeNull();
  });

  it('invalidateDatasource drops only that datasource', async () => {
    const cache = new MemoryResultCache({ entryTtlMs: 60_000 });
    await cache.set('a', 'shop', answer());
    await cache.set('b', 'shop', answer());
    await cache.set('c', 'clinic', answer({ datasource: 'clinic' }));
    await cache.invalidateDatasource('shop');
    expect(await cache.get('a')).toBeNull();
    expect(await cache.get('b')).toBeNull();
    expect(await cache.get('c')).not.toBeNull();
    await cache.set('a', 'shop', answer());
    expect(await cache.get('a')).not.toBeNull();
  });

  it('counts a value that does not serialize as an error instead of throwing', async () => {
    const cache = new MemoryResultCache();
    await cache.set('a', 'shop', answer({ rows: [[10n]] }));
    expect(await cache.get('a')).toBeNull();
    expect(cache.stats.errors).toBe(1);
  });

  it('is an empty cache after close', async () => {
    const cache = new MemoryResultCache();
    await cache.set('a', 'shop', answer());
    await cache.close();
    expect(await cache.get('a')).toBeNull();
    await cache.set('b', 'shop', answer());
    expect(cache.size).toBe(0);
  });

  it('refuses invalid bounds', () => {
    expect(() => new MemoryResultCache({ maxEntries: 0 })).toThrow(ConfigError);
    expect(() => new MemoryResultCache({ entryTtlMs: Number.NaN })).toThrow(ConfigError);
  });
});

describe('createResultCache', () => {
  const logger = createLogger('silent');

  it('gives a memory cache without a Redis URL', async () => {
    const cache = createResultCache({ maxEntries: 5 }, logger);
    expect(cache.kind).toBe('memory');
    await cache.close();
    expect(createResultCache({ redisUrl: '' }, logger).kind).toBe('memory');
  });

  it('gives a Redis cache with one, and never logs its password', async () => {
    const lines: string[] = [];
    const cache = createResultCache(
      { redisUrl: 'redis://:hunter2secret@127.0.0.1:1', connectTimeoutMs: 200 },
      createLogger('debug', (line) => lines.push(line)),
    );
    expect(cache.kind).toBe('redis');
    expect(await cache.get('a')).toBeNull(); // nothing listens on port 1
    expect(cache.stats.errors).toBe(1);
    await cache.close();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('hunter2secret');
  });

  it('refuses a URL that is not a Redis URL, without echoing its password', () => {
    expect(() => createResultCache({ redisUrl: 'http://user:hunter2secret@host' }, logger)).toThrow(ConfigError);
    try {
      createResultCache({ redisUrl: 'http://user:hunter2secret@host' }, logger);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2secret');
    }
  });
});

describe('SingleFlight', () => {
  it('runs once for 20 concurrent callers and gives them all the result', async () => {
    const flight = new SingleFlight<number>();
    let executions = 0;
    let release!: (value: number) => void;
    const work = () => {
      executions++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const calls = Array.from({ length: 20 }, () => flight.run('k', work));
    expect(flight.has('k')).toBe(true);
    release(7);
    expect(await Promise.all(calls)).toEqual(Array(20).fill(7));
    expect(executions).toBe(1);
    expect(flight.size).toBe(0);
  });

  it('keeps different keys apart', async () => {
    const flight = new SingleFlight<string>();
    let executions = 0;
    const results = await Promise.all(['a', 'b', 'a', 'b'].map((key) => flight.run(key, async () => `${key}${++executions}`)));
    expect(executions).toBe(2);
    expect(new Set(results).size).toBe(2);
  });

  it('shares an error, then runs afresh on the next call', async () => {
    const flight = new SingleFlight<string>();
    let executions = 0;
    const failing = async () => {
      executions++;
      await new Promise((resolve) => setTimeout(resolve, 10));
      throw new Error(`boom ${executions}`);
    };
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => flight.run('k', failing)));
    expect(executions).toBe(1);
    expect(outcomes.every((outcome) => outcome.status === 'rejected' && (outcome.reason as Error).message === 'boom 1')).toBe(true);

    expect(await flight.run('k', async () => `ok after ${++executions}`)).toBe('ok after 2');
  });

  it('turns a synchronous throw into a shared rejection and forgets it', async () => {
    const flight = new SingleFlight<number>();
    const work = (): Promise<number> => {
      throw new Error('sync');
    };
    await expect(flight.run('k', work)).rejects.toThrow('sync');
    expect(flight.size).toBe(0);
  });
});
