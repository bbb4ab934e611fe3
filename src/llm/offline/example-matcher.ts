import type { SearchHit, ShownTable } from './conversation-reader.ts';
import type { PromptExample } from './prompt-facts.ts';
import { isFunctionWord, wordsOf, type Word } from './question-words.ts';
import { literal } from './sql-writer.ts';

/** An example whose SQL answers the question, with the values swapped in. */
export interface ExampleMatch {
  example: PromptExample;
  sql: string;
  /** The share of content words the question and the example have in common. */
  similarity: number;
}

/** The least word overlap (Jaccard over content words) for an example to be used. */
const minimumSimilarity = 0.6;
/** The most words that may differ between the question and the example (each a value slot). */
const maximumSlots = 2;

/**
 * Nearest-neighbour use of the prompt's examples: the example whose content words overlap the question's
 * most is used when the overlap is close enough and every word that differs is a slot — a value the
 * example's SQL compares a column with, replaced by a sample value of that same column the metadata search
 * found in the question ("captured" → "refunded"), or a number (a LIMIT). Null when no example fits.
 */
export function matchExample(
  question: string,
  examples: readonly PromptExample[],
  hits: readonly SearchHit[],
  shownTables: readonly ShownTable[] = [],
): ExampleMatch | { pendingTable: string } | null {
  const questionWords = contentWords(question);
  const values = knownValues(hits, shownTables);
  let best: ExampleMatch | null = null;
  let pendingTable: string | null = null;
  for (const example of examples) {
    const exampleWords = contentWords(example.question);
    const questionOnly = questionWords.filter((word) => !exampleWords.some((other) => other.stem === word.stem));
    const exampleOnly = exampleWords.filter((word) => !questionWords.some((other) => other.stem === word.stem));
    const shared = questionWords.length - questionOnly.length;
    const similarity = shared / (questionWords.length + exampleOnly.length);
    if (questionOnly.length !== exampleOnly.length || questionOnly.length > maximumSlots) continue;
    // "Which customers never ordered?" is not "How many customers never ordered?": the words that say what
    // is asked are stop words, so they are compared apart.
    if (askedFor(question) !== askedFor(example.question)) continue;
    if (questionOnly.length > 0 && (shared < 3 || shared / exampleWords.length < minimumSimilarity)) continue;
    let sql: string | null = example.sql;
    for (let index = 0; index < questionOnly.length && sql !== null; index += 1)
      sql = fillSlot(sql, exampleOnly[index], questionOnly[index], values);
    if (sql === null) {
      // A model would look at the example's table for the value before giving up on the example.
      const table = /\bFROM\s+([A-Za-z_][\w.]*)/i.exec(example.sql)?.[1];
      const qualified = table && (table.includes('.') ? table : `public.${table}`);
      if (qualified && !shownTables.some((shown) => shown.name === qualified) && pendingTable === null) pendingTable = qualified;
      continue;
    }
    const score = questionOnly.length === 0 ? 1 : similarity;
    if (!best || score > best.similarity) best = { example, sql, similarity: score };
  }
  return best ?? (pendingTable ? { pendingTable } : null);
}

/** Column values known so far: sample values the search matched, and those of the shown tables. */
function knownValues(hits: readonly SearchHit[], shownTables: readonly ShownTable[]): Array<{ column: string; value: string }> {
  const values: Array<{ column: string; value: string }> = [];
  for (const hit of hits) {
    for (const reason of hit.reasons) {
      const value = /^sample value "(.*)"$/.exec(reason)?.[1];
      if (value !== undefined && hit.column) values.push({ column: hit.column, value });
    }
  }
  for (const table of shownTables)
    for (const column of table.columns) for (const value of column.sampleValues ?? []) values.push({ column: column.name, value });
  return values;
}

function contentWords(text: string): Word[] {
  const seen = new Set<string>();
  return wordsOf(text).filter((word) => {
    if (isFunctionWord(word) || seen.has(word.stem)) return false;
    seen.add(word.stem);
    return true;
  });
}

/** Replaces the example's value (or number) with the question's, if the question's is a value of the same column. */
function fillSlot(
  sql: string,
  exampleWord: Word,
  questionWord: Word,
  values: ReadonlyArray<{ column: string; value: string }>,
): string | null {
  if (exampleWord.isNumber && questionWord.isNumber) {
    const pattern = new RegExp(`\\b${exampleWord.lower}\\b`);
    return pattern.test(sql) ? sql.replace(pattern, questionWord.lower) : null;
  }
  const comparison = new RegExp(`([A-Za-z_][\\w.]*)\\s*=\\s*'(${escapeRegExp(exampleWord.lower)})'`, 'i').exec(sql);
  if (!comparison) return null;
  const column = comparison[1].split('.').pop()!;
  for (const known of values) {
    if (known.column !== column) continue;
    const valueWords = wordsOf(known.value);
    if (valueWords.length === 1 && (valueWords[0].stem === questionWord.stem || valueWords[0].root === questionWord.root))
      return sql.replace(comparison[0], `${comparison[1]} = ${literal(known.value)}`);
  }
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** What a question asks for, by its request words: a count, a share, or rows and values. */
function askedFor(question: string): 'count' | 'share' | 'rows' {
  if (/\b(how many|number of|count)\b/i.test(question)) return 'count';
  if (/\b(percent|percentage|share|proportion|fraction)\b/i.test(question)) return 'share';
  return 'rows';
}
