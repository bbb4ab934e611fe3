import { isMention, type PlanDraft } from './plan-draft.ts';
import { sameWord, type Word } from './question-words.ts';
import { columnReference as reference, type CatalogueColumn, type CatalogueTable } from './schema-catalogue.ts';

/** Words that say two values differ ("a different country than", "differs from", "other than") or agree ("the same as"). */
const differing = new Set(['different', 'differs', 'differ', 'differed', 'other']);
const agreeing = new Set(['same', 'matches', 'match', 'matching']);

/**
 * "orders shipped to a different country than the customer's country", "orders whose shipping country differs from
 * the customer's country", "patients who live in the same city as their doctor's department"… : a column of the
 * listed rows (or a table they point at) compared with the same-named column of another table they reach,
 * `a.shipping_country <> c.country`. The second column is named by its table in the possessive ("the customer's
 * country"); the first is the one column of the listed rows' side whose name holds that word. Nothing is added when
 * either is not found once.
 */
export function addColumnPairs(draft: PlanDraft): void {
  const { words, mentions, plan, catalogue, used } = draft;
  for (const word of words) {
    const negative = differing.has(word.lower);
    if (!negative && !agreeing.has(word.lower)) continue;
    // The possessive within a few words after: "the customer's country" → `customer`, `s`, `country`.
    const possessive = words.findIndex(
      (candidate, index) => index > word.index && index <= word.index + 6 && candidate.lower === 's' && index >= 1,
    );
    if (possessive < 0) continue;
    const owner = mentions
      .filter(isMention('table'))
      .find((mention) => mention.end === possessive && mention.table.qualifiedName !== plan.base);
    const named = words[possessive + 1];
    if (!owner || !named) continue;
    const right = ownColumn(owner.table, named);
    if (!right) continue;
    // The listed rows' side: the base and the tables it points at, the owner's table aside.
    const sides = catalogue.tables.filter(
      (table) =>
        table !== owner.table &&
        (table.qualifiedName === plan.base || (catalogue.joinPath(plan.base, table.qualifiedName)?.every((step) => step.forward) ?? false)),
    );
    // (The listed rows' own column first: the orders' shipping country before their customer's region's country.)
    const fitting = (table: CatalogueTable) => table.columns.filter((column) => column.family === right.family && holds(column, named));
    const own = sides.filter((table) => table.qualifiedName === plan.base).flatMap(fitting);
    const left = own.length > 0 ? own : sides.flatMap(fitting);
    if (left.length !== 1) continue;
    if (!(catalogue.joinPath(plan.base, owner.table.qualifiedName)?.every((step) => step.forward) ?? false)) continue;
    draft.addCondition({ kind: 'columnPair', left: reference(left[0]), right: reference(right), equal: !negative }, word.index);
    used.push(owner);
    for (const mention of mentions)
      if ((mention.kind === 'column' && (mention.column === left[0] || mention.column === right)) || mention === owner) used.push(mention);
    // The words of the comparison: "different … than the customer's country", "differs from", "the same … as".
    const from = Math.min(
      word.index,
      ...mentions
        .filter(isMention('column'))
        .filter((m) => m.column === left[0])
        .map((m) => m.start),
    );
    for (let index = Math.max(0, from); index <= possessive + 1; index += 1) draft.extraPlaced.add(index);
    return;
  }
}

/** The column of a table named by one word: its whole name, else the one whose name holds it. */
function ownColumn(table: CatalogueTable, word: Word): CatalogueColumn | null {
  const whole = table.columns.find((column) => column.nameWords.length === 1 && sameWord(column.nameWords[0], word));
  if (whole) return whole;
  const holding = table.columns.filter((column) => holds(column, word));
  return holding.length === 1 ? holding[0] : null;
}

/** Whether a column's name holds a word ("shipping_country" holds "country"); keys aside. */
function holds(column: CatalogueColumn, word: Word): boolean {
  return !column.primaryKey && !column.references && column.nameWords.some((nameWord) => sameWord(nameWord, word));
}
