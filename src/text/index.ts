/**
 * Text rules shared by the schema search and the offline model: splitting names and prose into words,
 * stemming, stop words and edit distance. A leaf: it imports nothing of the service.
 */
export { splitWords, tokenize } from './tokenizer.ts';
export { stem } from './stemmer.ts';
export { isStopWord, stopWords } from './stop-words.ts';
export { editDistance } from './edit-distance.ts';
