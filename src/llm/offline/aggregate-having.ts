import type { PlanDraft } from './plan-draft.ts';

/**
 * "Which specialties have an average salary above 300000?", "which departments have a total fee over 5000?":
 * the things the question asks for, grouped, and kept when the aggregate of their rows passes the number
 * (`HAVING AVG(salary) > 300000`). Returns false, planning nothing, unless the question asks which, the plan
 * is one aggregate, the one comparison follows the measure, and every measured row belongs to one asked thing.
 */
export function filterGroupsByAggregate(draft: PlanDraft): boolean {
  const { shape, plan, catalogue } = draft;
  if (!shape.asked || !shape.measure || !plan.measure || plan.kind !== 'aggregate' || plan.dimensions.length > 0) return false;
  if (shape.comparisons.length !== 1 || draft.group) return false;
  const comparison = shape.comparisons[0];
  if (comparison.index < shape.measure[0]) return false;
  const asked = draft.entityOf(shape.asked);
  const base = catalogue.table(plan.base);
  if (!asked || !base || !['table', 'column'].includes(asked.mention.kind) || !draft.reaches(base, asked)) return false;
  plan.having = {
    kind: 'compare',
    column: null,
    measure: plan.measure,
    operator: comparison.operator,
    value: comparison.value,
    upper: comparison.upper,
  };
  shape.comparisons = [];
  plan.kind = 'list';
  plan.measure = null;
  draft.applyGroup(asked);
  plan.orderBy = 'dimensions';
  plan.direction = 'ASC';
  plan.limit = draft.input.rowLimit;
  return true;
}
