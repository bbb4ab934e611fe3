import { relatedRowsCondition, relationTo } from './anti-joins.ts';
import { CannotPlan } from './planning-errors.ts';
import { isMention, unique, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { conditionColumn, type Condition } from './query-plan.ts';
import { numberOf, sameWord } from './question-words.ts';
import { columnReference as reference, type CatalogueColumn } from './schema-catalogue.ts';
import type { Mention } from './schema-linker.ts';

/** Verbs of place or belonging and their prepositions, between a negation and the value it negates. */
const placeBridges = new Set([
  'work',
  'works',
  'live',
  'lives',
  'belong',
  'belongs',
  'come',
  'comes',
  'reside',
  'resides',
  'located',
  'based',
  'in',
  'at',
  'from',
  'to',
  'the',
  'a',
  'an',
]);

/** Ordinal words, for "the third floor". */
const ordinals: Readonly<Record<string, number>> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};

/** The number an ordinal stands for, in words or digits (`third`, `3rd`, `4th`), or null. */
function ordinalOf(word: string): number | null {
  const digits = /^(\d+)(?:st|nd|rd|th)$/.exec(word);
  return digits ? Number(digits[1]) : (ordinals[word] ?? null);
}

/** Whether a mention overlaps one the plan already took (a concept word may still be shared). */
export function isTaken(draft: PlanDraft, mention: Mention): boolean {
  return draft.used.some(
    (other) => other === mention || (mention.start < other.end && other.start < mention.end && other.kind !== 'concept'),
  );
}

/**
 * The values the question names, as `=` (or `IN` for several of one column; `<>` after a negation). Of
 * overlapping readings the longest wins, then the best placed (`valueScore`). Returns the values chosen.
 */
