/**
 * Text rules shared by the schema search, the offline model, prompts and token estimates: splitting names
 * and prose into words, stemming, stop words, edit distance and token counts. A leaf: it imports nothing of
 * the service.
 */
export { splitWords, tokenize } from './tokenizer.ts';
export { stem } from './stemmer.ts';
export { isStopWord, stopWords } from './stop-words.ts';
export { editDistance } from './edit-distance.ts';
export { countTokens, estimateTokens, exactTokenChars, preloadTokenizer } from './token-count.ts';
export { isWellFormed, toWellFormed } from './unicode.ts';
