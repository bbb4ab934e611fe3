import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { countTokens as packageCount } from 'gpt-tokenizer';
import { countTokens, editDistance, estimateTokens, splitWords, stem, tokenize } from '../../src/text/index.ts';
import { tokenCountCacheSize } from '../../src/text/token-count.ts';

/** The tokenizer package's count, with text that spells a special token counted as text (as ours does). */
const referenceCount = (text: string) => packageCount(text, { disallowedSpecial: new Set() });

describe('tokenizer and stemmer', () => {
  it('folds plurals to singulars without mangling singular -ss, -us and -is words', () => {
    const cases: [string, string][] = [
      ['customers', 'customer'],
      ['orders', 'order'],
      ['categories', 'category'],
      ['addresses', 'address'],
      ['address', 'address'],
      ['boxes', 'box'],
      ['matches', 'match'],
      ['status', 'status'],
      ['statuses', 'status'],
      ['analysis', 'analysis'],
      ['analyses', 'analysis'],
      ['diagnoses', 'diagnosis'],
      ['campus', 'campus'],
      ['sales', 'sale'],
      ['bus', 'bus'],
      ['series', 'series'],
      ['alias', 'alias'],
      ['schemas', 'schema'],
      ['2023', '2023'],
    ];
    for (const [word, expected] of cases) expect(stem(word), word).toBe(expected);
  });

  it('splits snake_case, camelCase, PascalCase and digits, and lower-cases', () => {
    expect(splitWords('customer_id')).toEqual(['customer', 'id']);
    expect(splitWords('orderDate')).toEqual(['order', 'date']);
    expect(splitWords('HTTPServerURL')).toEqual(['http', 'server', 'url']);
    expect(splitWords('userIDs')).toEqual(['user', 'ids']);
    expect(splitWords('icd10_code')).toEqual(['icd', '10', 'code']);
    expect(splitWords('page2Views')).toEqual(['page', '2', 'views']);
    expect(splitWords('ICD-10-CM, e.g. J06.9')).toEqual(['icd', '10', 'cm', 'j', '06', '9']);
    expect(splitWords("the customer's e-mail")).toEqual(['the', 'customer', 'e', 'mail']);
  });

  it('drops stop words and stems what is left', () => {
    expect(tokenize('Show me the Customers of each region')).toEqual(['customer', 'region']);
    expect(tokenize('orderStatuses by shipping_country')).toEqual(['order', 'status', 'shipping', 'country']);
    expect(tokenize('the of and')).toEqual([]);
    expect(tokenize('')).toEqual([]);
  });

  it('measures edit distance with adjacent transpositions as one edit', () => {
    expect(editDistance('orders', 'orders')).toBe(0);
    expect(editDistance('ordres', 'orders')).toBe(1);
    expect(editDistance('order', 'orders')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('Orders', 'orders')).toBe(1);
  });

  it('counts tokens with the o200k tokenizer, loaded on first use', () => {
    const text = 'SELECT c.name, SUM(o.total) FROM customers c JOIN orders o ON o.customer_id = c.id GROUP BY c.name';
    expect(countTokens(text)).toBe(referenceCount(text));
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
  });

  it('counts long prose exactly, though it counts it in chunks cut before whitespace', () => {
    const prose = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    expect(prose.length).toBeGreaterThan(20_000);
    expect(countTokens(prose)).toBe(referenceCount(prose));
    expect(countTokens(`${prose}\n\n   \n`)).toBe(referenceCount(`${prose}\n\n   \n`));
  });

  it('counts a long run of whitespace or of anything else in pieces of 128 characters, off by at most one token per piece', () => {
    // Whole-run byte-pair encoding is quadratic in the run's length: 90,000 letters took 5 s.
    for (const run of [
      'a'.repeat(3000),
      'xq7_Zk'.repeat(700),
      `see ${'ab'.repeat(1500)} and more`,
      `a${' '.repeat(3000)}b`,
      '\n'.repeat(3000),
    ]) {
      const pieces = Math.ceil(run.length / 128);
      expect(Math.abs(countTokens(run) - referenceCount(run))).toBeLessThanOrEqual(pieces);
    }
    expect(countTokens('a'.repeat(200_000))).toBe(
      Math.ceil(200_000 / 128) * referenceCount('a'.repeat(128)) -
        (200_000 % 128 ? referenceCount('a'.repeat(128)) - referenceCount('a'.repeat(200_000 % 128)) : 0),
    );
  });

  it('remembers the counts of recent long texts: the same count again, and at most 4,096 of them kept', () => {
    const prose = readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8').slice(0, 12_000);
    const first = estimateTokens(prose);
    expect(first).toEqual({ tokens: referenceCount(prose), exact: true });
    // An equal text built anew (not the same string object) finds the same count; a different one its own.
    expect(estimateTokens(prose.split('').join(''))).toEqual(first);
    expect(estimateTokens(`${prose} `)).toEqual({ tokens: referenceCount(`${prose} `), exact: true });
    const long = `${'word '.repeat(20_000)}end`;
    expect(estimateTokens(long)).toEqual({
      tokens: Math.round((referenceCount(long.slice(0, 16_384)) * long.length) / 16_384),
      exact: false,
    });
    for (let index = 0; index < 5000; index += 1) estimateTokens(`${index} ${'x y '.repeat(70)}`);
    expect(tokenCountCacheSize()).toBe(4096);
    expect(estimateTokens(prose)).toEqual(first);
  });
});
