import { groupByRoots } from './tree-roots.ts';
import { filterGroupsByAggregate } from './aggregate-having.ts';
import { fitAnswerForm } from './asked-columns.ts';
import { labelColumns } from './label-columns.ts';
import { conceptMeasure, rankingMeasure, resolveMeasure } from './measure-resolution.ts';
import { measureName, moneyName, numericFamilies } from './money-columns.ts';
import { checkCoverage, refuseRepeatedRows, refuseUnusedConstraints } from './plan-checks.ts';
import { addConditions } from './plan-conditions.ts';
import { isMention, PlanDraft, type Entity, type MentionOf, type PlanningInput } from './plan-draft.ts';
import { isFunctionWord, sameWord, wordsOf } from './question-words.ts';
import { CannotPlan, PlanningGap, UnplacedWords } from './planning-errors.ts';
import type { QueryPlan } from './query-plan.ts';
import { countThroughEvents, relatedEventsOf } from './related-count.ts';
import { splitRatio, splitShare } from './share-measure.ts';
import { planSumsPerGroup } from './sums-per-group.ts';
import { addShownColumns } from './shown-columns.ts';
import { columnReference as reference, rowKey } from './schema-catalogue.ts';
import { planFirstEvents } from './first-events.ts';
import { applyTimeGroup, refuseBoundedPeriods, timeUnitOf } from './time-grouping.ts';

/**
 * Builds the plan of a question against the shown tables: links its words, reads what is asked (a count,
 * a share, an aggregate, a ranking or a list) and plans that, then adds the conditions, checks that every
 * constraint and every word is placed, and makes counts distinct where a join fans out.
 */