export function addValueConditions(draft: PlanDraft): Array<MentionOf<'value'>> {
  const { mentions, words, used } = draft;
  // "upcoming appointments": a glossary value whose phrase holds the name of its own table names rows of that
  // table, the subject included; it still filters them.
  const namesOwnRows = (mention: MentionOf<'value'>) =>
    used.some(
      (other) =>
        other.kind === 'table' &&
        other.table === mention.column.table &&
        mention.start <= other.start &&
        other.end <= mention.end &&
        mention.end - mention.start > other.end - other.start,
    ) && !used.some((other) => other.kind !== 'table' && mention.start < other.end && other.start < mention.end);
  const valueMentions = mentions.filter(isMention('value')).filter((mention) => !isTaken(draft, mention) || namesOwnRows(mention));
  const spans = unique(valueMentions.map((mention) => `${mention.start}:${mention.end}`));
  const chosen: Array<MentionOf<'value'>> = [];
  for (const span of spans) {
    const [start, end] = span.split(':').map(Number);
    if (chosen.some((other) => start < other.end && other.start < end)) continue;
    if (valueMentions.some((other) => other.start <= start && other.end >= end && other.end - other.start > end - start)) continue;
    const options = valueMentions.filter((mention) => mention.start === start && mention.end === end);
    const ranked = [...options].sort((left, right) => valueScore(draft, right) - valueScore(draft, left));
    // A value found by a lookup, not sampled, that another column holds as well and fits as well: which
    // one the question means is a guess.
    const [best, next] = ranked;
    if (
      next &&
      (best.column.foundValues.includes(best.value) || next.column.foundValues.includes(next.value)) &&
      next.column !== best.column &&
      valueScore(draft, next) === valueScore(draft, best)
    )
      throw new CannotPlan(
        `"${draft.phraseText([start, end])}" is a value of both ${best.column.table.name}.${best.column.name} and ${next.column.table.name}.${next.column.name}`,
      );
    chosen.push(best);
  }
  // "shipped to France": a value word that names the column of another value ("shipping_country") describes that value.
  for (let index = chosen.length - 1; index >= 0; index -= 1) {
    const mention = chosen[index];
    const describes = chosen.some(
      (other) =>
        other !== mention &&
        other.column !== mention.column &&
        other.column.nameWords.some((nameWord) =>
          words.slice(mention.start, mention.end).some((word) => word.root === nameWord.root && word.root.length >= 4),
        ),
    );
    if (describes) chosen.splice(index, 1);
  }
  // "were scheduled for the second half of 2024", "was shipped in March": a participle after an auxiliary,
  // right before the question's period, that names a date column of its value's table ("scheduled_at") says
  // when, not which status: the period applies to that column, and no status is asked for.
  const periodStart = draft.input.dateRange ? Math.min(...draft.input.dateRange.wordIndices) : null;
  for (let index = chosen.length - 1; index >= 0 && periodStart !== null; index -= 1) {
    const mention = chosen[index];
    const word = words[mention.start];
    const whenWord =
      mention.end - mention.start === 1 &&
      passiveAuxiliaries.has(words[mention.start - 1]?.lower ?? '') &&
      mention.end <= periodStart &&
      periodStart - mention.start <= 3 &&
      mention.column.table.columns.some(
        (column) =>
          (column.family === 'date' || column.family === 'timestamp') &&
          column.nameWords.some((nameWord) => nameWord.root === word.root && word.root.length >= 4),
      );
    if (!whenWord) continue;
    chosen.splice(index, 1);
    draft.extraPlaced.add(mention.start);
  }
  // "not cancelled", "other than card": a negation right before a value excludes it.
  // "doctors who do not work in the Main Building", "customers who don't live in Canada": a negated verb of place or
  // belonging before the value negates the value.
  /** The index of the word before the verbs of place and their prepositions that end right before `start`. */
  const beforeBridges = (start: number) => {
    let index = start - 1;
    while (index >= 0 && placeBridges.has(words[index].lower)) index -= 1;
    return index;
  };
  const negatedThroughVerb = (mention: MentionOf<'value'>) => {
    const index = beforeBridges(mention.start);
    return (
      index < mention.start - 2 && ['not', 'never'].includes(words[index]?.lower ?? '') && !used.some((other) => other.start === index)
    );
  };
  const negatedValue = (mention: MentionOf<'value'>) =>
    negatedThroughVerb(mention) ||
    words.slice(Math.max(0, mention.start - 2), mention.start).some(
      (word) =>
        // "other than card" negates; "more than 80 completed" compares a number.
        (['not', 'never', 'except', 'excluding', 'non', 'outside'].includes(word.lower) ||
          (word.lower === 'than' && ['other', 'rather'].includes(words[word.index - 1]?.lower ?? ''))) &&
        !used.some((other) => other.start === word.index) &&
        // "other than card failed": the negation is the nearer value's, not the one after it.
        !chosen.some((other) => other !== mention && other.start > word.index && other.end <= mention.start),
    );
  // "Fiction books" when both are categories: two values of one column side by side, with no "and" or "or" between,
  // are one thing named twice (a subcategory and its parent), not either of them; which one filters is a guess.
  const ordered = [...chosen].sort((left, right) => left.start - right.start);
  for (const [position, mention] of ordered.entries()) {
    const next = ordered[position + 1];
    if (next && next.column === mention.column && next.start === mention.end && next.value !== mention.value)
      throw new CannotPlan(
        `"${draft.phraseText([mention.start, next.end])}" names two values of ${mention.column.table.name}.${mention.column.name} at once.`,
      );
  }
  const byColumn = new Map<string, { column: CatalogueColumn; values: string[]; negated: boolean; start: number }>();
  let previous = null as { mention: MentionOf<'value'>; negated: boolean } | null;
  for (const mention of ordered) {
    // "outside Germany and France", "not cancelled or returned": the negation spans the values joined to the first.
    const joined: boolean =
      previous?.negated === true &&
      previous.mention.column === mention.column &&
      previous.mention.end === mention.start - 1 &&
      ['and', 'or', 'nor'].includes(words[mention.start - 1].lower);
    const negated: boolean = negatedValue(mention) || joined;
    previous = { mention, negated };
    if (negated)
      for (let index = Math.max(0, Math.min(mention.start - 2, beforeBridges(mention.start))); index < mention.start; index += 1)
        draft.negationsExpressed.add(index);
    // The two sides of a ratio are two conditions, even on one column.
    const side = draft.shape.ratio && mention.start >= draft.shape.ratio.denominator[0] ? 'denominator' : '';
    const key = `${mention.column.table.qualifiedName}.${mention.column.name}:${negated}:${side}`;
    const entry = byColumn.get(key) ?? { column: mention.column, values: [], negated, start: mention.start };
    entry.values.push(mention.value, ...(mention.alsoValues ?? []));
    byColumn.set(key, entry);
  }
  for (const { column, values, negated, start } of byColumn.values()) {
    // "patients with both a diabetes and a hypertension diagnosis": every value, each by a related row of its own.
    if (!negated && unique(values).length > 1 && words.slice(0, start).some((word) => word.lower === 'both')) {
      addEachPresent(draft, column, unique(values), start);
      continue;
    }
    const children = negated ? null : childrenOf(draft, column, start);
    const condition: Condition = {
      kind: 'equals',
      column: reference(column),
      values: unique(values),
      ...(negated ? { negated } : {}),
      ...(children ? { childrenOf: children } : {}),
    };
    draft.addCondition(condition, start);
  }
  return chosen;
}

