import { isMention, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { columnReference as reference } from './schema-catalogue.ts';
import type { Word } from './question-words.ts';

/** Words that join a column to show to the listed rows ("with their email", "and their phone", "plus the city"). */
const joiningWords = new Set(['with', 'and', 'plus', 'including', 'showing', 'alongside']);
/** Words between a joining word and the column that keep it a thing of the listed rows. */
const ownerWords = new Set(['their', 'the', 'its', 'his', 'her']);
/** Forms of "to be" between "what" and the column ("and what was their price"). */
const beWords = new Set(['is', 'are', 'was', 'were']);

/**
 * "list the customers in Munich with their email", "doctors in Pediatrics and their hire dates", "which patients
 * have no insurance, and what city do they live in", "each region's continent": a column named after words
 * that join it to the listed rows (or inside the shape's range of things to show) is an output column of the
 * list, not a condition. Only a column of the listed table or of one it points at (one value per listed row)
 * is shown; a column followed by a number, a value or a missing value is a condition (`doctors with salary
 * over 300000`), and "with a …" or "with no …" says the rows have one, so neither is read here.
 */
export function addShownColumns(draft: PlanDraft): void {
  const { plan, mentions, words, used, shape, subject } = draft;
  if (plan.kind !== 'list' || plan.distinct || !subject || subject.column || plan.dimensions.length === 0) return;
  const inShownRange = (mention: MentionOf<'column'>) => !!shape.shown && mention.start >= shape.shown[0] && mention.end <= shape.shown[1];
  const candidates = mentions
    .filter(isMention('column'))
    .filter(
      (mention) =>
        !used.includes(mention) &&
        (mention.column.table.qualifiedName === plan.base || draft.reachesForward(mention.column.table.qualifiedName)) &&
        (inShownRange(mention) || joinedToList(words, mention.start)) &&
        !constrainedAfter(draft, mention),
    );
  for (const mention of candidates) {
    // Two columns read from the same words ("price" for `price` and `unit_price`): the listed table's, else none.
    const rivals = candidates.filter((other) => other.start === mention.start && other.end === mention.end);
    const chosen = rivals.length === 1 ? mention : rivals.find((other) => other.column.table.qualifiedName === plan.base);
    if (chosen !== mention) continue;
    // "along with", "together with": the first word joins too.
    const cue = cueBefore(words, mention.start);
    if (cue && cue.lower === 'with' && ['along', 'together'].includes(words[cue.index - 1]?.lower ?? ''))
      draft.extraPlaced.add(cue.index - 1);
    const shown = reference(mention.column);
    if (!plan.dimensions.some((dimension) => dimension.table === shown.table && dimension.column === shown.column))
      plan.dimensions.push(shown);
    // The words are the column to show: no other reading of them (a glossary condition one letter apart) filters.
    for (const other of mentions) if (other.start >= mention.start && other.end <= mention.end && !used.includes(other)) used.push(other);
  }
}

/**
 * Whether the words before a column join it to the listed rows: "with their", "and the", "plus", "along
 * with", the possessive "'s" ("each region's continent"), or "what" ("and what city …", "what was their price").
 */
function joinedToList(words: readonly Word[], start: number): boolean {
  const cue = cueBefore(words, start);
  if (!cue) return false;
  if (joiningWords.has(cue.lower)) return true;
  // "region's": the question's words split the possessive off as a lone "s".
  if (cue.lower === 's' && cue.index > 0 && cue.index === start - 1) return true;
  if (cue.lower === 'what') return true;
  return beWords.has(cue.lower) && words[cue.index - 1]?.lower === 'what';
}

/** The word before a column, past "their", "the", "its". */
function cueBefore(words: readonly Word[], start: number): Word | undefined {
  let before = start - 1;
  while (before >= 0 && ownerWords.has(words[before].lower)) before -= 1;
  return words[before];
}

/** Whether a column is followed by what makes it a condition: a compared number, a value, or a missing value. */
function constrainedAfter(draft: PlanDraft, mention: MentionOf<'column'>): boolean {
  const { shape, mentions, words } = draft;
  if (shape.comparisons.some((comparison) => comparison.index >= mention.end && comparison.index <= mention.end + 1)) return true;
  if (words[mention.end]?.isNumber) return true;
  return mentions.some(
    (other) =>
      other !== mention &&
      (other.kind === 'value' || other.kind === 'null' || other.kind === 'boolean') &&
      other.start < mention.end + 2 &&
      other.end > mention.start &&
      !(other.start >= mention.start && other.end <= mention.end),
  );
}
