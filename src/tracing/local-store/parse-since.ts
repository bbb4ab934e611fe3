import { InvalidInputError } from '../../errors/index.ts';

/** Options of {@link parseSince}. */
export interface ParseSinceOptions {
  /** The instant a duration counts back from. Default: the system clock at the call. */
  now?: Date;
  /**
   * How the value is named in the error message: `--since` on the command line, `since` in a query
   * string. Default `since`. The error's `details.field` is always `since`.
   */
  name?: string;
}

const millisecondsByUnit: Record<string, number> = {
  s: 1000,
  m: 60 * 1000,
  h: 60 * 60 * 1000,
  d: 24 * 60 * 60 * 1000,
  w: 7 * 24 * 60 * 60 * 1000,
};

const durationPattern = /^(\d{1,9})([smhdw])$/;

/**
 * `YYYY-MM-DD`, optionally followed by `T` (or a space) and `HH:MM`, `HH:MM:SS` or `HH:MM:SS.fff`, then
 * optionally a zone: `Z` or `±HH:MM` (`±HHMM`, `±HH`).
 */
const isoPattern = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/**
 * Reads a "since" value as an instant:
 * - a duration back from `now`: a positive whole number and a unit, `s` seconds, `m` minutes, `h` hours,
 *   `d` days, `w` weeks (`30m`, `24h`, `7d`), reaching back no further than 1970;
 * - an ISO 8601 date or date-time: `2025-03-01` (midnight UTC), `2025-03-01T12:00`,
 *   `2025-03-01T12:00:00.250Z`, `2025-03-01 12:00+02:00`. A time without a zone is UTC, the zone every
 *   trace view prints, so a time copied from `traces list` means what it showed.
 *
 * Anything else, including impossible dates such as `2025-02-30`, is refused.
 *
 * @example
 * parseSince('24h', { now: new Date('2025-03-02T12:00:00Z') }); // 2025-03-01T12:00:00.000Z
 * parseSince('2025-03-01'); // 2025-03-01T00:00:00.000Z
 * @throws InvalidInputError naming the option (`details.field` is `since`).
 */
export function parseSince(value: string, options: ParseSinceOptions = {}): Date {
  const text = value.trim();
  const duration = durationPattern.exec(text);
  if (duration) {
    const amount = Number(duration[1]);
    const instant = new Date((options.now ?? new Date()).getTime() - amount * millisecondsByUnit[duration[2]]);
    // Zero means "now" (nothing would match) and an amount reaching back before 1970 is a typo: both are mistakes.
    if (amount > 0 && instant.getTime() >= 0) return instant;
  }
  const instant = duration ? null : parseIsoInstant(text);
  if (instant) return instant;
  const name = options.name ?? 'since';
  throw new InvalidInputError(
    `${name} must be a duration such as 30m, 24h or 7d (units s, m, h, d, w; more than 0), or an ISO 8601 date or date-time such as 2025-03-01 or 2025-03-01T12:00:00Z; got "${value}".`,
    { field: 'since' },
  );
}

/** The instant an ISO 8601 text names, or null when it is not one {@link isoPattern} accepts or not a real date. */
function parseIsoInstant(text: string): Date | null {
  const match = isoPattern.exec(text);
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const parts = [year, month, day, hour, minute, second].map(Number);
  const milliseconds = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(parts[0], parts[1] - 1, parts[2], parts[3], parts[4], parts[5], milliseconds);
  // Date.UTC rolls 2025-02-30 over into March and 24:00 into the next day; a real date survives the round trip.
  const check = new Date(utc);
  const real =
    check.getUTCFullYear() === parts[0] &&
    check.getUTCMonth() === parts[1] - 1 &&
    check.getUTCDate() === parts[2] &&
    check.getUTCHours() === parts[3] &&
    check.getUTCMinutes() === parts[4] &&
    check.getUTCSeconds() === parts[5];
  if (!real) return null;
  const offsetMinutes = zoneOffsetMinutes(zone);
  if (offsetMinutes === null) return null;
  return new Date(utc - offsetMinutes * 60 * 1000);
}

/** `Z` → 0; `+02:00`, `+0200`, `+02` → 120; `-05:30` → -330; null for an offset beyond ±14:00. */
function zoneOffsetMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return null;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
