/** Renders rows as a plain-text table with a header rule, cells cut at `maxWidth` characters. */
export function renderTable(headers: string[], rows: unknown[][], maxWidth = 40): string {
  const cell = (value: unknown) => {
    const text = value === null || value === undefined ? 'NULL' : typeof value === 'object' ? JSON.stringify(value) : String(value);
    const flat = text.replace(/\s+/g, ' ');
    return flat.length > maxWidth ? `${flat.slice(0, maxWidth - 1)}…` : flat;
  };
  const body = rows.map((row) => row.map(cell));
  const widths = headers.map((header, index) => Math.max(header.length, ...body.map((row) => row[index]?.length ?? 0)));
  const line = (cells: string[]) =>
    cells
      .map((text, index) => text.padEnd(widths[index]))
      .join(' | ')
      .trimEnd();
  return [line(headers), widths.map((width) => '-'.repeat(width)).join('-+-'), ...body.map(line)].join('\n');
}
