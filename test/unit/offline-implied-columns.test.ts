import { describe, expect, it } from 'vitest';
import type { MetadataHit, TableDescription } from '../../src/agent/index.ts';
import { birthDateBounds, readComparedUnit } from '../../src/llm/offline/comparison-units.ts';
import { findDateRange, type DateRange } from '../../src/llm/offline/date-range.ts';
import { planQuery, type PlanOutcome } from '../../src/llm/offline/query-planner.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { writeSql } from '../../src/llm/offline/sql-writer.ts';
import { column, planOn, plannerToday, sqlOn, table } from '../support/offline-tables.ts';

// Comparisons whose column the question leaves to a unit or a word, and columns named to be shown next to a
// list, on a small schema of our own (a climbing gym), not a fixture and not an eval question.

const gym: TableDescription[] = [
  table('members', 'People holding a membership', [
    column('id', 'integer'),
    column('name', 'text'),
    column('email', 'text', { comment: 'Login e-mail address.' }),
    column('city', 'text', { sampleValues: ['Leeds', 'York'] }),
    column('birth_date', 'date', { comment: 'Date of birth.' }),
    column('joined_on', 'date', { comment: 'Day the membership started.' }),
    column('phone', 'text', { nullable: true, comment: 'Phone number; NULL when not given.' }),
  ]),
  table('classes', 'Classes members book', [
    column('id', 'integer'),
    column('title', 'text'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('length_minutes', 'integer', { comment: 'Length of the class in minutes.' }),
    column('fee', 'decimal', { comment: 'Fee in US dollars.' }),
    column('discount', 'decimal', { comment: 'Discount as a fraction of the fee.' }),
    column('held_on', 'date', { comment: 'Day the class took place.' }),
  ]),
];

const hits: MetadataHit[] = ['members', 'classes'].map((name) => ({
  kind: 'table',
  schema: 'public',
  table: name,
  score: 1,
  reasons: [`name matches "${name}"`],
}));

function plan(question: string, today: string | null = plannerToday): PlanOutcome {
  return planOn(gym, question, { hits, today });
}

function sqlOf(question: string, dialect: 'postgres' | 'mysql' = 'postgres'): string {
  return sqlOn(gym, question, { hits, today: plannerToday, dialect, unrounded: true });
}

describe('the unit of a compared number', () => {
  const unitOf = (question: string) => {
    const words = wordsOf(question);
    const [comparison] = readQuestionShape(words, new Set())!.comparisons;
    const numberIndex = words.findIndex((word, index) => index >= comparison.index && word.isNumber);
    return readComparedUnit(words, comparison, numberIndex)?.unit ?? null;
  };

  it.each([
    ['classes over 20 dollars', { kind: 'money', currency: 'dollar' }],
    ['classes over $20', { kind: 'money', currency: 'dollar' }],
    ['classes over 20 euros', { kind: 'money', currency: 'other' }],
    ['classes longer than 2 hours', { kind: 'duration', minutes: 60 }],
    ['classes that last an hour or more', { kind: 'duration', minutes: 60 }],
    ['members older than 40', { kind: 'age' }],
    ['members aged over 40', { kind: 'age' }],
    ['members who are 40 years old or older', { kind: 'age' }],
    ['classes with a discount above 10%', { kind: 'percent' }],
    ['classes over 20', null],
  ])('%s', (question, unit) => {
    expect(unitOf(question)).toEqual(unit);
  });

  it('turns a whole age on a day into bounds on the birth date', () => {
    expect(birthDateBounds('>', 60, null, '2025-07-01')).toEqual({ from: null, to: '1964-07-02' });
    expect(birthDateBounds('>=', 65, null, '2025-07-01')).toEqual({ from: null, to: '1960-07-02' });
    expect(birthDateBounds('<', 18, null, '2025-07-01')).toEqual({ from: '2007-07-02', to: null });
    expect(birthDateBounds('>=', 30, 39, '2025-07-01')).toEqual({ from: '1985-07-02', to: '1995-07-02' });
    expect(birthDateBounds('>', 1, null, '2024-02-29')).toEqual({ from: null, to: '2022-03-01' });
  });
});

describe('a comparison whose column a unit implies', () => {
  it('compares money with the money column', () => {
    expect(sqlOf('How many classes cost over 20 dollars?')).toBe('SELECT COUNT(*) AS classes_count FROM classes WHERE fee > 20');
  });

  it('reads "more expensive than N" as a price, with or without a dollar sign', () => {
    expect(sqlOf('How many classes are more expensive than 20?')).toBe('SELECT COUNT(*) AS classes_count FROM classes WHERE fee > 20');
  });

  it('compares a duration with the duration column, in its unit', () => {
    expect(sqlOf('How many classes last more than 1 hour?')).toBe(
      'SELECT COUNT(*) AS classes_count FROM classes WHERE length_minutes > 60',
    );
  });

  it('prefers the column of the unit over another column named near the number', () => {
    expect(sqlOf('What is the average fee of classes longer than 45 minutes?')).toBe(
      'SELECT AVG(fee) AS average_fee FROM classes WHERE length_minutes > 45',
    );
  });

  it('compares an age as portable bounds on the birth date, the same in both dialects', () => {
    const expected = "SELECT COUNT(*) AS members_count FROM members WHERE birth_date < '1985-06-16'";
    expect(sqlOf('How many members are older than 40?')).toBe(expected);
    expect(sqlOf('How many members are older than 40?', 'mysql')).toBe(expected);
  });

  it('reads a bare number against people with a birth date and no number of their own as an age', () => {
    expect(sqlOf('How many members under 18 live in Leeds?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE city = 'Leeds' AND birth_date >= '2008-06-16'",
    );
  });

  it('reads "aged N to M" as a range of ages, and the age of the people named right before a bare number', () => {
    expect(sqlOf('How many members aged 20 to 30?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE birth_date >= '1995-06-16' AND birth_date < '2006-06-16'",
    );
    expect(sqlOf('How many classes did members under 18 book?')).toBe(
      "SELECT COUNT(*) AS classes_count FROM classes c JOIN members m ON c.member_id = m.id WHERE m.birth_date >= '2008-06-16'",
    );
  });

  it('reads "over the age of N", "N and older" and "aged N-M" as ages', () => {
    const older = "SELECT COUNT(*) AS members_count FROM members WHERE birth_date < '1961-06-16'";
    expect(sqlOf('How many members are over the age of 64?')).toBe(older);
    expect(sqlOf('How many members 65 and older?')).toBe(older);
    expect(sqlOf('How many members 65 years and older?')).toBe(older);
    expect(sqlOf('How many members aged 20-30?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE birth_date >= '1995-06-16' AND birth_date < '2006-06-16'",
    );
  });

  it('counts people of an age through their events in a period, not by a date of their own', () => {
    expect(sqlOf('How many members under 30 booked a class in 2025?')).toBe(
      "SELECT COUNT(DISTINCT c.member_id) AS members_count FROM classes c JOIN members m ON c.member_id = m.id WHERE m.birth_date >= '1996-06-16' AND c.held_on >= '2025-01-01' AND c.held_on < '2026-01-01'",
    );
  });

  it('declines an age without a today, a currency the amounts are not in, and a number that fits two columns', () => {
    expect(plan('How many members are older than 40?', null)).toMatchObject({ kind: 'cannot' });
    expect(plan('How many classes cost more than 20 euros?')).toMatchObject({ kind: 'cannot' });
    expect(plan('How many classes are over 20?')).toMatchObject({ kind: 'cannot' });
  });
});

describe('a column named to be shown next to a list', () => {
  it('shows a column after "with their", "and their", "along with" or "and what"', () => {
    expect(sqlOf('list the members in Leeds with their email')).toBe(
      "SELECT name, email FROM members WHERE city = 'Leeds' ORDER BY name, email",
    );
    expect(sqlOf('members in York and their birth dates')).toBe(
      "SELECT name, birth_date FROM members WHERE city = 'York' ORDER BY name, birth_date",
    );
    expect(sqlOf('which members live in Leeds, and what is their email?')).toBe(
      "SELECT name, email FROM members WHERE city = 'Leeds' ORDER BY name, email",
    );
  });

  it('shows the column of a possessive ("each member\'s city") and of "the name and fee of …"', () => {
    expect(sqlOf("show each member's city")).toBe('SELECT name, city FROM members ORDER BY name, city');
    expect(sqlOf('give me the title and fee of the classes')).toBe('SELECT title, fee FROM classes ORDER BY title, fee');
  });

  it('keeps a column followed by a number or read after "with a" a condition, not a column to show', () => {
    expect(sqlOf('list the classes with fee over 20 dollars')).toBe('SELECT title FROM classes WHERE fee > 20 ORDER BY title');
  });

  it('shows the columns listed after a possessive or before "of the …"', () => {
    expect(sqlOf("show each member's email, city and birth date")).toBe(
      'SELECT name, email, city, birth_date FROM members ORDER BY name, email, city, birth_date',
    );
    expect(sqlOf('list the names, emails and cities of the members')).toBe(
      'SELECT name, email, city FROM members ORDER BY name, email, city',
    );
  });

  it('reads "a list of" as the request, not a thing listed', () => {
    expect(sqlOf('give me a list of classes with a fee above 20 dollars')).toBe('SELECT title FROM classes WHERE fee > 20 ORDER BY title');
  });

  it('shows the label of a table named so when it is one per listed row, and declines several', () => {
    expect(sqlOf('list the classes with their member')).toBe(
      'SELECT c.title, m.name FROM classes c JOIN members m ON c.member_id = m.id ORDER BY c.title, m.name',
    );
    expect(plan('list the members with their classes')).toMatchObject({ kind: 'cannot' });
  });

  it('lists "the email of each member" as each member with the email, and shows a column after "include their"', () => {
    expect(sqlOf('what is the email of each member in Leeds')).toBe(
      "SELECT name, email FROM members WHERE city = 'Leeds' ORDER BY name, email",
    );
    expect(sqlOf('which members live in York? Include their email.')).toBe(
      "SELECT name, email FROM members WHERE city = 'York' ORDER BY name, email",
    );
  });

  it('declines a figure over related rows, and does not show a column that may be missing after a bare "with"', () => {
    expect(plan('list the members with their first class title')).toMatchObject({ kind: 'cannot' });
    expect(plan('list the members with phone numbers')).toMatchObject({ kind: 'cannot' });
  });

  it('shows a date column after "when did they …"', () => {
    expect(sqlOf('which members live in York and when did they join')).toBe(
      "SELECT name, joined_on FROM members WHERE city = 'York' ORDER BY name, joined_on",
    );
  });
});
