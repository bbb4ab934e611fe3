import type { PlanDraft } from './plan-draft.ts';
import type { ColumnReference } from './query-plan.ts';
import { splitQualified } from './schema-catalogue.ts';

/**
 * "How many products are in each top-level category?": the glossary's top-level category is a category with no
 * parent, but the products are filed under subcategories, so that condition on the products' own categories leaves
 * none. When the plan groups the rows of another table by a tree table's columns and a condition keeps only the
 * tree's roots, the rows are grouped by their category's root instead (its parent when it has one, else itself) and
 * the condition goes. Trees of two levels, as the condition "no parent" describes them.
 */
export function groupByRoots(draft: PlanDraft): void {
  const { plan, catalogue } = draft;
  if (plan.partition) return;
  for (const condition of [...plan.conditions]) {
    if (condition.kind !== 'sql' || condition.table === plan.base) continue;
    const edge = catalogue.edges.find((candidate) => candidate.fromTable === condition.table && candidate.toTable === condition.table);
    if (!edge) continue;
    const name = splitQualified(condition.table)[1];
    const rootsOnly = new RegExp(`^\\s*(?:(?:\\w+\\.)?${name}\\.)?${edge.fromColumn}\\s+IS\\s+NULL\\s*$`, 'i');
    if (!rootsOnly.test(condition.sql)) continue;
    const grouped = (reference: ColumnReference) => reference.table === condition.table && !reference.bucket;
    if (![...plan.dimensions, ...plan.hiddenGroupKeys].some(grouped)) continue;
    const root = { parentColumn: edge.fromColumn, keyColumn: edge.toColumn };
    plan.dimensions = plan.dimensions.map((reference) => (grouped(reference) ? { ...reference, root } : reference));
    plan.hiddenGroupKeys = plan.hiddenGroupKeys.map((reference) => (grouped(reference) ? { ...reference, root } : reference));
    plan.conditions = plan.conditions.filter((other) => other !== condition);
  }
}
