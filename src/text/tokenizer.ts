import { stem } from './stemmer.ts';
import { isStopWord } from './stop-words.ts';

/**
 * Splits text into lower-case words: on anything that is not a letter or a digit (so `snake_case`,
 * `kebab-case` and `dotted.names` split), at camelCase and PascalCase boundaries (`orderDate` → `order`,
 * `date`; `HTTPServer` → `http`, `server`; `userIDs` → `user`, `ids`), and between letters and digits
 * (`icd10` → `icd`, `10`). Possessive `'s` and the abbreviations `e.g.` and `i.e.` are dropped. No stop
 * words are removed and nothing is stemmed.
 */
export function splitWords(text: string): string[] {
  const spaced = text
    .replace(/\b(?:e\.g|i\.e)\./giu, ' ')
    .replace(/['’]s\b/gu, '')
    .replace(/(\p{Ll})(\p{Lu})/gu, '$1 $2')
    // An acronym before a capitalized word (`HTTPServer`), but not a plural acronym (`IDs`, `URLs`).
    .replace(/(\p{Lu})(\p{Lu}\p{Ll}{2,})/gu, '$1 $2')
    .replace(/(\p{L})(\p{N})/gu, '$1 $2')
    .replace(/(\p{N})(\p{L})/gu, '$1 $2');
  return spaced
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 0);
}

/**
 * The search terms of a text: its words (see `splitWords`) without stop words, each folded to its
 * singular by `stem`. Order and repetitions are kept, so term frequencies and phrases can be computed.
 */
export function tokenize(text: string): string[] {
  return splitWords(text)
    .filter((word) => !isStopWord(word))
    .map(stem);
}
