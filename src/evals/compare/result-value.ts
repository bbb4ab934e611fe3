/**
 * One result value in the form the comparator compares: SQL NULL, a number, or text. Every engine's and
 * driver's spelling of the same value maps to the same form:
 * - numbers: JS numbers, bigints, and numeric strings (decimals and big integers as the drivers send them);
 * - booleans: 1 and 0 (MySQL has no boolean type: its `tinyint(1)` says 1 where Postgres says true);
 * - dates and timestamps: ISO strings; `YYYY-MM-DD HH:MM:SS`, a `T`, a `Z` or `+00:00`, and trailing zero
 *   fractions are spelled one way, and a timestamp at exactly midnight is the date of that day;
 * - anything else (JSON, arrays): its JSON text with sorted keys.
 */
export type ResultValue = null | number | string;

const numericText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const timestampText = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The comparable form of a raw result value. */
export function toResultValue(value: unknown): ResultValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : canonicalTimestamp(value.toISOString());
  if (typeof value === 'string') {
    const text = value.trim();
    if (numericText.test(text)) return Number(text);
    if (timestampText.test(text)) return canonicalTimestamp(text);
    return value;
  }
  return stableJson(value);
}

function canonicalTimestamp(text: string): string {
  const match = timestampText.exec(text);
  if (!match) return text;
  const [, date, hours, minutes, seconds = '00', fraction = '', zone] = match;
  let day = date;
  let time = `${hours}:${minutes}:${seconds}${fraction.replace(/\.?0+$/, '')}`;
  if (zone && zone !== 'Z' && !/^[+-]00(:?00)?$/.test(zone)) {
    // An offset other than UTC: move the whole seconds to UTC (offsets are whole minutes, so the fraction
    // stays as written — a Date would keep only milliseconds of it).
    const parsed = new Date(`${date}T${hours}:${minutes}:${seconds}${zone.length === 3 ? `${zone}:00` : zone}`);
    if (Number.isNaN(parsed.getTime())) return text;
    const iso = parsed.toISOString();
    day = iso.slice(0, 10);
    time = `${iso.slice(11, 19)}${fraction.replace(/\.?0+$/, '')}`;
  }
  return time === '00:00:00' ? day : `${day}T${time}`;
}

function stableJson(value: unknown): string {
  // Values JSON.stringify gets wrong here: a bigint throws, and a Date inside an object would be `{}`.
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return JSON.stringify(toResultValue(value));
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Tolerances for numbers: equal when `|a − b| ≤ max(relative · max(|a|, |b|), absolute)`. */
export interface NumericTolerance {
  relative: number;
  absolute: number;
}

export function valuesEqual(left: ResultValue, right: ResultValue, tolerance: NumericTolerance): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'number') {
    return Math.abs(left - right) <= Math.max(tolerance.relative * Math.max(Math.abs(left), Math.abs(right)), tolerance.absolute);
  }
  return false;
}

/** A total order on values: NULL first, then numbers, then text (for sorting before pairwise checks). */
export function compareValues(left: ResultValue, right: ResultValue): number {
  const rank = (value: ResultValue) => (value === null ? 0 : typeof value === 'number' ? 1 : 2);
  const byRank = rank(left) - rank(right);
  if (byRank !== 0) return byRank;
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'string' && typeof right === 'string') return left < right ? -1 : left > right ? 1 : 0;
  return 0;
}
