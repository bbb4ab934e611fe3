/** Quotation marks of any script; they are dropped without leaving a gap ("customer's" → "customers"). */
const quotePattern = /[\p{Pi}\p{Pf}'"`´‚„「」『』]/gu;
/** Hyphens and dashes of any kind, folded to `-` before deciding whether to keep them. */
const dashPattern = /\p{Pd}/gu;
const wordCharacterPattern = /[\p{L}\p{N}\p{M}]/u;
const digitPattern = /\p{Nd}/u;
/** Kept as they are: letters, digits, combining marks, symbols (`$`, `€`, `<`, `=`, `+`) and `%`. */
const keptPattern = /[\p{L}\p{N}\p{M}\p{S}%]/u;

/**
 * Canonical form of a question for the cache key, so trivially different spellings share an entry while
 * anything that can change a value in the SQL does not:
 *
 * - Unicode NFKC and locale-independent lower case;
 * - quotation marks dropped;
 * - `.` kept between digits (`1.5`) and before a digit that starts a number (`.5`);
 * - `-` (any dash) kept between word characters (`e-mail`, `2024-01-05`) and as a sign before a digit (`-5`);
 * - letters, digits, symbols (currency, `<`, `>`, `=`, `+`) and `%` kept;
 * - every other punctuation mark becomes a space, and whitespace runs collapse to one space, trimmed.
 *
 * "How many  Orders?" and "how many orders" normalize alike; "orders > 100" and "orders < 100" do not.
 */
export function normalizeQuestion(question: string): string {
  const characters = Array.from(
    question.normalize('NFKC').toLowerCase().normalize('NFKC').replace(quotePattern, '').replace(dashPattern, '-'),
  );
  let result = '';
  for (let index = 0; index < characters.length; index++) {
    const character = characters[index];
    const previous = characters[index - 1] ?? '';
    const next = characters[index + 1] ?? '';
    if (keptPattern.test(character)) {
      result += character;
    } else if (character === '.' && digitPattern.test(next) && (digitPattern.test(previous) || !wordCharacterPattern.test(previous))) {
      result += character;
    } else if (character === '-' && wordCharacterPattern.test(next) && wordCharacterPattern.test(previous)) {
      result += character;
    } else if (character === '-' && digitPattern.test(next) && !wordCharacterPattern.test(previous)) {
      result += character;
    } else {
      result += ' ';
    }
  }
  return result.replace(/\s+/gu, ' ').trim();
}
