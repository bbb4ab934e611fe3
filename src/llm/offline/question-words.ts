import { isStopWord, stem } from '../../text/index.ts';

/** One word of a question (or of a name, comment or value), with the forms the parser compares. */
export interface Word {
  /** The word as written. */
  text: string;
  /** Lower-case. */
  lower: string;
  /** Lower-case, plural folded to the singular (`customers` → `customer`). */
  stem: string;
  /** The stem with a verb ending removed (`priced` → `price`, `hired` → `hire`), for looser matches. */
  root: string;
  /** Position in the word list. */
  index: number;
  /** Whether the word is a number (digits, optionally with a decimal part). */
  isNumber: boolean;
  /** Whether a `$` was written right before the word. */
  isMoney: boolean;
  /** Whether a `%` (or the word "percent") follows the number. */
  isPercent?: boolean;
  /** Written in capitals in a question that is not ("the US", "the UK"): a name, never a function word. */
  isAcronym?: boolean;
}

/** Words spelled out that the parser reads as numbers. */
const numberWords: Readonly<Record<string, number>> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fifteen: 15,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  hundred: 100,
  dozen: 12,
  once: 1,
  twice: 2,
};

/**
 * Splits text into words on anything that is not a letter, a digit or a decimal point inside a number;
 * underscores and hyphens split too, so `no_show` and `no-shows` both give `no`, `show`. Thousands
 * separators in numbers (`1,000`) are removed first.
 */
