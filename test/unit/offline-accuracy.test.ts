import { describe, expect, it } from 'vitest';
import type { TableDescription } from '../../src/agent/index.ts';
import type { PlanOutcome } from '../../src/llm/offline/query-planner.ts';
import { readQuestionShape } from '../../src/llm/offline/question-shape.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';
import { SchemaCatalogue } from '../../src/llm/offline/schema-catalogue.ts';
import { linkMentions } from '../../src/llm/offline/schema-linker.ts';
import { writeSql } from '../../src/llm/offline/sql-writer.ts';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// Regression tests for the kinds of confident wrong answer issue 16 lists, and the question shapes added
// against them, each from a question of our own on a small schema of its own (a climbing gym), not a
// fixture: what the planner reads and the SQL it writes, or that it declines.

const gym: TableDescription[] = [
  table('coaches', 'Coaches employed by the gym', [
    column('id', 'integer'),
    column('name', 'text'),
    column('salary', 'decimal', { comment: 'Annual salary in US dollars.' }),
    column('hired_on', 'date', { comment: 'Date the coach was hired.' }),
  ]),
  table('members', 'Members of the gym', [
    column('id', 'integer'),
    column('name', 'text'),
    column('city', 'text', { comment: 'City of residence, e.g. Cork or Limerick.', sampleValues: ['Cork', 'Galway'] }),
    column('signup_date', 'date', { comment: 'Date the member signed up.' }),
    column('birth_date', 'date', { comment: 'Date of birth.' }),
    column('coach_id', 'integer', { references: 'public.coaches(id)' }),
    column('phone', 'text', { nullable: true, comment: 'Phone number; NULL when not given.' }),
  ]),
  table('sessions', 'Climbing sessions booked by members', [
    column('id', 'integer'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('booked_at', 'timestamp', { comment: 'Start of the session.' }),
    column('status', 'text', { sampleValues: ['pending', 'attended', 'missed', 'no_show'] }),
    column('paid_with', 'text', { sampleValues: ['card', 'cash'] }),
    column('discount', 'decimal', { comment: 'Discount as a fraction of the fee: 0.00, 0.10 or 0.25.' }),
    column('minutes', 'integer', { comment: 'Length of the session in minutes.' }),
    column('fee', 'decimal', { comment: 'Amount billed in US dollars for the session.' }),
  ]),
];

function plan(question: string, tables: TableDescription[] = gym): PlanOutcome {
  return planOn(tables, question);
}

function sqlOf(question: string, tables: TableDescription[] = gym): string {
  return sqlOn(tables, question);
}

/** Parcels whose status names the same events as two of their dates. */
const depot: TableDescription[] = [
  table('parcels', 'Parcels sent from the depot', [
    column('id', 'integer'),
    column('status', 'text', { sampleValues: ['pending', 'shipped', 'delivered'] }),
    column('shipped_at', 'timestamp', { nullable: true, comment: 'When the parcel left the depot.' }),
    column('delivered_at', 'timestamp', { nullable: true, comment: 'When the parcel arrived.' }),
    column('weight_kg', 'decimal'),
  ]),
];

describe('the offline planner against confident wrong answers', () => {
  it('matches no value inside another word: "spending" is not the status "pending"', () => {
    const words = wordsOf('How much were members spending in 2025?');
    const values = linkMentions(words, new Set(), new SchemaCatalogue(gym)).filter((mention) => mention.kind === 'value');
    expect(values).toEqual([]);
    expect(sqlOf('How much were Cork members spending in 2025?')).not.toContain('pending');
  });

  it('counts the people among their events when a table of events is named after them', () => {
    expect(sqlOf('How many members booked a session in 2025?')).toBe(
      "SELECT COUNT(DISTINCT member_id) AS members_count FROM sessions WHERE booked_at >= '2025-01-01' AND booked_at < '2026-01-01'",
    );
    expect(sqlOf('How many members from Cork had a session in 2025?')).toBe(
      "SELECT COUNT(DISTINCT s.member_id) AS members_count FROM sessions s JOIN members m ON s.member_id = m.id WHERE m.city = 'Cork' AND s.booked_at >= '2025-01-01' AND s.booked_at < '2026-01-01'",
    );
  });

  it('counts the rows a date column records, not its distinct dates ("the number of signups")', () => {
    expect(sqlOf('Show the number of member signups per month in 2025.')).toBe(
      "SELECT EXTRACT(MONTH FROM signup_date) AS month, COUNT(*) AS members_count FROM members WHERE signup_date >= '2025-01-01' AND signup_date < '2026-01-01' GROUP BY EXTRACT(MONTH FROM signup_date) ORDER BY EXTRACT(MONTH FROM signup_date)",
    );
  });

  it('reads "per" a quantity column as a rate of two sums, not a group per value', () => {
    expect(sqlOf('What is the average fee per minute of attended sessions?')).toBe(
      "SELECT ROUND(1.0 * SUM(fee) / NULLIF(SUM(minutes), 0), 2) AS total_fee_per_minutes FROM sessions WHERE status = 'attended'",
    );
  });

  it('reads "first" as the earliest, but not in a name, a unit of time or an occasion', () => {
    expect(sqlOf('Who was the first member to sign up?')).toBe(
      'SELECT name, signup_date AS signup_date FROM members ORDER BY signup_date ASC, name LIMIT 1',
    );
    expect(sqlOf('Which coach was hired first?')).toBe(
      'SELECT name, hired_on AS hired_on FROM coaches ORDER BY hired_on ASC, name LIMIT 1',
    );
    for (const question of [
      'How many members booked a session for the first time in 2025?',
      'How many sessions were booked in the first week of 2025?',
    ])
      expect(plan(question)).toMatchObject({ kind: 'cannot', unplaced: expect.arrayContaining(['first']) });
  });

  it('reads "were shipped in 2025" as when they shipped, not as the status shipped; the status alone stays one', () => {
    expect(sqlOf('How many parcels were shipped in 2025?', depot)).toBe(
      "SELECT COUNT(*) AS parcels_count FROM parcels WHERE shipped_at >= '2025-01-01' AND shipped_at < '2026-01-01'",
    );
    expect(sqlOf('How many parcels got delivered in the first half of 2025?', depot)).toBe(
      "SELECT COUNT(*) AS parcels_count FROM parcels WHERE delivered_at >= '2025-01-01' AND delivered_at < '2025-07-01'",
    );
    expect(sqlOf('How many parcels are shipped?', depot)).toBe("SELECT COUNT(*) AS parcels_count FROM parcels WHERE status = 'shipped'");
  });

  it('groups by quarter: its number within one year, else its first day (on MySQL without DATE_TRUNC); the past N quarters', () => {
    expect(sqlOf('How many members signed up per quarter in 2025?')).toBe(
      "SELECT EXTRACT(QUARTER FROM signup_date) AS quarter, COUNT(*) AS members_count FROM members WHERE signup_date >= '2025-01-01' AND signup_date < '2026-01-01' GROUP BY EXTRACT(QUARTER FROM signup_date) ORDER BY EXTRACT(QUARTER FROM signup_date)",
    );
    expect(sqlOf('How many members signed up per quarter?')).toContain("CAST(DATE_TRUNC('quarter', signup_date) AS DATE) AS quarter");
    const outcome = plan('How many members signed up per quarter?');
    if (outcome.kind !== 'plan') throw new Error('not planned');
    expect(writeSql(outcome.plan, new SchemaCatalogue(gym), 'mysql')).toContain(
      'MAKEDATE(YEAR(signup_date), 1) + INTERVAL (QUARTER(signup_date) - 1) QUARTER AS quarter',
    );
    expect(sqlOf('What is the quarterly total of fees in 2025?')).toContain(
      'EXTRACT(QUARTER FROM booked_at) AS quarter, SUM(fee) AS total_fee',
    );
    expect(sqlOf('How did the number of sessions change quarter over quarter in 2025?')).toContain(
      'LAG(sessions_count) OVER (ORDER BY quarter) AS change_from_previous',
    );
    // Today is 2026-06-15: the window of two quarters is six months ending today.
    expect(sqlOf('What were total fees in the past 2 quarters?')).toBe(
      "SELECT SUM(fee) AS total_fee FROM sessions WHERE booked_at >= '2025-12-15' AND booked_at < '2026-06-16'",
    );
  });

  it('ranks periods by a number of rows or by a total, selecting only the period asked for', () => {
    expect(sqlOf('Which month of 2025 had the most sessions?')).toBe(
      "SELECT EXTRACT(MONTH FROM booked_at) AS month FROM sessions WHERE booked_at >= '2025-01-01' AND booked_at < '2026-01-01' GROUP BY EXTRACT(MONTH FROM booked_at) ORDER BY COUNT(*) DESC, EXTRACT(MONTH FROM booked_at) LIMIT 1",
    );
    expect(sqlOf('Which 3 months of 2025 had the fewest sessions?')).toContain(
      'ORDER BY COUNT(*) ASC, EXTRACT(MONTH FROM booked_at) LIMIT 3',
    );
    // Across years, a month is the month's first day, not its number (the Januaries of two years differ).
    expect(sqlOf('Which year had the most signups?')).toBe(
      'SELECT EXTRACT(YEAR FROM signup_date) AS year FROM members GROUP BY EXTRACT(YEAR FROM signup_date) ORDER BY COUNT(*) DESC, EXTRACT(YEAR FROM signup_date) LIMIT 1',
    );
    expect(sqlOf('Which month had the most sessions?')).toContain("CAST(DATE_TRUNC('month', booked_at) AS DATE) AS month");
    // A total ranks them too (the sum of the figure per period).
    expect(sqlOf('Which month had the highest total fees?')).toContain('ORDER BY SUM(');
    // The answer names what was counted.
    expect(plan('Which month of 2025 had the most sessions?')).toMatchObject({
      kind: 'plan',
      plan: { subjectWords: 'sessions', groupWords: 'month' },
    });
  });

  it('reads a decade as ten years', () => {
    expect(sqlOf('How many members were born in the 1990s?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE birth_date >= '1990-01-01' AND birth_date < '2000-01-01'",
    );
  });

  it('sums the amount documented as billed for "billed", not a salary of the ranked table', () => {
    const sql = sqlOf('Which coaches billed more than $500 in 2025?');
    expect(sql).toContain('SUM(s.fee) > 500');
    expect(sql).not.toContain('salary');
    expect(sql).toContain("s.booked_at >= '2025-01-01'");
  });

  it('places a name only by a value: a city the column comment gives as an example is not placed by it', () => {
    const outcome = plan('How many members live in Limerick?');
    expect(outcome).toMatchObject({ kind: 'cannot', unplaced: ['Limerick'] });
  });

  it('declines a table the question names that the plan would not read', () => {
    // Sessions point at coaches only through members: no count of coaches by their own hire date.
    const outcome = plan('How many coaches had sessions in 2025?');
    expect(outcome).toMatchObject({ kind: 'cannot', unplaced: ['sessions'] });
  });
});

describe('the offline planner on the shapes it used to decline', () => {
  it('reads "outside" a value as its negation', () => {
    expect(sqlOf('How many members live outside Cork?')).toBe("SELECT COUNT(*) AS members_count FROM members WHERE city <> 'Cork'");
  });

  it('reads "by" before a value as how, not as a grouping', () => {
    expect(sqlOf('What share of sessions were paid by card?')).toBe(
      "SELECT ROUND(100.0 * SUM(CASE WHEN paid_with = 'card' THEN 1 ELSE 0 END) / COUNT(*), 2) AS percentage FROM sessions",
    );
  });

  it('links a code of function words joined by an underscore ("no-show" for no_show)', () => {
    expect(sqlOf('How many no-show sessions were there in 2025?')).toBe(
      "SELECT COUNT(*) AS sessions_count FROM sessions WHERE status = 'no_show' AND booked_at >= '2025-01-01' AND booked_at < '2026-01-01'",
    );
  });

  it('ranks people by age on their birth date, and by a verb of money before the superlative', () => {
    expect(sqlOf('List the three oldest members.')).toBe(
      'SELECT name, birth_date AS birth_date FROM members ORDER BY birth_date ASC, name LIMIT 3',
    );
    expect(sqlOf('Which two coaches earn the most?')).toBe('SELECT name, salary AS salary FROM coaches ORDER BY salary DESC, name LIMIT 2');
  });

  it('reads a range of months in one year, both ends whole', () => {
    expect(sqlOf('How many members signed up between March and May 2025?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE signup_date >= '2025-03-01' AND signup_date < '2025-06-01'",
    );
  });

  it('counts the known values of a nullable column for a share that names no other condition', () => {
    expect(sqlOf('What percentage of members have a phone?')).toBe(
      'SELECT ROUND(100.0 * SUM(CASE WHEN phone IS NOT NULL THEN 1 ELSE 0 END) / COUNT(*), 2) AS percentage FROM members',
    );
  });

  it('reads "min" after a number as minutes, and a time served or a span ago as a date of the rows\' own', () => {
    expect(sqlOf('How many sessions were longer than 45 min?')).toBe('SELECT COUNT(*) AS sessions_count FROM sessions WHERE minutes > 45');
    const today = '2026-06-15';
    expect(sqlOn(gym, 'How many coaches have more than 10 years of experience?', { today })).toBe(
      "SELECT COUNT(*) AS coaches_count FROM coaches WHERE hired_on < '2016-06-15'",
    );
    expect(sqlOn(gym, 'Which members signed up more than 2 years ago?', { today })).toBe(
      "SELECT name FROM members WHERE signup_date < '2024-06-15' ORDER BY name",
    );
  });

  it('reads a yearly rate after a bare amount against a yearly column, and not as a grouping by year', () => {
    expect(sqlOf('Which coaches earn more than 50,000 a year?')).toBe('SELECT name FROM coaches WHERE salary > 50000 ORDER BY name');
    expect(sqlOf('Which coaches make under 60000 per year?')).toBe('SELECT name FROM coaches WHERE salary < 60000 ORDER BY name');
    // A fee is no yearly amount; and "per year" after no amount still groups.
    expect(plan('How many sessions cost more than 20 a year?')).toMatchObject({
      kind: 'cannot',
      reason: expect.stringMatching(/yearly amount/),
    });
    expect(sqlOf('How many sessions per year?')).toMatch(/GROUP BY EXTRACT\(YEAR FROM booked_at\)/);
  });

  it('reads a percent against a column of fractions, and "without" a number column as zero', () => {
    expect(sqlOf('How many sessions had a 10% discount?')).toBe('SELECT COUNT(*) AS sessions_count FROM sessions WHERE discount = 0.1');
    expect(sqlOf('How many sessions had a discount of 25%?')).toBe('SELECT COUNT(*) AS sessions_count FROM sessions WHERE discount = 0.25');
    expect(sqlOf('How many sessions had a discount above 5%?')).toBe(
      'SELECT COUNT(*) AS sessions_count FROM sessions WHERE discount > 0.05',
    );
    expect(sqlOf('How many sessions were booked without any discount?')).toBe(
      'SELECT COUNT(*) AS sessions_count FROM sessions WHERE discount = 0',
    );
  });

  it('writes NOT EXISTS for a negated value of a related table, through a table in between, and with a period', () => {
    expect(sqlOf('How many members never had a no-show?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.member_id = members.id AND s.status = 'no_show')",
    );
    expect(sqlOf('How many coaches have never had a session?')).toBe(
      'SELECT COUNT(*) AS coaches_count FROM coaches WHERE NOT EXISTS (SELECT 1 FROM members m JOIN sessions s ON s.member_id = m.id WHERE m.coach_id = coaches.id)',
    );
    expect(sqlOf('How many members had no sessions in 2025?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE s.member_id = members.id AND s.booked_at >= '2025-01-01' AND s.booked_at < '2026-01-01')",
    );
  });

  it('compares a count of related rows that meet a value, or that a verb names "N times", within a period of their own', () => {
    expect(sqlOf('Which members had more than 5 attended sessions?')).toBe(
      "SELECT m.name FROM members m LEFT JOIN sessions s ON s.member_id = m.id WHERE s.status = 'attended' GROUP BY m.id, m.name HAVING COUNT(DISTINCT s.id) > 5 ORDER BY m.name",
    );
    expect(sqlOf('Which members booked sessions more than 3 times in 2025?')).toBe(
      "SELECT m.name FROM members m LEFT JOIN sessions s ON s.member_id = m.id WHERE s.booked_at >= '2025-01-01' AND s.booked_at < '2026-01-01' GROUP BY m.id, m.name HAVING COUNT(DISTINCT s.id) > 3 ORDER BY m.name",
    );
    // With a condition in WHERE, the members with none would drop out of "fewer than": declined.
    expect(plan('Which members had fewer than 2 sessions in 2025?').kind).toBe('cannot');
  });

  it('negates a value only with its own negation: "more than" compares, "other than" negates the value next to it', () => {
    expect(sqlOf('How many sessions other than card sessions were missed?')).toBe(
      "SELECT COUNT(*) AS sessions_count FROM sessions WHERE paid_with <> 'card' AND status = 'missed'",
    );
  });

  it('reads "how did X change from month to month" as a trend with its changes', () => {
    expect(sqlOf('How did the total fee change from month to month in 2025?')).toBe(
      "SELECT month, total_fee, total_fee - LAG(total_fee) OVER (ORDER BY month) AS change_from_previous FROM (SELECT EXTRACT(MONTH FROM booked_at) AS month, SUM(fee) AS total_fee FROM sessions WHERE booked_at >= '2025-01-01' AND booked_at < '2026-01-01' GROUP BY EXTRACT(MONTH FROM booked_at) ORDER BY EXTRACT(MONTH FROM booked_at)) AS periods ORDER BY month",
    );
  });

  it('ranks "by number of" the rows counted, and still groups "in each"', () => {
    expect(sqlOf('Which 2 cities are the largest by number of members?')).toBe(
      'SELECT city, COUNT(*) AS members_count FROM members GROUP BY city ORDER BY members_count DESC, city LIMIT 2',
    );
  });

  it('puts a period on the date column named right before it, not on the events counted after it', () => {
    expect(sqlOf('How many members signed up in 2025 and booked a session?')).toBe(
      "SELECT COUNT(DISTINCT s.member_id) AS members_count FROM sessions s JOIN members m ON s.member_id = m.id WHERE m.signup_date >= '2025-01-01' AND m.signup_date < '2026-01-01'",
    );
  });

  it('reads "not" before a value the base holds as <>, not as the absence of related rows holding it', () => {
    const shown: TableDescription[] = gym.map((description) =>
      description.name === 'public.sessions'
        ? { ...description, columns: [...description.columns, column('venue_city', 'text', { sampleValues: ['Cork', 'Galway'] })] }
        : description,
    );
    expect(sqlOn(shown, 'How many members are not from Cork?')).toBe("SELECT COUNT(*) AS members_count FROM members WHERE city <> 'Cork'");
  });

  it('reads "without" a number column as zero only on the rows counted, not on related rows', () => {
    expect(plan('How many members booked without any discount?').kind).toBe('cannot');
  });

  it('filters by a value after "by" at the start of a phrase ("sessions by Cork members"), groups by nothing', () => {
    expect(sqlOf('How many sessions by Cork members were missed?')).toBe(
      "SELECT COUNT(*) AS sessions_count FROM sessions s JOIN members m ON s.member_id = m.id WHERE m.city = 'Cork' AND s.status = 'missed'",
    );
  });

  it('spreads a negation over the values joined to the first ("outside Cork and Galway")', () => {
    expect(sqlOf('How many members live outside Cork and Galway?')).toBe(
      "SELECT COUNT(*) AS members_count FROM members WHERE city NOT IN ('Cork', 'Galway')",
    );
  });

  it('declines a comparison on a column of related rows rather than compare each of them', () => {
    expect(plan('Which members had more than 100 minutes of sessions?').kind).toBe('cannot');
  });

  it('averages over the rows for "per" the measured table itself, and reads "ordered by customers" as who ordered', () => {
    expect(sqlOf('What is the average fee per session?')).toBe('SELECT ROUND(AVG(fee), 2) AS average_fee FROM sessions');
    const shape = readQuestionShape(wordsOf('How many products were ordered by customers in Japan?'), new Set());
    expect(shape?.group).toBeNull();
  });

  it('counts the related rows a value names by itself ("members with at least 2 no-shows")', () => {
    expect(sqlOf('How many members had at least 2 no-shows?')).toBe(
      "SELECT COUNT(*) AS members_count FROM (SELECT m.id FROM members m LEFT JOIN sessions s ON s.member_id = m.id WHERE s.status = 'no_show' GROUP BY m.id HAVING COUNT(DISTINCT s.id) >= 2) AS counted",
    );
  });

  it("leaves a dropped table's words unplaced even when a comment of the plan's table uses them", () => {
    // "Climbing sessions booked by members": the comment of sessions says "members", the plan reads no member.
    expect(plan('How many sessions were booked by a member other than the coach?')).toMatchObject({ kind: 'cannot' });
  });

  it('counts each row once in a share whose condition is on rows that repeat it', () => {
    // A member has many sessions: a join would count each member once per session. Each member is asked once
    // whether a session of theirs was paid by card.
    expect(sqlOf('What share of members paid by card?')).toBe(
      "SELECT ROUND(100.0 * SUM(CASE WHEN members.id IN (SELECT s.member_id FROM sessions s WHERE s.paid_with = 'card') THEN 1 ELSE 0 END) / COUNT(*), 2) AS percentage FROM members",
    );
  });
});
