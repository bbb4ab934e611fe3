import { describe, expect, it } from 'vitest';
import { writeAnswer } from '../../src/llm/offline/answer-writer.ts';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "What are the lowest and highest cake prices?", "the average and total order value": two aggregates of one
// measure in one answer. Before, the first was answered and the second silently dropped (or the question declined).
// And "the latest bake date" is the date's MAX, not the most frequent date. A bakery of its own, not a fixture.

const bakery = [
  table('cakes', 'Cakes the bakery sells', [
    column('id', 'integer'),
    column('name', 'text'),
    column('flavour', 'text', { sampleValues: ['chocolate', 'lemon'] }),
    column('price', 'decimal', { comment: 'Price in US dollars.' }),
    column('bake_date', 'date', { comment: 'Day the cake was baked.' }),
  ]),
];

const answered = (question: string, row: unknown[]) => {
  const outcome = planOn(bakery, question);
  if (outcome.kind !== 'plan') throw new Error(`not planned: ${JSON.stringify(outcome)}`);
  return writeAnswer(question, outcome.plan, { sql: '', error: null, columns: [], rows: [row], rowCount: 1, truncated: false });
};

describe('two aggregates of one measure', () => {
  it('selects both, in the order asked', () => {
    expect(sqlOn(bakery, 'What are the lowest and highest cake prices?')).toBe(
      'SELECT MIN(price) AS minimum_price, MAX(price) AS maximum_price FROM cakes',
    );
    expect(sqlOn(bakery, 'What is the average and total price of chocolate cakes?', { unrounded: true })).toBe(
      "SELECT AVG(price) AS average_price, SUM(price) AS total_price FROM cakes WHERE flavour = 'chocolate'",
    );
    expect(sqlOn(bakery, 'What are the earliest and latest bake dates?')).toBe(
      'SELECT MIN(bake_date) AS minimum_bake_date, MAX(bake_date) AS maximum_bake_date FROM cakes',
    );
  });

  it('keeps both per group', () => {
    expect(sqlOn(bakery, 'Show the minimum and maximum price per flavour')).toMatch(
      /^SELECT flavour, MIN\(price\) AS minimum_price, MAX\(price\) AS maximum_price FROM cakes GROUP BY flavour/,
    );
  });

  it('says both in the answer', () => {
    expect(answered('What are the lowest and highest cake prices?', [4.5, 38])).toBe(
      'The lowest cake prices is 4.50 and the highest is 38.',
    );
    expect(answered('What are the earliest and latest bake dates?', ['2026-01-02', '2026-06-14'])).toMatch(
      /^The earliest .* is 2026-01-02 and the latest is 2026-06-14\.$/,
    );
  });

  it('declines rows asked for by both extremes rather than give one of them', () => {
    expect(planOn(bakery, 'Which cakes have the lowest and highest prices?')).toMatchObject({ kind: 'cannot' });
  });
});

describe('a superlative over a date', () => {
  it('is the MAX or MIN of the date, not its most frequent value', () => {
    expect(sqlOn(bakery, 'What is the latest bake date?')).toBe('SELECT MAX(bake_date) AS maximum_bake_date FROM cakes');
    expect(sqlOn(bakery, 'What is the minimum bake date?')).toBe('SELECT MIN(bake_date) AS minimum_bake_date FROM cakes');
  });
});
