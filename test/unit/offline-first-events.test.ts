import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "How many customers placed their first order in 2025?": each counted row is picked by the earliest of the rows that
// point at it, which must fall in the period. Before, the count declined (a superlative picks the rows), and the list
// "Which customers placed their first order in 2025?" gave the one customer who signed up first in 2025. A climbing gym
// of its own, not a fixture.

const gym = [
  table('members', 'Members of the gym', [
    column('id', 'integer'),
    column('name', 'text'),
    column('joined_on', 'date', { comment: 'Date the member joined.' }),
  ]),
  table('visits', 'Each visit of a member', [
    column('id', 'integer'),
    column('member_id', 'integer', { references: 'public.members(id)' }),
    column('visited_on', 'date'),
  ]),
];
const today = '2026-06-15';

describe('rows picked by their first or last related row in a period', () => {
  it('counts the rows whose earliest related row falls in the period', () => {
    expect(sqlOn(gym, 'How many members made their first visit in 2025?', { today })).toBe(
      "SELECT COUNT(*) AS members_count FROM (SELECT m.id FROM members m JOIN visits v ON v.member_id = m.id GROUP BY m.id HAVING MIN(v.visited_on) >= '2025-01-01' AND MIN(v.visited_on) < '2026-01-01') AS counted",
    );
  });

  it('reads "last" and "most recent" as the latest', () => {
    for (const question of ['How many members made their last visit in 2024?', 'How many members made their most recent visit in 2024?'])
      expect(sqlOn(gym, question, { today })).toMatch(
        /HAVING MAX\(v\.visited_on\) >= '2024-01-01' AND MAX\(v\.visited_on\) < '2025-01-01'\) AS counted$/,
      );
  });

  it('lists them when asked which', () => {
    expect(sqlOn(gym, 'Which members made their very first visit in March 2025?', { today })).toBe(
      "SELECT m.name FROM members m JOIN visits v ON v.member_id = m.id GROUP BY m.id, m.name HAVING MIN(v.visited_on) >= '2025-03-01' AND MIN(v.visited_on) < '2025-04-01' ORDER BY m.name",
    );
  });

  it('leaves a plain count of the rows with a related row in the period, and "last" as a period, as they were', () => {
    expect(sqlOn(gym, 'How many members made a visit in 2025?', { today })).toBe(
      "SELECT COUNT(DISTINCT member_id) AS members_count FROM visits WHERE visited_on >= '2025-01-01' AND visited_on < '2026-01-01'",
    );
    expect(sqlOn(gym, 'How many members made a visit last month?', { today })).toMatch(
      /COUNT\(DISTINCT member_id\).*visited_on >= '2026-05-01'/,
    );
  });
});

describe('the first related row with a condition of its own', () => {
  it('declines, since the first of those rows and the first row that has it differ', () => {
    const gymWithKind = [
      gym[0],
      { ...gym[1], columns: [...gym[1].columns, column('kind', 'text', { sampleValues: ['bouldering', 'lead'] })] },
    ];
    // (Before, the list ranked the members by a date of their own: the one who joined first.)
    for (const question of [
      'Which members made their first lead visit in 2025?',
      'How many members made their first bouldering visit in 2025?',
    ])
      expect(planOn(gymWithKind, question, { today }), question).toMatchObject({ kind: 'cannot' });
  });
});
