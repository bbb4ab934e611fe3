import { wordsOf, type Word } from './question-words.ts';
import { closeSpelling } from './schema-linker.ts';

/**
 * Words the reading of a question's shape rests on (what is asked, how it is ranked, compared or measured). A word
 * one typo from one of them ("averge", "numbr") is read as it: the schema's words have typo matching of their own.
 * None of five letters or fewer, nor one a column could be named after at one letter's distance ("count" and
 * "county", "distinct" and "district").
 */
const shapeVocabulary = [
  'average',
  'number',
  'maximum',
  'minimum',
  'highest',
  'lowest',
  'largest',
  'smallest',
  'biggest',
  'cheapest',
  'expensive',
  'percentage',
  'proportion',
  'between',
  'different',
  'without',
];

/** The question's words, each a word of the shape vocabulary when it is one typo from it and no word of its own. */
export function withShapeSpelling(words: readonly Word[]): Word[] {
  return words.map((word) => {
    if (word.isNumber || word.lower.length < 5 || shapeVocabulary.includes(word.lower)) return word;
    const meant = shapeVocabulary.find((candidate) => closeSpelling(word.lower, candidate));
    if (!meant) return word;
    const [corrected] = wordsOf(meant);
    return { ...corrected, index: word.index, isMoney: word.isMoney };
  });
}