export function buildPlan(input: PlanningInput): QueryPlan {
  const draft = new PlanDraft(input);
  const { shape, mentions, plan, catalogue } = draft;
  const unshown = mentions.filter(isMention('unshown'));
  if (unshown.length > 0) {
    const candidates = unshown.map((mention) => mention.qualifiedName).filter((name) => !input.requested.includes(name));
    if (candidates.length > 0 && input.showsLeft > 0) throw new PlanningGap(candidates, 'The question names a table not shown yet.');
  }
  if (!mentions.some((mention) => mention.kind !== 'concept' && mention.kind !== 'unshown'))
    throw new CannotPlan('No word of the question names a table, column or value of this database.');

  const subject = readKind(draft);
  draft.subject = subject;
  const timeUnit = shape.group && shape.group[1] - shape.group[0] === 1 ? timeUnitOf(draft.words[shape.group[0]]) : null;
  draft.timeUnit = timeUnit;
  draft.group = shape.group && !timeUnit ? draft.entityOf(shape.group) : null;
  // "made by bank transfer", "paid by card": "by" before a value says how, it groups nothing; the value filters.
  // So does a value at the start of the phrase: "orders by small business customers" are those customers' orders.
  const means =
    !!draft.group &&
    !draft.group.column &&
    draft.inRange(shape.group).some((mention) => mention.kind === 'value' && mention.start === shape.group![0]);
  if (means) draft.group = null;
  // "per status and year": the period of the two groups by its date, the other as a group.
  const extra = (shape.group && shape.extraGroup) || null;
  const extraUnit = extra && extra[1] - extra[0] === 1 ? timeUnitOf(draft.words[extra[0]]) : null;
  if (extra && timeUnit && !extraUnit) draft.group = draft.entityOf(extra);
  if (extra && !(timeUnit ? !extraUnit && draft.group : extraUnit && draft.group))
    throw new CannotPlan(`I cannot split "${draft.phraseText(shape.group)}" and "${draft.phraseText(extra)}" together.`);
  if (shape.group && !draft.group && !timeUnit && !means)
    throw new CannotPlan(`"${draft.phraseText(shape.group)}" names nothing in the shown tables.`);

  if (shape.change && !timeUnit) throw new CannotPlan('The question asks for a change between periods I cannot tell.');
  if (shape.cumulative && !timeUnit) throw new CannotPlan('The question asks for a running total over periods I cannot tell.');
  // "Which month of 2025 had the most sessions?", "which year had the most signups?": the ranked items are
  // periods, each counted as "sessions per month" counts them; only the period is asked for.
  const periodAt =
    plan.kind === 'top' && !subject && !shape.group && shape.subject && shape.subject[1] === shape.subject[0] + 1 ? shape.subject[0] : null;
  // ("In which year did customers in the UK spend the most?": a verb of money names what the periods are ranked by.)
  const spoken = shape.measure === null ? mentions.filter(isMention('concept')).find((mention) => mention.concept === 'money') : undefined;
  const rankedPeriod = periodAt !== null && (shape.measure || spoken) ? timeUnitOf(draft.words[periodAt]) : null;
  if (rankedPeriod) planPeriodRanking(draft, rankedPeriod, periodAt!);
  else if (plan.kind === 'count') planCount(draft, subject);
  else if (plan.kind === 'share') planShare(draft, subject);
  else if (plan.kind === 'ratio') planRatio(draft, subject);
  else if (plan.kind === 'aggregate') planAggregate(draft);
  else if (plan.kind === 'top' && asksWhenFirst(draft, subject)) planFirstDate(draft, subject!);
  else if (plan.kind === 'top' && subject && !draft.group && planFirstEvents(draft, subject, 'list')) {
    // ("Which customers placed their first order in 2025?": listed, not ranked.)
  } else if (plan.kind === 'top') planTop(draft, subject);
  else planList(draft, subject);
  if (plan.kind === 'grouped') {
    plan.orderBy = 'measure';
    plan.direction = 'DESC';
    if (!shape.wantsAll) plan.limit = input.rowLimit;
  }
  if (rankedPeriod) {
    plan.orderBy = 'measure';
    plan.direction = shape.direction;
    plan.limit = shape.topCount ?? 1;
    plan.measureHidden = true;
  }
  if (extraUnit) applyTimeGroup(draft, extraUnit, extra!);
  if (timeUnit) {
    applyTimeGroup(draft, timeUnit, shape.group!);
    if (shape.change) plan.change = true;
    if (shape.cumulative) plan.cumulative = true;
  }

  // "the lowest and highest prices" read any other way than two aggregates of one measure would drop one of them.
  if (shape.pairedAggregate && !plan.pairedMeasures)
    throw new CannotPlan('The question asks for two aggregates, which I can give only of one measure over its rows.');
  // "Which categories have an average price above $100?": one number does not say which.
  if (shape.asksWhich && plan.kind === 'aggregate' && plan.dimensions.length === 0 && !filterGroupsByAggregate(draft))
    throw new CannotPlan(`The question asks which ${draft.phraseText(shape.subject) || 'rows'}, and I read it as one number.`);
  addShownColumns(draft);
  addConditions(draft);
  refuseBoundedPeriods(draft);
  groupByRoots(draft);
  if (plan.kind === 'share') splitShare(draft);
  if (plan.kind === 'ratio' && !plan.measure) splitRatio(draft);
  refuseUnusedConstraints(draft);
  checkCoverage(draft);
  refuseRepeatedRows(draft);
  // Counting rows of the base through a one-to-many join would count them repeatedly.
  const baseKey = catalogue.table(plan.base)?.primaryKey;
  if (
    (plan.kind === 'count' || plan.kind === 'grouped') &&
    plan.measure?.kind === 'count' &&
    !plan.having &&
    baseKey?.length === 1 &&
    draft.needsDistinct()
  ) {
    plan.measure = { kind: 'countDistinct', column: { table: plan.base, column: baseKey[0] } };
  }
  if (plan.kind === 'list' && plan.dimensions.length > 0 && !plan.distinct && draft.needsDistinct()) plan.distinct = true;
  fitAnswerForm(draft);
  if (shape.roundTo !== undefined) plan.roundTo = shape.roundTo;
  excludeMissingRanked(draft);
  return plan;
}

/**
 * "Which insurance provider covers the most patients?": a ranking of the values of a nullable column ranks the values
 * there are; the rows with none (uninsured patients) are no provider, however many they are.
 */
