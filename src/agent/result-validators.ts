import type { ReadOnlyResult } from '../datasource/index.ts';

/**
 * Checks an answered result; returns why it should go to the next tier, or null to accept it. Validators
 * are pluggable (`DbAgentOptions.validators`).
 */
export type ResultValidator = (question: string, result: ReadOnlyResult) => string | null;

const asksForNumber = /\b(how (many|much)|count|number of|total|sum|average|avg|mean|maximum|minimum|max|min)\b/i;
const asksForList = /\b(which|list|show|what are|name the|who)\b/i;

/**
 * Built in: an empty result (no rows, or one row of nulls) for a question that asks for a number or a
 * list is suspicious enough to try a stronger model.
 */
export const emptyResultValidator: ResultValidator = (question, result) => {
  const empty = result.rows.length === 0 || (result.rows.length === 1 && result.rows[0].every((value) => value === null));
  if (!empty) return null;
  if (asksForNumber.test(question)) return 'the question asks for a number but the result is empty';
  if (asksForList.test(question)) return 'the question asks for a list but the result is empty';
  return null;
};
