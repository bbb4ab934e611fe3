import { findDateRange, type DateRange, type UnresolvedDate } from './date-range.ts';
import { meaningMarks } from './meaning-words.ts';
import type { PromptMetric, PromptTerm } from './prompt-facts.ts';
import { isFunctionWord, numberOf, sameWord, wordsOf, type Word } from './question-words.ts';

/** A value a question names, as a column's value (`payments.status = 'failed'`), with the words that name it. */
export interface ValueMention {
  table: string | null;
  column: string;
  value: string;
  start: number;
  end: number;
}

/** A question read for comparison with another: its period, values, numbers, meaning marks and other words. */
export interface ReadQuestion {
  words: Word[];
  date: DateRange | UnresolvedDate | null;
  /** The words of the date phrase, lower-case, joined. */
  datePhrase: string;
  /** Links to the knowledge and the schema that are not slots: `table:customers`, `metric:revenue`, `value:…`. */
  tokens: string[];
  /** The values the caller asked to find (the slots). */
  values: ValueMention[];
  /** Numbers outside the date phrase and the values (digits, or spelled out as "ten"). */
  numbers: Array<{ value: number; word: Word }>;
  /** The meaning marks (negation, grouping, ranking, …), sorted. */
  marks: string[];
  /** The remaining content words. */
  content: Word[];
}

/** What the prompt says that makes two wordings the same: the glossary, the metrics, the tables' names. */
export interface ReadingKnowledge {
  today: string | null;
  glossary: readonly PromptTerm[];
  metrics: readonly PromptMetric[];
  /** Bare table names the prompt lists. */
  tables: readonly string[];
}

/** A glossary value the question names: `slot` says whether the caller takes it as a slot or a fixed link. */
export type ValueFinder = (words: readonly Word[], free: (start: number, end: number) => boolean) => ValueMention[];

/**
 * Reads a question in the order that keeps each word in one role: the date phrase, the glossary's and the
 * metrics' phrases (a glossary value is a slot when `isSlot` says so), the values `findValues` finds,
 * numbers, meaning words, the names of tables and of glossary columns, then the content words left.
 */
export function readQuestion(
  text: string,
  knowledge: ReadingKnowledge,
  findValues: ValueFinder,
  isSlot: (mention: ValueMention) => boolean,
): ReadQuestion {
  const words = wordsOf(text);
  const used = new Set<number>();
  const free = (start: number, end: number) => {
    for (let index = start; index < end; index += 1) if (used.has(index)) return false;
    return true;
  };
  const take = (start: number, end: number) => {
    for (let index = start; index < end; index += 1) used.add(index);
  };
  const date = findDateRange(words, knowledge.today);
  for (const index of date?.wordIndices ?? []) used.add(index);
  // "in 2024", "during March", "for last month": the preposition belongs to the period, whatever it is.
  const before = date ? words[Math.min(...date.wordIndices) - 1] : undefined;
  if (before && ['in', 'on', 'at', 'for', 'during', 'of'].includes(before.lower)) used.add(before.index);
  const datePhrase = (date?.wordIndices ?? []).map((index) => words[index]?.lower ?? '').join(' ');

  const tokens: string[] = [];
  const values: ValueMention[] = [];
  const phrases: Array<{ words: Word[]; link: string | Omit<ValueMention, 'start' | 'end'> }> = [];
  for (const term of knowledge.glossary) {
    const meaning = term.meaning;
    const link =
      meaning.kind === 'value'
        ? { table: bare(meaning.table), column: meaning.column.toLowerCase(), value: meaning.value }
        : meaning.kind === 'table'
          ? `table:${bare(meaning.table)}`
          : meaning.kind === 'column'
            ? `column:${bare(meaning.table)}.${meaning.column.toLowerCase()}`
            : `term:${term.phrases[0].toLowerCase()}`;
    for (const phrase of term.phrases) phrases.push({ words: wordsOf(phrase), link });
  }
  for (const metric of knowledge.metrics)
    for (const phrase of metric.phrases) phrases.push({ words: wordsOf(phrase), link: `metric:${metric.name.toLowerCase()}` });
  for (const phrase of phrases.sort((left, right) => right.words.length - left.words.length)) {
    for (const start of occurrences(words, phrase.words, free)) {
      take(start, start + phrase.words.length);
      if (typeof phrase.link === 'string') tokens.push(phrase.link);
      else {
        const mention = { ...phrase.link, start, end: start + phrase.words.length };
        if (isSlot(mention)) values.push(mention);
        else tokens.push(`value:${mention.table}.${mention.column}=${mention.value.toLowerCase()}`);
      }
    }
  }
  for (const mention of findValues(words, free)) {
    if (!free(mention.start, mention.end)) continue;
    take(mention.start, mention.end);
    values.push(mention);
  }

  const numbers: ReadQuestion['numbers'] = [];
  for (const word of words) {
    const value = numberOf(word);
    if (value === null || word.lower === 'one' || used.has(word.index)) continue;
    numbers.push({ value, word });
    used.add(word.index);
  }
  const { marks, indices } = meaningMarks(words, used);
  for (const index of indices) used.add(index);

  // A table's own name and a glossary column's name are the same link as the glossary's words for them.
  const names: Array<{ words: Word[]; link: string }> = knowledge.tables.map((table) => ({
    words: wordsOf(table),
    link: `table:${bare(table)}`,
  }));
  for (const term of knowledge.glossary)
    if (term.meaning.kind === 'column')
      names.push({ words: wordsOf(term.meaning.column), link: `column:${bare(term.meaning.table)}.${term.meaning.column.toLowerCase()}` });
  for (const name of names.sort((left, right) => right.words.length - left.words.length)) {
    for (const start of occurrences(words, name.words, free)) {
      take(start, start + name.words.length);
      tokens.push(name.link);
    }
  }
  const content = words.filter((word) => !used.has(word.index) && !isFunctionWord(word));
  return {
    words,
    date,
    datePhrase,
    tokens: tokens.sort(),
    values: values.sort((left, right) => left.start - right.start),
    numbers,
    marks,
    content,
  };
}

/** Where a phrase's words stand in order among free words (each the same word, accents aside), left to right, not overlapping. */
export function occurrences(words: readonly Word[], phrase: readonly Word[], free: (start: number, end: number) => boolean): number[] {
  const starts: number[] = [];
  if (phrase.length === 0) return starts;
  for (let start = 0; start + phrase.length <= words.length; start += 1) {
    if (!free(start, start + phrase.length)) continue;
    if (
      phrase.every((word, offset) => sameWord(words[start + offset], word) || folded(words[start + offset].lower) === folded(word.lower))
    ) {
      starts.push(start);
      start += phrase.length - 1;
    }
  }
  return starts;
}

/** A word without its accents (`são` → `sao`), so a value written without them still matches. */
function folded(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '');
}

/** The bare, lower-case name of a table (`public.orders` → `orders`). */
export function bare(table: string): string {
  return table.split('.').pop()!.toLowerCase();
}
