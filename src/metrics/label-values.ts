/** The label value for anything unknown, missing or empty. */
export const unknownLabelValue = 'none';

const maximumLabelLength = 100;

/**
 * Turns any value into a bounded Prometheus label value: null, undefined, empty or non-scalar values
 * become `none`; anything that looks like a URL becomes `url` (it may carry credentials, and each one
 * would be a new series); long values are cut. Never throws.
 */
export function labelValue(value: unknown): string {
  if (value === null || value === undefined) return unknownLabelValue;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : unknownLabelValue;
  if (typeof value !== 'string' && typeof value !== 'boolean') return unknownLabelValue;
  const text = String(value).trim();
  if (!text) return unknownLabelValue;
  if (text.includes('://')) return 'url';
  return text.length > maximumLabelLength ? text.slice(0, maximumLabelLength) : text;
}

/** A label value restricted to a known set: values outside it become `other` (missing ones `none`). */
export function boundedLabelValue(value: unknown, allowed: ReadonlySet<string>): string {
  const text = labelValue(value);
  if (text === unknownLabelValue) return text;
  return allowed.has(text) ? text : 'other';
}

/** Milliseconds as seconds, or null when the value is not a finite, non-negative number. */
export function millisecondsToSeconds(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value / 1000 : null;
}

/** A finite, non-negative number, or null. */
export function nonNegativeNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : null;
}
