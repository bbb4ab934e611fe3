import { moneyScore, numericFamilies } from './money-columns.ts';
import { isMention, type PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap } from './planning-errors.ts';
import type { Comparison } from './question-shape.ts';
import { numberOf } from './question-words.ts';
import { conditionTable, type ColumnReference } from './query-plan.ts';
import { columnReference as reference, type CatalogueColumn } from './schema-catalogue.ts';
import type { MeasureConcept, Mention } from './schema-linker.ts';
import { resolveMeasure } from './measure-resolution.ts';
import { holdsFractions } from './value-conditions.ts';

/**
 * The question's comparisons with numbers: a count of related rows in HAVING ("customers with more than 10
 * orders"), else a numeric column near the comparison, else a money column of the base for an amount.
 */
export function addComparisons(draft: PlanDraft): void {
  for (const comparison of draft.shape.comparisons) {
    if (addRelatedCount(draft, comparison) || addGroupedValueCount(draft, comparison) || addMeasureComparison(draft, comparison)) continue;
    addColumnComparison(draft, comparison);
  }
}

/**
 * "Which countries have more than 200 customers?", "which payment methods were used more than 1000 times?":
 * the listed values of a column of the base, kept when their rows number more (or fewer) than N.
 */
function addGroupedValueCount(draft: PlanDraft, comparison: Comparison): boolean {
  const { plan, words, mentions, used } = draft;
  if (plan.kind !== 'list' || !plan.distinct || plan.having || plan.dimensions.length !== 1) return false;
  const after = afterNumber(draft, comparison);
  const baseNamed = mentions
    .filter(isMention('table'))
    .find((mention) => mention.start === after && mention.table.qualifiedName === plan.base);
  const times = words[after]?.lower === 'times';
  if (!baseNamed && !times) return false;
  if (baseNamed) used.push(baseNamed);
  else draft.extraPlaced.add(after);
  plan.having = {
    kind: 'compare',
    column: null,
    measure: { kind: 'count' },
    operator: comparison.operator,
    value: comparison.value,
    upper: comparison.upper,
  };
  plan.distinct = false;
  return true;
}

/**
 * "Which categories brought in more than $200,000 of revenue?", "which departments have a payroll above
 * $1,500,000?": a metric or an amount of related rows, summed per listed row and compared in HAVING. Not
 * for an amount of the listed row itself ("products that cost more than $100" compare each row's price).
 */
function addMeasureComparison(draft: PlanDraft, comparison: Comparison): boolean {
  const { plan, mentions, words, used, catalogue } = draft;
  const listed = catalogue.table(plan.base);
  if (plan.kind !== 'list' || plan.distinct || plan.having || !listed || !draft.subject || draft.subject.column) return false;
  const after = afterNumber(draft, comparison);
  const range: [number, number] = [Math.max(0, comparison.index - 3), Math.min(words.length, after + 3)];
  const near = (mention: Mention) => mention.start >= range[0] && mention.start < range[1] && !used.includes(mention);
  if (
    !mentions.some((mention) => near(mention) && (mention.kind === 'metric' || (mention.kind === 'concept' && mention.concept === 'money')))
  )
    return false;
  const usedBefore = used.length;
  const metricBefore = draft.activeMetric;
  const measure = resolveMeasure(draft, range, 'SUM', draft.subject);
  if (measure.table === plan.base || measure.expression.kind === 'count') {
    used.splice(usedBefore);
    draft.activeMetric = metricBefore;
    return false;
  }
  plan.base = measure.table;
  plan.hiddenGroupKeys = [{ table: listed.qualifiedName, column: listed.primaryKey[0] ?? 'id' }];
  plan.having = {
    kind: 'compare',
    column: null,
    measure: measure.expression,
    operator: comparison.operator,
    value: comparison.value,
    upper: comparison.upper,
  };
  return true;
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
  const { mentions, plan, catalogue, used, words, input } = draft;
  const after = afterNumber(draft, comparison);
  const tables = mentions.filter(isMention('table')).filter((mention) => mention.table.qualifiedName !== plan.base);
  // "more than 80 completed appointments": values of the counted table may stand between the number and it.
  let start = after;
  while (
    mentions.some(
      (mention) => mention.kind === 'value' && mention.start === start && tables.some((table) => table.table === mention.column.table),
    )
  )
    start = mentions.find((mention) => mention.kind === 'value' && mention.start === start)!.end;
  // "prescribed more than 30 times": the verb of a table's name right before the comparison is what is counted.
  // ("completed appointments" may itself be one glossary value that covers the table's word.)
  const named =
    tables.find((mention) => mention.start === start) ??
    tables.find((mention) => start > after && mention.start >= after && mention.end <= start) ??
    (words[after]?.lower === 'times' ? tables.find((mention) => mention.end === comparison.index && !used.includes(mention)) : undefined);
  // "patients with at least 2 no-shows": a value of related rows names the rows counted by itself.
  const byValue = named
    ? undefined
    : mentions
        .filter(isMention('value'))
        .find(
          (mention) =>
            mention.start === after &&
            mention.column.table.qualifiedName !== plan.base &&
            (catalogue.joinPath(plan.base, mention.column.table.qualifiedName)?.every((step) => !step.forward) ?? false),
        );
  const countedTable = named ?? (byValue ? { table: byValue.column.table, start: byValue.start } : undefined);
  if (!countedTable || (plan.kind !== 'count' && plan.kind !== 'list') || plan.having) return false;
  if (!catalogue.joinPath(plan.base, countedTable.table.qualifiedName)) return false;
  const counted = countedTable.table.qualifiedName;
  const conditionsOnCounted = plan.conditions.some((condition) => conditionTable(condition) === counted) || start > after || !!byValue;
  // "in 2024" after the counted rows dates them: their date column (or that of a table they point at) takes it.
  const datesCounted = !!input.dateRange && input.dateRange.wordIndices.every((index) => index > countedTable.start);
  const dated = datesCounted ? countedDateColumn(draft, counted) : null;
  if (datesCounted && !dated) {
    const unshown = catalogue.edges
      .filter((edge) => edge.fromTable === counted && !catalogue.table(edge.toTable))
      .map((edge) => edge.toTable);
    if (unshown.length > 0)
      throw new PlanningGap(unshown, 'The question dates the rows it counts, and their date column is not shown yet.');
  }
  // A condition on the counted rows in WHERE drops the rows with none, which "fewer than" must keep.
  if ((conditionsOnCounted || dated) && (comparison.operator === '<' || comparison.operator === '<='))
    throw new CannotPlan('The question counts fewer than N rows that meet conditions, which I cannot write reliably.');
  if (named) used.push(named);
  if (words[after]?.lower === 'times') draft.extraPlaced.add(after);
  if (dated && input.dateRange) {
    draft.addCondition({ kind: 'dateRange', column: dated, from: input.dateRange.from, to: input.dateRange.to });
    draft.dateApplied = true;
  }
  const countedKey = countedTable.table.primaryKey[0];
  plan.having = {
    kind: 'compare',
    column: null,
    measure: countedKey ? { kind: 'countDistinct', column: { table: counted, column: countedKey } } : { kind: 'count' },
    operator: comparison.operator,
    value: comparison.value,
    upper: comparison.upper,
  };
  plan.hiddenGroupKeys = [{ table: plan.base, column: catalogue.table(plan.base)?.primaryKey[0] ?? 'id' }];
  plan.leftJoins = true;
  plan.distinct = false;
  plan.joinTables.push(counted);
  return true;
}