export function wordsOf(text: string): Word[] {
  let cleaned = text;
  for (let previous = ''; previous !== cleaned;) {
    previous = cleaned;
    cleaned = cleaned.replace(/(\d),(\d{3})\b/g, '$1$2');
  }
  // Contractions, with or without the apostrophe: "didn't", "doesnt" read as a negation, "whats" as "what is".
  cleaned = cleaned
    .replace(/\b(do|does|did|is|are|was|were|have|has|had|could|would|should)n['’]?t\b/gi, '$1 not')
    .replace(/\bcan['’]t\b/gi, 'can not')
    .replace(/\bwon['’]t\b/gi, 'will not')
    .replace(/\b(what|how|who|where|which|that)['’]?s\b/gi, '$1 is')
    // "300k", "$1.5k": thousands.
    .replace(/\b(\d+(?:\.\d+)?)k\b/gi, (_, number: string) => String(Math.round(Number(number) * 1000)))
    // "under a dollar", "an hour or more": one of a unit, compared.
    .replace(/\b(over|under|than|least|most|above|below|exceeding)\s+an?\s+(dollar|buck|hour|minute|day|week)\b/gi, '$1 1 $2')
    .replace(/\ban?\s+(dollar|buck|hour|minute|day|week)\s+or\s+(more|longer|less|shorter)\b/gi, '1 $1 or $2')
    // "the full name of …": a person's full name is the name the plan lists (first and last where there are both).
    .replace(/\bfull\s+(names?)\b/gi, '$1')
    // A title before a name: "Dr. Rachel Clark" is a doctor of that name; "Mrs Hughes" is just the name.
    .replace(/\bDr\.?\s+(?=\p{Lu}\p{Ll})/gu, 'doctor ')
    .replace(/\b(?:Mr|Mrs|Ms|Prof)\.?\s+(?=\p{Lu}\p{Ll})/gu, '')
    // Chat shorthand: "how many orders r pending", "can u list", "# of custs", "no. of orders", "ppl".
    .replace(/#\s*of\b/gi, 'number of')
    .replace(/\bno\.\s*of\b/gi, 'number of')
    // Business shorthand: "ytd" (year to date) is this year so far, "mtd" and "qtd" this month and quarter so far.
    .replace(/\b(?:ytd|year[\s-]+to[\s-]+date)\b/gi, 'this year')
    .replace(/\b(?:mtd|month[\s-]+to[\s-]+date)\b/gi, 'this month')
    .replace(/\b(?:qtd|quarter[\s-]+to[\s-]+date)\b/gi, 'this quarter')
    .replace(/\bqty\b/gi, 'quantity')
    .replace(/\bamt\b/gi, 'amount')
    .replace(/\bppl\b/g, 'people')
    .replace(/\bcusts\b/g, 'customers')
    .replace(/(^|\s)r(?=\s)/g, '$1are')
    .replace(/(^|\s)u(?=\s)/g, '$1you');
  const words: Word[] = [];
  const shouted = !/\p{Ll}/u.test(cleaned.replace(/\b\p{Lu}{2,}\b/gu, ''));
  // An ordinal in digits ("4th", "21st") is one word, not a number and a suffix.
  const pattern = /(\$?)(\d+(?:st|nd|rd|th)\b|\d+(?:\.\d+)?|[\p{L}\p{N}]+)(%?)/gu;
  for (const match of cleaned.matchAll(pattern)) {
    const written = match[2];
    const lower = written.toLowerCase();
    const isNumber = /^\d+(?:\.\d+)?$/.test(lower);
    const folded = isNumber ? lower : stem(lower);
    const word: Word = {
      text: written,
      lower,
      stem: folded,
      root: rootOf(folded),
      index: words.length,
      isNumber,
      isMoney: match[1] === '$',
    };
    if (isNumber && match[3] === '%') word.isPercent = true;
    if (!shouted && written.length >= 2 && /^\p{Lu}+$/u.test(written)) word.isAcronym = true;
    if (['percent', 'pct'].includes(lower) && words.at(-1)?.isNumber) words.at(-1)!.isPercent = true;
    words.push(word);
  }
  return words;
}

/** The number a word stands for (`5`, `five`), or null. */
export function numberOf(word: Word | undefined): number | null {
  if (!word) return null;
  if (word.isNumber) return Number(word.lower);
  return numberWords[word.lower] ?? null;
}

/** Strips a verb ending: `priced` → `price`, `hired` → `hire`, `shipped` → `ship`, `ordering` → `order`. */
export function rootOf(word: string): string {
  // "bought", "buys": the irregular verb of purchasing, whose rows a table of purchases or orders holds.
  if (/^(?:buy|buys|buying|bought)$/.test(word)) return 'purchase';
  if (word.length <= 4) return word;
  if (word.endsWith('ied')) return `${word.slice(0, -3)}y`;
  if (/([bdgmnprt])\1ed$/.test(word)) return word.slice(0, -3);
  if (word.endsWith('ed'))
    return /[^aeiou][aeiou][cstvz]ed$/.test(word) || /(?:ic|ir|ur|at|iz|us)ed$/.test(word) ? word.slice(0, -1) : word.slice(0, -2);
  if (/([bdgmnprt])\1ing$/.test(word)) return word.slice(0, -4);
  if (word.endsWith('ing') && word.length > 5) return word.slice(0, -3);
  return word;
}

/**
 * Whether two words match: equal stems or equal roots, or one the plural of the other by a bare "s" that the stemmer
 * keeps ("SKUs" for `sku`, as it keeps "status").
 */
export function sameWord(left: Word, right: Word): boolean {
  return (
    left.stem === right.stem ||
    (left.root === right.root && left.root.length >= 4) ||
    (left.lower.length >= 4 && left.lower === `${right.lower}s`) ||
    (right.lower.length >= 4 && right.lower === `${left.lower}s`)
  );
}

/** Whether a word carries no content (function words and request fillers). */
export function isFunctionWord(word: Word): boolean {
  return !word.isAcronym && isStopWord(word.lower);
}

/** Words that end a comparison written after its number: "10 or more", "5 or fewer", "65 and over". */
const trailingComparisonWords = new Set(['more', 'fewer', 'less', 'greater', 'higher', 'above', 'over', 'up', 'under', 'below']);

/**
 * The index just after a compared number at `index`, past a comparison written after it: "10 or more orders" gives
 * the index of "orders", as "more than 10 orders" does.
 */
export function afterComparedNumber(words: readonly Word[], index: number): number {
  const after = index + 1;
  const trailing = ['or', 'and'].includes(words[after]?.lower ?? '') && trailingComparisonWords.has(words[after + 1]?.lower ?? '');
  return trailing ? after + 2 : after;
}