function excludeMissingRanked(draft: PlanDraft): void {
  const { plan, catalogue } = draft;
  if (plan.kind !== 'top' || plan.partition || plan.orderBy !== 'measure') return;
  for (const dimension of plan.dimensions) {
    if (dimension.bucket || dimension.root) continue;
    const column = catalogue.table(dimension.table)?.columns.find((candidate) => candidate.name === dimension.column);
    if (!column?.nullable || column.primaryKey) continue;
    const tested = plan.conditions.some(
      (condition) =>
        condition.kind === 'null' && condition.column.table === dimension.table && condition.column.column === dimension.column,
    );
    if (!tested) plan.conditions.push({ kind: 'null', column: { table: dimension.table, column: dimension.column }, isNull: false });
  }
}

/**
 * Settles what is asked, beyond the question's wording: a named metric turns a list into an aggregate
 * ("what is the payroll?"); a superlative over a number is MAX or MIN ("the highest salary"), not a
 * ranking. Returns the subject entity (null when the measure is the subject).
 */
function readKind(draft: PlanDraft): Entity | null {
  const { shape, plan, metricMentions } = draft;
  let subject = draft.entityOf(shape.subject);
  // "What is the payroll?", "the no-show rate by department": a named metric is a measure, not a list;
  // so is what changes from month to month ("show the month-over-month change in billed revenue").
  if (
    plan.kind === 'list' &&
    (shape.change ||
      metricMentions.some((mention) => !shape.subject || (mention.start < shape.subject[1] && shape.subject[0] < mention.end)))
  ) {
    plan.kind = 'aggregate';
    subject = null;
  }
  // "appointments per month in 2024": a bare table phrase with a grouping counts its rows per group.
  if (plan.kind === 'list' && shape.bare && shape.group && subject && !subject.column && subject.mention.kind === 'table') {
    plan.kind = 'count';
    draft.aggregate = 'COUNT';
  }
  // "the highest average salary" with nothing asked for to rank: which groups, it does not say.
  if (plan.kind === 'top' && shape.aggregate && !shape.asksWhich && shape.topCount === 1 && !draft.group)
    throw new CannotPlan(`The question ranks by ${shape.aggregate === 'AVG' ? 'an average' : 'a total'} and does not say of what.`);
  // "monthly order totals", "units sold per category": a bare phrase of totals, units or amounts sums them per group.
  if (
    plan.kind === 'list' &&
    shape.bare &&
    shape.group &&
    subject?.column &&
    numericFamilies.has(subject.column.family) &&
    !subject.column.primaryKey &&
    !subject.column.references &&
    (draft.words.slice(...shape.subject!).some((word) => ['total', 'totals', 'sum', 'sums'].includes(word.lower)) ||
      // "units sold per category", "order amounts by country": a count of units or an amount taken adds up.
      /^(quantity|qty|units)$/.test(subject.column.name) ||
      moneyName(subject.column.name) >= 5)
  ) {
    plan.kind = 'aggregate';
    draft.aggregate = 'SUM';
    shape.measure = shape.subject;
    for (const word of draft.words.slice(...shape.subject!))
      if (['total', 'totals', 'sum', 'sums'].includes(word.lower)) draft.extraPlaced.add(word.index);
    return null;
  }
  const superlativeAggregate = shape.direction === 'DESC' ? 'MAX' : 'MIN';
  // "What is the highest salary?": a superlative over a number is MAX/MIN, not a ranking.
  if (
    plan.kind === 'top' &&
    !shape.asksWhich &&
    shape.topCount === 1 &&
    subject?.column &&
    numericFamilies.has(subject.column.family) &&
    shape.superlativeConcept === null
  ) {
    plan.kind = 'aggregate';
    draft.aggregate = superlativeAggregate;
  }
  // "What is the latest order date?", "the maximum signup date": a superlative over a date is its MAX/MIN, not the
  // most frequent date.
  if (
    plan.kind === 'top' &&
    !shape.asksWhich &&
    shape.topCount === 1 &&
    subject?.column &&
    (subject.column.family === 'date' || subject.column.family === 'timestamp') &&
    (shape.superlativeConcept === null || shape.superlativeConcept === 'recency')
  ) {
    plan.kind = 'aggregate';
    draft.aggregate = superlativeAggregate;
  }
  if (plan.kind === 'top' && !shape.asksWhich && shape.topCount === 1 && !subject && shape.superlativeConcept === null) {
    const measureMentions = draft.inRange(shape.measure);
    if (
      measureMentions.some(
        (mention) => mention.kind === 'concept' || (mention.kind === 'column' && numericFamilies.has(mention.column.family)),
      )
    ) {
      plan.kind = 'aggregate';
      draft.aggregate = superlativeAggregate;
    }
  }
  return subject;
}

