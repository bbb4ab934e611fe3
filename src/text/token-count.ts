import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { countWithTable, readTokenTable, tokenTableFromPackage, type TokenTable } from './token-table.ts';

let table: TokenTable | null = null;

/**
 * Where `scripts/build.mjs` writes the vocabulary at install: `dist/o200k-base.tokens` under the package
 * root, which is two folders up from this module in src/text and three in dist/src/text.
 */
export function tokenTableFile(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const up = path.basename(path.resolve(here, '../..')) === 'dist' ? '../../..' : '../..';
  return path.join(path.resolve(here, up), 'dist', 'o200k-base.tokens');
}

/**
 * Loads the vocabulary unless it is loaded: the file written at install (a few milliseconds), or, without
 * it, the package's own (a few hundred).
 */
function loadTable(): TokenTable {
  table ??= readTokenTable(tokenTableFile()) ?? tokenTableFromPackage();
  return table;
}

/** Longest run of whitespace, or of anything else, handed to the tokenizer in one piece. */
const maxRun = 128;
/** Text is counted in chunks of about this many characters. */
const chunkChars = 4096;
const runPattern = new RegExp(`\\s{1,${maxRun}}|\\S{1,${maxRun}}`, 'g');
const cleanEnd = /[\p{L}\p{N}]$/u;

/**
 * Tokens of `text` by the o200k encoding current OpenAI models use. The tokenizer loads on first use, so
 * importing this costs nothing; `preloadTokenizer` loads it ahead of time, while the process waits anyway.
 *
 * Byte-pair encoding takes time quadratic in the length of one word (90,000 letters without a space held
 * the event loop for 5 s), so a run of more than 128 characters of whitespace or of non-whitespace is
 * counted in pieces of 128: linear time, at most one token more or less per cut. Ordinary text counts
 * exactly: it is cut into chunks only before whitespace that follows a letter or digit, where the
 * encoding's pre-tokenizer always starts a new token (after punctuation it may not: "),\n" is one token).
 */
export function countTokens(text: string): number {
  const loaded = loadTable();
  const count = (chunk: string) => countWithTable(loaded, chunk);
  if (text.length <= maxRun) return count(text);
  let total = 0;
  let chunk = '';
  let previous = '';
  for (const [piece] of text.matchAll(runPattern)) {
    const space = /^\s/.test(piece);
    const continuesRun = previous.length === maxRun && space === /^\s/.test(previous);
    const clean = space && cleanEnd.test(previous) && chunk.length + piece.length > chunkChars;
    if (chunk && (continuesRun || clean || chunk.length > 4 * chunkChars)) {
      total += count(chunk);
      chunk = '';
    }
    chunk += piece;
    previous = piece;
  }
  return chunk ? total + count(chunk) : total;
}

/** Characters counted exactly by `estimateTokens`; the rest is estimated from them. */
export const exactTokenChars = 16_384;

/**
 * Tokens of `text`, counted exactly up to `exactTokenChars` characters (about 4,000 tokens), and beyond
 * that estimated at the rate of the first `exactTokenChars`: usage figures for a request whose text can be
 * as long as the body limit, in bounded time (counting 100 kB exactly takes tens of milliseconds of one
 * event-loop turn). `exact` says which.
 */
export function estimateTokens(text: string): { tokens: number; exact: boolean } {
  if (text.length < rememberedFrom) return countFresh(text);
  // By a digest, not the text: the cache holds no conversation (nor a string that keeps a larger one alive).
  const key = `${text.length}:${createHash('sha1').update(text).digest('base64')}`;
  const known = remembered.get(key);
  if (known) {
    // Most recently used last: the oldest goes first.
    remembered.delete(key);
    remembered.set(key, known);
    return known;
  }
  const counted = countFresh(text);
  remembered.set(key, counted);
  if (remembered.size > rememberedLimit) remembered.delete(remembered.keys().next().value!);
  return counted;
}

function countFresh(text: string): { tokens: number; exact: boolean } {
  if (text.length <= exactTokenChars) return { tokens: countTokens(text), exact: true };
  const sample = text.slice(0, exactTokenChars);
  return { tokens: Math.round((countTokens(sample) * text.length) / sample.length), exact: false };
}

/**
 * Counts of recent long texts, by digest. A conversation is counted again on each model call (the offline
 * model reports its usage, and a server that reports none is estimated), and each call re-sends the system
 * prompt, the tool definitions and every earlier message: without this, counting was a fifth of the
 * offline model's CPU and grew with the square of the turns. Texts under `rememberedFrom` characters are
 * cheaper to count than to hash; at most `rememberedLimit` counts are kept (about 100 bytes each).
 */
const remembered = new Map<string, { tokens: number; exact: boolean }>();
const rememberedFrom = 256;
const rememberedLimit = 4096;

/** How many counts the cache holds now (for tests of its bound). */
export function tokenCountCacheSize(): number {
  return remembered.size;
}

/** Loads the tokenizer on the next turn of the event loop (for example while a database opens). */
export function preloadTokenizer(): void {
  setImmediate(() => {
    try {
      loadTable();
    } catch {
      // countTokens will throw the same error where it is used.
    }
  }).unref();
}
