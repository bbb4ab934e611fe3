import { compareValues, toResultValue, valuesEqual, type NumericTolerance, type ResultValue } from './result-value.ts';

export interface CompareOptions {
  /** Whether row order counts (the gold has a top-level ORDER BY, or the case says so). */
  orderMatters: boolean;
  /** Relative tolerance for numbers. Default 1e-6. */
  relativeTolerance?: number;
  /**
   * Absolute tolerance for numbers. Default 1e-9 (so float noise around zero is not a difference).
   * Cross-engine checks use 5e-5: MySQL keeps only 4 more decimals than the operands in AVG and division.
   */
  absoluteTolerance?: number;
}

export interface CompareVerdict {
  equal: boolean;
  /** Why the results differ (or which column order matched, when it took a permutation). */
  reason?: string;
}

/**
 * The absolute tolerance where MySQL's arithmetic is involved: AVG and division keep only four more
 * decimals than their operands (`div_precision_increment`), so an average of integers is exact to 5e-5
 * there. Used across engines (validation) and for every comparison on a MySQL database.
 */
export const mysqlArithmeticTolerance = 5e-5;

/** Column permutations tried before giving up (Spider constrains them the same way). */
const maxPermutations = 5000;
/**
 * Cell comparisons (sorting included) over all permutation checks before giving up, so one item can never
 * hold the event loop for long: a few hundred rows of look-alike 0/1 columns would otherwise take seconds.
 */
const maxCellComparisons = 4_000_000;
/** Largest group of rows that differ only in numbers for which an exact matching is searched. */
const maxMatchingGroup = 400;

/**
 * Execution accuracy as Spider's test-suite evaluation defines it (`result_eq`), on rows only:
 * results are bags of rows (duplicates count); column order is ignored — some permutation of the
 * predicted columns must give the gold rows; row order counts only when `orderMatters`; NULL equals NULL;
 * a different number of columns is unequal; two empty results are equal.
 *
 * Beyond Spider: numbers compare with a relative tolerance of 1e-6 (and an absolute one of 1e-9);
 * decimals, bigints, numeric strings and JS numbers are one numeric form; booleans are 1 and 0; dates
 * and timestamps compare as ISO strings (see `toResultValue`).
 *
 * @example
 * compareResults([[1, 'a'], [2, 'b']], [['b', '2'], ['a', 1]], { orderMatters: false }) // { equal: true, … }
 */
export function compareResults(gold: unknown[][], predicted: unknown[][], options: CompareOptions): CompareVerdict {
  const tolerance: NumericTolerance = { relative: options.relativeTolerance ?? 1e-6, absolute: options.absoluteTolerance ?? 1e-9 };
  if (gold.length === 0 && predicted.length === 0) return { equal: true };
  if (gold.length === 0) return { equal: false, reason: `the gold result is empty; the prediction has ${plural(predicted.length, 'row')}` };
  if (predicted.length === 0) return { equal: false, reason: `the prediction is empty; the gold result has ${plural(gold.length, 'row')}` };
  const goldRows = gold.map((row) => row.map(toResultValue));
  const predictedRows = predicted.map((row) => row.map(toResultValue));
  const columns = goldRows[0].length;
  const ragged = [goldRows, predictedRows].find((rows) => rows.some((row) => row.length !== rows[0].length));
  if (ragged) return { equal: false, reason: `the ${ragged === goldRows ? 'gold' : 'predicted'} rows do not all have the same number of columns` };
  if (predictedRows[0].length !== columns) return { equal: false, reason: `the gold result has ${plural(columns, 'column')}; the prediction has ${predictedRows[0].length}` };
  if (goldRows.length !== predictedRows.length) return { equal: false, reason: `the gold result has ${plural(goldRows.length, 'row')}; the prediction has ${predictedRows.length}` };

  // A permutation can only work if each gold column has the same bag of values as its predicted column.
  const goldColumns = transpose(goldRows, columns).map(sortedColumn);
  const predictedColumns = transpose(predictedRows, columns).map(sortedColumn);
  const candidates = goldColumns.map((goldColumn) =>
    predictedColumns.flatMap((predictedColumn, index) => (sameSortedValues(goldColumn, predictedColumn, tolerance) ? [index] : [])),
  );
  const missing = candidates.findIndex((list) => list.length === 0);
  if (missing >= 0) {
    return { equal: false, reason: `no predicted column has the values of gold column ${missing + 1} (${preview(goldColumns[missing])})` };
  }

  let tried = 0;
  let work = 0;
  let orderOnly = false;
  let prune = false;
  const permutation: number[] = [];
  const used = new Set<number>();
  const exhausted = () => tried >= maxPermutations || work >= maxCellComparisons;
  // A check sorts both sides: about n log n row comparisons of a few cells each.
  const sortFactor = Math.max(1, Math.ceil(Math.log2(goldRows.length + 1)));
  const search = (position: number): boolean => {
    if (exhausted()) return false;
    if (position === columns) {
      tried += 1;
      work += goldRows.length * columns * sortFactor;
      const permuted = predictedRows.map((row) => permutation.map((index) => row[index]));
      if (options.orderMatters) {
        if (permuted.every((row, index) => rowsEqual(goldRows[index], row, tolerance))) return true;
        orderOnly ||= sameBag(goldRows, permuted, tolerance);
        return false;
      }
      return sameBag(goldRows, permuted, tolerance);
    }
    for (const index of candidates[position]) {
      if (used.has(index)) continue;
      used.add(index);
      permutation.push(index);
      const viable = !prune || position === columns - 1 || (tried++, (work += goldRows.length * permutation.length * sortFactor), prefixMayMatch(goldRows, predictedRows, permutation, tolerance));
      if (viable && search(position + 1)) return true;
      permutation.pop();
      used.delete(index);
    }
    return false;
  };
  let found = search(0);
  if (!found && tried >= maxPermutations && work < maxCellComparisons) {
    // The blind search ran out (columns that share their values — flags, counts — give many candidates):
    // search again, dropping every column order whose first columns already fail to give the gold rows' bag
    // on those columns. Each such check counts against the same budget.
    [tried, prune, permutation.length] = [0, true, 0];
    used.clear();
    found = search(0);
  }
  if (found) {
    const identity = permutation.every((index, position) => index === position);
    return identity ? { equal: true } : { equal: true, reason: `equal with the predicted columns in the order ${permutation.map((index) => index + 1).join(', ')}` };
  }
  if (orderOnly) return { equal: false, reason: 'the same rows in a different order, and the order matters' };
  if (exhausted()) return { equal: false, reason: `no match found within ${tried} column orders (too many look-alike columns to try them all)` };
  return { equal: false, reason: 'every column has the gold values, but they are combined into different rows' };
}

