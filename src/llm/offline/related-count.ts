import { isMention, type Entity, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { afterComparedNumber, numberOf } from './question-words.ts';

/** Words that negate the relation after them: an anti-join reads those, not a count of related rows. */
const negations = new Set(['not', 'never', 'no', 'without', 'none']);

/**
 * "How many customers placed an order in 2025?", "how many patients from Quincy had an appointment in
 * 2024?": people counted through their events. The counted table is named first; a table named after it
 * whose rows point at it (orders → customers) holds the events, and the period and the events' own
 * conditions apply to those rows. The count is of the different people among them
 * (`COUNT(DISTINCT orders.customer_id)` over orders), not of people by a date of their own. Returns the
 * events' table mention, or null when the question names none (or negates it, or compares its number). With
 * `throughOthers`, the events may also be reached from rows that point at the counted ones ("prescriptions" of doctors,
 * through their appointments).
 */
export function relatedEventsOf(draft: PlanDraft, subject: Entity, throughOthers = false): MentionOf<'table'> | null {
  const { mentions, words, used, shape, catalogue } = draft;
  if (subject.column || subject.mention.kind !== 'table') return null;
  // "customers with more than 10 orders", "ordered more than 5 times": a number of the events is compared (a
  // HAVING count reads it); "customers under 30 who placed an order" compares something else of the people.
  const numbers = shape.comparisons.map((comparison) =>
    words.findIndex((word, index) => index >= comparison.index && numberOf(word) !== null),
  );
  const countsEvents = (start: number) =>
    numbers.some(
      (number) => number >= 0 && start - afterComparedNumber(words, number) >= 0 && start - afterComparedNumber(words, number) <= 1,
    );
  if (numbers.some((number) => number >= 0 && ['times', 'time'].includes(words[number + 1]?.lower ?? ''))) return null;
  if (numbers.some((number) => number < 0)) return null;
  const counted = subject.table.qualifiedName;
  return (
    mentions
      .filter(isMention('table'))
      .find(
        (mention) =>
          mention.start >= subject.mention.end &&
          !used.includes(mention) &&
          mention.table.qualifiedName !== counted &&
          !countsEvents(mention.start) &&
          !(shape.group && mention.start >= shape.group[0] && mention.start < shape.group[1]) &&
          !words.slice(Math.max(0, mention.start - 4), mention.start).some((word) => negations.has(word.lower)) &&
          (throughOthers
            ? !draft.reachesForward(mention.table.qualifiedName)
            : catalogue.edges.some((edge) => edge.fromTable === mention.table.qualifiedName && edge.toTable === counted)),
      ) ?? null
  );
}

/** Counts the different rows of the subject among the events that point at it: the events become the base. */
export function countThroughEvents(draft: PlanDraft, subject: Entity, events: MentionOf<'table'>): void {
  const { plan, catalogue } = draft;
  const edge = catalogue.edges.find(
    (candidate) => candidate.fromTable === events.table.qualifiedName && candidate.toTable === subject.table.qualifiedName,
  )!;
  draft.used.push(events);
  plan.base = events.table.qualifiedName;
  plan.measure = { kind: 'countDistinct', column: { table: edge.fromTable, column: edge.fromColumn } };
}
