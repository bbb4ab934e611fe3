import { buildPlan } from './plan-builder.ts';
import { planPickedRow } from './picked-rows.ts';
import type { PlanningInput } from './plan-draft.ts';
import { CannotPlan, PlanningGap, UnplacedWords } from './planning-errors.ts';
import type { QueryPlan } from './query-plan.ts';
import { homeSchemaOf, linkedTables } from './search-hits.ts';

export type { PlanningInput } from './plan-draft.ts';
export { linkedTables } from './search-hits.ts';

/**
 * The planner's decision: a query, a table to look at first, or that the question cannot be answered
 * (with the words no part of the plan accounts for, when that is why).
 */
export type PlanOutcome =
  | { kind: 'plan'; plan: QueryPlan }
  /** `table` to see next; `batch`, when given, the tables (`table` first) that can all be looked at at once. */
  | { kind: 'show'; table: string; batch?: string[] }
  | { kind: 'cannot'; reason: string; unplaced?: string[] };

/**
 * Plans the SQL for a question, schema-linking its words through the tools' results. First it asks to see
 * the tables the metadata search linked to the question's words (names and sample values); then it reads
 * the question's roles (subject, measure, grouping, filters, dates) against the shown tables and asks to
 * see one more table whenever a measure or a join path needs one it has not seen.
 */
export function planQuery(input: PlanningInput): PlanOutcome {
  const show = (table: string): PlanOutcome | null =>
    input.showsLeft > 0 && !input.requested.includes(table) ? { kind: 'show', table } : null;
  const linked = linkedTables(input.hits);
  const homeSchema = homeSchemaOf(input.hits);
  const valueTables = new Set(
    input.hits
      .filter((hit) => hit.reasons.some((reason) => reason.startsWith('sample value "')))
      .map((hit) => `${hit.schema}.${hit.table}`),
  );
  // The tables the search linked are looked at before anything is planned, whatever they hold: a model that
  // may call tools in parallel asks for all of them in one turn.
  const first = linked
    .filter((name) => name.split('.')[0] === homeSchema || valueTables.has(name))
    .slice(0, 3)
    .filter((table) => !input.requested.includes(table));
  if (first.length > 0 && input.showsLeft > 0) return { kind: 'show', table: first[0], batch: first };
  try {
    return { kind: 'plan', plan: planPickedRow(input, buildPlan) ?? buildPlan(input) };
  } catch (error) {
    if (error instanceof PlanningGap) {
      for (const table of error.candidates) {
        const next = show(table);
        if (next) return next;
      }
      return { kind: 'cannot', reason: error.message };
    }
    if (error instanceof UnplacedWords) return { kind: 'cannot', reason: error.message, unplaced: error.words };
    if (error instanceof CannotPlan) return { kind: 'cannot', reason: error.message };
    throw error;
  }
}
