/**
 * Why a plan stops before it is done. `PlanningGap` asks to see more tables (the candidates) first;
 * `CannotPlan` declines; `UnplacedWords` declines naming the words nothing in the plan accounts for.
 */
export class PlanningGap extends Error {
  constructor(
    readonly candidates: string[],
    reason: string,
  ) {
    super(reason);
  }
}

/** The question cannot be planned reliably: the model declines with this reason. */
export class CannotPlan extends Error {}

/** Words of the question the plan does not account for: answering would ignore part of the question. */
export class UnplacedWords extends CannotPlan {
  constructor(readonly words: string[]) {
    super(`no table, column, value or glossary term matches ${words.map((word) => `"${word}"`).join(', ')}`);
  }
}
