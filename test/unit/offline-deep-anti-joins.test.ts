import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "Which members never borrowed a tool from the Garden section?": the negated rows reach the base through
// more than one table, and the value that describes them belongs inside the NOT EXISTS, not outside it
// (outside, it asks for members who borrowed a garden tool and never borrowed anything: always empty).
// A tool library of its own, not a fixture.

const tools = [
  table('members', 'People who may borrow tools', [
    column('id', 'integer'),
    column('first_name', 'text'),
    column('last_name', 'text'),
    column('city', 'text', { sampleValues: ['Leeds', 'York'] }),
  ]),
  table('sections', 'Sections of the library, in a two-level tree', [
    column('id', 'integer'),
    column('name', 'text', { sampleValues: ['Garden', 'Workshop', 'Pruning', 'Saws'] }),
    column('parent_id', 'integer', { references: 'public.sections(id)', nullable: true }),
  ]),
  table('tools', 'Tools that can be borrowed', [
    column('id', 'integer'),
    column('name', 'text'),
    column('section_id', 'integer', { references: 'public.sections(id)' }),
    column('brand', 'text', { sampleValues: ['Stihl', 'Bosch'] }),
  ]),
  table('loans', 'Each time a member borrowed one or more tools', [
    column('id', 'integer'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('loaned_on', 'date'),
  ]),
  table('loan_lines', 'The tools of a loan, one per line', [
    column('id', 'integer'),
    column('loan_id', 'integer', { references: 'public.loans(id)' }),
    column('tool_id', 'integer', { references: 'public.tools(id)' }),
  ]),
];

describe('negated relations reached through several tables', () => {
  it('puts a value two tables away inside the NOT EXISTS', () => {
    expect(sqlOn(tools, 'Which members never borrowed a Bosch tool?')).toBe(
      "SELECT first_name, last_name FROM members WHERE NOT EXISTS (SELECT 1 FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id WHERE l.member_id = members.id AND t.brand = 'Bosch') ORDER BY first_name, last_name",
    );
  });

  it('puts a value three tables away inside, with the tables named on the way and its subtree', () => {
    expect(sqlOn(tools, 'Which members have never borrowed a tool from the Garden section?')).toBe(
      "SELECT first_name, last_name FROM members WHERE NOT EXISTS (SELECT 1 FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id JOIN sections s ON t.section_id = s.id WHERE l.member_id = members.id AND (s.name = 'Garden' OR (s.parent_id IS NOT NULL AND s.parent_id IN (SELECT id FROM sections WHERE name = 'Garden')))) ORDER BY first_name, last_name",
    );
  });

  it('walks from the other end: the people who borrowed are described, the tools are listed', () => {
    expect(sqlOn(tools, 'Which tools were never borrowed by members from York?')).toBe(
      "SELECT name FROM tools WHERE NOT EXISTS (SELECT 1 FROM loan_lines ll JOIN loans l ON ll.loan_id = l.id JOIN members m ON l.member_id = m.id WHERE ll.tool_id = tools.id AND m.city = 'York') ORDER BY name",
    );
  });

  it('dates the negated rows by the nearest table on the path that has a date', () => {
    expect(sqlOn(tools, 'Which members never borrowed a Bosch tool in 2025?')).toBe(
      "SELECT first_name, last_name FROM members WHERE NOT EXISTS (SELECT 1 FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id WHERE l.member_id = members.id AND t.brand = 'Bosch' AND l.loaned_on >= '2025-01-01' AND l.loaned_on < '2026-01-01') ORDER BY first_name, last_name",
    );
  });

  it('keeps a value of the listed rows themselves outside, even far from the negation', () => {
    expect(sqlOn(tools, 'Which members from Leeds have never had a loan?')).toBe(
      "SELECT first_name, last_name FROM members WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.member_id = members.id) AND city = 'Leeds' ORDER BY first_name, last_name",
    );
  });

  it('does not reach past a clause break for the value', () => {
    // Contradictory as written, and so answered: the brand stays a condition of the members' own loans (some loan of theirs).
    expect(sqlOn(tools, 'Which members never had a loan and have a Bosch tool?')).toBe(
      "SELECT first_name, last_name FROM members WHERE NOT EXISTS (SELECT 1 FROM loans l WHERE l.member_id = members.id) AND members.id IN (SELECT l.member_id FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id WHERE t.brand = 'Bosch') ORDER BY first_name, last_name",
    );
  });
});

describe('"both X and Y" of related rows', () => {
  it('asks for a related row with each value, not for either', () => {
    expect(sqlOn(tools, 'Which members have loans of both a Bosch and a Stihl tool?')).toBe(
      "SELECT first_name, last_name FROM members WHERE members.id IN (SELECT l.member_id FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id WHERE t.brand = 'Bosch') AND members.id IN (SELECT l.member_id FROM loans l JOIN loan_lines ll ON ll.loan_id = l.id JOIN tools t ON ll.tool_id = t.id WHERE t.brand = 'Stihl') ORDER BY first_name, last_name",
    );
  });

  it("declines both values of the rows' own column, which one row cannot hold", () => {
    expect(planOn(tools, 'How many members live in both Leeds and York?')).toMatchObject({
      kind: 'cannot',
      reason: expect.stringMatching(/both Leeds and York/),
    });
  });
});
