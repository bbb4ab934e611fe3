/**
 * Which chart a result gets, by rules over its shape, never by the model:
 * a category and a number → bar; a date or month and a number → line; two numbers → scatter;
 * one number → a big figure; anything else → no chart.
 */

/** A result column as the rules need it (the API's `columns[i]`). */
export interface ChartColumn {
  name: string;
  typeFamily: string;
}

export type ChartChoice =
  | { kind: 'bar' | 'line' | 'scatter'; x: number; y: number }
  | { kind: 'figure'; value: number; column: number }
  | { kind: 'none'; reason: string };

/** `YYYY-MM` or `YYYY-MM-DD…`: a month or a date written as text (a `to_char` or `DATE_FORMAT` result). */
const datePattern = /^\d{4}-\d{2}(-\d{2}([T ].*)?)?$/;

/** A number as the result carries it: JSON numbers, and decimals too large for one, sent as strings. */
export function numberOf(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value.trim())) return Number(value);
  return null;
}

type Role = 'number' | 'time' | 'category' | 'other';

function roleOf(column: ChartColumn, values: unknown[]): Role {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (column.typeFamily === 'integer' || column.typeFamily === 'decimal') return 'number';
  if (column.typeFamily === 'date' || column.typeFamily === 'timestamp') return 'time';
  if (column.typeFamily === 'text') {
    if (present.length > 0 && present.every((value) => typeof value === 'string' && datePattern.test(value))) return 'time';
    return 'category';
  }
  return 'other';
}

export function chooseChart(columns: ChartColumn[], rows: unknown[][]): ChartChoice {
  if (rows.length === 0) return { kind: 'none', reason: 'no rows' };
  const roles = columns.map((column, index) =>
    roleOf(
      column,
      rows.map((row) => row[index]),
    ),
  );
  if (columns.length === 1) {
    const value = numberOf(rows[0][0]);
    if (rows.length === 1 && roles[0] === 'number' && value !== null) return { kind: 'figure', value, column: 0 };
    return { kind: 'none', reason: 'one column that is not a single number' };
  }
  if (columns.length !== 2) return { kind: 'none', reason: `${columns.length} columns` };
  const [first, second] = roles;
  const pair = (x: number, y: number, kind: 'bar' | 'line' | 'scatter'): ChartChoice => ({ kind, x, y });
  if (first === 'time' && second === 'number') return pair(0, 1, 'line');
  if (first === 'number' && second === 'time') return pair(1, 0, 'line');
  if (first === 'category' && second === 'number') return pair(0, 1, 'bar');
  if (first === 'number' && second === 'category') return pair(1, 0, 'bar');
  if (first === 'number' && second === 'number') return pair(0, 1, 'scatter');
  return { kind: 'none', reason: `a ${first} and a ${second} column` };
}
