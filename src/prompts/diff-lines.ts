/**
 * A unified-style line diff (longest common subsequence): unchanged lines start with two spaces, removed
 * lines with `- `, added lines with `+ `. Enough for `prompts diff`; prompts are short.
 */
export function diffLines(before: string, after: string): string[] {
  const left = before.split('\n');
  const right = after.split('\n');
  const lengths: number[][] = Array.from({ length: left.length + 1 }, () => new Array<number>(right.length + 1).fill(0));
  for (let i = left.length - 1; i >= 0; i -= 1) {
    for (let j = right.length - 1; j >= 0; j -= 1) {
      lengths[i][j] = left[i] === right[j] ? lengths[i + 1][j + 1] + 1 : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
    }
  }
  const lines: string[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length || j < right.length) {
    if (i < left.length && j < right.length && left[i] === right[j]) {
      lines.push(`  ${left[i]}`);
      i += 1;
      j += 1;
    } else if (j < right.length && (i === left.length || lengths[i][j + 1] >= lengths[i + 1][j])) {
      lines.push(`+ ${right[j]}`);
      j += 1;
    } else {
      lines.push(`- ${left[i]}`);
      i += 1;
    }
  }
  return lines;
}