/** Words before a participle that make it passive ("were scheduled", "was shipped", "got delivered"). */
const passiveAuxiliaries = new Set(['was', 'were', 'is', 'are', 'be', 'been', 'being', 'get', 'got', 'gets']);

/** Glossary terms that stand for a row condition ("new patients"), each once. */
export function addTermConditions(draft: PlanDraft): void {
  for (const mention of draft.mentions) {
    // A term condition may contain the subject's own word ("new patients"): only its own use takes it.
    if (mention.kind !== 'termCondition' || draft.used.includes(mention)) continue;
    // "patients who don't have insurance": a negation right before the term takes its rows out.
    const negation = [mention.start - 1, mention.start - 2].find(
      (index) => ['not', 'never', 'no', 'without'].includes(draft.words[index]?.lower ?? '') && !draft.negationsExpressed.has(index),
    );
    // Written `NOT condition`, without brackets: the MySQL guard reads `NOT (…)` as a call of a function not().
    // NOT binds looser than comparisons and IS on both engines; a condition of several parts is declined.
    if (negation !== undefined && /\b(and|or)\b/i.test(mention.sql))
      throw new CannotPlan(`The question negates "${mention.term}", whose condition has several parts.`);
    const sql = negation === undefined ? mention.sql : `NOT ${mention.sql}`;
    if (draft.plan.conditions.some((condition) => condition.kind === 'sql' && condition.sql === sql)) continue;
    draft.addCondition({ kind: 'sql', table: mention.table.qualifiedName, sql }, mention.start);
    if (negation !== undefined) draft.negationsExpressed.add(negation);
    draft.used.push(mention);
  }
}

/** "on floor 3", "on the third floor": a whole-number column named next to a number (or an ordinal) equals it. */
export function addNumberedColumnConditions(draft: PlanDraft): void {
  const { mentions, words, skip, used, plan } = draft;
  for (const mention of mentions) {
    if (mention.kind !== 'column' || used.includes(mention) || mention.column.family !== 'integer' || mention.column.references) continue;
    const after = words[mention.end];
    const before = words[mention.start - 1];
    const number =
      after && !skip.has(after.index) && numberOf(after) !== null
        ? { value: numberOf(after)!, index: after.index }
        : before && ordinalOf(before.lower) !== null
          ? { value: ordinalOf(before.lower)!, index: before.index }
          : null;
    if (!number || plan.conditions.some((condition) => conditionColumn(condition)?.column === mention.column.name)) continue;
    draft.addCondition(
      { kind: 'compare', column: reference(mention.column), measure: null, operator: '=', value: number.value, upper: null },
      mention.start,
    );
    used.push(mention);
    draft.extraPlaced.add(number.index);
  }
}

/** Whether a column holds fractions ("Discount as a fraction of the line price"), which a percent divides into. */
export function holdsFractions(column: CatalogueColumn): boolean {
  return column.family === 'decimal' && /\bfraction\b/i.test(column.comment);
}

/**
 * "a 20% discount", "a discount of 20%", "sold without any discount": a column of fractions next to a percent equals it as a
 * fraction; a number column (never unknown) after "without" / "no" is zero.
 */
