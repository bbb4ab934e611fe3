import { describe, expect, it } from 'vitest';
import { parseSince } from '../../src/tracing/local-store/parse-since.ts';
import { InvalidInputError } from '../../src/errors/index.ts';

const now = new Date('2025-03-10T12:00:00.000Z');
const iso = (value: string, name?: string) => parseSince(value, { now, name }).toISOString();

describe('parseSince', () => {
  it.each([
    ['45s', '2025-03-10T11:59:15.000Z'],
    ['30m', '2025-03-10T11:30:00.000Z'],
    ['1h', '2025-03-10T11:00:00.000Z'],
    ['24h', '2025-03-09T12:00:00.000Z'],
    ['7d', '2025-03-03T12:00:00.000Z'],
    ['2w', '2025-02-24T12:00:00.000Z'],
    [' 90m ', '2025-03-10T10:30:00.000Z'],
  ])('reads the duration %j as now minus it', (value, expected) => {
    expect(iso(value)).toBe(expected);
  });

  it('counts a duration back from the system clock when no `now` is given', () => {
    const before = Date.now();
    const instant = parseSince('1h').getTime();
    expect(instant).toBeGreaterThanOrEqual(before - 3_600_000);
    expect(instant).toBeLessThanOrEqual(Date.now() - 3_600_000);
  });

  it.each([
    ['2025-03-01', '2025-03-01T00:00:00.000Z'],
    ['2025-03-01T12:30', '2025-03-01T12:30:00.000Z'],
    ['2025-03-01 12:30:15', '2025-03-01T12:30:15.000Z'],
    ['2025-03-01T12:30:15.25Z', '2025-03-01T12:30:15.250Z'],
    ['2025-03-01T12:30:15.123456Z', '2025-03-01T12:30:15.123Z'],
    ['2025-03-01T12:30:00+02:00', '2025-03-01T10:30:00.000Z'],
    ['2025-03-01T12:30:00-0530', '2025-03-01T18:00:00.000Z'],
    ['2025-03-01T12:30+01', '2025-03-01T11:30:00.000Z'],
    ['2024-02-29T00:00:00z', '2024-02-29T00:00:00.000Z'],
  ])('reads the ISO date/time %j (UTC unless it has a zone)', (value, expected) => {
    expect(iso(value)).toBe(expected);
  });

  it.each([
    '',
    'yesterday',
    '24',
    'h',
    '24 h',
    '-1h',
    '1.5h',
    '0m',
    '3y',
    '24H0',
    '9999999w',
    '1e3s',
    '2025-02-30',
    '2025-13-01',
    '2023-02-29',
    '2025-03-01T24:00',
    '2025-03-01T12:60',
    '2025-03-01T12:00:00+15:00',
    '2025-3-1',
    'March 1, 2025',
    '1741600000000',
    '2025-03-01T12',
    '2025-03-01Z',
  ])('refuses %j with an InvalidInputError naming the option', (value) => {
    let thrown: unknown;
    try {
      parseSince(value, { now, name: '--since' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidInputError);
    const error = thrown as InvalidInputError;
    expect(error.message).toMatch(/^--since must be a duration such as 30m, 24h or 7d .*ISO 8601/);
    expect(error.message).toContain(`got "${value}"`);
    expect(error.details).toEqual({ field: 'since' });
  });

  it('names the value `since` by default, for callers outside the command line', () => {
    expect(() => parseSince('soon', { now })).toThrow(/^since must be a duration/);
  });
});
