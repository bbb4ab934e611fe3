import type { SearchHit, ShownTable } from './conversation-reader.ts';
import type { DateRange } from './date-range.ts';
import { bare, occurrences, readQuestion, type ReadingKnowledge, type ReadQuestion, type ValueMention } from './example-reading.ts';
import { applyEdits, dateEdits, hasDateLiteral, numberPlaces, sqlLiterals, type SqlEdit, type SqlLiteral } from './example-sql.ts';
import { askedFor, relationBefore } from './meaning-words.ts';
import type { PromptExample } from './prompt-facts.ts';
import { sameWord, wordsOf, type Word } from './question-words.ts';
import type { FoundValue } from './schema-catalogue.ts';

/** An example whose SQL answers the question, with the values swapped in. */
export interface ExampleMatch {
  example: PromptExample;
  sql: string;
  /** The share of the question's links and words the example shares (slots filled count as shared). */
  similarity: number;
}

/** A look the model takes before it can tell whether an example fits: a table's samples, or a column's stored values. */
export type ExamplePending = { pendingTable: string } | { pendingLookup: { table: string; column: string; words: string[] } };

/** What the matcher needs besides the examples: the prompt's knowledge and today, and the values found so far. */
export interface ExampleKnowledge extends ReadingKnowledge {
  /** The schema of each bare table name, as the prompt lists it. */
  tableSchemas: ReadonlyMap<string, string>;
  /** Values the conversation's lookups found. */
  found: readonly FoundValue[];
  /** Columns already looked up (`schema.table.column`). */
  lookedUp: readonly string[];
}

/** The most slots (values, numbers) one reuse may fill. */
const maximumSlots = 3;

interface KnownValue {
  table: string | null;
  column: string;
  value: string;
}

/** An example value the question must name again (or replace by another value of the same column). */
interface ExampleSlot {
  mention: ValueMention;
  literals: SqlLiteral[];
}

/**
 * Nearest-neighbour use of the prompt's verified examples, as a careful analyst would reuse one: the
 * question and the example must ask the same thing — the same request (a count is not a list), the same
 * meaning words (negation, grouping, ranking, aggregate, comparison, distinctness, shares, the bounds of a
 * period), the same links to the glossary, metrics and tables (a synonym is the same link), and the same
 * other words — and may differ only in slots, each checked against the schema: a value of the column the
 * example's SQL compares (a sampled, looked-up or glossary value, one or more words, any case, after the
 * same preposition when both have one), a number
 * the SQL uses as a LIMIT or a threshold (digits or "ten"), and a period (a year, a month, "last month"),
 * moved at both ends of the SQL's date range. When a value is not yet known the model first looks at the
 * example's table, then looks the words up in that column. Null when no example fits: the planner answers.
 */
export function matchExample(
  question: string,
  examples: readonly PromptExample[],
  hits: readonly SearchHit[],
  shownTables: readonly ShownTable[] = [],
  knowledge: Partial<ExampleKnowledge> = {},
): ExampleMatch | ExamplePending | null {
  const reading: ReadingKnowledge = {
    today: knowledge.today ?? null,
    glossary: knowledge.glossary ?? [],
    metrics: knowledge.metrics ?? [],
    tables: knowledge.tables ?? [],
  };
  const known = knownValues(hits, shownTables, knowledge.found ?? []);
  let best: ExampleMatch | null = null;
  let pending: ExamplePending | null = null;
  for (const example of examples) {
    const outcome = matchOne(question, example, reading, known, shownTables, knowledge);
    if (!outcome) continue;
    if ('sql' in outcome) {
      if (!best || outcome.similarity > best.similarity) best = outcome;
    } else pending ??= outcome;
  }
  return best ?? pending;
}

