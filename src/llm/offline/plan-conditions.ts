import { addAntiJoins, addEachYear, addRelatedPresence } from './anti-joins.ts';
import { addColumnPairs } from './column-pairs.ts';
import { addComparisons } from './comparison-conditions.ts';
import { dateVerbs, unique, type PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap } from './planning-errors.ts';
import { numericFamilies } from './money-columns.ts';
import type { ColumnReference } from './query-plan.ts';
import { columnReference as reference, type CatalogueColumn } from './schema-catalogue.ts';
import type { Mention } from './schema-linker.ts';
import { addAmountConditions, addNumberedColumnConditions, addTermConditions, addValueConditions, isTaken } from './value-conditions.ts';

/**
 * The WHERE (and HAVING) of a plan, in order: values, glossary conditions, numbered columns, the metric's
 * own filter, anti-joins, booleans and NULL meanings, comparisons with numbers, the date range; then checks
 * that every table the plan needs joins to the base.
 */
export function addConditions(draft: PlanDraft): void {
  const { plan, catalogue, input, mentions } = draft;
  // A value or a period after "never" belongs to the negated rows: the anti-joins take theirs first.
  addAntiJoins(draft);
  addEachYear(draft);
  addRelatedPresence(draft);
  addColumnPairs(draft);
  const chosen = addValueConditions(draft);
  addTermConditions(draft);
  addNumberedColumnConditions(draft);
  addAmountConditions(draft);
  if (draft.activeMetric?.filter) {
    const table = catalogue.table(plan.measure?.kind === 'expression' ? plan.measure.table : plan.base)?.qualifiedName ?? plan.base;
    draft.addCondition({ kind: 'sql', table, sql: draft.activeMetric.filter });
  }
  const appliedNulls: Mention[] = [];
  for (const mention of mentions) {
    if (isTaken(draft, mention) || chosen.some((value) => mention.start < value.end && value.start < mention.end)) continue;
    // "did not provide a phone number": the words of one missing value say nothing of another column's.
    if (mention.kind === 'null' && appliedNulls.some((other) => mention.start < other.end && other.start < mention.end)) continue;
    if (
      mention.kind === 'boolean' &&
      !plan.conditions.some((condition) => condition.kind === 'boolean' && sameColumn(condition.column, mention.column))
    ) {
      draft.addCondition({ kind: 'boolean', column: reference(mention.column), value: mention.value }, mention.start);
    } else if (
      mention.kind === 'null' &&
      // "never paid by card": a negation an anti-join expressed says nothing of the paid date.
      !(mention.isNull && draft.negationsExpressed.has(mention.start)) &&
      !plan.conditions.some((condition) => condition.kind === 'null' && sameColumn(condition.column, mention.column))
    ) {
      draft.addCondition({ kind: 'null', column: reference(mention.column), isNull: mention.isNull }, mention.start);
      appliedNulls.push(mention);
    }
  }
  addComparisons(draft);
  if (input.dateRange && !draft.dateApplied) {
    const column = draft.dateColumn();
    if (!column) throw new PlanningGap(draft.forwardUnshown(), 'The question names a period, but no date column was found for it.');
    // "more than 10 years of experience": the start of the rows' own, not a birth date, and not when a number column of
    // theirs may hold the time itself (`years_experience`).
    if (input.dateRange.served) {
      const base = catalogue.table(plan.base);
      const own = base?.columns.find(
        (candidate) => numericFamilies.has(candidate.family) && /experience|service|tenure|years|months/.test(candidate.name),
      );
      if (/birth/.test(column.name) || column.table.qualifiedName !== plan.base || own)
        throw new CannotPlan(
          own
            ? `The question names a time served, and ${own.name} may hold it where ${column.name} would date it.`
            : `The question names a time served, and ${column.name} is not when the rows started.`,
        );
    }
    // "units sold per category in 2024": a date of another table may be a product's launch while the lines' own
    // date is one step away on a table not shown yet (the order's), so that table is looked at first.
    const unshown = draft.forwardUnshown();
    if (column.table.qualifiedName !== plan.base && unshown.length > 0 && input.showsLeft > 0)
      throw new PlanningGap(unshown, 'A table the rows point at, not shown yet, may hold their date.');
    const bounds = draft.seriesRange ?? input.dateRange;
    draft.addCondition({ kind: 'dateRange', column: reference(column), from: bounds.from, to: bounds.to });
    // "born before 1970": the verb named the date column the range applies to.
    for (const word of draft.words)
      if (column.nameWords.some((nameWord) => dateVerbs[word.lower] === nameWord.lower)) draft.extraPlaced.add(word.index);
  }
  for (const table of draft.requiredTables()) {
    if (table !== plan.base && !catalogue.joinPath(plan.base, table)) {
      const neighbours = unique([
        ...catalogue.referencingTables(plan.base),
        ...catalogue.edges.filter((edge) => edge.fromTable === plan.base).map((edge) => edge.toTable),
      ]).filter((name) => !catalogue.table(name));
      throw new PlanningGap(neighbours, `No join path from ${plan.base} to ${table} among the shown tables.`);
    }
  }
}

function sameColumn(reference: ColumnReference, column: CatalogueColumn): boolean {
  return reference.table === column.table.qualifiedName && reference.column === column.name;
}
