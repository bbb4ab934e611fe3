import { isFunctionWord, type Word } from './question-words.ts';

/**
 * Words that carry no condition in a data question, beyond the stop words: request and counting words,
 * light verbs ("placed", "recorded", "made"), and verbs of location and belonging ("live in", "work in",
 * "belong to") whose meaning the linked table, column or value already holds.
 */
const neutralWords = new Set([
  'number',
  'count',
  'counts',
  'total',
  'amount',
  'exist',
  'exists',
  'existing',
  'currently',
  'ever',
  'overall',
  'altogether',
  'together',
  'record',
  'records',
  'recorded',
  'registered',
  'row',
  'rows',
  'entry',
  'entries',
  'data',
  'database',
  'placed',
  'place',
  'made',
  'make',
  'received',
  'receive',
  'got',
  'live',
  'lives',
  'living',
  'lived',
  'located',
  'based',
  'reside',
  'resides',
  'work',
  'works',
  'working',
  'worked',
  'belong',
  'belongs',
  'belonging',
  'distinct',
  'different',
  'unique',
  'individual',
  'separate',
  'every',
  'altogether',
  'name',
  'names',
  'named',
  'value',
  'values',
  'kind',
  'kinds',
  'time',
  'times',
  'it',
  'them',
  'one',
  'ones',
  'use',
  'used',
  'uses',
  'using',
  // Verbs of containing and bringing: the join along the foreign key is what they say.
  'contain',
  'contains',
  'anything',
  'something',
  'anyone',
  'anybody',
  'part',
  'gave',
  'give',
  'given',
  'gives',
  'hold',
  'holds',
  'held',
  'holding',
  'contained',
  'containing',
  'appear',
  'appears',
  'appeared',
  'appearing',
  'include',
  'includes',
  'included',
  'including',
  'bring',
  'brings',
  'brought',
  'generate',
  'generates',
  'generated',
  // "Which specialties are represented among …": the values there are.
  'represented',
  'present',
  // Verbs of happening: "orders that occurred in 2024", "visits that happened last week".
  'happen',
  'happens',
  'happened',
  'occur',
  'occurs',
  'occurred',
  // Time fillers and politeness: "yet", "still pending", "so far", "right now", "gimme", "thanks".
  'yet',
  'still',
  'already',
  'far',
  'now',
  'gimme',
  'lemme',
  'pls',
  'plz',
  'thanks',
  'thank',
  'hey',
  'hi',
  'hello',
  'quick',
  'quickly',
  'actually',
  // Light verbs of recording, like "made" and "placed": "prescriptions written last month".
  'written',
  'wrote',
  'issued',
  'logged',
  'collected',
  'earned',
  // Requests that only say how to present the figures: "compare …", "calculate …", "among …", "how are … distributed".
  'compare',
  'calculate',
  'compute',
  'determine',
  'among',
  'amongst',
  'distributed',
  'distribution',
  'breakdown',
  'along',
  'according',
  // Requests as the public benchmarks phrase them: "Indicate its SKU", "Provide the name", "Mention the date".
  'indicate',
  'provide',
  'mention',
  'specify',
  'identify',
  'retrieve',
  'respectively',
]);

/**
 * Coverage before confidence: the words of the question that nothing in the plan accounts for. A word is
 * placed when it is a function word, a neutral word, part of the question's structure (what is asked,
 * comparisons, dates, numbers read as such), or inside a link to the schema or the knowledge that the
 * plan uses. What is left is a part of the question the SQL would silently ignore.
 */
export function unplacedWords(words: readonly Word[], placed: ReadonlySet<number>): Word[] {
  return words.filter(
    (word) => !placed.has(word.index) && !isFunctionWord(word) && !neutralWords.has(word.lower) && !neutralWhereItStands(word, words),
  );
}

/**
 * Words neutral only where they stand: "well" after "as" ("Indicate its SKU as well"), "single" in "for a single" ("for a
 * single appointment"; not "placed a single order", which counts), and "State" as the request
 * that opens a question ("State the ICD-10 code of …"; elsewhere it may be a place).
 */
function neutralWhereItStands(word: Word, words: readonly Word[]): boolean {
  if (word.lower === 'well') return words[word.index - 1]?.lower === 'as';
  // "the highest fee billed for a single appointment": one row, as any row of the table is.
  if (word.lower === 'single')
    return words[word.index - 1]?.lower === 'a' && ['for', 'per', 'in', 'on', 'of'].includes(words[word.index - 2]?.lower ?? '');
  // "appointments that took place on …": happened, as every row did.
  if (['took', 'take', 'takes', 'taking', 'taken'].includes(word.lower)) return words[word.index + 1]?.lower === 'place';
  // "customers who come from Germany": where they live; "patients who came in last week" is a visit, which it is not.
  if (['come', 'comes', 'came', 'coming'].includes(word.lower)) return words[word.index + 1]?.lower === 'from';
  return word.lower === 'state' && word.index === 0 && word.text === 'State';
}
