import { moneyScore, numericFamilies } from './money-columns.ts';
import type { Comparison } from './question-shape.ts';
import type { Word } from './question-words.ts';
import type { CatalogueColumn, CatalogueTable } from './schema-catalogue.ts';
import { holdsFractions } from './value-conditions.ts';

/**
 * What a compared number measures, read from the words around it when the question names no column:
 * "over 100 dollars" is money, "older than 60" an age, "longer than 30 minutes" a duration (in minutes
 * per unit of the question), "at least 5 units" a quantity, "above 10%" a percentage.
 */
export type ComparedUnit =
  | { kind: 'money'; currency: 'dollar' | 'other' }
  | { kind: 'age' }
  | { kind: 'duration'; minutes: number }
  | { kind: 'units' }
  | { kind: 'percent' };

/** A unit and the words that said it (placed once the comparison uses it). */
export interface UnitReading {
  unit: ComparedUnit;
  words: number[];
  /** "$230,000 a year", "per year", "annually": words of a yearly rate after an amount of money. */
  yearly?: number[];
}

const dollarWords = new Set(['dollar', 'dollars', 'buck', 'bucks', 'usd']);
/** Currencies a question may name that the US-dollar amounts of a schema are not in. */
const otherCurrencyWords = new Set(['euro', 'euros', 'eur', 'pound', 'pounds', 'gbp', 'yen', 'franc', 'francs']);
/** Minutes in one unit of time, by the words a question writes it with. */
const minutesPerUnit: Readonly<Record<string, number>> = {
  minute: 1,
  minutes: 1,
  min: 1,
  mins: 1,
  hour: 60,
  hours: 60,
  hr: 60,
  hrs: 60,
  day: 1440,
  days: 1440,
  week: 10080,
  weeks: 10080,
};
/** Verbs that say how long something is ("lasts over an hour", "took more than 30 minutes"). */
const durationVerbs = new Set(['last', 'lasts', 'lasted', 'lasting', 'take', 'takes', 'took', 'taking', 'run', 'runs', 'ran']);
const quantityWords = new Set(['unit', 'units', 'piece', 'pieces', 'pcs']);
/** Words right before a comparison that say it compares an age ("aged over 90", "age above 60"). */
const ageWordsBefore = new Set(['aged', 'age', 'ages']);

/**
 * The unit of the number a comparison compares with: a `$` or a currency word after it, a percent sign,
 * a unit of time or of counting after it, or an age ("older than", "younger than", "aged over",
 * "N years old"). Null when no word says.
 */
export function readComparedUnit(words: readonly Word[], comparison: Comparison, numberIndex: number): UnitReading | null {
  const number = words[numberIndex];
  if (!number) return null;
  // "between 100 and 200 dollars", "between 30 and 40 years old": the unit follows the upper number.
  const last =
    comparison.upper !== null && ['and', 'to', 'through'].includes(words[numberIndex + 1]?.lower ?? '') ? numberIndex + 2 : numberIndex;
  const next = words[last + 1];
  const afterNext = words[last + 2];
  const phraseWord = words[comparison.index]?.lower;
  const yearsOld =
    next !== undefined && ['year', 'years', 'yr', 'yrs'].includes(next.lower) && afterNext?.lower === 'old'
      ? [next.index, afterNext.index]
      : next?.lower === 'old'
        ? [next.index]
        : null;
  // "aged over 90", "age above 60"; "over the age of 65" names the age right before the number.
  const agedBefore =
    [words[comparison.index - 1], words[comparison.index - 2]].find((word) => word !== undefined && ageWordsBefore.has(word.lower)) ??
    (words[numberIndex - 1]?.lower === 'of' && words[numberIndex - 2]?.lower === 'age' ? words[numberIndex - 2] : undefined);
  // "70 years and older", "65 or older": the comparison's own word comes after the number.
  const olderAfter = words
    .slice(numberIndex + 1, numberIndex + 5)
    .find((word) => ['older', 'younger'].includes(word.lower) && ['or', 'and'].includes(words[word.index - 1]?.lower ?? ''));
  // "appointments older than 30 days" is a time since a date, not the age of people.
  const timeSince = next !== undefined && minutesPerUnit[next.lower] !== undefined;
  if (!timeSince && (yearsOld || agedBefore || olderAfter || phraseWord === 'older' || phraseWord === 'younger' || phraseWord === 'aged')) {
    const placed = [...(yearsOld ?? []), ...(agedBefore ? [agedBefore.index] : [])];
    if (agedBefore && agedBefore.index === numberIndex - 2) placed.push(numberIndex - 1);
    // "older than 60 years": the years say nothing more.
    if (!yearsOld && next && ['year', 'years', 'yrs'].includes(next.lower)) placed.push(next.index);
    return { unit: { kind: 'age' }, words: placed };
  }
  if (number.isPercent || words[last]?.isPercent) return { unit: { kind: 'percent' }, words: [] };
  if (number.isMoney || words[last]?.isMoney)
    return withYearly(words, { unit: { kind: 'money', currency: 'dollar' }, words: [] }, last + 1);
  if (!next) return null;
  // "earning more than 250,000 a year": a bare amount said to be yearly is one of money (a yearly column is checked).
  const bareYearly = withYearly(words, { unit: { kind: 'money', currency: 'dollar' }, words: [] }, last + 1);
  if (bareYearly.yearly) return bareYearly;
  if (dollarWords.has(next.lower)) return withYearly(words, { unit: { kind: 'money', currency: 'dollar' }, words: [next.index] }, last + 2);
  if (otherCurrencyWords.has(next.lower)) return { unit: { kind: 'money', currency: 'other' }, words: [next.index] };
  const minutes = minutesPerUnit[next.lower];
  if (minutes !== undefined) {
    // "appointments that last an hour or more": the verb of lasting says a duration too.
    const verb = [words[comparison.index - 1], words[comparison.index - 2]].find(
      (word) => word !== undefined && durationVerbs.has(word.lower),
    );
    // "30 minutes long": the adjective of length says no more.
    const long = afterNext?.lower === 'long' ? [afterNext.index] : [];
    return { unit: { kind: 'duration', minutes }, words: [next.index, ...long, ...(verb ? [verb.index] : [])] };
  }
  if (quantityWords.has(next.lower)) return { unit: { kind: 'units' }, words: [next.index] };
  return null;
}