/** The date column of counted rows: their own, else that of a table they point at ("prescriptions" → appointments). */
function countedDateColumn(draft: PlanDraft, counted: string): ColumnReference | null {
  const { catalogue } = draft;
  const candidates = [counted, ...catalogue.edges.filter((edge) => edge.fromTable === counted).map((edge) => edge.toTable)];
  for (const name of candidates) {
    const column = catalogue
      .table(name)
      ?.columns.find((candidate) => (candidate.family === 'date' || candidate.family === 'timestamp') && !/birth/.test(candidate.name));
    if (column) return { table: name, column: column.name };
  }
  return null;
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
  // "products cost more than $100": the verb "to cost" right after the things named asks for their price.
  const costVerb =
    near[0] !== undefined &&
    near[0].end - near[0].start === 1 &&
    /^costs?$/.test(draft.words[near[0].start].lower) &&
    mentions.some((mention) => mention.kind === 'table' && mention.end === near[0].start);
  if (costVerb) {
    const base = catalogue.table(plan.base);
    const price = base?.columns
      .map((candidate) => ({ candidate, score: moneyScore(candidate, 'price') ?? 0 }))
      .filter((entry) => /price/.test(entry.candidate.name))
      .sort((left, right) => right.score - left.score)[0];
    if (price) column = price.candidate;
  }
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
  // "products with more than 100 units sold": a column of rows related many to one listed row sums per row;
  // comparing each related row would answer another question.
  const path = catalogue.joinPath(plan.base, column.table.qualifiedName);
  if (path?.some((step) => !step.forward))
    throw new CannotPlan(`The question compares ${column.name} of related rows, which I cannot sum per row reliably.`);
  // "a discount of more than 10%" against a column of fractions compares with 0.10.
  const number = draft.words[afterNumber(draft, comparison) - 1];
  const scale = number?.isPercent && holdsFractions(column) ? 0.01 : 1;
  if (number?.isPercent && !holdsFractions(column) && !/percent/i.test(`${column.name} ${column.comment}`))
    throw new CannotPlan(`The question compares with a percentage, and ${column.name} holds no percentages.`);
  draft.addCondition(
    {
      kind: 'compare',
      column: reference(column),
      measure: null,
      operator: comparison.operator,
      value: comparison.value * scale,
      upper: comparison.upper === null ? null : comparison.upper * scale,
    },
    comparison.index,
  );
  for (const mention of near.slice(0, 1)) used.push(mention);
}
