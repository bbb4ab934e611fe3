/** A line diff (`+ `, `- `, two spaces) as side-by-side rows: removed lines on the left, added on the right, paired in runs. */
export interface SideBySideRow {
  left: string | null;
  right: string | null;
  change: 'same' | 'removed' | 'added' | 'changed';
}

export function sideBySide(lines: string[]): SideBySideRow[] {
  const rows: SideBySideRow[] = [];
  let removed: string[] = [];
  let added: string[] = [];
  const flush = () => {
    for (let index = 0; index < Math.max(removed.length, added.length); index += 1) {
      const left = removed[index] ?? null;
      const right = added[index] ?? null;
      rows.push({ left, right, change: left !== null && right !== null ? 'changed' : left !== null ? 'removed' : 'added' });
    }
    removed = [];
    added = [];
  };
  for (const line of lines) {
    const marker = line.slice(0, 1);
    const text = line.slice(2);
    if (marker === '-') removed.push(text);
    else if (marker === '+') added.push(text);
    else {
      flush();
      rows.push({ left: text, right: text, change: 'same' });
    }
  }
  flush();
  return rows;
}
