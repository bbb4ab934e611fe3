import { findDateRange, type DateRange } from './date-range.ts';
import type { PlanningInput } from './plan-draft.ts';
import { CannotPlan, PlanningGap, UnplacedWords } from './planning-errors.ts';
import type { ColumnReference, Condition, QueryPlan } from './query-plan.ts';
import { isSuperlative, readQuestionShape } from './question-shape.ts';
import { numberOf, sameWord, wordsOf, type Word } from './question-words.ts';
import type { CatalogueTable } from './schema-catalogue.ts';

/**
 * "How many prescriptions were written for the most expensive medication?", "What is the total spent by the customer
 * with the most orders?": a count, a sum or a list of rows that belong to one row a superlative picks. The picked row
 * is planned as its own question ("Which medication is the most expensive?") and selected by its key in a subquery;
 * the rest is planned as a question about one row named by its key ("… written for medication 1?"), whose key then
 * becomes the subquery. Null when the question has no such phrase.
 */
export function planPickedRow(input: PlanningInput, build: (input: PlanningInput) => QueryPlan): QueryPlan | null {
  const { shape, words, catalogue } = input;
  // ("What is the total late fee of the member with the highest yearly fee?" reads as a ranking with an asked column;
  // an aggregate word before the phrase makes it a sum of the picked row's related rows.)
  const ranking = shape.kind === 'top' && !shape.asksWhich;
  if (shape.kind !== 'count' && shape.kind !== 'aggregate' && !ranking) return null;
  const counting = words[0]?.lower === 'how' && words[1]?.lower === 'many';
  const found = pickedPhrase(input, counting ? 3 : ranking ? 1 : (shape.subject?.[1] ?? 1));
  if (!found) return null;
  if (ranking && !counting && !words.slice(0, found.start).some((word) => aggregateWords.has(word.lower))) return null;
  // The phrase may end before the question does ("the customer with the most returns" in "… did the customer with the
  // most returns place?"): the longest reading that plans, both its parts, is taken.
  let failure: unknown = null;
  for (const end of found.ends) {
    try {
      return planPhrase(input, found.at(end), build);
    } catch (error) {
      if (error instanceof PlanningGap) throw error;
      failure ??= error;
    }
  }
  // (No reading plans: the question read as a whole, as before this rule — "the West region" is no superlative — and
  // else the first reading's reason.)
  try {
    return build(input);
  } catch (error) {
    if (error instanceof PlanningGap) throw error;
    throw failure;
  }
}

