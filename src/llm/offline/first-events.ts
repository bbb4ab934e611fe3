import { labelColumns } from './label-columns.ts';
import { CannotPlan } from './planning-errors.ts';
import { isMention, type Entity, type PlanDraft } from './plan-draft.ts';
import { columnReference as reference, rowKey } from './schema-catalogue.ts';

/** Words that may stand between the superlative and the related rows: "their very first order", "a last visit". */
const between = new Set(['their', 'his', 'her', 'its', 'our', 'very', 'a', 'an', 'the']);

/**
 * "How many customers placed their first order in 2025?", "How many patients had their last appointment in 2024?": each
 * counted row is picked by the earliest (or the latest) of the rows that point at it, and that one must fall in the
 * period: a HAVING on MIN (or MAX) of those rows' own date, per counted row. A plain count of the rows with an order in
 * the period would answer another question. "Which customers placed their first order in 2025?" lists them (it is no
 * ranking of the customers by a date). Returns whether the question has this shape (and the plan was made).
 */
export function planFirstEvents(draft: PlanDraft, subject: Entity, form: 'count' | 'list'): boolean {
  const { words, mentions, input, catalogue, plan, used } = draft;
  const range = input.dateRange;
  if (!range || subject.column || subject.mention.kind !== 'table') return false;
  const pointsAtSubject = (table: string) =>
    catalogue.edges.some((edge) => edge.fromTable === table && edge.toTable === subject.table.qualifiedName);
  for (const mention of mentions.filter(isMention('table'))) {
    if (mention.table === subject.table || used.includes(mention) || mention.start < subject.mention.end) continue;
    let before = mention.start - 1;
    while (before >= 0 && between.has(words[before].lower)) before -= 1;
    const word = words[before]?.lower ?? '';
    const recent = word === 'recent' && words[before - 1]?.lower === 'most';
    const aggregate = ['first', 'earliest'].includes(word) ? 'MIN' : ['last', 'latest'].includes(word) || recent ? 'MAX' : null;
    // ("their first lead visit": the first of the lead visits, or the first visit, which was a lead one? Not said; and
    // a ranking of the members by a date of their own would answer neither.)
    const described = words
      .slice(Math.max(0, mention.start - 3), mention.start)
      .some((word) => ['first', 'earliest', 'last', 'latest'].includes(word.lower) && word.index < before);
    if (described && pointsAtSubject(mention.table.qualifiedName))
      throw new CannotPlan(
        `The question picks the ${words[before]?.text ?? ''} ${mention.table.name} of each row by a condition, which I cannot write reliably.`,
      );
    if (!aggregate || range.wordIndices.includes(before) || !range.wordIndices.every((index) => index > mention.start)) continue;
    // ("did not place their first order in 2025": negated, which this does not write.)
    if (words.slice(0, before).some((word) => ['not', 'never', 'no', "didn't", "haven't", "hasn't", 'without'].includes(word.lower)))
      return false;
    const edge = catalogue.edges.find(
      (candidate) => candidate.fromTable === mention.table.qualifiedName && candidate.toTable === subject.table.qualifiedName,
    );
    // Only rows with a date of their own (an order's date, not that of what it points at).
    const dates = catalogue.rowDates(mention.table.qualifiedName).filter((column) => column.table === mention.table);
    if (!edge || dates.length !== 1) continue;
    used.push(subject.mention, mention);
    plan.base = subject.table.qualifiedName;
    plan.joinTables = [mention.table.qualifiedName];
    plan.hiddenGroupKeys = [{ table: subject.table.qualifiedName, column: rowKey(subject.table) }];
    plan.having = { kind: 'dateRange', column: reference(dates[0]), from: range.from, to: range.to, aggregate };
    if (form === 'count') {
      plan.measure = { kind: 'count' };
      plan.measureName = `${subject.table.name}_count`;
    } else {
      plan.kind = 'list';
      plan.measure = null;
      plan.dimensions = labelColumns(subject.table).map(reference);
      plan.orderBy = 'dimensions';
      plan.direction = 'ASC';
      plan.limit = draft.shape.wantsAll ? null : input.rowLimit;
    }
    draft.dateApplied = true;
    draft.extraPlaced.add(before);
    if (recent) draft.extraPlaced.add(before - 1);
    return true;
  }
  return false;
}