/** "How many …": rows counted, a quantity column summed, or distinct values of a column counted. */
function planCount(draft: PlanDraft, named: Entity | null): void {
  const { plan, used, words } = draft;
  const subject = named ?? draft.fallbackSubject();
  if (!subject) throw new CannotPlan('The question does not say what to count.');
  if (!draft.group && planFirstEvents(draft, subject, 'count')) return;
  used.push(subject.mention);
  plan.base = subject.table.qualifiedName;
  // A value or a term condition that names the counted rows still filters them.
  if (subject.mention.kind === 'value' || subject.mention.kind === 'termCondition') used.pop();
  // "How many page views were there": a column that itself holds a number of things is summed, not
  // counted (its distinct values are not what is asked), unless the question asks for distinct values.
  const distinctAsked = words.some((word) => ['distinct', 'different', 'unique'].includes(word.lower));
  // "the number of signups": a date column names the events its rows record; they are counted, not its distinct dates.
  const eventDate = !!subject.column && ['date', 'timestamp'].includes(subject.column.family) && !distinctAsked;
  const countColumn = subject.column && subject.mention.kind === 'column' && !eventDate ? subject.column : null;
  // "How many units …" against `unit_price`: a column named by part of its name is no unit of counting.
  if (countColumn && subject.mention.kind === 'column' && !subject.mention.whole)
    throw new UnplacedWords(words.slice(subject.mention.start, subject.mention.end).map((word) => word.text));
  const quantity =
    countColumn !== null && countColumn.family === 'integer' && !countColumn.primaryKey && !countColumn.references && !distinctAsked;
  plan.measure = quantity
    ? { kind: 'column', function: 'SUM', column: reference(countColumn) }
    : countColumn
      ? { kind: 'countDistinct', column: reference(countColumn) }
      : { kind: 'count' };
  const events = quantity || countColumn ? null : relatedEventsOf(draft, subject);
  if (events) countThroughEvents(draft, subject, events);
  plan.measureName = quantity
    ? measureName('SUM', countColumn.name)
    : countColumn
      ? `distinct_${countColumn.name}`
      : `${subject.table.name}_count`;
  if (quantity) plan.kind = 'aggregate';
  if (plan.subjectWords === '') plan.subjectWords = subject.table.name.replace(/_/g, ' ');
  if (draft.group) {
    plan.kind = 'grouped';
    draft.applyGroup(draft.group);
  }
}