/** The plan of a question whose rows belong to those a phrase picks, as `planPickedRow` describes it. */
function planPhrase(input: PlanningInput, phrase: PickedPhrase, build: (input: PlanningInput) => QueryPlan): QueryPlan {
  const { words, catalogue } = input;
  const cannot = () => new CannotPlan(`I cannot tell which ${phrase.noun} "${phrase.text}" picks.`);
  // (The rest of the question, past where this reading ends: a word cut off still says what the superlative ranks.)
  const phraseWords = words.slice(phrase.start);
  // ("the member with the lowest fee and the most sessions": two superlatives pick by two measures at once.)
  if (phraseWords.filter((word) => isSuperlative(word) || superlativeAdjectives.has(word.lower)).length > 1) throw cannot();
  // ("the customer with the most expensive order", "the largest order": one related row ranked by its own figure, which
  // the ranking of the picked rows would sum.)
  const rankedRow = phraseWords.some(
    (word, offset) =>
      offset > 1 &&
      (isSuperlative(word) || superlativeAdjectives.has(word.lower)) &&
      phraseWords
        .slice(offset + 1, offset + 3)
        .some(
          (next) =>
            next.lower === next.stem &&
            catalogue.tables.some((table) => table !== phrase.table && table.nameWords.length === 1 && sameWord(table.nameWords[0], next)),
        ),
  );
  if (rankedRow) throw cannot();
  const sub = build(reworded(input, phrase.question));
  if (sub.kind !== 'top' || sub.limit !== phrase.count || sub.partition || sub.orderBy !== 'measure' || sub.outerAggregate) throw cannot();
  // ("the club with the fewest members": the inner join of a count never sees the rows with none.)
  if (sub.direction === 'ASC' && (sub.measure?.kind === 'count' || sub.measure?.kind === 'countDistinct')) throw cannot();
  // The picked rows' key, or the one text column the ranking is of ("the country with the most customers").
  let selected: ColumnReference;
  let placeholder: Word[];
  if (phrase.table) {
    if (!sub.dimensions.every((dimension) => dimension.table === phrase.table!.qualifiedName)) throw cannot();
    selected = { table: phrase.table.qualifiedName, column: phrase.table.primaryKey[0] };
    placeholder = wordsOf(
      `${phrase.table.nameWords.map((word, index, all) => (index === all.length - 1 ? word.stem : word.lower)).join(' ')} 1`,
    );
  } else {
    const [dimension] = sub.dimensions;
    const column = dimension && catalogue.table(dimension.table)?.columns.find((candidate) => candidate.name === dimension.column);
    const value = column?.sampleValues[0];
    if (sub.dimensions.length !== 1 || dimension.bucket || dimension.root || column?.family !== 'text' || !value) throw cannot();
    selected = { table: dimension.table, column: dimension.column };
    placeholder = wordsOf(value);
  }
  const picked: QueryPlan = {
    ...sub,
    dimensions: [selected],
    hiddenGroupKeys: [],
    measureHidden: true,
    distinct: false,
    pairedMeasures: undefined,
    havingShown: false,
  };
  const belongs = () => new CannotPlan(`I cannot tell how the question's rows belong to "${phrase.text}".`);
  let outer: QueryPlan;
  try {
    outer = build(reworded(input, [...words.slice(0, phrase.start), ...placeholder, ...words.slice(phrase.end)]));
  } catch (error) {
    // (The words put in the phrase's place are no words of the question.)
    if (error instanceof UnplacedWords && error.words.some((word) => placeholder.some((placed) => placed.text === word))) throw belongs();
    throw error;
  }
  const placed = phrase.table ? '1' : placeholder.map((word) => word.text).join(' ');
  let replaced = 0;
  const swap = (condition: Condition): Condition => {
    if (
      condition.kind !== 'equals' ||
      condition.negated ||
      condition.childrenOf ||
      condition.values.length !== 1 ||
      condition.values[0].toLowerCase() !== placed.toLowerCase() ||
      (phrase.table && (condition.column.table !== selected.table || condition.column.column !== selected.column))
    )
      return condition;
    replaced += 1;
    return { kind: 'picked', column: condition.column, plan: picked };
  };
  outer.conditions = outer.conditions.map(swap);
  if (replaced !== 1) throw belongs();
  // ("referrals received by the doctor with …" over `from_doctor_id` and `to_doctor_id`: which key, the words do not say.)
  for (const plan of [outer, sub]) {
    const path = catalogue.joinPath(plan.base, selected.table) ?? [];
    if (
      path.some(
        (step) => catalogue.edges.filter((edge) => edge.fromTable === step.edge.fromTable && edge.toTable === step.edge.toTable).length > 1,
      )
    )
      throw belongs();
  }
  return outer;
}

interface PickedPhrase {
  start: number;
  end: number;
  /** The picked rows' table, when the noun names one; null when it names a column ("the country with …"). */
  table: CatalogueTable | null;
  /** The noun as the question writes it ("medication"). */
  noun: string;
  /** How many rows the phrase picks ("the top 5 customers": 5). */
  count: number;
  text: string;
  /** The phrase as a question of its own ("Which medication is the most expensive?"). */
  question: Word[];
}

/** Words that ask for an aggregate of rows: "the total late fee of …", "the average price of …". */
const aggregateWords = new Set(['total', 'average', 'sum', 'mean', 'number', 'count']);

/** Superlatives the question reader does not rank by itself, which still pick a row: "the busiest doctor". */
const superlativeAdjectives = new Set([
  'busiest',
  'costliest',
  'heaviest',
  'lightest',
  'fastest',
  'slowest',
  'richest',
  'wealthiest',
  'closest',
  'nearest',
  'farthest',
  'furthest',
  'tallest',
  'loudest',
]);

/** Words that join the picked row's noun to what picks it: "the doctor with the highest salary", "who spent the most". */
const joiningWords = new Set(['with', 'who', 'that', 'which']);

/**
 * The phrase that picks rows by a superlative, after the counted words: "the most expensive medication", "the top 5
 * customers" (a superlative before the noun) or "the doctor with the highest salary", "the customer who spent the
 * most" (the noun, a joining word and a superlative after it, to the question's end). The noun names a shown table
 * with a whole-number key, or a text column; it is in the singular unless a number says how many.
 */
