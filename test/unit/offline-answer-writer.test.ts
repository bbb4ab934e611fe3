import { describe, expect, it } from 'vitest';
import { writeAnswer } from '../../src/llm/offline/answer-writer.ts';
import type { Execution } from '../../src/llm/offline/conversation-reader.ts';
import type { QueryPlan } from '../../src/llm/offline/query-plan.ts';

const execution = (rowCount: number, truncated: boolean): Execution => ({
  sql: 'SELECT name FROM customers ORDER BY name LIMIT 100',
  error: null,
  columns: ['name'],
  rows: Array.from({ length: rowCount }, (_, index) => [`Customer ${index + 1}`]),
  rowCount,
  truncated,
});

describe("the offline model's answer sentence", () => {
  it('says a count asked "Among the X …, how many of them …" of the X, not of "them"', () => {
    const count: Execution = {
      sql: 'SELECT COUNT(*) FROM customers',
      error: null,
      columns: ['count'],
      rows: [[10]],
      rowCount: 1,
      truncated: false,
    };
    expect(writeAnswer('Among the customers living in Japan, how many of them belong to the corporate segment?', null, count)).toBe(
      'Among the customers living in Japan, 10 belong to the corporate segment.',
    );
    expect(writeAnswer('How many customers belong to the corporate segment?', null, count)).toBe(
      '10 customers belong to the corporate segment.',
    );
  });

  it('never lets a cut result read as the whole of it', () => {
    const cut = writeAnswer('Which customers are there?', null, execution(100, true));
    expect(cut).toMatch(
      /^The query returned 100 rows: Customer 1, .* and more\. These are the first 100 rows; there are or may be more\.$/,
    );
    const whole = writeAnswer('Which customers are there?', null, execution(12, false));
    expect(whole).not.toMatch(/may be more/);
  });

  it('names the ranked items alone when the ranking measure was not selected, and a share as a fraction', () => {
    const plan = {
      kind: 'top',
      base: 'public.authors',
      dimensions: [{ table: 'public.authors', column: 'name' }],
      hiddenGroupKeys: [],
      measure: { kind: 'count' },
      measureName: 'books',
      measureHidden: true,
      conditions: [],
      joinTables: [],
      having: null,
      distinct: false,
      orderBy: 'measure',
      direction: 'DESC',
      limit: 2,
      subjectWords: 'authors',
      groupWords: '',
      measureWords: 'books',
      dateDescription: null,
    } satisfies QueryPlan;
    const ranked = { ...execution(2, false), rows: [['Ada'], ['Grace']] };
    expect(writeAnswer('Which 2 authors have the most books?', plan, ranked)).toBe('The top 2 authors by books are Ada and Grace.');
    expect(writeAnswer('Which author has the most books?', plan, { ...ranked, rows: [['Ada']], rowCount: 1 })).toBe(
      'Ada has the highest books.',
    );
    const share: QueryPlan = {
      ...plan,
      kind: 'share',
      measure: { kind: 'share', conditions: [], fraction: true },
      measureHidden: false,
      dimensions: [],
    };
    expect(writeAnswer('What share of authors are Irish?', share, { ...ranked, rows: [[0.25]], rowCount: 1 })).toBe(
      'The share of the authors that match is 0.25.',
    );
    // Periods ranked by a count: only the periods were selected.
    const periods: QueryPlan = {
      ...plan,
      kind: 'grouped',
      base: 'public.books',
      dimensions: [{ table: 'public.books', column: 'published_on', bucket: 'monthOfYear' }],
      subjectWords: 'books',
      groupWords: 'month',
      measureName: 'books_count',
    };
    expect(writeAnswer('Which month of 2024 had the most books?', periods, { ...ranked, rows: [[4]], rowCount: 1 })).toBe(
      'The month with the most books is 4.',
    );
    expect(
      writeAnswer('Which 2 months had the fewest books?', { ...periods, direction: 'ASC' }, { ...ranked, rows: [[1], [7]], rowCount: 2 }),
    ).toBe('The 2 months with the fewest books are 1 and 7.');
  });
});
