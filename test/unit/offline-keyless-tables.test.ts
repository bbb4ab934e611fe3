import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// A count or a sum per row of a table needs the column that tells its rows apart. A view or a table
// without a primary key has none: the planner declines rather than group by an `id` it assumes.
// A league of its own, not a fixture.

const keyed = [
  table('teams', 'Teams of the league', [column('id', 'integer'), column('name', 'text')]),
  table('players', 'Players, each in one team', [
    column('id', 'integer'),
    column('name', 'text'),
    column('team_id', 'integer', { references: 'public.teams(id)' }),
    column('wage', 'decimal'),
  ]),
];
const keyless = [
  { ...keyed[0], kind: 'view' as const, primaryKey: [], columns: [column('code', 'text'), column('name', 'text')] },
  {
    ...keyed[1],
    columns: [
      column('id', 'integer'),
      column('name', 'text'),
      column('team_code', 'text', { references: 'public.teams(code)' }),
      column('wage', 'decimal'),
    ],
  },
];

describe('counts and sums per row of a table without a key', () => {
  it('groups by the key of a keyed table', () => {
    expect(sqlOn(keyed, 'What is the average number of players per team?')).toBe(
      'SELECT ROUND(AVG(per_group.players_count), 2) AS avg_players_count FROM (SELECT t.id, COUNT(*) AS players_count FROM players p JOIN teams t ON p.team_id = t.id GROUP BY t.id) AS per_group',
    );
    expect(sqlOn(keyed, 'What is the average total wage per team?')).toBe(
      'SELECT ROUND(AVG(per_group.total_wage), 2) AS avg_total_wage FROM (SELECT t.id, SUM(p.wage) AS total_wage FROM players p JOIN teams t ON p.team_id = t.id GROUP BY t.id) AS per_group',
    );
  });

  it('declines, naming the missing key, when the group has none', () => {
    for (const question of ['What is the average number of players per team?', 'What is the average total wage per team?']) {
      const outcome = planOn(keyless, question);
      expect(outcome.kind, question).toBe('cannot');
      if (outcome.kind === 'cannot') expect(outcome.reason).toMatch(/no key to tell them apart/);
    }
  });
});
