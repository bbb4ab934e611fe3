import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findDateRange } from '../../src/llm/offline/date-range.ts';
import { matchExample, readPromptFacts } from '../../src/llm/offline/index.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';

const versionTwoLike = [
  'You answer questions about the mysql database "shop".',
  'Today is 2025-07-01.',
  '3. Unless the question asks for every row, return at most 100 rows (LIMIT 100).',
  '## Worked example',
  'Question: How many orders were placed last month?',
  'Thinking: today is 2025-07-01.',
  'SQL:',
  "SELECT COUNT(*) AS orders FROM orders WHERE order_date >= '2025-06-01'",
  '## Examples for this database',
  'Question: Which payment method brought in the most captured money?',
  "SQL: SELECT method, SUM(amount) AS captured FROM payments WHERE status = 'captured' GROUP BY method ORDER BY captured DESC LIMIT 1",
].join('\n');

describe('how the offline model reads a system prompt', () => {
  it("reads the dialect, today, the default row limit (not an example's LIMIT) and the examples", () => {
    const facts = readPromptFacts(versionTwoLike);
    expect(facts).toMatchObject({ dialect: 'mysql', today: '2025-07-01', rowLimit: 100 });
    expect(facts.examples.map((example) => example.question)).toEqual([
      'How many orders were placed last month?',
      'Which payment method brought in the most captured money?',
    ]);
    expect(readPromptFacts('You are a data analyst for the postgres database "shop".')).toEqual({
      dialect: 'postgres',
      today: null,
      rowLimit: null,
      examples: [],
      glossary: [],
      metrics: [],
      tableSchemas: new Map(),
      answerForm: { exactColumns: false, roundOnlyWhenAsked: false, shareAsFraction: false },
    });
  });

  it('reads the rules on the form of the answer from v7 on, and none from v6', () => {
    const version = (number: number) =>
      readFileSync(path.resolve(import.meta.dirname, `../../prompts/agent/db_agent/v${number}.md`), 'utf8');
    expect(readPromptFacts(version(7)).answerForm).toEqual({ exactColumns: true, roundOnlyWhenAsked: true, shareAsFraction: true });
    expect(readPromptFacts(version(6)).answerForm).toEqual({ exactColumns: false, roundOnlyWhenAsked: false, shareAsFraction: false });
  });

  it('resolves dates against today, and leaves relative ones unresolved without it', () => {
    const range = (question: string, today: string | null = '2025-07-01') => findDateRange(wordsOf(question), today);
    expect(range('How many orders last month?')).toMatchObject({ from: '2025-06-01', to: '2025-07-01' });
    expect(range('Orders this year')).toMatchObject({ from: '2025-01-01', to: '2025-07-02' });
    expect(range('Revenue in 2024')).toMatchObject({ from: '2024-01-01', to: '2025-01-01' });
    expect(range('Orders in March 2025')).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    expect(range('Orders in March')).toMatchObject({ from: '2025-03-01', to: '2025-04-01' });
    expect(range('Orders last year')).toMatchObject({ from: '2024-01-01', to: '2025-01-01' });
    expect(range('Appointments booked for next month')).toMatchObject({ from: '2025-08-01', to: '2025-09-01' });
    expect(range('Visits in the coming year')).toMatchObject({ from: '2026-01-01', to: '2027-01-01' });
    expect(range('Visits over the next 14 days')).toMatchObject({ from: '2025-07-01', to: '2025-07-15' });
    expect(range('How many orders last month?', null)).toMatchObject({ needsToday: true });
    expect(range('How many customers are there?')).toBeNull();
  });

  it('reads "last week" as the previous Monday to Sunday, "this week" as the week so far, and "next week" as the one after', () => {
    // 2025-07-01 is a Tuesday.
    expect(findDateRange(wordsOf('orders from last week'), '2025-07-01')).toMatchObject({ from: '2025-06-23', to: '2025-06-30' });
    expect(findDateRange(wordsOf('signups this week'), '2025-07-01')).toMatchObject({ from: '2025-06-30', to: '2025-07-02' });
    // "next week": the Monday to Sunday after this week; "next quarter": the calendar quarter after this one.
    expect(findDateRange(wordsOf('appointments next week'), '2025-07-01')).toMatchObject({ from: '2025-07-07', to: '2025-07-14' });
    expect(findDateRange(wordsOf('visits in the coming quarter'), '2025-07-01')).toMatchObject({ from: '2025-10-01', to: '2026-01-01' });
  });

  it('reads contractions with or without the apostrophe', () => {
    const texts = (question: string) => wordsOf(question).map((word) => word.lower);
    expect(texts("Which customers didn't order?")).toEqual(['which', 'customers', 'did', 'not', 'order']);
    expect(texts('whats the total, which doesnt include returns')).toEqual([
      'what',
      'is',
      'the',
      'total',
      'which',
      'does',
      'not',
      'include',
      'returns',
    ]);
    expect(texts("Women's Clothing")).toEqual(['women', 's', 'clothing']);
  });

  it("fills an example's value slot with a sample value of the same column, and ignores distant examples", () => {
    const { examples } = readPromptFacts(versionTwoLike);
    const hits = [
      { kind: 'column' as const, schema: 'public', table: 'payments', column: 'status', score: 3, reasons: ['sample value "refunded"'] },
    ];
    const match = matchExample('Which payment method brought in the most refunded money?', examples, hits);
    expect(match && 'sql' in match ? match.sql : null).toBe(
      "SELECT method, SUM(amount) AS captured FROM payments WHERE status = 'refunded' GROUP BY method ORDER BY captured DESC LIMIT 1",
    );
    expect(matchExample('How many customers live in Germany?', examples, hits)).toBeNull();
  });

  it('uses an example only when it asks for the same kind of answer (a count is not a list)', () => {
    const examples = [{ question: 'How many members never borrowed a book?', sql: 'SELECT COUNT(*) FROM members' }];
    expect(matchExample('How many members never borrowed a book?', examples, [])).toMatchObject({ sql: 'SELECT COUNT(*) FROM members' });
    expect(matchExample('Which members never borrowed a book?', examples, [])).toBeNull();
  });
});
