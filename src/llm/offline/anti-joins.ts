import { isMention, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap } from './planning-errors.ts';
import type { ColumnReference, Condition } from './query-plan.ts';
import { splitQualified } from './schema-catalogue.ts';
import { isParticiple } from './question-shape.ts';
import { isFunctionWord, wordsOf, type Word } from './question-words.ts';
import { relatedEventsOf } from './related-count.ts';

/** Words that negate a relation: "never ordered", "without appointments", "no orders". */
const relationNegations = ['not', 'never', 'without', 'no'];

/** Words that end the clause a negation governs: "never ordered and live in Germany". */
const clauseBreaks = ['and', 'but', 'while', 'yet', 'although', 'though'];

/** How the negated rows reach the base: the table whose foreign key points at it, and the tables joined to that one. */
export interface Relation {
  table: string;
  foreignKey: string;
  joins: Array<{ table: string; on: [ColumnReference, ColumnReference] }>;
  /** The tables inside the NOT EXISTS, the negated one first. */
  tables: string[];
}

/**
 * "customers who never ordered", "doctors without appointments", "products never ordered", "doctors who
 * never had a no-show", "patients never prescribed anything", "products never part of an order in 2024":
 * a negation followed (within four words) by a table, a value of a table, or a verb of a table's name,
 * whose rows point at the base (directly, through a line table that points at both, or through one table
 * in between), becomes `NOT EXISTS` over those foreign keys. The value and a period written after the
 * negation are conditions on the negated rows, inside the `NOT EXISTS`.
 */
export function addAntiJoins(draft: PlanDraft): void {
  const { words, skip, mentions, plan, used, negationsExpressed, input } = draft;
  for (const word of words) {
    if (!relationNegations.includes(word.lower) || skip.has(word.index) || negationsExpressed.has(word.index)) continue;
    // "customers who signed up in 2024 and never ordered": a period before the negation is not the negated rows';
    // it dates the base, as it would without the negation.
    const datedAfter = input.dateRange !== null && input.dateRange.wordIndices.every((index) => index > word.index);
    if (input.dateRange && !datedAfter && !datesBaseBefore(draft, word.index)) continue;
    const near = (start: number) => start > word.index && start - word.index <= 4;
    // "never borrowed a tool from the Garden section": a value further on, in the same clause, still
    // describes the negated rows.
    // ("readers that never wrote a review placed a web order": a second verb starts another clause.)
    const inClause = (start: number) =>
      start > word.index &&
      start - word.index <= 8 &&
      !words.slice(word.index + 1, start).some((between) => clauseBreaks.includes(between.lower)) &&
      !words.slice(word.index + 2, start).some((between) => isParticiple(between) && !skip.has(between.index));
    // "customers not from Germany": a value the base (or a table it points at) holds is a `<>` of its own,
    // not the absence of related rows that hold it (orders shipped to Germany).
    const ownReading = (value: MentionOf<'value'>) =>
      mentions.some(
        (other) =>
          other.kind === 'value' &&
          other.start === value.start &&
          other.end === value.end &&
          (other.column.table.qualifiedName === plan.base || draft.reachesForward(other.column.table.qualifiedName)),
      );
    const value = mentions
      .filter(isMention('value'))
      .find(
        (mention) =>
          inClause(mention.start) && mention.column.table.qualifiedName !== plan.base && !used.includes(mention) && !ownReading(mention),
      );
    const named = mentions
      .filter(isMention('table'))
      .find((mention) => near(mention.start) && mention.table.qualifiedName !== plan.base && !used.includes(mention));
    let relation: Relation | null = null;
    let taken: Array<MentionOf<'table'> | MentionOf<'value'>> = [];
    if (value) {
      relation = relationTo(draft, value.column.table.qualifiedName);
      // The tables named on the way are the negated rows' too ("a tool from the Garden section").
      const onPath = relation?.tables ?? [];
      taken = [
        value,
        ...mentions
          .filter(isMention('table'))
          .filter((mention) => inClause(mention.start) && onPath.includes(mention.table.qualifiedName) && !used.includes(mention)),
      ];
    }
    if (!relation && named) {
      relation = relationTo(draft, named.table.qualifiedName);
      taken = [named];
    }
    if (!relation) {
      for (const verb of words.filter((candidate) => near(candidate.index) && !skip.has(candidate.index) && !isFunctionWord(candidate))) {
        const table = draft.catalogue.edges.find((edge) => edge.toTable === plan.base && namesTable(verb, edge.fromTable))?.fromTable;
        relation = table ? relationTo(draft, table) : null;
        if (!relation) continue;
        draft.extraPlaced.add(verb.index);
        break;
      }
    }
    if (!relation) continue;
    const inner: Condition[] = [];
    if (value && taken.includes(value)) {
      inner.push({
        kind: 'equals',
        column: { table: value.column.table.qualifiedName, column: value.column.name },
        values: [value.value, ...(value.alsoValues ?? [])],
      });
    }
    if (input.dateRange && datedAfter) {
      const dated = innerDateColumn(draft, relation);
      if (!dated) continue;
      inner.push({ kind: 'dateRange', column: dated, from: input.dateRange.from, to: input.dateRange.to });
      draft.dateApplied = true;
    }
    used.push(...taken);
    draft.addCondition(relatedRowsCondition(draft, relation, false, inner.length > 0 ? { inner } : {}));
    negationsExpressed.add(word.index);
  }
}