function pickedPhrase(input: PlanningInput, after: number): { start: number; ends: number[]; at: (end: number) => PickedPhrase } | null {
  const { words, catalogue } = input;
  const text = (start: number, end: number) =>
    words
      .slice(start, end)
      .map((word) => word.text)
      .join(' ');
  /** The table or text column a noun at `start` names, and where it ends. */
  const nounAt = (start: number, plural: boolean): { table: CatalogueTable | null; end: number } | null => {
    const fits = (nameWords: readonly Word[]) =>
      nameWords.length > 0 &&
      start + nameWords.length <= words.length &&
      nameWords.every((nameWord, offset) => sameWord(words[start + offset], nameWord)) &&
      (plural || words[start + nameWords.length - 1].lower === words[start + nameWords.length - 1].stem);
    for (const table of catalogue.tables) {
      if (!fits(table.nameWords)) continue;
      const key = table.primaryKey.length === 1 ? table.columns.find((column) => column.name === table.primaryKey[0]) : undefined;
      if (key?.family === 'integer') return { table, end: start + table.nameWords.length };
    }
    for (const table of catalogue.tables)
      for (const column of table.columns)
        if (column.family === 'text' && !column.primaryKey && fits(column.nameWords))
          return { table: null, end: start + column.nameWords.length };
    return null;
  };
  const candidate = (
    start: number,
    ends: number[],
    table: CatalogueTable | null,
    noun: string,
    count: number,
    question: (end: number) => Word[],
  ) => ({
    start,
    ends,
    at: (end: number): PickedPhrase => ({ start, end, table, noun, count, text: text(start, end), question: question(end) }),
  });
  for (let start = after; start < words.length - 2; start += 1) {
    if (words[start].lower !== 'the') continue;
    let at = start + 1;
    const number = (index: number) => (words[index]?.isNumber && !words[index].isPercent ? numberOf(words[index]) : null);
    let count = number(at);
    if (count !== null) at += 1;
    // "the most expensive medication", "the busiest doctor", "the top 5 customers": superlative words, then the noun.
    if (isSuperlative(words[at]) || superlativeAdjectives.has(words[at]?.lower ?? '')) {
      const superlativeAt = at;
      at += 1;
      if (count === null && number(at) !== null) count = number(at++);
      for (let nounStart = at; nounStart <= Math.min(at + 2, words.length - 1); nounStart += 1) {
        const found = nounAt(nounStart, count !== null);
        if (!found) continue;
        // ("the lowest and highest cake prices": two superlatives, and a noun that goes on, rank no row.)
        if (words.slice(superlativeAt, nounStart).some((word) => word.lower === 'and' || word.lower === 'or')) break;
        if (namesSchema(catalogue, words[found.end])) break;
        const noun = text(nounStart, found.end);
        const picks = count ?? 1;
        // ("the top 5 members by late fees": what ranks them follows, up to where the rest of the question goes on.)
        const ends = words[found.end]?.lower === 'by' ? [...range(words.length, found.end + 2), found.end] : [found.end];
        return candidate(start, ends, found.table, noun, picks, (end) =>
          count === null && end === found.end
            ? [...wordsOf(`Which ${noun} is the`), ...words.slice(superlativeAt, nounStart)]
            : // ("Show the top 1 member by late fees": a top without its number reads as no ranking.)
              count === null && words[superlativeAt].lower === 'top'
              ? [...wordsOf('Show the top 1'), ...words.slice(superlativeAt + 1, end)]
              : [...wordsOf('Show the'), ...words.slice(start + 1, end)],
        );
      }
      continue;
    }
    // "the doctor with the highest salary", "the 3 customers who spent the most".
    const found = nounAt(at, count !== null);
    if (!found || !joiningWords.has(words[found.end]?.lower ?? '')) continue;
    const superlative = words.findIndex((word, index) => index > found.end && isSuperlative(word));
    if (superlative < 0) continue;
    const noun = text(at, found.end);
    const verb = words[found.end].lower === 'with' ? (count === null ? ' has' : ' have') : '';
    return candidate(start, range(words.length, superlative + 1), found.table, noun, count ?? 1, (end) => [
      ...wordsOf(`Which ${count ?? ''} ${noun}${verb}`),
      ...words.slice(found.end + 1, end),
    ]);
  }
  return null;
}

/** Whether a word names a table or a column's word ("prices" after "cake"). */
function namesSchema(catalogue: PlanningInput['catalogue'], word: Word | undefined): boolean {
  if (!word) return false;
  return catalogue.tables.some(
    (table) =>
      table.nameWords.some((nameWord) => sameWord(nameWord, word)) ||
      table.columns.some((column) => column.nameWords.some((nameWord) => nameWord.lower !== 'id' && sameWord(nameWord, word))),
  );
}

/** The whole numbers from `from` down to `to`, at most six of them. */
function range(from: number, to: number): number[] {
  const numbers: number[] = [];
  for (let value = from; value >= to && numbers.length < 6; value -= 1) numbers.push(value);
  return numbers;
}

/** The planning input of other words: their date phrase and shape read again. */
function reworded(input: PlanningInput, words: Word[]): PlanningInput {
  const indexed = words.map((word, index) => ({ ...word, index }));
  const date = findDateRange(indexed, input.today ?? null);
  const shape = readQuestionShape(indexed, new Set(date?.wordIndices ?? []));
  if (!shape || (date && 'needsToday' in date))
    throw new CannotPlan('I cannot read the row the superlative picks as a question of its own.');
  return { ...input, words: indexed, shape, dateRange: (date as DateRange | null) ?? null };
}
