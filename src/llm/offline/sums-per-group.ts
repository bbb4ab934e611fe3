import { resolveMeasure } from './measure-resolution.ts';
import type { PlanDraft } from './plan-draft.ts';
import { CannotPlan } from './planning-errors.ts';
import { columnReference as reference, rowKey } from './schema-catalogue.ts';

/**
 * "the average total spent per customer", "the average payroll per department": the measure summed per group
 * (a sum of a column, or a metric that is a sum), then averaged over the groups. Returns false, planning
 * nothing, unless the question averages totals ("average total …") or a metric that sums, per a group.
 */
export function planSumsPerGroup(draft: PlanDraft): boolean {
  const { shape, plan, catalogue, used } = draft;
  const group = draft.group;
  if (draft.aggregate !== 'AVG' || !group || !shape.measure) return false;
  const [start, end] = shape.measure;
  const metric = draft.metricMentions.find((mention) => mention.start < end && start < mention.end);
  if (!shape.sumsPerGroup && !(metric && /^SUM\(/i.test(metric.metric.expression.trim()))) return false;
  draft.aggregate = 'SUM';
  const measure = resolveMeasure(draft, shape.measure, 'SUM', null);
  const sums =
    (measure.expression.kind === 'column' && measure.expression.function === 'SUM') ||
    measure.expression.kind === 'lineAmount' ||
    (measure.expression.kind === 'expression' && /^SUM\(/i.test(measure.expression.sql));
  const measured = catalogue.table(measure.table);
  if (!sums || !measured) throw new CannotPlan(`I cannot tell what to total per ${draft.phraseText(shape.group)} before averaging.`);
  if (!draft.reaches(measured, group))
    throw new CannotPlan(`I cannot tell which ${draft.phraseText(shape.group)} each of the ${measured.name} belongs to.`);
  used.push(group.mention);
  plan.base = measure.table;
  plan.measure = measure.expression;
  plan.measureName = measure.name;
  plan.hiddenGroupKeys = [group.column ? reference(group.column) : { table: group.table.qualifiedName, column: rowKey(group.table) }];
  plan.outerAggregate = 'AVG';
  plan.measureWords = `${measure.name.replace(/_/g, ' ')} per ${draft.phraseText(shape.group)}`;
  return true;
}
