import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { column, planOn, plannerToday, sqlOn, table } from '../support/offline-tables.ts';

// Readings of numbers and counts that once gave a confident answer to another question, on a lending library of
// its own (no fixture, no eval question): a count read as an age, a price per unit read as a rate of itself, related
// rows counted per row of the wrong table, and a count of the rows a superlative picks.

const library: TableDescription[] = [
  table('members', 'People who borrow books', [
    column('id', 'integer'),
    column('first_name', 'text'),
    column('last_name', 'text'),
    column('city', 'text', { sampleValues: ['Leeds', 'York'] }),
    column('birth_date', 'date', { comment: 'Date of birth.' }),
    column('joined_on', 'date', { comment: 'Date the member joined.' }),
  ]),
  table('branches', 'Branches of the library', [
    column('id', 'integer'),
    column('name', 'text', { sampleValues: ['Central', 'Riverside'] }),
  ]),
  table('supplies', 'Supplies the library buys', [
    column('id', 'integer'),
    column('name', 'text'),
    column('unit_price', 'decimal', { comment: 'Price of one unit in dollars.' }),
  ]),
  table('loans', 'Books lent to members', [
    column('id', 'integer'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('branch_id', 'integer', { references: 'public.branches(id)' }),
    column('loaned_on', 'date', { comment: 'Date the book was lent.' }),
    column('status', 'text', { sampleValues: ['returned', 'overdue'] }),
  ]),
];

const today = plannerToday;

describe('the offline planner on numbers and counts', () => {
  it('reads a number followed by what it counts as a count, not an age, and a bare number after people as an age', () => {
    for (const question of ['How many members have at least 5 loans?', 'Which cities have more than 50 of our members?']) {
      const outcome = planOn(library, question, { today });
      if (outcome.kind === 'plan') expect(JSON.stringify(outcome.plan), question).not.toMatch(/birth_date/);
    }
    expect(sqlOn(library, 'How many members have at least 5 loans?', { today })).toMatch(/HAVING COUNT\(DISTINCT l\.id\) >= 5/);
    expect(sqlOn(library, 'How many members are under 18?', { today })).toMatch(/FROM members WHERE birth_date >= '2008-06-16'/);
    // "50 of our members" counts members as "50 members" does.
    expect(sqlOn(library, 'Which cities have more than 50 of our members?', { today })).toMatch(
      /^SELECT city FROM members GROUP BY city HAVING COUNT\(\*\) > 50/,
    );
    expect(sqlOn(library, 'Which branches have at least 3 of the loans?', { today })).toMatch(/HAVING COUNT\(DISTINCT l\.id\) >= 3/);
  });

  it('counts per group the rows a HAVING on their related rows keeps ("for each city, how many members have at least 3 loans")', () => {
    for (const dialect of ['postgres', 'mysql'] as const)
      expect(sqlOn(library, 'For each city, how many members have at least 3 loans?', { today, dialect })).toBe(
        'SELECT city, COUNT(*) AS members_count FROM (SELECT m.id, m.city FROM members m LEFT JOIN loans l ON l.member_id = m.id ' +
          'GROUP BY m.id, m.city HAVING COUNT(DISTINCT l.id) >= 3) AS counted GROUP BY city ORDER BY members_count DESC, city',
      );
  });

  it('does not read a price per unit as the unit price over itself', () => {
    const outcome = planOn(library, 'Which supplies cost more per unit than the average?', { today });
    if (outcome.kind === 'plan') expect(JSON.stringify(outcome.plan.measure)).not.toMatch(/"kind":"ratio"/);
    else expect(outcome.kind).toBe('cannot');
  });

  it('counts related rows per row of the people asked about, or declines; never per row of the related table', () => {
    const outcome = planOn(library, 'How many members had overdue loans at more than one branch?', { today });
    if (outcome.kind === 'plan') {
      const sql = sqlOn(library, 'How many members had overdue loans at more than one branch?', { today });
      expect(sql).not.toMatch(/GROUP BY l\.id\b/);
      expect(sql).toMatch(/GROUP BY (m\.id|l\.member_id)/);
    } else expect(outcome.kind).toBe('cannot');
  });

  it('counts the rows picked by their first related row, declines other counts a superlative picks, and still counts plain rows of a period', () => {
    expect(sqlOn(library, 'How many members had their very first loan in 2025?', { today })).toMatch(
      /^SELECT COUNT\(\*\) AS members_count FROM \(SELECT m\.id FROM members m JOIN loans l ON l\.member_id = m\.id GROUP BY m\.id HAVING MIN\(l\.loaned_on\) >= '2025-01-01' AND MIN\(l\.loaned_on\) < '2026-01-01'\) AS counted$/,
    );
    expect(planOn(library, 'How many members had the most loans in 2025?', { today }).kind).toBe('cannot');
    expect(sqlOn(library, 'How many members had a loan in 2025?', { today })).toMatch(
      /COUNT\(DISTINCT member_id\).* WHERE loaned_on >= '2025-01-01' AND loaned_on < '2026-01-01'/,
    );
  });

  it('does not rank the ranked rows within each of themselves ("Show each member with the number")', () => {
    const question = 'Which 3 members have the most loans? Show each member name with the number.';
    const outcome = planOn(library, question, { today });
    if (outcome.kind === 'plan') expect(sqlOn(library, question, { today })).not.toMatch(/PARTITION BY m\.id/);
    else expect(outcome.kind).toBe('cannot');
  });

  it('reads "and how many" after a ranking as asking for its figures, unless the clause says something new', () => {
    const shape = (question: string) => readQuestionShape(wordsOf(question), new Set())!;
    const figures = shape('Which branch has the most loans, and how many loans is that?');
    expect(figures.kind).toBe('top');
    expect(sqlOn(library, 'Which branch has the most loans, and how many loans is that?', { today })).toMatch(
      /^SELECT b\.name, COUNT\(\*\) AS loans FROM loans l JOIN branches b .* ORDER BY loans DESC, b\.name LIMIT 1$/,
    );
    expect(shape('Which 2 members borrowed the most, with how many times each borrowed?').kind).toBe('top');
    expect(shape('Which branch has the most loans, and how many of them are overdue?').kind).toBe('count');
  });

  it('places the order a list or a grouped answer has anyway, and writes another order ("newest first")', () => {
    expect(sqlOn(library, 'List the members from Leeds, sorted alphabetically.', { today })).toMatch(
      /^SELECT first_name, last_name FROM members WHERE city = 'Leeds' ORDER BY first_name, last_name$/,
    );
    expect(sqlOn(library, 'List the members from York in alphabetical order.', { today })).toMatch(/ORDER BY first_name, last_name$/);
    expect(sqlOn(library, 'number of loans per branch, highest first', { today })).toMatch(/GROUP BY .* ORDER BY loans_count DESC/);
    // A list "newest first" is ordered by the members' own date, all of them (not the one newest).
    expect(sqlOn(library, 'List the members from Leeds, newest first.', { today })).toMatch(
      /FROM members WHERE city = 'Leeds' ORDER BY joined_on DESC, first_name, last_name$/,
    );
  });
});
