import type { PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap } from './planning-errors.ts';
import type { Word } from './question-words.ts';
import type { TimeUnit } from './query-plan.ts';
import { columnReference as reference } from './schema-catalogue.ts';

/** The period a word names (`month`, `months`, `monthly`, `quarter`, `quarterly`, `year`, `yearly`, `annually`). */
export function timeUnitOf(word: Word | undefined): TimeUnit | null {
  if (!word) return null;
  if (['month', 'monthly'].includes(word.stem)) return 'month';
  if (['quarter', 'quarterly'].includes(word.stem)) return 'quarter';
  if (['year', 'yearly', 'annual', 'annually'].includes(word.stem)) return 'year';
  return null;
}

/**
 * Groups a count or an aggregate by a period of the date column, in time order: by month (or quarter) number
 * within one calendar year, else by the month's (or quarter's) first day; or by year. Over "the last N months" the
 * months are whole, the current one left out.
 */
export function applyTimeGroup(draft: PlanDraft, unit: TimeUnit, phrase: [number, number]): void {
  const { plan, input } = draft;
  if (plan.kind !== 'count' && plan.kind !== 'aggregate' && plan.kind !== 'grouped')
    throw new CannotPlan(`I can split a count or a total by ${unit}, not this kind of question.`);
  const column = draft.dateColumn();
  if (!column) throw new PlanningGap(draft.forwardUnshown(), `The question asks per ${unit}, but no date column was found for it.`);
  let range: { from: string | null; to: string | null } | null = input.dateRange;
  // "monthly order counts for the last 6 months": a series by month over a window ending today is of whole months,
  // the current one (only begun) left out, as a monthly report reads it.
  if (
    range?.from &&
    range.to &&
    input.today &&
    unit === 'month' &&
    /^in the last \d+ months?$/.test(input.dateRange?.description ?? '') &&
    range.to > `${input.today.slice(0, 8)}01`
  ) {
    range = { from: `${range.from.slice(0, 8)}01`, to: `${input.today.slice(0, 8)}01` };
    draft.seriesRange = range;
  }
  // Month (or quarter) numbers tell the periods of one calendar year apart; over more, each is named by its first day.
  const lastYear = (to: string) => (/-01-01$/.test(to) ? String(Number(to.slice(0, 4)) - 1).padStart(4, '0') : to.slice(0, 4));
  const oneYear = !!range?.from && !!range.to && range.from.slice(0, 4) === lastYear(range.to);
  plan.kind = 'grouped';
  const bucket =
    unit === 'year' ? 'year' : unit === 'quarter' ? (oneYear ? 'quarterOfYear' : 'quarter') : oneYear ? 'monthOfYear' : 'month';
  plan.dimensions.unshift({ ...reference(column), bucket });
  plan.orderBy = 'dimensions';
  plan.direction = 'ASC';
  plan.limit = null;
  if (plan.groupWords === '') plan.groupWords = unit;
  for (let index = phrase[0]; index < phrase[1]; index += 1) draft.extraPlaced.add(index);
}

/**
 * "new customers per year", where the glossary's "new customer" is a sign-up date since a day: a term that
 * bounds the very date the periods are taken from leaves one period, which is not what a breakdown by period
 * asks; which the question meant, the term or the periods, it does not say.
 */
export function refuseBoundedPeriods(draft: PlanDraft): void {
  const { plan } = draft;
  for (const dimension of plan.dimensions.filter((candidate) => candidate.bucket)) {
    const name = `${dimension.table.split('.').at(-1)}.${dimension.column}`;
    const bounded = plan.conditions.some(
      (condition) => condition.kind === 'sql' && condition.sql.includes(name) && /'\d{4}-\d{2}-\d{2}/.test(condition.sql),
    );
    if (bounded)
      throw new CannotPlan(
        `A term of the question limits ${dimension.column} to a span, and the question also splits it by ${(dimension.bucket ?? '').replace('OfYear', '')}.`,
      );
  }
}
