import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "What is the average age of our members?": whole years from the one birth date to the prompt's today, as an age
// comparison counts them, on both dialects. A rowing club of its own, not a fixture.

const club = [
  table('members', 'Members of the rowing club', [
    column('id', 'integer'),
    column('name', 'text'),
    column('boat_class', 'text', { sampleValues: ['single', 'eight'] }),
    column('birth_date', 'date', { comment: 'Date of birth.' }),
    column('joined_on', 'date'),
  ]),
  table('coaches', 'Coaches of the club', [column('id', 'integer'), column('name', 'text'), column('hired_on', 'date')]),
];
const today = '2026-06-15';

describe('an age as a measure', () => {
  it('averages whole years to today, on Postgres and MySQL', () => {
    expect(sqlOn(club, 'What is the average age of our members?', { today, unrounded: true })).toBe(
      "SELECT AVG(EXTRACT(YEAR FROM AGE(DATE '2026-06-15', birth_date))) AS average_age FROM members",
    );
    expect(sqlOn(club, 'What is the average age of our members?', { today, unrounded: true, dialect: 'mysql' })).toBe(
      "SELECT AVG(TIMESTAMPDIFF(YEAR, birth_date, '2026-06-15')) AS average_age FROM members",
    );
  });

  it('keeps conditions and groups as for any measure', () => {
    expect(sqlOn(club, 'What is the average age of members in the eight boat class?', { today, unrounded: true })).toBe(
      "SELECT AVG(EXTRACT(YEAR FROM AGE(DATE '2026-06-15', birth_date))) AS average_age FROM members WHERE boat_class = 'eight'",
    );
    expect(sqlOn(club, 'What is the average age of members per boat class?', { today, unrounded: true })).toMatch(
      /^SELECT boat_class, AVG\(EXTRACT\(YEAR FROM AGE\(DATE '2026-06-15', birth_date\)\)\) AS average_age FROM members GROUP BY boat_class/,
    );
  });

  it('declines without a birth date or without today', () => {
    expect(planOn(club, 'What is the average age of our coaches?', { today })).toMatchObject({
      kind: 'cannot',
      reason: expect.stringMatching(/no shown table holds a birth date/),
    });
    expect(planOn(club, 'What is the average age of our members?', { today: null })).toMatchObject({
      kind: 'cannot',
      reason: expect.stringMatching(/does not say what today is/),
    });
  });
});