/** Periods ranked by a count of rows: grouped by the period of their date (`buildPlan` orders and cuts them). */
function planPeriodRanking(draft: PlanDraft, unit: NonNullable<ReturnType<typeof timeUnitOf>>, periodAt: number): void {
  const { plan, shape, mentions, used } = draft;
  const spoken = shape.measure === null ? mentions.filter(isMention('concept')).find((mention) => mention.concept === 'money') : undefined;
  if (spoken) {
    plan.kind = 'aggregate';
    draft.aggregate = 'SUM';
    used.push(spoken);
    const measure = conceptMeasure(draft, spoken.concept, 'SUM', null, []);
    plan.base = measure.table;
    plan.measure = measure.expression;
    plan.measureName = measure.name;
    plan.measureWords = measure.name.replace(/_/g, ' ');
    applyTimeGroup(draft, unit, [periodAt, periodAt + 1]);
    return;
  }
  const counted = draft.entityOf(shape.measure);
  // "Which month had the highest total order amount?", "… the most revenue": periods ranked by a total.
  const measured = draft
    .inRange(shape.measure)
    .some((mention) => mention.kind === 'metric' || (mention.kind === 'column' && numericFamilies.has(mention.column.family)));
  if (measured && !counted?.column?.primaryKey) {
    plan.kind = 'aggregate';
    draft.aggregate = shape.aggregate ?? 'SUM';
    const measure = resolveMeasure(draft, shape.measure!, draft.aggregate, null);
    plan.base = measure.table;
    plan.measure = measure.expression;
    plan.measureName = measure.name;
    plan.measureWords = draft.phraseText(shape.measure);
    applyTimeGroup(draft, unit, [periodAt, periodAt + 1]);
    return;
  }
  // Rows, or the events a date column records ("the most signups"): a count; anything else is not planned.
  if (!counted || (counted.column && !['date', 'timestamp'].includes(counted.column.family)))
    throw new CannotPlan(`I can rank ${unit}s by a number of rows, not by "${draft.phraseText(shape.measure)}".`);
  plan.kind = 'count';
  draft.aggregate = 'COUNT';
  // The answer names what was counted ("the month with the most appointments"), not the period.
  plan.subjectWords = draft.phraseText(shape.measure);
  planCount(draft, counted);
  if (plan.kind !== 'count') throw new CannotPlan(`I can rank ${unit}s by a number of rows, not by a total.`);
  applyTimeGroup(draft, unit, [periodAt, periodAt + 1]);
}

/** "What percentage of …": the rows of the subject table, the measure set once the conditions are split. */
function planShare(draft: PlanDraft, named: Entity | null): void {
  const { plan, shape } = draft;
  // "the share of revenue by continent", "what percentage of total sales comes from each category": a measure's share of
  // its total, per group.
  if (draft.group && shape.subject && (!named || named.mention.kind !== 'table')) {
    const measure = resolveMeasure(draft, shape.subject, 'SUM', null);
    if (measure.expression.kind !== 'count') {
      plan.kind = 'grouped';
      plan.base = measure.table;
      plan.measure = { kind: 'shareOfTotal', of: measure.expression };
      plan.measureName = 'percentage';
      draft.applyGroup(draft.group);
      return;
    }
  }
  const subject = named ?? draft.fallbackSubject();
  if (!subject || subject.column) throw new CannotPlan('The question does not say the share of what.');
  draft.used.push(subject.mention);
  plan.base = subject.table.qualifiedName;
  plan.measureName = 'percentage';
  if (plan.subjectWords === '') plan.subjectWords = subject.table.name.replace(/_/g, ' ');
  if (draft.group) {
    draft.applyGroup(draft.group);
    plan.orderBy = 'measure';
    plan.direction = 'DESC';
  }
}

/**
 * "The ratio of cancelled orders to delivered orders", "of total cost to total price": two measures of the
 * subject's table, each a sum of a column (or a metric), else the rows its values or conditions pick out
 * (split once the conditions are read: `splitRatio`).
 */
function planRatio(draft: PlanDraft, subject: Entity | null): void {
  const { plan, shape } = draft;
  const { numerator, denominator } = shape.ratio!;
  if (!subject) throw new CannotPlan('The question does not say the ratio of what.');
  if (subject.mention.kind === 'table') draft.used.push(subject.mention);
  plan.base = subject.table.qualifiedName;
  plan.measureName = 'ratio';
  plan.measureWords = 'ratio';
  const picksRows = (range: [number, number]) =>
    draft
      .inRange(range)
      .some((mention) => ['value', 'termCondition', 'boolean', 'null'].includes(mention.kind) && !draft.used.includes(mention));
  if (picksRows(numerator) || picksRows(denominator)) return;
  const top = resolveMeasure(draft, numerator, 'SUM', null);
  const bottom = resolveMeasure(draft, denominator, 'SUM', null);
  if (top.table !== bottom.table) throw new CannotPlan('The two sides of the ratio are measured on different tables.');
  plan.base = top.table;
  plan.measure = { kind: 'ratio', numerator: top.expression, denominator: bottom.expression };
}

