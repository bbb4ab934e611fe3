import { InvalidInputError } from '../../errors/index.ts';

/** A user's feedback on one answered request, as a caller gives it. */
export interface FeedbackInput {
  /** The OpenTelemetry trace id of the request: 32 lowercase hexadecimal characters, not all zeros. */
  traceId: string;
  /** A finite number from -1 to 1: -1 is thumbs down, 1 thumbs up, values between grade (a 0–1 rating fits as is). */
  score: number;
  /** Free text, at most {@link maxFeedbackCommentLength} characters (Unicode code points); no NUL character. */
  comment?: string | null;
}

/** Feedback that passed {@link validateFeedbackInput}; a missing comment is `null`. */
export interface ValidFeedbackInput {
  traceId: string;
  score: number;
  comment: string | null;
}

/** The longest comment accepted, in Unicode code points (an emoji counts once). */
export const maxFeedbackCommentLength = 2000;

const traceIdPattern = /^[0-9a-f]{32}$/;
const invalidTraceId = '0'.repeat(32);

/**
 * Checks feedback that may come straight from a request body (so every field is checked at run time, whatever
 * its static type) and returns it with the comment normalised to `null` when absent. Throws
 * {@link InvalidInputError} whose `details.field` names the first bad field (`traceId`, `score` or `comment`).
 *
 * @example
 * validateFeedbackInput({ traceId: '0af7651916cd43dd8448eb211c80319c', score: 1 });
 * // -> { traceId: '0af7651916cd43dd8448eb211c80319c', score: 1, comment: null }
 */
export function validateFeedbackInput(input: FeedbackInput): ValidFeedbackInput {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidInputError('Feedback must be an object with traceId, score and an optional comment.', { field: 'feedback' });
  }
  const { traceId, score, comment } = input as unknown as Record<string, unknown>;
  if (typeof traceId !== 'string' || !traceIdPattern.test(traceId) || traceId === invalidTraceId) {
    throw new InvalidInputError(
      `"traceId" must be an OpenTelemetry trace id (32 lowercase hexadecimal characters, not all zeros); got ${describeValue(traceId)}.`,
      { field: 'traceId' },
    );
  }
  if (typeof score !== 'number' || !Number.isFinite(score) || score < -1 || score > 1) {
    throw new InvalidInputError(`"score" must be a finite number from -1 to 1; got ${describeValue(score)}.`, { field: 'score' });
  }
  if (comment === undefined || comment === null) return { traceId, score, comment: null };
  if (typeof comment !== 'string') {
    throw new InvalidInputError(`"comment" must be a string when given; got ${describeValue(comment)}.`, { field: 'comment' });
  }
  // A string never has more code points than UTF-16 units, so only a long one needs counting.
  const length = comment.length <= maxFeedbackCommentLength ? comment.length : countCodePoints(comment);
  if (length > maxFeedbackCommentLength) {
    throw new InvalidInputError(`"comment" must be at most ${maxFeedbackCommentLength} characters; got ${length}.`, {
      field: 'comment',
      maxLength: maxFeedbackCommentLength,
      length,
    });
  }
  // PostgreSQL text cannot hold NUL; refusing it here keeps a database error from surfacing as a fault.
  if (comment.includes('\u0000')) {
    throw new InvalidInputError('"comment" must not contain the NUL character.', { field: 'comment' });
  }
  return { traceId, score, comment };
}

function countCodePoints(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

/** A short, printable description of a rejected value (long strings are cut, so an error never echoes a huge body). */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  return `a value of type ${Array.isArray(value) ? 'array' : typeof value}`;
}
