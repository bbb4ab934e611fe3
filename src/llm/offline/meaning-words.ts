import type { Word } from './question-words.ts';

/**
 * Words that change what a question means although most of them are stop words or look like fillers:
 * negation, grouping, ranking and its direction, the aggregate asked for, comparisons, distinctness,
 * shares, and the prepositions that bound a period. Each maps to a mark; two questions that differ in
 * their marks ask different things, whatever their other words share.
 */
const markOfWord: Readonly<Record<string, string>> = {
  not: 'negation',
  never: 'negation',
  no: 'negation',
  without: 'negation',
  none: 'negation',
  nobody: 'negation',
  nothing: 'negation',
  except: 'negation',
  excluding: 'negation',
  each: 'group',
  per: 'group',
  by: 'group',
  every: 'group',
  top: 'high',
  most: 'high',
  highest: 'high',
  best: 'high',
  largest: 'high',
  biggest: 'high',
  greatest: 'high',
  max: 'high',
  maximum: 'high',
  least: 'low',
  lowest: 'low',
  fewest: 'low',
  smallest: 'low',
  worst: 'low',
  bottom: 'low',
  min: 'low',
  minimum: 'low',
  first: 'earliest',
  earliest: 'earliest',
  last: 'latest',
  latest: 'latest',
  newest: 'latest',
  recent: 'latest',
  oldest: 'oldest',
  youngest: 'youngest',
  next: 'next',
  previous: 'previous',
  average: 'average',
  mean: 'average',
  avg: 'average',
  median: 'median',
  total: 'sum',
  sum: 'sum',
  overall: 'sum',
  count: 'count',
  number: 'count',
  more: 'greater',
  greater: 'greater',
  above: 'greater',
  over: 'greater',
  exceeding: 'greater',
  exceed: 'greater',
  exceeds: 'greater',
  exceeded: 'greater',
  higher: 'greater',
  less: 'lesser',
  fewer: 'lesser',
  below: 'lesser',
  under: 'lesser',
  lower: 'lesser',
  distinct: 'distinct',
  unique: 'distinct',
  different: 'distinct',
  percent: 'percent',
  percentage: 'percent',
  share: 'percent',
  proportion: 'percent',
  fraction: 'percent',
  ratio: 'ratio',
  rate: 'ratio',
  only: 'only',
  same: 'same',
  other: 'other',
  another: 'other',
  both: 'both',
  either: 'or',
  or: 'or',
  before: 'before',
  after: 'after',
  since: 'since',
  until: 'until',
  through: 'until',
  between: 'between',
  during: 'during',
  out: 'out',
  off: 'off',
  once: 'once',
  twice: 'twice',
  again: 'again',
  ascending: 'ascending',
  descending: 'descending',
};

/** Two-word phrases whose mark is not that of their words ("at least" is a bound, not a ranking). */
const markOfPair: Readonly<Record<string, string>> = {
  'at least': 'atLeast',
  'at most': 'atMost',
  'no more': 'atMost',
  'not more': 'atMost',
  'up to': 'atMost',
  'no less': 'atLeast',
  'not less': 'atLeast',
  'no fewer': 'atLeast',
  'how many': 'count',
  'how much': 'amount',
};

/** The marks of a question's meaning words, sorted (one entry per occurrence), skipping the given word indices. */
export function meaningMarks(words: readonly Word[], skip: ReadonlySet<number> = new Set()): { marks: string[]; indices: Set<number> } {
  const marks: string[] = [];
  const indices = new Set<number>();
  for (let index = 0; index < words.length; index += 1) {
    if (skip.has(index)) continue;
    const pair =
      index + 1 < words.length && !skip.has(index + 1) ? markOfPair[`${words[index].lower} ${words[index + 1].lower}`] : undefined;
    if (pair) {
      marks.push(pair);
      indices.add(index).add(index + 1);
      index += 1;
      continue;
    }
    const mark = markOfWord[words[index].lower];
    if (mark) {
      marks.push(mark);
      indices.add(index);
    }
  }
  return { marks: marks.sort(), indices };
}

/** Prepositions that say which relation a value is read through ("shipped to France" is not "from France"). */
const relationWords = new Set(['from', 'to', 'in', 'on', 'at', 'with', 'for', 'into', 'onto', 'via', 'within', 'by', 'of', 'near']);
const determiners = new Set(['the', 'a', 'an', 'this', 'that', 'these', 'those']);

/** The preposition right before a word (determiners skipped), or null when none stands there. */
export function relationBefore(words: readonly Word[], index: number): string | null {
  let at = index - 1;
  while (at >= 0 && determiners.has(words[at].lower)) at -= 1;
  return at >= 0 && relationWords.has(words[at].lower) ? words[at].lower : null;
}

/** Whether a word is a meaning word (alone). */
export function isMeaningWord(word: Word): boolean {
  return markOfWord[word.lower] !== undefined;
}

/**
 * What a question asks for, by its request words: a count, a share, an amount ("how much"), a time
 * ("when"), a place ("where"), a reason ("why"), or rows and values.
 */
export function askedFor(question: string): 'count' | 'share' | 'amount' | 'when' | 'where' | 'why' | 'rows' {
  if (/\b(how many|number of|count)\b/i.test(question)) return 'count';
  if (/\b(percent|percentage|share|proportion|fraction)\b|%/i.test(question)) return 'share';
  if (/\bhow much\b/i.test(question)) return 'amount';
  if (/\bwhen\b/i.test(question)) return 'when';
  if (/\bwhere\b/i.test(question)) return 'where';
  if (/\bwhy\b/i.test(question)) return 'why';
  return 'rows';
}