/**
 * Whether the question's period stands before the negation, right after a verb that names a date column of the base
 * ("customers who signed up in 2025 but never ordered": `signup_date`; "patients registered in the last 12 months"):
 * the period dates the base, not the negated rows. "In 2024, which customers did not order?" names no such verb.
 */
function datesBaseBefore(draft: PlanDraft, negationAt: number, after = 0): boolean {
  const range = draft.input.dateRange;
  if (!range || !range.wordIndices.every((index) => index < negationAt)) return false;
  const first = Math.min(...range.wordIndices);
  const dateColumns = (draft.catalogue.table(draft.plan.base)?.columns ?? []).filter(
    (column) => column.family === 'date' || column.family === 'timestamp',
  );
  // (Only words after `after`: the related rows' own verb before them is theirs.)
  return draft.words
    .slice(Math.max(after, first - 3), first)
    .some((word) =>
      dateColumns.some((column) =>
        column.nameWords.some((nameWord) => word.root.length >= 4 && (nameWord.root === word.root || nameWord.lower.startsWith(word.root))),
      ),
    );
}

/** How many tables may stand between the rows pointing at the base and the negated ones ("never ordered from the Audio category": three). */
const maxTablesBetween = 3;

/**
 * How rows of `negated` reach the base: pointing at it, or through a chain of foreign keys (either way) that
 * starts at a table pointing at the base and does not pass through the base. Each table pointing at the base gives its
 * shortest chain; the tables the question names keep only the chains through them ("readers who never placed an order
 * for a Poetry book": through the orders, not the reviews). Null when none is left, or when chains from more than one
 * table are left (which rows are meant, the question does not say).
 */
export function relationTo(draft: PlanDraft, negated: string): Relation | null {
  const { catalogue, plan } = draft;
  const intoBase = catalogue.edges.filter((edge) => edge.toTable === plan.base && edge.fromTable !== plan.base);
  // ("referrals from_doctor_id and to_doctor_id": two keys into the base, and the words do not say which.)
  const direct = intoBase.filter((edge) => edge.fromTable === negated);
  if (direct.length > 1) return null;
  if (direct.length === 1) return { table: negated, foreignKey: direct[0].fromColumn, joins: [], tables: [negated] };
  const candidates: Relation[] = [];
  for (const edge of intoBase) {
    if (candidates.some((candidate) => candidate.table === edge.fromTable)) continue;
    const joins = chainTo(draft, edge.fromTable, negated, maxTablesBetween);
    if (joins)
      candidates.push({
        table: edge.fromTable,
        foreignKey: edge.fromColumn,
        joins,
        tables: [...joins.map((join) => join.table).reverse(), edge.fromTable],
      });
  }
  const named = draft.mentionedTables.filter((name) => name !== plan.base && name !== negated);
  const through = candidates.filter((candidate) =>
    named.every((name) => candidate.tables.includes(name) || !candidates.some((other) => other.tables.includes(name))),
  );
  return through.length === 1 ? through[0] : null;
}

/**
 * The joins from `start` to `goal` over foreign keys in either direction, at most `limit` of them, breadth
 * first (each join's condition names a table already joined); null when there is none within the limit.
 */
