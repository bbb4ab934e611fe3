/** A question/SQL pair the system prompt shows as an example. */
export interface PromptExample {
  question: string;
  sql: string;
}

/** What a glossary term means, as the prompt's glossary line says (table names as the prompt writes them). */
export type TermMeaning =
  | { kind: 'table'; table: string }
  | { kind: 'column'; table: string; column: string }
  | { kind: 'value'; table: string; column: string; value: string }
  | { kind: 'condition'; table: string; sql: string };

/** A glossary line: the term and its synonyms, and what they mean. */
export interface PromptTerm {
  phrases: string[];
  meaning: TermMeaning;
}

/** A metrics line: the name and synonyms, the aggregate expression over a table, its filters and time column. */
export interface PromptMetric {
  name: string;
  phrases: string[];
  table: string;
  expression: string;
  /** The `where` part, as one SQL condition (null when the metric has none). */
  filter: string | null;
  timeColumn: { table: string; column: string } | null;
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
  /** The business glossary (empty when the prompt has none). */
  glossary: PromptTerm[];
  /** The named metrics (empty when the prompt has none). */
  metrics: PromptMetric[];
  /** The schema of each table the prompt lists (`schema: table(fields); …`), by bare table name. */
  tableSchemas: Map<string, string>;
  /** What the rules say about the form of the answer (v7 on); all false when they say nothing. */
  answerForm: AnswerForm;
}

/** The rules on the form of an answer a prompt may give (v7 on). */
export interface AnswerForm {
  /**
   * "Select exactly the columns the question asks for": a ranking returns the ranked items without the
   * measure they are ranked by, unless the question asks for the figures too.
   */
  exactColumns: boolean;
  /** "Round only where the question asks for it": averages, sums and ratios are not rounded to cents. */
  roundOnlyWhenAsked: boolean;
  /** "A share or proportion 0–1": a question asking for a share (not a percentage) gets a fraction. */
  shareAsFraction: boolean;
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
  return {
    dialect,
    today: todayMatch ? todayMatch[1] : null,
    rowLimit,
    examples: readExamples(lines),
    glossary: sectionLines(lines, /^#+\s*(business\s+)?glossary\b/i).flatMap(readTerm),
    metrics: sectionLines(lines, /^#+\s*metrics\b/i).flatMap(readMetric),
    tableSchemas: readTableSchemas(lines),
    answerForm: {
      exactColumns: /\bselect exactly the columns the question asks for\b/i.test(systemPrompt),
      roundOnlyWhenAsked: /\bround only where the question asks\b/i.test(systemPrompt),
      shareAsFraction: /\ba share or proportion (?:is )?0\s*[–-]\s*1\b/i.test(systemPrompt),
    },
  };
}

/** `public: orders(id,…); customers(…)` lines (the lean schema listing) and `table public.orders` lines. */
function readTableSchemas(lines: readonly string[]): Map<string, string> {
  const schemas = new Map<string, string>();
  for (const line of lines) {
    const listing = /^([A-Za-z_][\w$]*):\s+(.*\(.*)$/.exec(line.trim());
    if (listing)
      for (const table of listing[2].matchAll(/(?:^|;\s*)([A-Za-z_][\w$]*)\(/g))
        if (!schemas.has(table[1])) schemas.set(table[1], listing[1]);
    const declared = /^(?:table|view)\s+([A-Za-z_][\w$]*)\.([A-Za-z_][\w$]*)\b/.exec(line.trim());
    if (declared && !schemas.has(declared[2])) schemas.set(declared[2], declared[1]);
  }
  return schemas;
}

/** The lines under a markdown heading, up to the next heading. */
function sectionLines(lines: readonly string[], heading: RegExp): string[] {
  const start = lines.findIndex((line) => heading.test(line.trim()));
  if (start < 0) return [];
  const section: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#+\s/.test(line.trim())) break;
    section.push(line);
  }
  return section;
}

/** `- "term" (also: a, b) = meaning. Description`: the quoted names and the meaning (the description dropped). */
function readEntry(line: string): { phrases: string[]; meaning: string } | null {
  const match = /^\s*-\s*"([^"]+)"(?:\s*\(also:\s*([^)]*)\))?\s*=\s*(.+)$/.exec(line);
  if (!match) return null;
  const synonyms = (match[2] ?? '')
    .split(',')
    .map((synonym) => synonym.trim())
    .filter(Boolean);
  return { phrases: [match[1].trim(), ...synonyms], meaning: withoutDescription(match[3].trim()) };
}

/** Cuts the meaning at the first sentence end outside quotes (`. ` and a capital letter). */
function withoutDescription(text: string): string {
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    if (text[index] === "'") quoted = !quoted;
    if (!quoted && text[index] === '.' && text[index + 1] === ' ' && /[A-Z]/.test(text[index + 2] ?? '')) return text.slice(0, index);
  }
  return text.replace(/\.$/, '');
}

