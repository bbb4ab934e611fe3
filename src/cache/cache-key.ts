import { createHash } from 'node:crypto';
import { InvalidInputError } from '../errors/index.ts';
import { normalizeQuestion } from './normalize-question.ts';

/** What decides whether a cached answer fits a request. */
export interface CacheKeyInput {
  /** The user's question, as asked; it is normalized with {@link normalizeQuestion}. */
  question: string;
  /** The datasource id. */
  datasource: string;
  /** The schema version of the datasource when the question is asked. */
  schemaVersion: string;
  /** The prompt name. */
  prompt: string;
  /** The prompt version number. */
  promptVersion: number;
  /**
   * Anything else the answer depends on, such as a hash of the compiled prompt (which carries the pinned
   * or real `today`, the row limit and the examples, so "last month" asked next month is a miss).
   */
  context?: string;
}

/** Bumped whenever the key's ingredients or the normalization change, so old entries stop matching. */
const keyFormat = 1;

/**
 * The cache key for a request: SHA-256 hex of a canonical JSON (fixed field order) of the normalized
 * question, the datasource, the schema version, the prompt name and the prompt version.
 *
 * @throws InvalidInputError when `promptVersion` is not a finite number.
 */
export function cacheKey(input: CacheKeyInput): string {
  if (!Number.isFinite(input.promptVersion)) {
    throw new InvalidInputError('promptVersion must be a finite number', { field: 'promptVersion' });
  }
  const canonical = JSON.stringify({
    format: keyFormat,
    datasource: input.datasource,
    schemaVersion: input.schemaVersion,
    prompt: input.prompt,
    promptVersion: input.promptVersion,
    context: input.context ?? null,
    question: normalizeQuestion(input.question),
  });
  return createHash('sha256').update(canonical).digest('hex');
}
