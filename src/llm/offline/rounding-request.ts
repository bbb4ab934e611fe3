import { numberOf, type Word } from './question-words.ts';

/** A question's request to round its figures: to how many decimals, and the words that ask it. */
export interface RoundingRequest {
  digits: number;
  /** The words of the request ("rounded to 2 decimals"), which nothing else reads. */
  wordIndices: number[];
}

const decimalWords = new Set(['decimal', 'decimals', 'dp']);
const placeWords = new Set(['place', 'places', 'digit', 'digits']);
const leadWords = new Set(['rounded', 'round', 'rounding', 'to', 'with', 'in', 'at', 'using']);

/**
 * Reads a request to round: "rounded to 2 decimals", "to two decimal places", "Two decimals.", "round to 1 dp",
 * "rounded to cents" or "to the nearest cent" (2), "to the nearest whole number" or "integer" (0). The words
 * leading to it ("rounded to", "to", "with") are part of it. A bare "rounded" says no number of decimals and is
 * not read. Null when the question asks no rounding.
 */
export function readRoundingRequest(words: readonly Word[]): RoundingRequest | null {
  const lower = words.map((word) => word.lower);
  for (let index = 0; index < words.length; index += 1) {
    let digits: number | null = null;
    let first = index;
    let end = index;
    if (decimalWords.has(lower[index]) && index > 0) {
      // "2 decimals", "two decimal places"
      digits = numberOf(words[index - 1]);
      end = placeWords.has(lower[index + 1] ?? '') ? index + 1 : index;
      first = index - 1;
    } else if (lower[index] === 'cents' || (lower[index] === 'cent' && lower[index - 1] === 'nearest')) {
      digits = 2;
    } else if (lower[index] === 'integer' || (lower[index] === 'number' && lower[index - 1] === 'whole')) {
      if (lower[index - 1] !== 'nearest' && lower[index - 2] !== 'nearest') continue;
      digits = 0;
    } else continue;
    if (digits === null || digits < 0 || digits > 6 || !Number.isInteger(digits)) continue;
    let start = first;
    // "to the nearest whole number", "to the nearest cent"
    while (start > 0 && ['the', 'nearest', 'whole'].includes(lower[start - 1])) start -= 1;
    while (start > 0 && leadWords.has(lower[start - 1])) start -= 1;
    // "rounded to cents" needs the rounding words: "in cents" alone is a unit, not a rounding.
    if (lower[index] === 'cents' && !lower.slice(start, index).some((word) => word.startsWith('round'))) continue;
    const wordIndices: number[] = [];
    for (let position = start; position <= end; position += 1) wordIndices.push(position);
    return { digits, wordIndices };
  }
  return null;
}
