import type { PlanDraft } from './plan-draft.ts';
import { sameWord, wordsOf, type Word } from './question-words.ts';

/**
 * Words that join a second request to a ranking ("… and their totals", "… with the counts"), or open one after it
 * ("… Show the counts too.", "Include the patient counts.").
 */
const joiningWords = new Set([
  'and',
  'with',
  'plus',
  'including',
  'alongside',
  'showing',
  'together',
  'include',
  'show',
  'give',
  'display',
]);
/** Words that name a figure in general, whatever the measure is. */
const figureWords = new Set(['count', 'number', 'total', 'amount', 'figure', 'value', 'sum', 'average', 'score', 'tally', 'cost', 'worth']);
/** Words that open a request for what follows them ("show the revenue of …"). */
const requestWords = new Set(['show', 'give', 'list', 'display', 'what', 'is', 'are', 'me', 'the', 'their']);
/** Words that rank: a figure after one is the ranking itself ("with the most orders"), not a second request. */
const rankingWords =
  /^(most|highest|largest|biggest|best|greatest|top|longest|least|lowest|smallest|fewest|worst|cheapest|shortest|bottom|more|less|fewer|max|min|maximum|minimum)$/;
/** How many words after a joining word may name the figure ("and the total number"). */
const figureReach = 4;

/**
 * Fits a plan to the prompt's rules on the form of the answer (v7 on; without them the plan stays as it was,
 * so a label comparison measures the rules). Under "select exactly the columns the question asks for", a
 * ranking ("which five cities have the most customers", "the three cheapest products", "the top product in
 * each category") returns the ranked items, and the measure only orders them; a month-over-month change
 * returns each period and its change: unless the question asks for the figures too ("… and how many", "with
 * their totals", "show the revenue of the top five …"). Under any prompt, a list filtered on a count shows the count
 * when the question asks for it ("Show their names and the number."). Under "a share or proportion 0–1", a question that
 * asks for a share, proportion or fraction (and names no percentage) gets a fraction, not a percentage.
 */
export function fitAnswerForm(draft: PlanDraft): void {
  const { plan, input, words, shape } = draft;
  const form = input.answerForm;
  // Under any prompt: "Which doctors had more than 60 completed appointments? Show their names and the number.": the count compared is
  // shown too (a list filtered on a count shows only the items otherwise).
  if (plan.kind === 'list' && plan.having?.kind === 'compare' && plan.having.measure && plan.dimensions.length > 0) {
    const counted = plan.having.measure.kind === 'countDistinct' ? plan.having.measure.column.table.split('.').pop()! : 'count';
    if (asksForFigures(words, null, shape.subject, [counted])) plan.havingShown = true;
  }
  if (!form) return;
  const measureColumn = plan.measure?.kind === 'column' ? plan.measure.column.column : null;
  const measureNames = [plan.measureName, measureColumn ?? ''].flatMap((name) => name.split('_')).filter(Boolean);
  const figuresAsked = () => asksForFigures(words, shape.measure, shape.subject, measureNames);
  if (form.exactColumns && plan.kind === 'top' && plan.orderBy === 'measure' && plan.measure && plan.dimensions.length > 0 && !plan.change)
    if (!figuresAsked()) plan.measureHidden = true;
  if (form.exactColumns && plan.change && !figuresAsked()) plan.changeOnly = true;
  if (form.shareAsFraction && asksForFraction(words) && plan.measure?.kind === 'share') {
    plan.measure = { ...plan.measure, fraction: true };
    plan.measureName = 'share';
  }
}

/** Whether a share question asks for a fraction ("what share of …", "the proportion of …"), naming no percentage. */
export function asksForFraction(words: readonly Word[]): boolean {
  const percent = words.some((word) => word.isPercent || ['percent', 'percentage', 'pct'].includes(word.lower));
  return !percent && words.some((word) => ['share', 'proportion', 'fraction'].includes(word.lower));
}

/**
 * Whether a ranking question also asks for the figure it ranks by: "how many" or "how much"; a joining word
 * followed closely by a figure word or a word of the measure ("and their revenue", "with the counts"); or
 * a word of the measure (or of the column or measure it is
 * ranked by: `measureNames`) asked for before the ranked things ("show the revenue of the top five products").
 */
export function asksForFigures(
  words: readonly Word[],
  measure: [number, number] | null,
  subject: [number, number] | null,
  measureNames: readonly string[] = [],
): boolean {
  const measureWords = [...(measure ? words.slice(measure[0], measure[1]) : []), ...measureNames.flatMap((name) => wordsOf(name))];
  const inMeasure = (word: Word) => !!measure && word.index >= measure[0] && word.index < measure[1];
  const namesFigure = (word: Word) =>
    !inMeasure(word) && (figureWords.has(word.stem) || measureWords.some((measureWord) => sameWord(measureWord, word)));
  for (const [index, word] of words.entries()) {
    if (word.lower === 'how' && ['many', 'much'].includes(words[index + 1]?.lower ?? '')) return true;
    if (!joiningWords.has(word.lower)) continue;
    for (const next of words.slice(index + 1, index + 1 + figureReach)) {
      if (rankingWords.test(next.lower)) break;
      if (namesFigure(next)) return true;
    }
  }
  if (measure && subject && measure[1] <= subject[0]) {
    const before = words[measure[0] - 1];
    if (before && requestWords.has(before.lower)) return true;
  }
  return false;
}