function chainTo(draft: PlanDraft, start: string, goal: string, limit: number): Relation['joins'] | null {
  const { catalogue, plan } = draft;
  const reached = new Map<string, Relation['joins']>([[start, []]]);
  let frontier = [start];
  for (let depth = 0; depth < limit && frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const from of frontier) {
      for (const edge of catalogue.edges) {
        if (edge.fromTable === edge.toTable) continue;
        const other = edge.fromTable === from ? edge.toTable : edge.toTable === from ? edge.fromTable : null;
        if (!other || other === plan.base || reached.has(other)) continue;
        const on: [ColumnReference, ColumnReference] = [
          { table: edge.fromTable, column: edge.fromColumn },
          { table: edge.toTable, column: edge.toColumn },
        ];
        const joins = [...reached.get(from)!, { table: other, on }];
        if (other === goal) return joins;
        reached.set(other, joins);
        next.push(other);
      }
    }
    frontier = next;
  }
  return null;
}

/** The date column of the negated rows a period applies to: the negated table's first, else its neighbour's. */
function innerDateColumn(draft: PlanDraft, relation: Relation): ColumnReference | null {
  for (const table of relation.tables) {
    const column = draft.catalogue
      .table(table)
      ?.columns.find((candidate) => (candidate.family === 'date' || candidate.family === 'timestamp') && !/birth/.test(candidate.name));
    if (column) return { table, column: column.name };
  }
  return null;
}

/** Whether a verb names a table by the first word of its name: "ordered" for `order_items`. */
function namesTable(verb: Word, table: string): boolean {
  const first = wordsOf(splitQualified(table)[1])[0];
  return first !== undefined && first.root.length >= 4 && (verb.root === first.root || verb.stem === first.stem);
}

/**
 * The condition that rows reached along `relation` point at each row of the base: `NOT EXISTS`, or with `present` the
 * base key among theirs; `extra` adds the related rows' own conditions or a count of them.
 */
export function relatedRowsCondition(
  draft: PlanDraft,
  relation: Relation,
  present: boolean,
  extra: Pick<Extract<Condition, { kind: 'relatedRows' }>, 'inner' | 'atLeast'> = {},
): Extract<Condition, { kind: 'relatedRows' }> {
  const edge = draft.catalogue.edges.find(
    (candidate) => candidate.fromTable === relation.table && candidate.fromColumn === relation.foreignKey,
  )!;
  return {
    kind: 'relatedRows',
    ...(present ? { present: true } : {}),
    table: relation.table,
    foreignKey: relation.foreignKey,
    target: { table: draft.plan.base, column: edge.toColumn },
    ...(relation.joins.length > 0 ? { joins: relation.joins } : {}),
    ...extra,
  };
}

/**
 * "Which customers placed an order in 2025?", "patients who had a severe diagnosis": a list of rows that have related
 * rows, named after them, with the related rows' own values and the period after them inside: `key IN (SELECT fk …)`,
 * so that each listed row stands once (a join would repeat it per related row, and DISTINCT on names would merge
 * namesakes). Only for a plain list; a number compared of the related rows is a count's or an amount's, read elsewhere.
 */
export function addRelatedPresence(draft: PlanDraft): void {
  const { plan, mentions, used, input, subject, shape } = draft;
  if (plan.kind !== 'list' || !subject || subject.column || plan.having || draft.group || shape.comparisons.length > 0) return;
  if (plan.base !== subject.table.qualifiedName) return;
  // The related rows are named after the listed ones, pointing at them or reached from those that do ("doctors who
  // wrote a prescription": through their appointments).
  const events = relatedEventsOf(draft, subject) ?? relatedEventsOf(draft, subject, true);
  if (!events) return;
  const relation = relationTo(draft, events.table.qualifiedName);
  // (The rows between may not be shown yet: the appointments between doctors and their prescriptions.)
  const unshown = (relation?.tables ?? draft.catalogue.referencingTables(plan.base)).filter(
    (table) => !draft.catalogue.table(table) && !input.requested.includes(table),
  );
  if (unshown.length > 0 && input.showsLeft > 0) throw new PlanningGap(unshown, 'The rows between may not be shown yet.');
  if (!relation) return;
  // ("members who borrowed both Bosch and Stihl tools": values of rows further on are read as such, each its own.)
  const further = mentions
    .filter(isMention('value'))
    .some(
      (mention) =>
        mention.start > subject.mention.end &&
        !used.includes(mention) &&
        mention.column.table.qualifiedName !== events.table.qualifiedName &&
        mention.column.table.qualifiedName !== plan.base &&
        !draft.reachesForward(mention.column.table.qualifiedName),
    );
  if (further) return;
  const values = mentions
    .filter(isMention('value'))
    .filter(
      (mention) =>
        mention.start > subject.mention.end && mention.column.table.qualifiedName === events.table.qualifiedName && !used.includes(mention),
    );
  const inner: Condition[] = values.map((value) => ({
    kind: 'equals',
    column: { table: value.column.table.qualifiedName, column: value.column.name },
    values: [value.value, ...(value.alsoValues ?? [])],
  }));
  // ("placed all their orders in 2025", "placed an order before signing up": a quantifier or an order of events says
  // more than that some related row exists.)
  const between = draft.words.slice(subject.mention.end, draft.words.length);
  if (between.some((word) => ['all', 'only', 'every', 'each', 'before', 'after', 'first', 'last'].includes(word.lower))) return;
  // ("placed an order and signed up in 2025": a verb of the listed rows' own date before the period dates them instead.)
  const ownDate = input.dateRange ? datesBaseBefore(draft, Math.max(...input.dateRange.wordIndices) + 1, events.end) : false;
  const datedAfter = input.dateRange !== null && !ownDate && input.dateRange.wordIndices.every((index) => index > events.start);
  if (input.dateRange && datedAfter) {
    const dated = innerDateColumn(draft, relation);
    if (!dated) return;
    inner.push({ kind: 'dateRange', column: dated, from: input.dateRange.from, to: input.dateRange.to });
    draft.dateApplied = true;
  }
  used.push(events, ...values);
  draft.addCondition(relatedRowsCondition(draft, relation, true, inner.length > 0 ? { inner } : {}));
}

