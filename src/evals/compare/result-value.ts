/**
 * One result value in the form the comparator compares: SQL NULL, a number, or text. Every engine's and
 * driver's spelling of the same value maps to the same form:
 * - numbers: JS numbers, bigints, and numeric strings (decimals and big integers as the drivers send them);
 *   two integers compare exactly; an integer beyond 2^53 stays exact (as tagged text); digit strings with a
 *   leading zero (zip codes, phone numbers) stay text;
 * - booleans: 1 and 0 (MySQL has no boolean type: its `tinyint(1)` says 1 where Postgres says true);
 * - dates and timestamps: ISO strings; `YYYY-MM-DD HH:MM:SS`, a `T`, a `Z` or `+00:00`, and trailing zero
 *   fractions are spelled one way, and a timestamp at exactly midnight is the date of that day;
 * - anything else (JSON, arrays): its JSON text with sorted keys.
 */
export type ResultValue = null | number | string;

const numericText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const integerText = /^[+-]?\d+$/;
/** Marks an integer too large for a double, kept as its exact digits (no data text starts with U+0001). */
const bigIntegerTag = '\u0001int:';
const timestampText = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The comparable form of a raw result value. */
export function toResultValue(value: unknown): ResultValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return integerValue(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : canonicalTimestamp(value.toISOString());
  if (typeof value === 'string') {
    const text = value.trim();
    if (integerText.test(text)) return /^[+-]?0\d/.test(text) ? value : integerValue(BigInt(text.replace(/^\+/, '')));
    // A decimal string whose fraction is all zeros is an integer (`18446744073709551615.000`).
    if (/^[+-]?[1-9]\d*\.0+$/.test(text)) return integerValue(BigInt(text.replace(/^\+/, '').replace(/\.0+$/, '')));
    if (numericText.test(text)) return Number(text);
    if (timestampText.test(text)) return canonicalTimestamp(text);
    return value;
  }
  return stableJson(value);
}

function integerValue(value: bigint): ResultValue {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : `${bigIntegerTag}${value.toString()}`;
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

/**
 * Whether two values are the same. Two integers (counts, ids) must be equal exactly, as in Spider; any
 * other pair of numbers is equal within the tolerance (computed values: averages, ratios, sums of decimals).
 */
export function valuesEqual(left: ResultValue, right: ResultValue, tolerance: NumericTolerance): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'number') {
    if (Number.isInteger(left) && Number.isInteger(right)) return false;
    return Math.abs(left - right) <= Math.max(tolerance.relative * Math.max(Math.abs(left), Math.abs(right)), tolerance.absolute);
  }
  return false;
}

/** A total order on values: NULL first, then numbers, then text (for sorting before pairwise checks). */
export function compareValues(left: ResultValue, right: ResultValue): number {
  if (left === right) return 0;
  if (left === null) return -1;
  if (right === null) return 1;
  if (typeof left === 'number') return typeof right === 'number' ? left - right : -1;
  if (typeof right === 'number') return 1;
  return left < right ? -1 : 1;
}
