import { describe, expect, it } from 'vitest';
import { column, sqlOn, table } from '../support/offline-tables.ts';

// "customers with 10 or more orders": a comparison written after its number compares a count of the rows named
// after it, as "at least 10 orders" does. A choir of its own, not a fixture.

const choir = [
  table('singers', 'Members of the choir', [
    column('id', 'integer'),
    column('name', 'text'),
    column('voice', 'text', { sampleValues: ['alto', 'tenor'] }),
  ]),
  table('concerts', 'Concerts given', [column('id', 'integer'), column('title', 'text'), column('ticket_price', 'decimal')]),
  table('performances', 'Who sang in which concert', [
    column('id', 'integer'),
    column('singer_id', 'integer', { references: 'public.singers(id)' }),
    column('concert_id', 'integer', { references: 'public.concerts(id)' }),
  ]),
];

describe('a comparison written after its number', () => {
  it('compares a count of the related rows named after it', () => {
    expect(sqlOn(choir, 'How many singers have 10 or more performances?')).toBe(
      'SELECT COUNT(*) AS singers_count FROM (SELECT s.id FROM singers s LEFT JOIN performances p ON p.singer_id = s.id GROUP BY s.id HAVING COUNT(DISTINCT p.id) >= 10) AS counted',
    );
    // "or fewer" keeps the singers with none (the LEFT JOIN counts them as 0).
    expect(sqlOn(choir, 'Which singers have 2 or fewer performances?')).toBe(
      'SELECT s.name FROM singers s LEFT JOIN performances p ON p.singer_id = s.id GROUP BY s.id, s.name HAVING COUNT(DISTINCT p.id) <= 2 ORDER BY s.name',
    );
    expect(sqlOn(choir, 'How many concerts had 20 or more singers?')).toBe(
      'SELECT COUNT(*) AS concerts_count FROM (SELECT c.id FROM concerts c LEFT JOIN performances p ON p.concert_id = c.id LEFT JOIN singers s ON p.singer_id = s.id GROUP BY c.id HAVING COUNT(DISTINCT s.id) >= 20) AS counted',
    );
  });

  it('shows the count compared when asked for its number again', () => {
    expect(sqlOn(choir, 'List the singers with 5 or more performances and their number of performances')).toBe(
      'SELECT s.name, COUNT(DISTINCT p.id) AS performances_count FROM singers s LEFT JOIN performances p ON p.singer_id = s.id GROUP BY s.id, s.name HAVING COUNT(DISTINCT p.id) >= 5 ORDER BY s.name',
    );
  });

  it('still compares a column of the rows themselves', () => {
    expect(sqlOn(choir, 'Which concerts cost 30 or more?')).toBe('SELECT title FROM concerts WHERE ticket_price >= 30 ORDER BY title');
  });
});
