import { moneyScore, numericFamilies } from './money-columns.ts';
import { isMention, type PlanDraft } from './plan-draft.ts';
import { CannotPlan } from './planning-errors.ts';
import type { Comparison } from './question-shape.ts';
import { numberOf } from './question-words.ts';
import { columnReference as reference, type CatalogueColumn } from './schema-catalogue.ts';
import type { MeasureConcept } from './schema-linker.ts';

/**
 * The question's comparisons with numbers: a count of related rows in HAVING ("customers with more than 10
 * orders"), else a numeric column near the comparison, else a money column of the base for an amount.
 */
export function addComparisons(draft: PlanDraft): void {
  for (const comparison of draft.shape.comparisons) {
    if (addRelatedCount(draft, comparison)) continue;
    addColumnComparison(draft, comparison);
  }
}

/** The index just after the number a comparison compares with. */
function afterNumber(draft: PlanDraft, comparison: Comparison): number {
  return draft.words.findIndex((word, index) => index > comparison.index && numberOf(word) !== null) + 1;
}

/**
 * "customers with more than 10 orders", "how many doctors have at least one appointment": a count of
 * related rows per row of the base, compared in HAVING. Rows with none are kept (LEFT JOIN), so "fewer
 * than 2 orders" includes the customers with no order at all.
 */
function addRelatedCount(draft: PlanDraft, comparison: Comparison): boolean {
  const { mentions, plan, catalogue, used } = draft;
  const after = afterNumber(draft, comparison);
  const countedTable = mentions
    .filter(isMention('table'))
    .find((mention) => mention.start === after && mention.table.qualifiedName !== plan.base);
  if (!countedTable || (plan.kind !== 'count' && plan.kind !== 'list') || plan.having) return false;
  used.push(countedTable);
  const countedKey = countedTable.table.primaryKey[0];
  plan.having = {
    kind: 'compare',
    column: null,
    measure: countedKey
      ? { kind: 'countDistinct', column: { table: countedTable.table.qualifiedName, column: countedKey } }
      : { kind: 'count' },
    operator: comparison.operator,
    value: comparison.value,
    upper: comparison.upper,
  };
  plan.hiddenGroupKeys = [{ table: plan.base, column: catalogue.table(plan.base)?.primaryKey[0] ?? 'id' }];
  plan.leftJoins = true;
  plan.distinct = false;
  plan.joinTables.push(countedTable.table.qualifiedName);
  return true;
}

/** A numeric column named within a few words of the comparison, or the base's money column for an amount. */
function addColumnComparison(draft: PlanDraft, comparison: Comparison): void {
  const { mentions, plan, catalogue, used } = draft;
  const after = afterNumber(draft, comparison);
  const near = mentions
    .filter(isMention('column'))
    .filter(
      (mention) =>
        numericFamilies.has(mention.column.family) &&
        ((mention.end <= comparison.index && comparison.index - mention.end <= 3) ||
          (mention.start >= comparison.index && mention.start - after <= 1)),
    )
    .sort((left, right) => Math.abs(left.start - comparison.index) - Math.abs(right.start - comparison.index));
  let column: CatalogueColumn | null = near[0]?.column ?? null;
  if (!column) {
    const base = catalogue.table(plan.base);
    const concept: MeasureConcept =
      mentions.some(
        (mention) => mention.kind === 'concept' && mention.concept === 'price' && Math.abs(mention.start - comparison.index) <= 3,
      ) || comparison.isMoney
        ? 'price'
        : 'money';
    const candidates = base
      ? base.columns.map((candidate) => ({ candidate, score: moneyScore(candidate, concept) })).filter((entry) => entry.score !== null)
      : [];
    candidates.sort((left, right) => (right.score ?? 0) - (left.score ?? 0));
    if (comparison.isMoney || mentions.some((mention) => mention.kind === 'concept' && Math.abs(mention.start - comparison.index) <= 3))
      column = candidates[0]?.candidate ?? null;
  }
  if (!column) throw new CannotPlan('The question compares a number, but it is not clear with which column.');
  draft.addCondition(
    {
      kind: 'compare',
      column: reference(column),
      measure: null,
      operator: comparison.operator,
      value: comparison.value,
      upper: comparison.upper,
    },
    comparison.index,
  );
  for (const mention of near.slice(0, 1)) used.push(mention);
}