/** A sum, average, minimum or maximum of the measure phrase (or a metric), grouped when asked. */
function planAggregate(draft: PlanDraft): void {
  const { plan, shape, words } = draft;
  // "the average number of orders per customer" counts rows per group; "… of page views per device" averages a column.
  const measured = draft.inRange(shape.measure);
  if (
    shape.countsPerGroup &&
    draft.group &&
    draft.aggregate !== 'SUM' &&
    measured.some((mention) => mention.kind === 'table') &&
    !measured.some((mention) => mention.kind === 'column' && numericFamilies.has(mention.column.family))
  )
    return planCountsPerGroup(draft, draft.group);
  if (perQuantityColumn(draft)) return planPerQuantity(draft, draft.group!);
  if (planSumsPerGroup(draft)) return;
  const measure = resolveMeasure(draft, shape.measure ?? [0, words.length], draft.aggregate ?? 'SUM', null);
  plan.base = measure.table;
  plan.measure = measure.expression;
  plan.measureName = measure.name;
  // "the lowest and highest prices": the same measure under the second aggregate, from the same rows.
  if (shape.pairedAggregate) {
    // ("the lowest and highest priced cakes": the phrase ends in the rows, which are asked for, not two figures.)
    const head = shape.measure ? shape.measure[1] - 1 : -1;
    if (draft.mentions.some((mention) => mention.kind === 'table' && mention.start <= head && head < mention.end))
      throw new CannotPlan(`The question asks for the ${draft.phraseText(shape.measure)} themselves, not two figures of them.`);
    const paired = resolveMeasure(draft, shape.measure ?? [0, words.length], shape.pairedAggregate, null);
    if (paired.table !== measure.table || paired.name === measure.name)
      throw new CannotPlan('The two aggregates the question asks for are not of one measure.');
    plan.pairedMeasures = [{ expression: paired.expression, name: paired.name }];
  }
  if (plan.measureWords === '') plan.measureWords = measure.name.replace(/_/g, ' ');
  // "the average duration per appointment": per row of the measured table itself is over its rows, one group each otherwise.
  if (draft.group && !draft.group.column && draft.group.table.qualifiedName === measure.table) {
    draft.used.push(draft.group.mention);
    draft.group = null;
  }
  if (draft.group) {
    plan.kind = 'grouped';
    draft.applyGroup(draft.group);
  }
}

/**
 * Whether the grouping is "per" a column that holds a quantity ("fee per minute" against
 * `duration_minutes`): a rate of two sums, not one group per distinct number of minutes.
 */
function perQuantityColumn(draft: PlanDraft): boolean {
  const { group, shape, words } = draft;
  if (!group?.column || !shape.group || group.column.primaryKey || group.column.references) return false;
  if (!numericFamilies.has(group.column.family)) return false;
  let before = shape.group[0] - 1;
  while (before >= 0 && ['the', 'a', 'an', 'each', 'every'].includes(words[before].lower)) before -= 1;
  return words[before]?.lower === 'per';
}

/** "the average fee per minute": the sum of the measure over the sum of the quantity column. */
function planPerQuantity(draft: PlanDraft, group: Entity): void {
  const { plan, shape } = draft;
  const measure = resolveMeasure(draft, shape.measure ?? [0, shape.group![0]], 'SUM', null);
  if (measure.table !== group.table.qualifiedName) throw new CannotPlan('The two sides of the rate are measured on different tables.');
  // "drugs that cost more per unit than …": the price of one unit, read as the unit price over itself, is no rate.
  if (measure.expression.kind === 'column' && measure.expression.column.column === group.column!.name)
    throw new CannotPlan(`The two sides of the rate are both ${group.column!.name}.`);
  draft.used.push(group.mention);
  draft.group = null;
  plan.kind = 'ratio';
  plan.base = measure.table;
  plan.measure = {
    kind: 'ratio',
    numerator: measure.expression,
    denominator: { kind: 'column', function: 'SUM', column: reference(group.column!) },
  };
  plan.measureName = `${measure.name}_per_${group.column!.name}`;
  plan.measureWords = draft.phraseText([shape.measure?.[0] ?? 0, shape.group![1]]);
}

