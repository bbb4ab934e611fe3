// Comparing an answer's rows with a gold query's rows by value, as the offline model's tests do.

/** A value as compared: numbers (and numeric text) to cents, everything else as text. */
export function normalize(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'bigint'
        ? Number(value)
        : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)
          ? Number(value)
          : null;
  if (number !== null) return (Math.round(number * 100) / 100).toFixed(2);
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

/**
 * Whether a result holds the gold rows: some choice of distinct result columns, one per gold column,
 * gives the gold rows (as a multiset, or in order when the question asks for one). Extra result columns,
 * such as the measure of a ranking, are allowed.
 */
export function matchesGold(actual: unknown[][], gold: unknown[][], ordered: boolean): boolean {
  if (actual.length !== gold.length) return false;
  if (gold.length === 0) return true;
  const goldWidth = gold[0].length;
  const actualWidth = actual[0].length;
  const goldKeys = gold.map((row) => row.map(normalize).join('\u0001'));
  const sortedGold = ordered ? goldKeys : [...goldKeys].sort();
  const choose = (chosen: number[]): boolean => {
    if (chosen.length === goldWidth) {
      const keys = actual.map((row) => chosen.map((index) => normalize(row[index])).join('\u0001'));
      const compared = ordered ? keys : [...keys].sort();
      return compared.every((key, index) => key === sortedGold[index]);
    }
    for (let index = 0; index < actualWidth; index += 1) if (!chosen.includes(index) && choose([...chosen, index])) return true;
    return false;
  };
  return choose([]);
}
