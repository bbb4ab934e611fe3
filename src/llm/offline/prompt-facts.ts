/** A question/SQL pair the system prompt shows as an example. */
export interface PromptExample {
  question: string;
  sql: string;
}

/** What the offline model reads from a compiled system prompt, as a model would. */
export interface PromptFacts {
  /** The SQL dialect the prompt names. */
  dialect: 'postgres' | 'mysql';
  /** The date the prompt gives as today (`YYYY-MM-DD`), or null when it gives none. */
  today: string | null;
  /** The default row limit of the prompt's rules (`LIMIT N`), or null when it has none. */
  rowLimit: number | null;
  /** The question/SQL pairs of the prompt's examples. */
  examples: PromptExample[];
}

/**
 * Reads the dialect, today's date, the default row limit and the examples from a compiled system prompt.
 * The row limit is the `LIMIT N` of a rule line, not of an example's SQL.
 */
export function readPromptFacts(systemPrompt: string): PromptFacts {
  const dialectMatch = /\b(postgres|postgresql|mysql|mariadb)\b/i.exec(systemPrompt);
  const dialect = dialectMatch && /^(mysql|mariadb)$/i.test(dialectMatch[1]) ? 'mysql' : 'postgres';
  const todayMatch = /\btoday(?: is|:)?\s*\(?(\d{4}-\d{2}-\d{2})\b/i.exec(systemPrompt);
  let rowLimit: number | null = null;
  const lines = systemPrompt.split('\n');
  for (const line of lines) {
    const trimmed = line.trim();
    if (/^(SQL:|SELECT\b|WITH\b|Question:)/i.test(trimmed)) continue;
    const limit = /\bLIMIT (\d+)\b/.exec(trimmed);
    if (limit) {
      rowLimit = Number(limit[1]);
      break;
    }
  }
  return { dialect, today: todayMatch ? todayMatch[1] : null, rowLimit, examples: readExamples(lines) };
}

/** Question/SQL pairs: `Question: …` followed (possibly after other lines) by `SQL: …` or `SQL:` and the statement on the next line. */
function readExamples(lines: string[]): PromptExample[] {
  const examples: PromptExample[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const question = /^\s*Question:\s*(.+?)\s*$/.exec(lines[index]);
    if (!question) continue;
    for (let next = index + 1; next < Math.min(lines.length, index + 6); next += 1) {
      if (/^\s*Question:/.test(lines[next])) break;
      const sqlLine = /^\s*SQL:\s*(.*?)\s*$/.exec(lines[next]);
      if (!sqlLine) continue;
      let sql = sqlLine[1];
      if (!sql) sql = (lines.slice(next + 1).find((line) => line.trim() !== '') ?? '').trim();
      if (/^(SELECT|WITH)\b/i.test(sql)) examples.push({ question: question[1], sql });
      break;
    }
  }
  return examples;
}
