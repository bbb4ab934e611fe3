/** SQL split into tokens for highlighting: keywords, strings, numbers, comments, and the rest as plain text. */
export interface SqlToken {
  kind: 'keyword' | 'string' | 'number' | 'comment' | 'plain';
  text: string;
}

const keywords = new Set(
  (
    'select from where group by order having limit offset join left right inner outer full cross on as and or not in is null ' +
    'between like ilike exists case when then else end distinct union all with over partition asc desc count sum avg min max ' +
    'cast interval true false coalesce extract date_trunc round lag lead filter nulls first last'
  ).split(' '),
);

const tokenPattern = /(--[^\n]*|\/\*[\s\S]*?\*\/)|('(?:[^']|'')*')|\b(\d+(?:\.\d+)?)\b|\b([A-Za-z_][A-Za-z0-9_]*)\b/g;

export function highlightSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let last = 0;
  for (const match of sql.matchAll(tokenPattern)) {
    const index = match.index ?? 0;
    if (index > last) tokens.push({ kind: 'plain', text: sql.slice(last, index) });
    const [text, comment, string, number, word] = match;
    if (comment) tokens.push({ kind: 'comment', text });
    else if (string) tokens.push({ kind: 'string', text });
    else if (number) tokens.push({ kind: 'number', text });
    else tokens.push({ kind: word && keywords.has(word.toLowerCase()) ? 'keyword' : 'plain', text });
    last = index + text.length;
  }
  if (last < sql.length) tokens.push({ kind: 'plain', text: sql.slice(last) });
  return tokens;
}
