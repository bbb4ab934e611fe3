import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
import { readRoundingRequest } from '../../src/llm/offline/rounding-request.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { column, sqlOn, table } from '../support/offline-tables.ts';

// "rounded to 2 decimals", "to the nearest cent": a rounding the question asks for, on a bakery of its own (no
// fixture, no eval question). Its words are placed, its number is no count or threshold, and the figure selected is
// rounded as asked, whether the prompt rounds to cents by default or only where asked.

const bakery: TableDescription[] = [
  table('shops', 'Shops of the bakery', [column('id', 'integer'), column('town', 'text', { sampleValues: ['Leeds', 'York'] })]),
  table('sales', 'One sale at a shop', [
    column('id', 'integer'),
    column('shop_id', 'integer', { references: 'public.shops(id)' }),
    column('sold_on', 'date'),
    column('amount', 'decimal', { comment: 'Amount paid in dollars.' }),
  ]),
];

describe('a rounding the question asks for', () => {
  it('reads the number of decimals and the words that ask it', () => {
    const read = (question: string) => {
      const words = wordsOf(question);
      const request = readRoundingRequest(words);
      return request && { digits: request.digits, words: request.wordIndices.map((index) => words[index].lower).join(' ') };
    };
    expect(read('What is the average amount, rounded to 2 decimals?')).toEqual({ digits: 2, words: 'rounded to 2 decimals' });
    expect(read('average amount per town to two decimal places')).toEqual({ digits: 2, words: 'to two decimal places' });
    expect(read('What is the average amount? Round to 1 decimal.')).toEqual({ digits: 1, words: 'round to 1 decimal' });
    expect(read('Total sales in 2024, rounded to cents')).toEqual({ digits: 2, words: 'rounded to cents' });
    expect(read('the average amount to the nearest whole number')).toEqual({ digits: 0, words: 'to the nearest whole number' });
    // A unit, a bare "rounded" and a count are not roundings.
    expect(read('What is the average amount in cents?')).toBeNull();
    expect(read('What is the average amount, rounded?')).toBeNull();
    expect(read('Which 2 towns sold the most?')).toBeNull();
  });

  it('rounds the selected figure as asked under either prompt, and reads the number as no count', () => {
    const question = 'What is the average sale amount in each town, rounded to 1 decimal?';
    for (const unrounded of [true, false]) {
      const sql = sqlOn(bakery, question, { unrounded });
      expect(sql).toMatch(/^SELECT s2?\.town, ROUND\(AVG\(s\.amount\), 1\) AS /);
      expect(sql).not.toMatch(/ROUND\(ROUND/);
      expect(sql).not.toMatch(/LIMIT 1\b|HAVING/);
    }
    expect(sqlOn(bakery, 'What was the total amount of sales in 2024, to the nearest cent?', { unrounded: true })).toMatch(
      /^SELECT ROUND\(SUM\(amount\), 2\) AS .* WHERE sold_on >= '2024-01-01' AND sold_on < '2025-01-01'$/,
    );
    // A count is whole already.
    expect(sqlOn(bakery, 'How many sales were there in 2024, rounded to 2 decimals?', { unrounded: true })).toMatch(/^SELECT COUNT\(\*\)/);
  });
});
