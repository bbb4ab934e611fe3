import { labelColumns } from './label-columns.ts';
import { isMention, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { CannotPlan } from './planning-errors.ts';
import type { ColumnReference } from './query-plan.ts';
import { columnReference as reference, type CatalogueColumn } from './schema-catalogue.ts';
import type { Mention } from './schema-linker.ts';
import type { Word } from './question-words.ts';

/** Words that join a column to show to the listed rows ("with their email", "and their phone", "plus the city"). */
const joiningWords = new Set(['with', 'and', 'plus', 'including', 'include', 'showing', 'show', 'alongside']);
/**
 * Requests that name a column of what a ranking picked out, with "its" or "their": "Which product sold the most?
 * Indicate its SKU as well", "Provide its name and price".
 */
const requestVerbs = new Set(['indicate', 'provide', 'state', 'give', 'list', 'mention', 'show', 'include']);
/** Words between a joining word and the column that keep it a thing of the listed rows. */
const ownerWords = new Set(['their', 'the', 'its', 'his', 'her']);
/** Forms of "to be" between "what" and the column ("and what was their price"). */
const beWords = new Set(['is', 'are', 'was', 'were']);
/** Words between "when" and the verb of a date column ("and when were they hired", "when did they sign up"). */
const whenFillers = new Set(['did', 'do', 'does', 'was', 'were', 'is', 'are', 'they', 'it', 'he', 'she', 'first']);

/** Words between "their" and a column that ask for a figure over several rows ("their first order date"). */
const figureWords = new Set(['first', 'last', 'latest', 'earliest', 'recent', 'most', 'total', 'average', 'overall']);

/** How a column or a table is joined to the list by the words before it. */
interface Cue {
  /** The joining word ("with", "and", "'s", "what", "when"). */
  word: Word;
  /** Whether an owner word ("their", "the") stands between: "with their …" shows; "with …" alone may filter. */
  owned: boolean;
  /** Whether a word of a figure over several rows stands between ("with their first order date"). */
  figure?: boolean;
}

/**
 * "list the customers in Munich with their email", "doctors in Pediatrics and their hire dates", "which patients
 * have no insurance, and what city do they live in", "each region's continent", "and when were they hired": a
 * column named after words that join it to the listed rows (or inside the shape's range of things to show) is an
 * output column of the list, not a condition. Only a column of the listed table or of one it points at (one value
 * per listed row) is shown; a table named so is shown by its label when it is one per listed row ("doctors with
 * their department"), and declined when each listed row has several ("customers with their orders"). A column
 * followed by a number or a value of its own is a condition (`doctors with salary over 300000`); "with a …" or
 * "with no …" says the rows have one; without "their" or "the", another reading of the same words (a glossary
 * condition, a value) wins ("patients with insurance").
 */
export function addShownColumns(draft: PlanDraft): void {
  const { plan, mentions, words, used, shape, subject } = draft;
  const ranking = plan.kind === 'top';
  if ((plan.kind !== 'list' && !ranking) || plan.distinct || !subject || subject.column || plan.dimensions.length === 0) return;
  const inShownRange = (mention: Mention) => !ranking && !!shape.shown && mention.start >= shape.shown[0] && mention.end <= shape.shown[1];
  const cueOf = (mention: Mention): Cue | null => {
    if (inShownRange(mention)) return { word: words[mention.start], owned: true };
    const cue = joiningCue(words, mention, mention.kind === 'column' && isDate(mention.column));
    // A ranking's own words ("the product with the highest price") rank; only a request with "its" shows more.
    if (ranking) return requestedOfIts(words, mentions, mention);
    return cue;
  };
  // What a ranking shows is of the ranked rows ("Which region has the most customers? Give its country": the
  // region's country, not the customers').
  const ownRow = (table: string) =>
    ranking
      ? table === subject.table.qualifiedName ||
        (draft.catalogue.joinPath(subject.table.qualifiedName, table)?.every((step) => step.forward) ?? false)
      : table === plan.base || draft.reachesForward(table);
  // "customers with their first order date": a figure over each listed row's related rows is not written here.
  const columnMentions = mentions.filter(isMention('column'));
  for (const mention of columnMentions) {
    const cue = used.includes(mention) ? null : cueOf(mention);
    // Another reading of the same words may be the listed rows' own column ("price": `price`, not `unit_price`).
    const ownReading = columnMentions.some(
      (other) =>
        other.start < mention.end && mention.start < other.end && ownRow(other.column.table.qualifiedName) && !other.column.references,
    );
    if (cue?.owned && (cue.figure || !ownReading))
      throw new CannotPlan(
        `The question asks for ${mention.column.name} of each listed row's related rows, which I cannot write reliably.`,
      );
  }
  const candidates = mentions
    .filter((mention): mention is MentionOf<'column'> | MentionOf<'boolean'> => mention.kind === 'column' || mention.kind === 'boolean')
    .filter((mention) => {
      if (used.includes(mention) || !ownRow(mention.column.table.qualifiedName)) return false;
      const cue = cueOf(mention);
      // "with their prescription requirement": a yes-or-no column is shown only when the question says whose;
      // "customers with phone numbers" are those who have one, which "with their phone numbers" is not.
      if (!cue || ((mention.kind === 'boolean' || mention.column.nullable) && !cue.owned && cue.word.lower === 'with')) return false;
      return !constrainedAfter(draft, mention) && (cue.owned || !readOtherwise(draft, mention));
    });
  for (const mention of candidates) {
    // Two columns read from the same words ("price" for `price` and `unit_price`): the listed table's, else none.
    const rivals = candidates.filter((other) => other.start === mention.start && other.end === mention.end);
    const chosen = rivals.length === 1 ? mention : rivals.find((other) => other.column.table.qualifiedName === plan.base);
    if (chosen !== mention) continue;
    // "the cheapest product? Provide its name and price": the price it is ranked by is shown already.
    const measured = plan.measure?.kind === 'column' && plan.measure.function === null ? plan.measure.column : null;
    if (ranking && measured?.table === mention.column.table.qualifiedName && measured.column === mention.column.name) {
      used.push(mention);
      continue;
    }
    show(draft, mention, [reference(mention.column)]);
  }
  for (const mention of mentions.filter(isMention('table'))) {
    const table = mention.table.qualifiedName;
    if (used.includes(mention) || table === plan.base || !cueOf(mention)?.owned) continue;
    if (
      mentions.some((other) => other.kind === 'column' && used.includes(other) && other.start <= mention.start && mention.end <= other.end)
    )
      continue;
    if (!draft.catalogue.joinPath(plan.base, table)) continue;
    if (!ownRow(table))
      throw new CannotPlan(
        `Each of the listed ${plan.subjectWords || 'rows'} has several ${mention.table.name}, which I cannot show in one row.`,
      );
    show(draft, mention, labelColumns(mention.table).map(reference));
  }
}

/** Adds columns to the list's output, and takes the words that named them. */
function show(draft: PlanDraft, mention: Mention, columns: ColumnReference[]): void {
  const { plan, mentions, used, words } = draft;
  // "along with", "together with": the first word joins too.
  const cue = joiningCue(words, mention, false);
  if (cue?.word.lower === 'with' && ['along', 'together'].includes(words[cue.word.index - 1]?.lower ?? ''))
    draft.extraPlaced.add(cue.word.index - 1);
  if (cue?.word.lower === 'when') draft.extraPlaced.add(cue.word.index);
  for (const shown of columns)
    if (!plan.dimensions.some((dimension) => dimension.table === shown.table && dimension.column === shown.column))
      plan.dimensions.push(shown);
  // The words are the column to show: no other reading of them (a glossary condition one letter apart) filters.
  for (const other of mentions) if (other.start >= mention.start && other.end <= mention.end && !used.includes(other)) used.push(other);
}

/**
 * The words before a column or a table that join it to the listed rows: "with their", "and the", "plus", "along
 * with", the possessive "'s" ("each region's continent"), "what" ("and what city …", "what was their price"), or
 * for a date, "when" ("and when were they hired"). Null when none does.
 */
function joiningCue(words: readonly Word[], mention: Mention, date: boolean): Cue | null {
  let before = mention.start - 1;
  let figure = false;
  while (before >= 0 && (ownerWords.has(words[before].lower) || figureWords.has(words[before].lower))) {
    figure ||= figureWords.has(words[before].lower);
    before -= 1;
  }
  const owned = before < mention.start - 1 && !figure ? true : figure && ownerWords.has(words[before + 1]?.lower ?? '');
  if (figure && !owned) return null;
  const cue = words[before];
  if (!cue) return null;
  if (joiningWords.has(cue.lower) || (owned && requestVerbs.has(cue.lower))) return { word: cue, owned, figure };
  // "region's": the question's words split the possessive off as a lone "s".
  if (cue.lower === 's' && before > 0 && before === mention.start - 1) return { word: cue, owned: true };
  if (cue.lower === 'what') return { word: cue, owned: true };
  if (beWords.has(cue.lower) && words[before - 1]?.lower === 'what') return { word: cue, owned: true };
  if (date) {
    let when = mention.start - 1;
    while (when >= 0 && whenFillers.has(words[when].lower)) when -= 1;
    if (words[when]?.lower === 'when' && when < mention.start - 1) return { word: words[when], owned: true };
  }
  return null;
}

/**
 * "Give its name and country", "Indicate its SKU as well": a column after a request word and "its" (or "their"),
 * with only other columns, "and", "or", "the" and the label's "name" between, is asked of the ranked rows.
 */
function requestedOfIts(words: readonly Word[], mentions: readonly Mention[], mention: Mention): Cue | null {
  const inOtherColumn = (index: number) =>
    mentions.some((other) => other !== mention && other.kind === 'column' && index >= other.start && index < other.end);
  let index = mention.start - 1;
  while (index > 0 && (['and', 'or', 'the', 'name', 'names'].includes(words[index].lower) || inOtherColumn(index))) index -= 1;
  if (!['its', 'their'].includes(words[index]?.lower ?? '') || !requestVerbs.has(words[index - 1]?.lower ?? '')) return null;
  return { word: words[index - 1], owned: true };
}

function isDate(column: CatalogueColumn): boolean {
  return column.family === 'date' || column.family === 'timestamp';
}

/** Whether a column is followed by what makes it a condition: a compared number, or a value of its own. */
function constrainedAfter(draft: PlanDraft, mention: MentionOf<'column'> | MentionOf<'boolean'>): boolean {
  const { shape, mentions, words } = draft;
  if (shape.comparisons.some((comparison) => comparison.index >= mention.end && comparison.index <= mention.end + 1)) return true;
  if (words[mention.end]?.isNumber) return true;
  return mentions.some(
    (other) =>
      (other.kind === 'value' || other.kind === 'null') &&
      other.column === mention.column &&
      other.start < mention.end + 2 &&
      other.end > mention.start &&
      !(other.start >= mention.start && other.end <= mention.end),
  );
}

/** Whether other words' readings cover the column's words: a glossary condition, a value, a yes-or-no or a missing value. */
function readOtherwise(draft: PlanDraft, mention: Mention): boolean {
  return draft.mentions.some(
    (other) =>
      other !== mention &&
      ['termCondition', 'value', 'boolean', 'null'].includes(other.kind) &&
      other.start < mention.end &&
      mention.start < other.end,
  );
}
