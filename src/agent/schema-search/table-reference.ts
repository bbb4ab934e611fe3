/** A table reference split into its parts, quotes removed. */
export interface TableReference {
  /** The database or catalog of a three-part reference (`db.schema.table`); not used for lookups. */
  catalog?: string;
  schema?: string;
  table: string;
}

/** The closing quote of each opening quote an identifier may be wrapped in: SQL, MySQL, SQL Server. */
const closingQuotes: Readonly<Record<string, string>> = { '"': '"', '`': '`', '[': ']' };

/**
 * Parses `table`, `schema.table` or `catalog.schema.table`, each part bare or quoted (`"public"."orders"`,
 * `` `shop`.`orders` ``, `[dbo].[orders]`; a doubled closing quote inside a quoted part stands for itself),
 * with optional spaces around the dots. Returns an error message for an empty or malformed reference.
 */
export function parseTableReference(reference: string): TableReference | { error: string } {
  const text = reference.trim();
  if (text.length === 0) return { error: 'The table reference is empty.' };
  const parts: string[] = [];
  let position = 0;
  while (true) {
    while (/\s/u.test(text[position] ?? '')) position += 1;
    const opening = text[position];
    let part: string;
    if (opening !== undefined && Object.hasOwn(closingQuotes, opening)) {
      const closing = closingQuotes[opening];
      part = '';
      position += 1;
      while (true) {
        if (position >= text.length) return { error: `Unterminated quoted identifier in table reference ${JSON.stringify(reference)}.` };
        if (text[position] === closing) {
          if (text[position + 1] === closing) {
            part += closing;
            position += 2;
            continue;
          }
          position += 1;
          break;
        }
        part += text[position];
        position += 1;
      }
    } else {
      const start = position;
      while (position < text.length && text[position] !== '.' && !/\s/u.test(text[position])) position += 1;
      part = text.slice(start, position);
    }
    if (part.length === 0) return { error: `Empty name part in table reference ${JSON.stringify(reference)}.` };
    parts.push(part);
    while (/\s/u.test(text[position] ?? '')) position += 1;
    if (position >= text.length) break;
    if (text[position] !== '.')
      return {
        error: `Unexpected ${JSON.stringify(text[position])} in table reference ${JSON.stringify(reference)}; expected table, schema.table or a quoted form.`,
      };
    position += 1;
  }
  if (parts.length > 3)
    return { error: `Too many name parts in table reference ${JSON.stringify(reference)}; expected table or schema.table.` };
  if (parts.length === 3) return { catalog: parts[0], schema: parts[1], table: parts[2] };
  if (parts.length === 2) return { schema: parts[0], table: parts[1] };
  return { table: parts[0] };
}