/**
 * "the average number of orders per customer": the rows of the measure phrase's table counted per group
 * (rows of the group with none do not count), then averaged (or their highest or lowest taken).
 */
function planCountsPerGroup(draft: PlanDraft, group: Entity): void {
  const { plan, shape, used } = draft;
  const counted = draft.inRange(shape.measure).filter(isMention('table')).at(-1);
  if (!counted) throw new CannotPlan(`"${draft.phraseText(shape.measure)}" names nothing to count per ${draft.phraseText(shape.group)}.`);
  if (!draft.reaches(counted.table, group))
    throw new CannotPlan(`I cannot tell which ${draft.phraseText(shape.group)} each of the ${counted.table.name} belongs to.`);
  used.push(counted, group.mention);
  const key = group.column ? reference(group.column) : { table: group.table.qualifiedName, column: rowKey(group.table) };
  plan.base = counted.table.qualifiedName;
  plan.measure = { kind: 'count' };
  plan.measureName = `${counted.table.name}_count`;
  plan.hiddenGroupKeys = [key];
  plan.outerAggregate = draft.aggregate ?? 'AVG';
  plan.measureWords = `number of ${counted.table.name.replace(/_/g, ' ')} per ${draft.phraseText(shape.group)}`;
}

/** The top N of the subject by a measure, restarting in each group when the question says so. */
function planTop(draft: PlanDraft, subject: Entity | null): void {
  const { plan, shape, used } = draft;
  if (!subject) throw new CannotPlan('The question does not say what to rank.');
  used.push(subject.mention);
  plan.limit = shape.rankAll ? draft.input.rowLimit : (shape.topCount ?? 1);
  plan.orderBy = 'measure';
  const measure = rankingMeasure(draft, subject);
  plan.measure = measure.expression;
  plan.measureName = measure.name;
  if (plan.measureWords === '' || plan.measureWords === plan.subjectWords) plan.measureWords = measure.name.replace(/_/g, ' ');
  if (measure.expression.kind === 'column' && measure.expression.function === null) {
    plan.base = subject.table.qualifiedName;
    plan.dimensions.push(...(subject.column ? [reference(subject.column)] : labelColumns(subject.table).map(reference)));
  } else {
    plan.base = measure.table;
    draft.applyGroup(subject);
    // "the most common diagnosis": counting the subject's own rows ranks their labels; grouped by each row's
    // key, every group would hold one row.
    if (measure.expression.kind === 'count' && measure.table === subject.table.qualifiedName && !subject.column)
      plan.hiddenGroupKeys = plan.hiddenGroupKeys.filter((key) => key.table !== subject.table.qualifiedName);
  }
  // "What is the SKU of the most expensive product?": the column asked of the ranked row, in place of its label.
  if (shape.askedColumn && !subject.column) {
    // Every word of the phrase must fit the column: "order number" is not `order_date` ("number" fits nothing of it),
    // while "phone number" is `phone` ("Phone number as entered").
    const phraseWords = draft.words.slice(shape.askedColumn[0], shape.askedColumn[1]).filter((word) => !isFunctionWord(word));
    const fitsWhole = (mention: MentionOf<'column'>) => {
      const described = [...mention.column.nameWords, ...wordsOf(mention.column.comment)];
      return phraseWords.every(
        (word) => (word.index >= mention.start && word.index < mention.end) || described.some((other) => sameWord(other, word)),
      );
    };
    const asked = draft
      .inRange(shape.askedColumn)
      .filter(isMention('column'))
      .filter((mention) => mention.column.table === subject.table && fitsWhole(mention));
    const columns = [...new Set(asked.map((mention) => mention.column))];
    const measured = measure.expression.kind === 'column' ? measure.expression.column : null;
    // "the price of the most expensive plant" asks for the figure ranked by, which the ranking shows anyway.
    const isMeasure = (column: (typeof columns)[number]) =>
      measured?.table === column.table.qualifiedName && measured.column === column.name;
    if (columns.length === 1 && !isMeasure(columns[0])) {
      const labels = new Set(labelColumns(subject.table).map((column) => column.name));
      plan.dimensions = plan.dimensions.filter(
        (dimension) => dimension.table !== subject.table.qualifiedName || !labels.has(dimension.column),
      );
      plan.dimensions.unshift(reference(columns[0]));
      used.push(...asked);
    }
  }
  // "in each category", "per department": the ranking restarts in every group.
  const group = draft.group;
  if (group) {
    // "Which 10 products … ? Show each product name with its revenue.": "each" of the ranked things is no group, and
    // where it stands the reading of the rest is in doubt (measured: dropping it answered such a question wrongly).
    if (!group.column && group.table === subject.table)
      throw new CannotPlan(`The question ranks ${group.table.name} within each of them, which is no ranking.`);
    used.push(group.mention);
    const dimensions = group.column ? [reference(group.column)] : labelColumns(group.table).map(reference);
    const key = group.table.primaryKey[0];
    const keys = !group.column && key ? [{ table: group.table.qualifiedName, column: key }] : [];
    plan.partition = { dimensions, keys };
  }
}

