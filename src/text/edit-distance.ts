/**
 * The optimal-string-alignment edit distance between two strings: the fewest single-character insertions,
 * deletions, substitutions and transpositions of adjacent characters (`ordres` → `orders` is 1) that turn
 * one into the other. Compares UTF-16 code units and is case-sensitive; lower-case both sides first to
 * ignore case.
 */
export function editDistance(left: string, right: string): number {
  if (left === right) return 0;
  if (left.length === 0) return right.length;
  if (right.length === 0) return left.length;
  // Three rolling rows: the one before the previous (for transpositions), the previous, and the current.
  let beforePrevious: number[] = new Array<number>(right.length + 1).fill(0);
  let previous: number[] = Array.from({ length: right.length + 1 }, (_, index) => index);
  let current: number[] = new Array<number>(right.length + 1).fill(0);
  for (let row = 1; row <= left.length; row += 1) {
    current[0] = row;
    for (let column = 1; column <= right.length; column += 1) {
      const substitution = left[row - 1] === right[column - 1] ? 0 : 1;
      let best = Math.min(previous[column] + 1, current[column - 1] + 1, previous[column - 1] + substitution);
      if (row > 1 && column > 1 && left[row - 1] === right[column - 2] && left[row - 2] === right[column - 1]) {
        best = Math.min(best, beforePrevious[column - 2] + 1);
      }
      current[column] = best;
    }
    [beforePrevious, previous, current] = [previous, current, beforePrevious];
  }
  return previous[right.length];
}
