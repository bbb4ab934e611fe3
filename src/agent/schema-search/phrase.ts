import { splitWords, stem, tokenize } from '../../text/index.ts';

/**
 * A whole name or sample value as one search term, so a query matches it as a whole ("United States" in
 * "orders from the united states", `last_name` in "last name of patients") and not only word by word.
 */
export interface Phrase {
  /** The index term standing for the phrase: a marker character and the phrase's terms joined by spaces. */
  term: string;
  /** The phrase's normalized words, matched as a contiguous run of the query's words. */
  sequence: string[];
  /**
   * True when the phrase consists of stop words only (`no_show`), so its sequence keeps them and is matched
   * against the query's words with stop words kept.
   */
  keepsStopWords: boolean;
}

/** The marker of whole-name terms (`#customer`). */
export const wholeNameMarker = '#';
/** The marker of whole-sample-value terms (`=united state`). */
export const wholeValueMarker = '=';

/** The words of a query in the two forms phrases are matched against. */
export interface QueryWords {
  /** Search terms: stop words dropped, plurals folded (see `tokenize`). */
  terms: string[];
  /** Every word, plurals folded, stop words kept. */
  allWords: string[];
}

/** Normalizes a query once for phrase matching. */
export function queryWordsOf(query: string): QueryWords {
  return { terms: tokenize(query), allWords: splitWords(query).map(stem) };
}

/** The phrase term of a text, marked with `marker`; null when the text has no letters or digits. */
export function phraseOf(text: string, marker: string): Phrase | null {
  const terms = tokenize(text);
  if (terms.length > 0) return { term: `${marker}${terms.join(' ')}`, sequence: terms, keepsStopWords: false };
  const words = splitWords(text).map(stem);
  if (words.length > 0) return { term: `${marker}${words.join(' ')}`, sequence: words, keepsStopWords: true };
  return null;
}

/** Whether the query contains the phrase as a contiguous run of words (case-insensitive, plurals folded). */
export function queryContainsPhrase(query: QueryWords, phrase: Phrase): boolean {
  const words = phrase.keepsStopWords ? query.allWords : query.terms;
  const length = phrase.sequence.length;
  for (let start = 0; start + length <= words.length; start += 1) {
    if (phrase.sequence.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
}
