import { isMention, type PlanDraft } from './plan-draft.ts';
import { splitQualified, type ForeignKeyEdge } from './schema-catalogue.ts';
import { isFunctionWord, wordsOf, type Word } from './question-words.ts';

/** Words that negate a relation: "never ordered", "without appointments", "no orders". */
const relationNegations = ['not', 'never', 'without', 'no'];

/**
 * "customers who never ordered", "doctors without appointments", "products never ordered": a negation
 * followed (within four words) by a table whose rows point at the base table becomes `NOT EXISTS` over
 * that foreign key. The table may be named, reached through a table that points at both (order lines
 * point at products and at orders), or named by a verb of its name ("ordered" for `order_items`).
 */
export function addAntiJoins(draft: PlanDraft): void {
  const { words, skip, mentions, plan, catalogue, used, negationsExpressed } = draft;
  // "customers who did not order in 2024": the period belongs inside the NOT EXISTS, which is not written;
  // the negation stays unexpressed, so the question is declined.
  if (draft.input.dateRange) return;
  const pointingAtBase = catalogue.edges.filter((edge) => edge.toTable === plan.base && edge.fromTable !== plan.base);
  for (const word of words) {
    if (!relationNegations.includes(word.lower) || skip.has(word.index) || negationsExpressed.has(word.index)) continue;
    const near = (start: number) => start > word.index && start - word.index <= 4;
    const named = mentions
      .filter(isMention('table'))
      .find((mention) => near(mention.start) && mention.table.qualifiedName !== plan.base && !used.includes(mention));
    let edge: ForeignKeyEdge | undefined;
    if (named) {
      const negated = named.table.qualifiedName;
      edge =
        pointingAtBase.find((candidate) => candidate.fromTable === negated) ??
        pointingAtBase.find((candidate) =>
          catalogue.edges.some((other) => other.fromTable === candidate.fromTable && other.toTable === negated),
        );
      if (edge) used.push(named);
    } else {
      for (const verb of words.filter((candidate) => near(candidate.index) && !skip.has(candidate.index) && !isFunctionWord(candidate))) {
        edge = pointingAtBase.find((candidate) => namesTable(verb, candidate.fromTable));
        if (!edge) continue;
        draft.extraPlaced.add(verb.index);
        break;
      }
    }
    if (!edge) continue;
    draft.addCondition({
      kind: 'notExists',
      table: edge.fromTable,
      foreignKey: edge.fromColumn,
      target: { table: plan.base, column: edge.toColumn },
    });
    negationsExpressed.add(word.index);
  }
}

/** Whether a verb names a table by the first word of its name: "ordered" for `order_items`. */
function namesTable(verb: Word, table: string): boolean {
  const first = wordsOf(splitQualified(table)[1])[0];
  return first !== undefined && first.root.length >= 4 && (verb.root === first.root || verb.stem === first.stem);
}
