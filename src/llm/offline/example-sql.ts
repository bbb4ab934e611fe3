import { shiftDate, type DateRange } from './date-range.ts';

/** A string literal an example's SQL compares a column with (`status = 'cancelled'`, `city IN ('Lyon')`). */
export interface SqlLiteral {
  /** Offsets of the literal's text inside the quotes. */
  start: number;
  end: number;
  /** The literal's value (quotes doubled inside it are undone). */
  value: string;
  /** The bare table the column belongs to, when the alias or the FROM clause says; null when unsure. */
  table: string | null;
  column: string;
  /** Every table the statement reads (bare names), for a column left unqualified. */
  tables: string[];
}

/** One change to a statement: the text between two offsets replaced. */
export interface SqlEdit {
  start: number;
  end: number;
  text: string;
}

const keywordsAfterTable =
  /^(on|where|join|left|right|inner|outer|full|cross|group|order|limit|having|union|natural|using|fetch|offset|window|lateral)$/i;

/** The tables a statement reads, by alias (and by their own bare names). */
export function tableAliases(sql: string): Map<string, string> {
  const aliases = new Map<string, string>();
  for (const match of masked(sql).matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][\w$]*(?:\.[A-Za-z_][\w$]*)?)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?/gi)) {
    const bare = match[1].split('.').pop()!.toLowerCase();
    aliases.set(bare, bare);
    if (match[2] && !keywordsAfterTable.test(match[2])) aliases.set(match[2].toLowerCase(), bare);
  }
  return aliases;
}

/** The string literals a statement compares columns with by `=`, `<>`, `!=` or `IN (…)`. */
export function sqlLiterals(sql: string): SqlLiteral[] {
  const aliases = tableAliases(sql);
  const tables = [...new Set(aliases.values())];
  const resolve = (reference: string) => {
    const parts = reference.split('.');
    const column = parts.pop()!.toLowerCase();
    const qualifier = parts.pop()?.toLowerCase();
    const table = qualifier ? (aliases.get(qualifier) ?? null) : tables.length === 1 ? tables[0] : null;
    return { table, column };
  };
  const literals: SqlLiteral[] = [];
  const literalPattern = /'((?:[^']|'')*)'/g;
  for (const match of sql.matchAll(/((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)\s*(?:=|<>|!=)\s*'((?:[^']|'')*)'/g)) {
    const start = match.index + match[0].length - match[2].length - 1;
    literals.push({ start, end: start + match[2].length, value: match[2].replace(/''/g, "'"), ...resolve(match[1]), tables });
  }
  for (const match of sql.matchAll(/((?:[A-Za-z_]\w*\.)?[A-Za-z_]\w*)\s+(?:NOT\s+)?IN\s*\(((?:\s*'(?:[^']|'')*'\s*,?)+)\)/gi)) {
    const listStart = match.index + match[0].indexOf('(') + 1;
    for (const item of match[2].matchAll(literalPattern)) {
      const start = listStart + item.index + 1;
      literals.push({ start, end: start + item[1].length, value: item[1].replace(/''/g, "'"), ...resolve(match[1]), tables });
    }
  }
  return literals.sort((left, right) => left.start - right.start);
}

/**
 * Where a number of an example's question stands in its SQL: after LIMIT / FETCH FIRST (the N of a
 * top N) or after a comparison (`> 10`, `BETWEEN 5 AND 9`). Offsets of each occurrence, string literals aside.
 */
export function numberPlaces(sql: string, value: number): Array<{ start: number; end: number; limit: boolean }> {
  const places: Array<{ start: number; end: number; limit: boolean }> = [];
  for (const match of masked(sql).matchAll(
    /(\bLIMIT\s+|\bFIRST\s+|\bBETWEEN\s+|\bAND\s+|(?:>=|<=|<>|!=|=|>|<)\s*)(\d+(?:\.\d+)?)(?![\w.])/gi,
  )) {
    if (Number(match[2]) !== value) continue;
    const start = match.index + match[1].length;
    places.push({ start, end: start + match[2].length, limit: /^(LIMIT|FIRST)/i.test(match[1]) });
  }
  return places;
}

/**
 * The edits that move a statement's dates from one period to another: each date literal equal to an end
 * of the example's period (or the day before its exclusive end, for `<=`) becomes that end of the
 * question's; `EXTRACT(YEAR FROM …) = 2024` and `YEAR(…) = 2024` move when both periods are whole years.
 * Null when a date literal of the statement is neither end, or when nothing in it names the period.
 */
export function dateEdits(sql: string, from: DateRange, to: DateRange): SqlEdit[] | null {
  const edits: SqlEdit[] = [];
  const inclusiveEnd = (end: string | null) => (end ? shiftDate(end, -1) : null);
  for (const match of sql.matchAll(/'(\d{4}-\d{2}-\d{2})([^']*)'/g)) {
    if (match[2] !== '') return null;
    const date = match[1];
    const replacement =
      date === from.from ? to.from : date === from.to ? to.to : date === inclusiveEnd(from.to) ? inclusiveEnd(to.to) : undefined;
    if (!replacement) return null;
    edits.push({ start: match.index + 1, end: match.index + 11, text: replacement });
  }
  const wholeYear = (range: DateRange) =>
    range.from !== null && range.to !== null && /-01-01$/.test(range.from) && range.to === `${Number(range.from.slice(0, 4)) + 1}-01-01`;
  for (const match of masked(sql).matchAll(/(\bEXTRACT\s*\(\s*YEAR\s+FROM\s+[^)]*\)|\bYEAR\s*\([^)]*\))\s*=\s*(\d{4})\b/gi)) {
    if (!wholeYear(from) || !wholeYear(to) || match[2] !== from.from!.slice(0, 4)) return null;
    const start = match.index + match[0].length - 4;
    edits.push({ start, end: start + 4, text: to.from!.slice(0, 4) });
  }
  return edits.length > 0 ? edits : null;
}

/** Whether a statement names a date by a literal or a year number. */
export function hasDateLiteral(sql: string): boolean {
  return /'\d{4}-\d{2}-\d{2}/.test(sql) || /\b(?:EXTRACT\s*\(\s*YEAR|YEAR\s*\()/i.test(sql);
}

/** Applies edits (which must not overlap), the last first so offsets hold. */
export function applyEdits(sql: string, edits: readonly SqlEdit[]): string | null {
  const sorted = [...edits].sort((left, right) => right.start - left.start);
  for (let index = 1; index < sorted.length; index += 1) if (sorted[index].end > sorted[index - 1].start) return null;
  let result = sql;
  for (const edit of sorted) result = `${result.slice(0, edit.start)}${edit.text}${result.slice(edit.end)}`;
  return result;
}

/** The statement with its string literals blanked out (same length), so numbers and names inside them are not read. */
function masked(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, (literal) => `'${' '.repeat(literal.length - 2)}'`);
}