function readTerm(line: string): PromptTerm[] {
  const entry = readEntry(line);
  return entry ? termOf(entry) : [];
}

/** A term from its phrases and its meaning as the prompt writes it (`table customers`, `orders.status = 'x'`, …). */
function termOf(entry: { phrases: string[]; meaning: string }): PromptTerm[] {
  const { meaning } = entry;
  let match = /^table\s+([\w.$]+)$/.exec(meaning);
  if (match) return [{ phrases: entry.phrases, meaning: { kind: 'table', table: match[1] } }];
  match = /^column\s+([\w.$]+)\.(\w+)$/.exec(meaning);
  if (match) return [{ phrases: entry.phrases, meaning: { kind: 'column', table: match[1], column: match[2] } }];
  match = /^([\w.$]+)\.(\w+)\s*=\s*'((?:[^']|'')*)'$/.exec(meaning);
  if (match)
    return [{ phrases: entry.phrases, meaning: { kind: 'value', table: match[1], column: match[2], value: match[3].replace(/''/g, "'") } }];
  match = /^([\w.$]+)\s+rows\s+where\s+(.+)$/.exec(meaning);
  if (match) return [{ phrases: entry.phrases, meaning: { kind: 'condition', table: match[1], sql: match[2] } }];
  return [];
}

function readMetric(line: string): PromptMetric[] {
  const entry = readEntry(line);
  return entry ? metricOf(entry) : [];
}

/** A metric from its phrases and its meaning as the prompt writes it (`SUM(x) over t where …; dated by t.c`). */
function metricOf(entry: { phrases: string[]; meaning: string }): PromptMetric[] {
  const match = /^(.+?)\s+over\s+([\w.$]+)(?:\s+where\s+(.+?))?(?:;\s*dated by\s+([\w.$]+)\.(\w+))?$/.exec(entry.meaning);
  if (!match) return [];
  return [
    {
      name: entry.phrases[0],
      phrases: entry.phrases,
      expression: match[1],
      table: match[2],
      filter: match[3] ?? null,
      timeColumn: match[4] ? { table: match[4], column: match[5] } : null,
    },
  ];
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

/** A glossary term or metric search_metadata matched, as its result gives it. */
export interface KnowledgeHitFact {
  kind: 'glossary' | 'metric';
  name: string;
  meaning: string;
  /** Why it matched: `term "x"`, `metric "x"` or `synonym "y" of "x"`. */
  reason: string;
}

/**
 * Adds the glossary terms and metrics search_metadata matched to those the prompt shows (a prompt may show only those
 * the question names, and say that the search finds the others): the name and the synonym that matched, with the
 * meaning the result gives. Terms the prompt already shows are kept as the prompt writes them.
 */
export function withSearchedKnowledge(
  glossary: readonly PromptTerm[],
  metrics: readonly PromptMetric[],
  hits: readonly KnowledgeHitFact[],
): { glossary: PromptTerm[]; metrics: PromptMetric[] } {
  const shownTerms = new Set(glossary.map((term) => term.phrases[0]?.toLowerCase()));
  const shownMetrics = new Set(metrics.map((metric) => metric.name.toLowerCase()));
  const addedTerms: PromptTerm[] = [];
  const addedMetrics: PromptMetric[] = [];
  for (const hit of hits) {
    if (typeof hit?.name !== 'string' || typeof hit.meaning !== 'string') continue;
    const synonym = /^synonym "([^"]+)"/.exec(String(hit.reason ?? ''))?.[1];
    const entry = { phrases: synonym ? [hit.name, synonym] : [hit.name], meaning: withoutDescription(hit.meaning.trim()) };
    if (hit.kind === 'glossary' && !shownTerms.has(hit.name.toLowerCase())) addedTerms.push(...termOf(entry));
    if (hit.kind === 'metric' && !shownMetrics.has(hit.name.toLowerCase())) addedMetrics.push(...metricOf(entry));
  }
  return { glossary: [...glossary, ...addedTerms], metrics: [...metrics, ...addedMetrics] };
}