/**
 * "Which customers placed orders in both 2023 and 2024?", "How many patients had appointments in both 2024 and in
 * 2025?": rows with related rows in each of two years, each year a `key IN (SELECT fk …)` of its own. (Without "both",
 * "in 2023 and 2024" may mean either, and the second year stays unplaced.)
 */
export function addEachYear(draft: PlanDraft): void {
  const { plan, words, input, subject, used } = draft;
  const range = input.dateRange;
  if (!range || !subject || subject.column || range.wordIndices.length !== 1) return;
  const first = range.wordIndices[0];
  const year = (index: number) => (/^(19|20)\d\d$/.test(words[index]?.lower ?? '') ? Number(words[index].lower) : null);
  if (words[first - 1]?.lower !== 'both' || year(first) === null || words[first + 1]?.lower !== 'and') return;
  const secondAt = words[first + 2]?.lower === 'in' ? first + 3 : first + 2;
  const second = year(secondAt);
  if (second === null || second === year(first)) return;
  // The related rows: named after the listed ones, or those a count of the listed ones was turned to.
  const counted = plan.kind === 'count' && plan.measure?.kind === 'countDistinct' && plan.base !== subject.table.qualifiedName;
  const events = counted ? null : (relatedEventsOf(draft, subject) ?? relatedEventsOf(draft, subject, true));
  if (plan.kind !== 'list' && !counted) return;
  if (!counted && (!events || plan.base !== subject.table.qualifiedName)) return;
  const eventsTable = counted ? plan.base : events!.table.qualifiedName;
  if (counted) {
    plan.base = subject.table.qualifiedName;
    plan.measure = { kind: 'count' };
  }
  const relation = relationTo(draft, eventsTable);
  const dated = relation ? innerDateColumn(draft, relation) : null;
  if (!relation || !dated) throw new CannotPlan('The question asks for related rows in two years, and I cannot tell which rows.');
  // ("cancelled orders in both 2023 and 2024": the related rows' own values hold in each year; a value of rows further
  // on is not written inside.)
  const values = draft.mentions
    .filter(isMention('value'))
    .filter(
      (mention) =>
        !used.includes(mention) &&
        mention.start > subject.mention.end &&
        mention.column.table.qualifiedName !== plan.base &&
        !draft.reachesForward(mention.column.table.qualifiedName),
    );
  if (values.some((value) => value.column.table.qualifiedName !== eventsTable))
    throw new CannotPlan('The question describes the related rows of two years by values of other rows, which I cannot write reliably.');
  const own: Condition[] = values.map((value) => ({
    kind: 'equals',
    column: { table: value.column.table.qualifiedName, column: value.column.name },
    values: [value.value, ...(value.alsoValues ?? [])],
  }));
  for (const value of [year(first)!, second])
    draft.addCondition(
      relatedRowsCondition(draft, relation, true, {
        inner: [...own, { kind: 'dateRange', column: dated, from: `${value}-01-01`, to: `${value + 1}-01-01` }],
      }),
    );
  used.push(...values);
  if (events) used.push(events);
  draft.dateApplied = true;
  for (const index of [first - 1, first + 1, secondAt - 1, secondAt]) draft.extraPlaced.add(index);
}