export function addAmountConditions(draft: PlanDraft): void {
  const { mentions, words, used, plan, negationsExpressed } = draft;
  for (const mention of mentions) {
    if (mention.kind !== 'column' || used.includes(mention) || mention.column.references || mention.column.primaryKey) continue;
    const { column } = mention;
    if (plan.conditions.some((condition) => conditionColumn(condition)?.column === column.name)) continue;
    // ("a discount of 20%": the percent after "of".)
    // (Not "a discount of 15% or more", a comparison read elsewhere.)
    const compared = (index: number) =>
      ['or', 'and'].includes(words[index + 1]?.lower ?? '') &&
      ['more', 'over', 'above', 'higher', 'greater', 'less', 'fewer', 'under', 'below', 'lower'].includes(words[index + 2]?.lower ?? '');
    const afterOf = words[mention.end]?.lower === 'of' && !compared(mention.end + 1) ? words[mention.end + 1] : undefined;
    const percent = [words[mention.start - 1], words[mention.start - 2], words[mention.end], afterOf].find(
      (word) => word?.isPercent && !draft.skip.has(word.index),
    );
    let negation = mention.start - 1;
    while (negation >= 0 && ['any', 'a', 'an'].includes(words[negation].lower)) negation -= 1;
    const negated = negation >= 0 && ['without', 'no'].includes(words[negation].lower) && !negationsExpressed.has(negation);
    let value: number;
    if (percent && holdsFractions(column)) {
      value = Number(percent.lower) / 100;
      draft.extraPlaced.add(percent.index);
      if (percent === afterOf) draft.extraPlaced.add(mention.end);
    } else if (
      negated &&
      (column.family === 'decimal' || column.family === 'integer') &&
      !column.nullable &&
      column.table.qualifiedName === plan.base
    ) {
      value = 0;
      negationsExpressed.add(negation);
    } else continue;
    draft.addCondition({ kind: 'compare', column: reference(column), measure: null, operator: '=', value, upper: null }, mention.start);
    used.push(mention);
  }
}

/** How well a value reading fits: in the base, in a named table, right after its table's name, its column named. */
function valueScore(draft: PlanDraft, mention: MentionOf<'value'>): number {
  const { plan, mentionedTables, homeSchema, mentions, words, skip } = draft;
  const table = mention.column.table;
  let score = 0;
  if (table.qualifiedName === plan.base) score += 3;
  if (mentionedTables.includes(table.qualifiedName)) score += 1;
  if (table.schema !== homeSchema) score -= 2;
  const before = mentions.find(
    (other) => other.kind === 'table' && other.table === table && other.end <= mention.start && mention.start - other.end <= 2,
  );
  if (before) score += 4;
  if (mention.column.nameWords.some((nameWord) => words.some((word) => !skip.has(word.index) && sameWord(word, nameWord)))) score += 1;
  return score;
}

/** Words that name the rows under a parent in a tree: "subcategories of Electronics", "the categories under Audio". */
const childWords = new Set(['subcategory', 'subcategories', 'child', 'children', 'under', 'below', 'beneath']);

/**
 * "List the subcategories of Electronics", "categories under Electronics", "How many subcategories does Electronics have?":
 * a value of the listed tree table's own label, after a word of being under it, names the parent of the rows asked for,
 * not the rows (which would be the parent itself).
 */
function childrenOf(draft: PlanDraft, column: CatalogueColumn, start: number): { parentColumn: string; keyColumn: string } | null {
  const { words, catalogue, plan } = draft;
  if (column.table.qualifiedName !== plan.base) return null;
  const tree = catalogue.edges.find((edge) => edge.fromTable === plan.base && edge.toTable === plan.base);
  if (!tree) return null;
  // ("How many subcategories does Electronics have?": the word of being under it may stand before, further off.)
  const under = words.slice(0, start).filter((word) => childWords.has(word.lower) || childWords.has(word.stem));
  if (under.length === 0) return null;
  for (const word of under) draft.extraPlaced.add(word.index);
  return { parentColumn: tree.fromColumn, keyColumn: tree.toColumn };
}

/**
 * "both X and Y" of a column of related rows (many to one base row): one condition per value that some related row has
 * it, so a row must have both. Of the base's own column (one value a row) the question contradicts itself: declined.
 */
function addEachPresent(draft: PlanDraft, column: CatalogueColumn, values: string[], start: number): void {
  const { plan, catalogue } = draft;
  const table = column.table.qualifiedName;
  const fansOut = table !== plan.base && (catalogue.joinPath(plan.base, table)?.some((step) => !step.forward) ?? false);
  const relation = fansOut ? relationTo(draft, table) : null;
  if (!relation)
    throw new CannotPlan(
      `The question asks for both ${values.join(' and ')} of ${column.table.name}.${column.name}, which one row cannot hold.`,
    );
  for (const value of values)
    draft.addCondition(
      relatedRowsCondition(draft, relation, true, { inner: [{ kind: 'equals', column: reference(column), values: [value] }] }),
      start,
    );
  draft.plan.joinTables = draft.plan.joinTables.filter((name) => !relation.tables.includes(name));
}