/** Notes "a year", "per year", "annually" or "yearly" at `from` after an amount of money. */
function withYearly(words: readonly Word[], reading: UnitReading, from: number): UnitReading {
  const first = words[from]?.lower;
  if (['a', 'an', 'per', 'each', 'every'].includes(first ?? '') && ['year', 'yr'].includes(words[from + 1]?.lower ?? ''))
    return { ...reading, yearly: [from, from + 1] };
  if (['annually', 'yearly'].includes(first ?? '')) return { ...reading, yearly: [from] };
  return reading;
}

/** Whether a column holds a yearly amount ("Annual base salary"). */
export function holdsYearlyAmount(column: CatalogueColumn): boolean {
  return /\b(annual|yearly|per year|a year)\b/i.test(column.comment) || /annual|yearly/.test(column.name);
}

/** Minutes in one unit of a column that holds a duration (`duration_minutes`, `days` "in days"), else null. */
export function columnMinutes(column: CatalogueColumn): number | null {
  if (!numericFamilies.has(column.family) || column.primaryKey || column.references) return null;
  for (const word of column.nameWords) {
    const minutes = minutesPerUnit[word.lower];
    if (minutes !== undefined) return minutes;
  }
  const inUnit = /\bin (minutes|hours|days|weeks)\b/i.exec(column.comment);
  return inUnit ? minutesPerUnit[inUnit[1].toLowerCase()] : null;
}

/** Whether a column holds a number of units of something (`quantity`, "Number of units"). */
export function holdsQuantity(column: CatalogueColumn): boolean {
  if (column.family !== 'integer' || column.primaryKey || column.references) return false;
  return /^(quantity|qty|units)$/.test(column.name) || /\bnumber of units\b/i.test(column.comment);
}

/** Whether a column holds a birth date: the date an age is counted from. */
export function holdsBirthDate(column: CatalogueColumn): boolean {
  return (column.family === 'date' || column.family === 'timestamp') && /birth|\bdob\b/i.test(`${column.name} ${column.comment}`);
}

/** Whether a column can be what a number of a unit compares with. */
export function fitsUnit(column: CatalogueColumn, unit: ComparedUnit): boolean {
  switch (unit.kind) {
    case 'money':
      return moneyScore(column, 'money') !== null;
    case 'duration':
      return columnMinutes(column) !== null;
    case 'units':
      return holdsQuantity(column);
    case 'percent':
      return holdsFractions(column) || (numericFamilies.has(column.family) && /percent/i.test(`${column.name} ${column.comment}`));
    case 'age':
      return holdsBirthDate(column);
  }
}

/**
 * The one column of the tables a comparison may read (the base first, then those it points at) that fits
 * the unit: the first table with any decides, and two there that fit equally leave it unsaid (null with
 * `ambiguous`).
 */
export function columnOfUnit(
  tables: readonly CatalogueTable[],
  unit: ComparedUnit,
): { column: CatalogueColumn | null; ambiguous: CatalogueColumn[] } {
  for (const table of tables) {
    const fitting = table.columns.filter((column) => fitsUnit(column, unit));
    if (fitting.length === 1) return { column: fitting[0], ambiguous: [] };
    if (fitting.length > 1) return { column: null, ambiguous: fitting };
  }
  return { column: null, ambiguous: [] };
}

/** Whether a column's comment says its amounts are in US dollars (so another currency cannot be compared). */
export function inDollars(column: CatalogueColumn): boolean {
  return /dollar|\busd\b|\$/i.test(column.comment);
}

/**
 * The bounds on a birth date that an age comparison stands for, on `today`: a whole age above N is a birth
 * on or before today minus N + 1 years; `to` is exclusive (the day after the last birth date that counts).
 */
export function birthDateBounds(
  operator: Comparison['operator'],
  value: number,
  upper: number | null,
  today: string,
): { from: string | null; to: string | null } {
  // Born after this day: younger than `years`.
  const dayAfter = (years: number) => addDays(yearsBefore(today, years), 1);
  if (upper !== null) return { from: dayAfter(upper + 1), to: dayAfter(value) };
  switch (operator) {
    case '>':
      return { from: null, to: dayAfter(value + 1) };
    case '>=':
      return { from: null, to: dayAfter(value) };
    case '<':
      return { from: dayAfter(value), to: null };
    case '<=':
      return { from: dayAfter(value + 1), to: null };
    case '=':
      return { from: dayAfter(value + 1), to: dayAfter(value) };
  }
}

/** The same day `years` years before an ISO date (28 February for a 29 February in a common year). */
function yearsBefore(date: string, years: number): string {
  const [year, month, day] = date.slice(0, 10).split('-').map(Number);
  const target = year - years;
  const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate();
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

function addDays(date: string, days: number): string {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return moved.toISOString().slice(0, 10);
}
