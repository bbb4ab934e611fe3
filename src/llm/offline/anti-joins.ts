import { isMention, type PlanDraft } from './plan-draft.ts';

/**
 * "customers who never ordered", "doctors without appointments": a negation followed by a table whose
 * rows point at the base table becomes `NOT EXISTS` over that foreign key.
 */
export function addAntiJoins(draft: PlanDraft): void {
  const { words, skip, mentions, plan, catalogue, used, negationsExpressed } = draft;
  for (const word of words) {
    if (!['not', 'never', 'without', 'no'].includes(word.lower) || skip.has(word.index) || negationsExpressed.has(word.index)) continue;
    const negated = mentions
      .filter(isMention('table'))
      .find(
        (mention) =>
          mention.start > word.index &&
          mention.start - word.index <= 4 &&
          mention.table.qualifiedName !== plan.base &&
          !used.includes(mention),
      );
    if (!negated) continue;
    const edge = catalogue.edges.find(
      (candidate) => candidate.fromTable === negated.table.qualifiedName && candidate.toTable === plan.base,
    );
    if (!edge) continue;
    draft.addCondition({
      kind: 'notExists',
      table: negated.table.qualifiedName,
      foreignKey: edge.fromColumn,
      target: { table: plan.base, column: edge.toColumn },
    });
    used.push(negated);
    negationsExpressed.add(word.index);
  }
}
