import { shiftDate, type DateRange, type UnresolvedDate } from './date-range.ts';
import { numberOf, wordsOf, type Word } from './question-words.ts';

/**
 * Last checks before an answer, whatever wrote the SQL (an example or the planner): what the question
 * pins down must be in the statement. A number of the question (a threshold, the N of a top N, a value)
 * that the SQL does not use (nor writes in another form: `restated`), or a period of the question whose dates the SQL does not name, means the SQL
 * answers another question. Returns the reason to decline, or null when the SQL uses them all.
 */
export function unappliedConstraint(
  words: readonly Word[],
  date: DateRange | UnresolvedDate | null,
  sql: string,
  restated: readonly string[] = [],
): string | null {
  const dateIndices = new Set(date?.wordIndices ?? []);
  const numbers = sqlNumbers(sql);
  if (date && !('needsToday' in date)) {
    const ends = [date.from, date.to, date.to && shiftDate(date.to, -1)].filter((end): end is string => end !== null);
    const years = ends.map((end) => end.slice(0, 4));
    const named = ends.some((end) => sql.includes(`'${end}`)) || (/\bYEAR\b/i.test(sql) && years.some((year) => numbers.has(year)));
    if (!named) return `the question asks about ${date.description}, and my SQL does not filter on it`;
  }
  for (const word of words) {
    const value = numberOf(word);
    if (value === null || dateIndices.has(word.index) || word.lower === 'one') continue;
    // "a 20% discount" against a column of fractions is 0.2 in the SQL.
    if (!numbers.has(String(value)) && !(word.isPercent && numbers.has(String(value / 100))) && !restated.includes(String(value)))
      return `the question says ${word.text}, and my SQL does not use that number`;
  }
  return null;
}

/**
 * Whether a sentence names a number (a year, a threshold) that neither the SQL nor the rows hold: an
 * answer must not state a filter the SQL lacks. `allowed` are numbers already checked another way (those
 * of the question's period, whose dates the SQL names).
 */
export function answerNamesMissingNumber(
  answer: string,
  sql: string,
  rows: readonly unknown[],
  rowCount: number,
  allowed: readonly string[] = [],
): string | null {
  const known = sqlNumbers(sql);
  for (const number of allowed) known.add(number);
  for (const count of [rowCount, rowCount - 5, rows.length, rows.length - 5]) known.add(String(count));
  const add = (value: unknown) => {
    if (value === null || value === undefined) return;
    if (typeof value === 'number') {
      known.add(String(value)).add(value.toFixed(2));
      if (Number.isInteger(value)) known.add(String(value));
    }
    const text = value instanceof Date ? value.toISOString() : String(value);
    for (const word of wordsOf(text))
      if (word.isNumber)
        known
          .add(word.lower)
          .add(String(Number(word.lower)))
          .add(Number(word.lower).toFixed(2));
  };
  for (const row of rows) for (const cell of Array.isArray(row) ? row : Object.values(row as object)) add(cell);
  for (const word of wordsOf(answer)) {
    if (!word.isNumber) continue;
    if (!known.has(word.lower) && !known.has(String(Number(word.lower)))) return `my answer names ${word.text}, which my SQL does not use`;
  }
  return null;
}

/** Every number a statement holds: numeric tokens and numbers inside its string literals (`'2024-01-01'` → 2024, 1). */
function sqlNumbers(sql: string): Set<string> {
  const numbers = new Set<string>();
  for (const match of sql.matchAll(/\d+(?:\.\d+)?/g)) {
    numbers.add(match[0]);
    numbers.add(String(Number(match[0])));
  }
  return numbers;
}
