/**
 * Plurals that the suffix rules below would get wrong, mapped to their singular. Kept short on purpose:
 * the common ones in database vocabularies (Greek `-is` plurals, `-uses` plurals, a few irregulars).
 */
const irregularPlurals: ReadonlyMap<string, string> = new Map([
  ['analyses', 'analysis'],
  ['diagnoses', 'diagnosis'],
  ['prognoses', 'prognosis'],
  ['hypotheses', 'hypothesis'],
  ['syntheses', 'synthesis'],
  ['theses', 'thesis'],
  ['crises', 'crisis'],
  ['parentheses', 'parenthesis'],
  ['statuses', 'status'],
  ['campuses', 'campus'],
  ['bonuses', 'bonus'],
  ['viruses', 'virus'],
  ['aliases', 'alias'],
  ['biases', 'bias'],
  ['indices', 'index'],
  ['matrices', 'matrix'],
  ['vertices', 'vertex'],
  ['criteria', 'criterion'],
  ['people', 'person'],
  ['children', 'child'],
  ['men', 'man'],
  ['women', 'woman'],
  ['feet', 'foot'],
  ['teeth', 'tooth'],
  ['mice', 'mouse'],
]);

/** Words ending in `s` (or `ies`) that are singular, or whose plural is the same word. */
const invariantWords: ReadonlySet<string> = new Set([
  'news',
  'series',
  'species',
  'alias',
  'bias',
  'canvas',
  'atlas',
  'always',
  'perhaps',
  'whereas',
  'sometimes',
  'nowadays',
]);

/**
 * A light English stemmer that only folds plurals onto their singular, so `customers` and `customer`
 * become the same term while words keep a readable form: `categories` → `category`, `addresses` →
 * `address`, `boxes` → `box`, `matches` → `match`, `orders` → `order`. Singular words ending in `-ss`,
 * `-us` or `-is` (`address`, `status`, `analysis`) are left alone, as are words of three letters or fewer
 * and anything that is not purely alphabetic. Expects a lower-case word.
 */
export function stem(word: string): string {
  const irregular = irregularPlurals.get(word);
  if (irregular !== undefined) return irregular;
  if (word.length <= 3 || !/^\p{L}+$/u.test(word) || invariantWords.has(word)) return word;
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('ies') && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses') || word.endsWith('xes') || word.endsWith('zzes') || word.endsWith('ches') || word.endsWith('shes'))
    return word.slice(0, -2);
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}