function matchOne(
  question: string,
  example: PromptExample,
  reading: ReadingKnowledge,
  known: readonly KnownValue[],
  shownTables: readonly ShownTable[],
  knowledge: Partial<ExampleKnowledge>,
): ExampleMatch | ExamplePending | null {
  if (askedFor(question) !== askedFor(example.question)) return null;
  const literals = sqlLiterals(example.sql);
  const slots: ExampleSlot[] = [];
  const literalsOf = (mention: Omit<ValueMention, 'start' | 'end'>) =>
    literals.filter(
      (literal) =>
        literal.column === mention.column &&
        literal.value.toLowerCase() === mention.value.toLowerCase() &&
        (literal.table === null ? mention.table === null || literal.tables.includes(mention.table) : literal.table === mention.table),
    );
  const exampleRead = readQuestion(
    example.question,
    reading,
    (words, free) => {
      const found: ValueMention[] = [];
      const byLength = [...literals].sort((left, right) => wordsOf(right.value).length - wordsOf(left.value).length);
      for (const literal of byLength) {
        const valueWords = wordsOf(literal.value);
        if (valueWords.length === 0 || found.some((mention) => mention.value === literal.value && mention.column === literal.column))
          continue;
        const start = occurrences(
          words,
          valueWords,
          (from, to) => free(from, to) && !found.some((other) => other.start < to && from < other.end),
        )[0];
        if (start !== undefined)
          found.push({ table: literal.table, column: literal.column, value: literal.value, start, end: start + valueWords.length });
      }
      return found;
    },
    (mention) => literalsOf(mention).length > 0,
  );
  for (const mention of exampleRead.values) slots.push({ mention, literals: literalsOf(mention) });

  const slotColumn = (mention: { table: string | null; column: string }) =>
    slots.some((slot) => slot.literals.some((literal) => fitsColumn(literal, mention)));
  const questionRead = readQuestion(
    question,
    reading,
    (words, free) => {
      const found: ValueMention[] = [];
      // The example's own values are values of their columns too (the example is verified).
      const ownValues = slots.map(({ mention }) => ({ table: mention.table, column: mention.column, value: mention.value }));
      const candidates = [...ownValues, ...known.filter((value) => slotColumn(value))]
        .map((value) => ({ value, words: wordsOf(value.value) }))
        .filter((candidate) => candidate.words.length > 0)
        .sort((left, right) => right.words.length - left.words.length);
      for (const candidate of candidates) {
        const clear = (from: number, to: number) => free(from, to) && !found.some((other) => other.start < to && from < other.end);
        for (const start of occurrences(words, candidate.words, clear))
          found.push({ ...candidate.value, start, end: start + candidate.words.length });
      }
      return found;
    },
    (mention) => slotColumn(mention),
  );

  if (questionRead.marks.join() !== exampleRead.marks.join()) return null;
  if (questionRead.tokens.join() !== exampleRead.tokens.join()) return null;
  const { shared, questionLeft, exampleLeft } = compareContent(questionRead.content, exampleRead.content);
  if (exampleLeft.length > 0) return null;

  const edits: SqlEdit[] = [];
  // Values: each example slot takes a value of the question of the same column, in order of appearance.
  const unpaired: ExampleSlot[] = [];
  let changedValues = 0;
  const questionValues = [...questionRead.values];
  for (const slot of slots) {
    const index = questionValues.findIndex((mention) => slot.literals.some((literal) => fitsColumn(literal, mention)));
    if (index < 0) {
      unpaired.push(slot);
      continue;
    }
    const [mention] = questionValues.splice(index, 1);
    // The same value read through another relation ("to France", "from France") is another question.
    const relations = [relationBefore(exampleRead.words, slot.mention.start), relationBefore(questionRead.words, mention.start)];
    if (relations[0] !== null && relations[1] !== null && relations[0] !== relations[1]) return null;
    if (mention.value !== slot.mention.value) changedValues += 1;
    for (const literal of slot.literals) edits.push({ start: literal.start, end: literal.end, text: mention.value.replace(/'/g, "''") });
  }
  if (questionValues.length > 0) return null;
  if (unpaired.length > 0 || questionLeft.length > 0) {
    if (unpaired.length === 0 || questionLeft.length === 0 || shared.length === 0) return null;
    return pendingLook(unpaired[0], questionLeft, shownTables, knowledge);
  }
  if (shared.length + questionRead.tokens.length === 0) return null;

  const numberEdits = numberSlots(exampleRead, questionRead, example.sql);
  const periodEdits = dateSlot(exampleRead, questionRead, example.sql);
  if (!numberEdits || !periodEdits) return null;
  edits.push(...numberEdits, ...periodEdits);
  const changed =
    changedValues + numberEdits.length + (periodEdits.length > 0 && exampleRead.datePhrase !== questionRead.datePhrase ? 1 : 0);
  if (changed > maximumSlots) return null;
  const sql = applyEdits(example.sql, edits);
  if (sql === null) return null;
  const agreeing = shared.length + questionRead.tokens.length + questionRead.marks.length;
  return { example, sql, similarity: round(agreeing / (agreeing + changed)) };
}

/** The content words both questions have (each matched once, as the same word), and those of one side only. */
function compareContent(
  question: readonly Word[],
  example: readonly Word[],
): { shared: Word[]; questionLeft: Word[]; exampleLeft: Word[] } {
  const exampleLeft = [...example];
  const shared: Word[] = [];
  const questionLeft: Word[] = [];
  for (const word of question) {
    const index = exampleLeft.findIndex((other) => sameWord(word, other));
    if (index < 0) questionLeft.push(word);
    else shared.push(...exampleLeft.splice(index, 1));
  }
  return { shared, questionLeft, exampleLeft };
}

/**
 * Numbers pair in order; each of the example's that the question changes must stand once in its SQL as a
 * LIMIT or a threshold, and a LIMIT takes only a whole number above zero. Null when a number does not fit.
 */
function numberSlots(example: ReadQuestion, question: ReadQuestion, sql: string): SqlEdit[] | null {
  if (example.numbers.length !== question.numbers.length) return null;
  const edits: SqlEdit[] = [];
  for (let index = 0; index < example.numbers.length; index += 1) {
    const from = example.numbers[index];
    const to = question.numbers[index];
    if (from.word.isMoney !== to.word.isMoney) return null;
    if (from.value === to.value) continue;
    const places = numberPlaces(sql, from.value);
    if (places.length !== 1) return null;
    if (places[0].limit && (!Number.isInteger(to.value) || to.value < 1)) return null;
    edits.push({ start: places[0].start, end: places[0].end, text: String(to.value) });
  }
  return edits;
}

/**
 * The period: both questions name one or neither does; the same phrase keeps the SQL (when its dates are
 * those of the phrase today), another period of the same kind (both ends bounded, or the same end open)
 * moves the SQL's dates. Null when the periods do not fit.
 */
function dateSlot(example: ReadQuestion, question: ReadQuestion, sql: string): SqlEdit[] | null {
  if (!example.date && !question.date) return [];
  if (!example.date || !question.date) return null;
  const samePhrase = example.datePhrase === question.datePhrase;
  if ('needsToday' in example.date || 'needsToday' in question.date) return samePhrase && !hasDateLiteral(sql) ? [] : null;
  const from: DateRange = example.date;
  const to: DateRange = question.date;
  if ((from.from === null) !== (to.from === null) || (from.to === null) !== (to.to === null)) return null;
  if (!hasDateLiteral(sql)) return samePhrase ? [] : null;
  return dateEdits(sql, from, to);
}

/** What to look at before the example can be used: the slot's table, then the question's words in the slot's column. */
function pendingLook(
  slot: ExampleSlot,
  words: readonly Word[],
  shownTables: readonly ShownTable[],
  knowledge: Partial<ExampleKnowledge>,
): ExamplePending | null {
  const literal = slot.literals[0];
  const table = literal.table ?? (literal.tables.length === 1 ? literal.tables[0] : null);
  if (!table || words.length > 3 || !words.every((word) => /^\p{L}{3,}$/u.test(word.lower))) return null;
  const qualified = `${knowledge.tableSchemas?.get(table) ?? 'public'}.${table}`;
  const shown = shownTables.find((candidate) => candidate.name.toLowerCase() === qualified);
  if (!shown) return { pendingTable: qualified };
  const column = shown.columns.find((candidate) => candidate.name.toLowerCase() === literal.column);
  // A column of one to four sampled values has no others; a lookup finds nothing new.
  if (!column || (column.sampleValues && column.sampleValues.length > 0 && column.sampleValues.length < 5)) return null;
  if ((knowledge.lookedUp ?? []).includes(`${qualified}.${column.name}`)) return null;
  return { pendingLookup: { table: qualified, column: column.name, words: words.map((word) => word.lower) } };
}

/** Whether a value of a table's column is a value of the column an SQL literal compares. */
function fitsColumn(literal: SqlLiteral, value: { table: string | null; column: string }): boolean {
  if (literal.column !== value.column.toLowerCase()) return false;
  if (value.table === null) return true;
  return literal.table === null ? literal.tables.includes(value.table) : literal.table === value.table;
}

/** Column values known so far: sample values the search matched, those of the shown tables, and the values looked up. */
function knownValues(hits: readonly SearchHit[], shownTables: readonly ShownTable[], found: readonly FoundValue[]): KnownValue[] {
  const values: KnownValue[] = [];
  for (const hit of hits) {
    for (const reason of hit.reasons) {
      const value = /^sample value "(.*)"$/.exec(reason)?.[1];
      if (value !== undefined && hit.column) values.push({ table: bare(hit.table), column: hit.column.toLowerCase(), value });
    }
  }
  for (const table of shownTables)
    for (const column of table.columns)
      for (const value of column.sampleValues ?? []) values.push({ table: bare(table.name), column: column.name.toLowerCase(), value });
  for (const value of found) values.push({ table: bare(value.table), column: value.column.toLowerCase(), value: value.value });
  return values;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
