import { createRequire } from 'node:module';

type CountTokens = (text: string) => number;

let counter: CountTokens | null = null;

/** Loads the tokenizer (its rank tables take about a tenth of a second to load) unless it is loaded. */
function loadCounter(): CountTokens {
  counter ??= (createRequire(import.meta.url)('gpt-tokenizer') as { countTokens: CountTokens }).countTokens;
  return counter;
}

/**
 * Tokens of `text` by the o200k encoding current OpenAI models use. The tokenizer loads on first use, so
 * importing this costs nothing; `preloadTokenizer` loads it ahead of time, while the process waits anyway.
 */
export function countTokens(text: string): number {
  return loadCounter()(text);
}

/** Loads the tokenizer on the next turn of the event loop (for example while a database opens). */
export function preloadTokenizer(): void {
  setImmediate(() => {
    try {
      loadCounter();
    } catch {
      // countTokens will throw the same error where it is used.
    }
  }).unref();
}