/** "When was the first order placed …?", "when did the latest appointment take place": the date asked, not a row. */
function asksWhenFirst(draft: PlanDraft, subject: Entity | null): boolean {
  const { shape, words } = draft;
  return (
    words[0]?.lower === 'when' &&
    shape.superlativeConcept === 'recency' &&
    shape.topCount === 1 &&
    !shape.group &&
    subject !== null &&
    !subject.column
  );
}

/** The earliest or latest date of the subject's rows: MIN or MAX of their own date column. */
function planFirstDate(draft: PlanDraft, subject: Entity): void {
  const { plan, shape, used } = draft;
  const dated = subject.table.columns.filter(
    (column) => (column.family === 'date' || column.family === 'timestamp') && !/birth/.test(column.name) && !column.nullable,
  );
  const column = dated.length === 1 ? dated[0] : dated.find((candidate) => /date/.test(candidate.name));
  if (!column) throw new CannotPlan(`The question asks when, and I see no date of the ${subject.table.name.replace(/_/g, ' ')}.`);
  used.push(subject.mention);
  const aggregate = shape.direction === 'ASC' ? 'MIN' : 'MAX';
  plan.kind = 'aggregate';
  draft.aggregate = aggregate;
  plan.base = subject.table.qualifiedName;
  plan.measure = { kind: 'column', function: aggregate, column: reference(column) };
  plan.measureName = measureName(aggregate, column.name);
  plan.measureWords = column.name.replace(/_/g, ' ');
}

/** "Which …", "list …": the subject's label columns, or the distinct known values of a column. */
function planList(draft: PlanDraft, subject: Entity | null): void {
  const { plan, shape, used, input } = draft;
  if (!subject) throw new CannotPlan('The question does not say what to list.');
  used.push(subject.mention);
  plan.base = subject.table.qualifiedName;
  // "the salary of each doctor in Psychiatry": a column of each row of its own table is listed next to the rows'
  // labels, one line per row (distinct values would merge two doctors paid the same).
  const group = draft.group;
  if (subject.column && group && !group.column && group.table === subject.column.table && !subject.column.primaryKey) {
    used.push(group.mention);
    draft.group = null;
    plan.dimensions.push(...labelColumns(group.table).map(reference), reference(subject.column));
  } else if (subject.column) {
    plan.dimensions.push(reference(subject.column));
    plan.distinct = true;
    // A list of values leaves out the unknown (NULL) one.
    if (subject.column.nullable) draft.addCondition({ kind: 'null', column: reference(subject.column), isNull: false });
  } else plan.dimensions.push(...labelColumns(subject.table).map(reference));
  if (subject.mention.kind === 'value' || subject.mention.kind === 'termCondition') used.pop();
  plan.orderBy = 'dimensions';
  plan.direction = 'ASC';
  if (!shape.wantsAll) plan.limit = input.rowLimit;
}
