import { describe, expect, it } from 'vitest';
import { column, planOn, sqlOn, table } from '../support/offline-tables.ts';

// "What share of bookings were paid by voucher?": the condition is on rows related many to one booking (its
// payment attempts), so a plain join would count a booking once per attempt, above and below the line. Each
// booking is asked once whether such a row exists (its key among the related rows' keys, read once). A ferry company of its own, not a fixture.

const ferry = [
  table('passengers', 'People who booked a crossing', [
    column('id', 'integer'),
    column('name', 'text'),
    column('country', 'text', { sampleValues: ['France', 'Ireland'] }),
  ]),
  table('bookings', 'Crossings booked', [
    column('id', 'integer'),
    column('passenger_id', 'integer', { references: 'public.passengers(id)' }),
    column('booked_on', 'date'),
    column('status', 'text', { sampleValues: ['confirmed', 'cancelled'] }),
  ]),
  table('payments', 'Payment attempts for bookings; a booking may have several', [
    column('id', 'integer'),
    column('booking_id', 'integer', { references: 'public.bookings(id)' }),
    column('method', 'text', { sampleValues: ['card', 'voucher', 'cash'] }),
    column('outcome', 'text', { sampleValues: ['accepted', 'declined'] }),
  ]),
];

const share = (condition: string) => `SELECT ROUND(100.0 * SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END) / COUNT(*), 2) AS percentage`;

describe('a share whose condition is on related rows', () => {
  it('asks each row once whether a related row meets it', () => {
    expect(sqlOn(ferry, 'What share of bookings were paid by voucher?')).toBe(
      `${share("bookings.id IN (SELECT p.booking_id FROM payments p WHERE p.method = 'voucher')")} FROM bookings`,
    );
    // Both values describe one payment: an attempt that was a card payment and was declined.
    expect(sqlOn(ferry, 'What share of bookings had a declined card payment?')).toBe(
      `${share("bookings.id IN (SELECT p.booking_id FROM payments p WHERE p.outcome = 'declined' AND p.method = 'card')")} FROM bookings`,
    );
  });

  it("keeps the subject's own conditions and period in WHERE, and its own values in the CASE", () => {
    expect(sqlOn(ferry, 'What percentage of bookings made in 2025 were paid by card?')).toBe(
      `${share("bookings.id IN (SELECT p.booking_id FROM payments p WHERE p.method = 'card')")} FROM bookings WHERE booked_on >= '2025-01-01' AND booked_on < '2026-01-01'`,
    );
    expect(sqlOn(ferry, 'What share of passengers from France have a cancelled booking?')).toBe(
      `${share("passengers.id IN (SELECT b.passenger_id FROM bookings b WHERE b.status = 'cancelled')")} FROM passengers WHERE country = 'France'`,
    );
    expect(sqlOn(ferry, 'What percentage of bookings were confirmed and paid in cash?')).toBe(
      `${share("status = 'confirmed' AND bookings.id IN (SELECT p.booking_id FROM payments p WHERE p.method = 'cash')")} FROM bookings`,
    );
  });

  it('reaches related rows two steps away, and per group', () => {
    expect(sqlOn(ferry, 'What percentage of passengers have had a declined payment?')).toBe(
      `${share("passengers.id IN (SELECT b.passenger_id FROM bookings b JOIN payments p2 ON p2.booking_id = b.id WHERE p2.outcome = 'declined')")} FROM passengers`,
    );
    expect(sqlOn(ferry, 'For each country, what share of passengers have a cancelled booking?')).toBe(
      `SELECT country, ${share("passengers.id IN (SELECT b.passenger_id FROM bookings b WHERE b.status = 'cancelled')").slice('SELECT '.length)} FROM passengers GROUP BY country ORDER BY percentage DESC, country`,
    );
  });

  it('declines when the conditions are on two different related tables', () => {
    const outcome = planOn(ferry, 'What share of passengers have a cancelled booking and a declined payment?');
    expect(outcome).toMatchObject({ kind: 'cannot', reason: expect.stringMatching(/repeats them/) });
  });

  it('counts the rows with at least one, or at least N, related rows ("at least 3 bookings")', () => {
    expect(sqlOn(ferry, 'What percentage of passengers have at least one booking?')).toBe(
      `${share('passengers.id IN (SELECT b.passenger_id FROM bookings b)')} FROM passengers`,
    );
    expect(sqlOn(ferry, 'What share of passengers have at least 3 bookings?')).toBe(
      `${share('passengers.id IN (SELECT b.passenger_id FROM bookings b GROUP BY b.passenger_id HAVING COUNT(DISTINCT b.id) >= 3)')} FROM passengers`,
    );
    // "fewer than" would have to keep the passengers with none, which IN does not: declined.
    expect(planOn(ferry, 'What percentage of passengers have fewer than 2 bookings?')).toMatchObject({ kind: 'cannot' });
  });
});
