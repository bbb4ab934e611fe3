import { typeFamilyOf } from './type-family.ts';

const maxExactDigits = 15;

/**
 * Turns a driver value into a JSON-safe one, by one rule for every engine:
 * - integers: a number when it is a safe integer (|n| ≤ 2^53 − 1), otherwise its decimal string;
 * - decimals: a number when it has at most 15 significant digits (so it survives the round trip through a
 *   double exactly), otherwise the database's decimal string; NaN and infinities stay strings;
 * - dates: `YYYY-MM-DD`; timestamps without a zone: `YYYY-MM-DDTHH:MM:SS[.ffffff]`; with a zone: ISO 8601 in UTC;
 * - booleans (including MySQL's `tinyint(1)`): true or false;
 * - binary: `\x` followed by hex; arrays element by element; JSON as parsed.
 */
export function toJsonSafe(value: unknown, dataType: string): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((item) => toJsonSafe(item, dataType.replace(/\[\]$/, '')));
  const family = typeFamilyOf(dataType);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return family === 'date' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (family === 'boolean' && typeof value === 'number') return value !== 0;
  if (typeof value === 'string') {
    if (family === 'integer' && /^-?\d+$/.test(value)) {
      const number = Number(value);
      return Number.isSafeInteger(number) ? number : value;
    }
    if (family === 'decimal' && /^-?\d+(\.\d+)?$/.test(value)) {
      const digits = value.replace(/^-/, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '');
      return digits.length <= maxExactDigits ? Number(value) : value;
    }
    if (family === 'timestamp') {
      if (/([+-]\d{2}(:?\d{2})?|Z)$/.test(value)) {
        const parsed = new Date(value.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
        return Number.isNaN(parsed.getTime()) ? value : parsed.toISOString();
      }
      return value.replace(' ', 'T');
    }
    return value;
  }
  if (typeof value === 'object' && typeof (value as { toPostgres?: unknown }).toPostgres === 'function') return String(value);
  return value;
}
