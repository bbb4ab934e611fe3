import { isMention, type PlanDraft } from './plan-draft.ts';
import type { CatalogueColumn } from './schema-catalogue.ts';
import { CannotPlan } from './planning-errors.ts';
import { conditionTable, type Condition } from './query-plan.ts';
import { relatedRowsCondition, relationTo } from './anti-joins.ts';

/**
 * A share counts the rows that meet the conditions the question states after its subject ("…of orders
 * were cancelled") among the rows its subject phrase and dates describe ("…of German customers", "in 2024").
 */
export function splitShare(draft: PlanDraft): void {
  const { shape, plan, conditionStart } = draft;
  const subjectRange = shape.shareScope ?? shape.subject ?? [0, 0];
  const inSubject = (condition: Condition) => {
    const start = conditionStart.get(condition);
    return start === undefined || (start >= subjectRange[0] && start < subjectRange[1]);
  };
  const numerator = plan.conditions.filter((condition) => condition.kind !== 'dateRange' && !inSubject(condition));
  // "what share of customers gave their date of birth", "… have an insurer": a column that may be unknown
  // (NULL), named after the subject with no condition of its own, counts the rows where it is known.
  const known = numerator.length === 0 ? knownColumn(draft, subjectRange[1]) : null;
  if (known) numerator.push({ kind: 'null', column: { table: known.table.qualifiedName, column: known.name }, isNull: false });
  if (numerator.length === 0) throw new CannotPlan('The question asks for a share, but names no condition to count.');
  // "the share of orders paid with paypal": a condition on rows related many to one order would count an
  // order once per payment attempt, above and below the line.
  plan.conditions = plan.conditions.filter((condition) => !numerator.includes(condition));
  plan.measure = { kind: 'share', conditions: numerator };
  if (draft.needsDistinct()) plan.measure.conditions = countedOnce(draft, numerator);
}

/**
 * "the share of orders paid by card": the payments of an order are many, so a condition on them is asked of the
 * order once, as `EXISTS` over its related rows (the path to them as an anti-join finds it). Only value conditions of
 * one related table are written so; anything else still repeating the rows declines.
 */
function countedOnce(draft: PlanDraft, numerator: Condition[]): Condition[] {
  const { plan, catalogue } = draft;
  const fansOut = (table: string | null) =>
    table !== null && table !== plan.base && (catalogue.joinPath(plan.base, table)?.some((step) => !step.forward) ?? false);
  const related = numerator.filter((condition) => fansOut(conditionTable(condition)));
  const tables = [...new Set(related.map(conditionTable))];
  const relation = tables.length === 1 && related.every((condition) => condition.kind === 'equals') ? relationTo(draft, tables[0]!) : null;
  if (!relation) throw new CannotPlan('The share counts rows through a join that repeats them, which I cannot write reliably.');
  const counted: Condition[] = [
    ...numerator.filter((condition) => !related.includes(condition)),
    relatedRowsCondition(draft, relation, true, { inner: related }),
  ];
  (plan.measure as { conditions: Condition[] }).conditions = counted;
  plan.joinTables = plan.joinTables.filter((table) => !relation.tables.includes(table));
  if (draft.needsDistinct()) throw new CannotPlan('The share counts rows through a join that repeats them, which I cannot write reliably.');
  return counted;
}

/** The one nullable column of the base the question names after `from`, unused by the plan; null otherwise. */
function knownColumn(draft: PlanDraft, from: number): CatalogueColumn | null {
  const { plan, used } = draft;
  const named = draft.mentions
    .filter(isMention('column'))
    .filter((mention) => mention.start >= from && !used.includes(mention) && mention.whole && mention.column.nullable);
  const columns = [...new Set(named.map((mention) => mention.column))];
  if (columns.length !== 1 || columns[0].table.qualifiedName !== plan.base) return null;
  used.push(...named);
  return columns[0];
}

/**
 * A ratio of rows: the conditions read from its first part ("cancelled orders") are counted over those of
 * its second ("delivered orders"); the others (dates, the subject's own filters) stay in WHERE.
 */
export function splitRatio(draft: PlanDraft): void {
  const { shape, plan, conditionStart } = draft;
  const { numerator, denominator } = shape.ratio!;
  const within = (range: [number, number]) => (condition: Condition) => {
    const start = conditionStart.get(condition);
    return start !== undefined && start >= range[0] && start < range[1];
  };
  const top = plan.conditions.filter(within(numerator));
  const bottom = plan.conditions.filter(within(denominator));
  if (top.length === 0 || bottom.length === 0)
    throw new CannotPlan('The question asks for a ratio, but I cannot tell which rows each side counts.');
  plan.conditions = plan.conditions.filter((condition) => !top.includes(condition) && !bottom.includes(condition));
  plan.measure = {
    kind: 'ratio',
    numerator: { kind: 'countWhere', conditions: top },
    denominator: { kind: 'countWhere', conditions: bottom },
  };
}