/** Whether the gold rows cut to their first columns can be the predicted rows cut to `permutation` (as bags). */
function prefixMayMatch(gold: ResultValue[][], predicted: ResultValue[][], permutation: number[], tolerance: NumericTolerance): boolean {
  if (permutation.length < 2) return true; // one column: the candidate lists already checked it
  const goldPrefix = gold.map((row) => row.slice(0, permutation.length));
  const predictedPrefix = predicted.map((row) => permutation.map((index) => row[index]));
  return sameBag(goldPrefix, predictedPrefix, tolerance, true);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function transpose(rows: ResultValue[][], columns: number): ResultValue[][] {
  return Array.from({ length: columns }, (_, column) => rows.map((row) => row[column]));
}

function sortedColumn(values: ResultValue[]): ResultValue[] {
  return [...values].sort(compareValues);
}

function sameSortedValues(left: ResultValue[], right: ResultValue[], tolerance: NumericTolerance): boolean {
  return left.length === right.length && left.every((value, index) => valuesEqual(value, right[index], tolerance));
}

function rowsEqual(left: ResultValue[], right: ResultValue[], tolerance: NumericTolerance): boolean {
  return left.every((value, index) => valuesEqual(value, right[index], tolerance));
}

function compareRows(left: ResultValue[], right: ResultValue[]): number {
  for (let index = 0; index < left.length; index += 1) {
    const order = compareValues(left[index], right[index]);
    if (order !== 0) return order;
  }
  return 0;
}

/**
 * Bag equality with numeric tolerance. Rows are grouped by everything but their numbers (exact), so
 * tolerance only matters inside a group; there, sorted rows are compared pair by pair, and when that
 * fails a matching is searched (sorting can pair near-equal numbers across rows in the wrong way).
 * A group too large for that search counts as unequal, or as `whenUnsure` (for pruning, where a wrong
 * "unequal" would drop a permutation that matches).
 */
function sameBag(gold: ResultValue[][], predicted: ResultValue[][], tolerance: NumericTolerance, whenUnsure = false): boolean {
  const group = (rows: ResultValue[][]) => {
    const groups = new Map<string, ResultValue[][]>();
    for (const row of rows) {
      // Every number becomes 0, so a 0 in the key always stands for "some number" (text stays quoted).
      const key = JSON.stringify(row.map((value) => (typeof value === 'number' ? 0 : value)));
      const list = groups.get(key);
      if (list) list.push(row);
      else groups.set(key, [row]);
    }
    return groups;
  };
  const goldGroups = group(gold);
  const predictedGroups = group(predicted);
  if (goldGroups.size !== predictedGroups.size) return false;
  for (const [key, goldGroup] of goldGroups) {
    const predictedGroup = predictedGroups.get(key);
    if (!predictedGroup || predictedGroup.length !== goldGroup.length) return false;
    const sortedGold = [...goldGroup].sort(compareRows);
    const sortedPredicted = [...predictedGroup].sort(compareRows);
    if (sortedGold.every((row, index) => rowsEqual(row, sortedPredicted[index], tolerance))) continue;
    // Exact values only (integers, text): the sorted comparison already decided it.
    if (!hasInexactNumber(goldGroup) && !hasInexactNumber(predictedGroup)) return false;
    if (goldGroup.length > maxMatchingGroup) {
      if (whenUnsure) continue;
      return false;
    }
    if (!perfectMatching(sortedGold, sortedPredicted, tolerance)) return false;
  }
  return true;
}

function hasInexactNumber(rows: ResultValue[][]): boolean {
  return rows.some((row) => row.some((value) => typeof value === 'number' && !Number.isInteger(value)));
}

/** Whether every gold row can be paired with its own predicted row (augmenting paths, Kuhn's algorithm). */
function perfectMatching(gold: ResultValue[][], predicted: ResultValue[][], tolerance: NumericTolerance): boolean {
  const edges = gold.map((row) => predicted.flatMap((candidate, index) => (rowsEqual(row, candidate, tolerance) ? [index] : [])));
  if (edges.some((list) => list.length === 0)) return false;
  const owner = new Array<number>(predicted.length).fill(-1);
  const tryRow = (row: number, seen: boolean[]): boolean => {
    for (const index of edges[row]) {
      if (seen[index]) continue;
      seen[index] = true;
      if (owner[index] === -1 || tryRow(owner[index], seen)) {
        owner[index] = row;
        return true;
      }
    }
    return false;
  };
  return gold.every((_, row) => tryRow(row, new Array<boolean>(predicted.length).fill(false)));
}

function preview(values: ResultValue[]): string {
  const shown = values.slice(0, 3).map((value) => (value === null ? 'NULL' : JSON.stringify(value)));
  return `${shown.join(', ')}${values.length > 3 ? ', …' : ''}`;
}
