// In a `u` pattern a surrogate pair is one code point, so `\p{Cs}` matches only a surrogate standing alone.
const loneSurrogate = /\p{Cs}/u;
const loneSurrogates = /\p{Cs}/gu;

/** Whether `text` is well-formed UTF-16 (no lone surrogate): what JSON in Postgres and UTF-8 can hold. */
export function isWellFormed(text: string): boolean {
  return !loneSurrogate.test(text);
}

/** `text` with every lone surrogate replaced by U+FFFD, the replacement character. */
export function toWellFormed(text: string): string {
  return loneSurrogate.test(text) ? text.replace(loneSurrogates, '\uFFFD') : text;
}
