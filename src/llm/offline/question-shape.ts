import { readRoundingRequest } from './rounding-request.ts';
import { afterComparedNumber, isFunctionWord, numberOf, type Word } from './question-words.ts';

/** An aggregate function of SQL. */
export type AggregateFunction = 'COUNT' | 'SUM' | 'AVG' | 'MIN' | 'MAX';

/** A numeric comparison the question makes, e.g. "more than $100". */
export interface Comparison {
  operator: '>' | '>=' | '<' | '<=' | '=';
  value: number;
  /** Set for "between A and B". */
  upper: number | null;
  /** Whether the number was written as money (`$50`). */
  isMoney: boolean;
  /** Index of the first word of the comparison phrase. */
  index: number;
  /** "more than the average salary": compared with an average, of the column the words in this range name. */
  average?: [number, number];
}

/** The shape of a data question, read from its wording alone (no schema). */
export interface QuestionShape {
  /**
   * count: "how many"; aggregate: sum/average/min/max; top: top-N or "the most"; list: "which…", "list…";
   * share: "what percentage / share / proportion of …".
   */
  kind: 'count' | 'aggregate' | 'top' | 'list' | 'share' | 'ratio';
  aggregate: AggregateFunction | null;
  /** Rows asked for by a top-N question. */
  topCount: number | null;
  direction: 'DESC' | 'ASC';
  /** Word range of the thing counted, listed or ranked. */
  subject: [number, number] | null;
  /** Word range of the measure ("revenue" in "by revenue", "salary" in "average salary"). */
  measure: [number, number] | null;
  /** Word range of the grouping dimension ("category" in "by category"). */
  group: [number, number] | null;
  /** A superlative adjective naming the measure ("most expensive": price; "highest paid": money). */
  superlativeConcept: 'price' | 'money' | 'count' | 'age' | 'recency' | null;
  /** The participle of "the most recently hired", whose date column the recency is ranked by. */
  recencyVerb?: number;
  /** The participle of "the most commonly prescribed", whose rows the ranking counts. */
  countVerb?: number;
  /** "the lowest and highest prices", "the average and total order value": a second aggregate of the same measure. */
  pairedAggregate?: AggregateFunction;
  /** Whether a superlative was seen ("highest salary"), so MAX/MIN versus top-1 is decided later. */
  superlative: boolean;
  comparisons: Comparison[];
  /** Whether the question asks for every row ("all", "every"). */
  wantsAll: boolean;
  /** Whether the question starts with which/who (so a superlative ranks entities). */
  asksWhich: boolean;
  /** For a question that asks which: the word range of the things it asks to pick out ("specialties" in "which specialties have …"). */
  asked?: [number, number];
  /**
   * For a share: the words that describe the rows counted in the denominator ("members in Cork" in "what
   * share of members in Cork are banned"), up to the verb or relative pronoun that starts the condition.
   */
  shareScope?: [number, number];
  /**
   * "the average number of orders per customer": the measure counts rows of its phrase per group, and the
   * aggregate applies to those counts (an average of per-group counts, not a grouped average).
   */
  countsPerGroup?: boolean;
  /**
   * "the average total spent per customer": the measure is summed per group, and the average runs over those
   * sums (an average of per-group totals, not a grouped average).
   */
  sumsPerGroup?: boolean;
  /** "rank the X by number of Y": every X, in the order of the measure (a ranking with no cut). */
  rankAll?: boolean;
  /** "per status and year": a second grouping, one of the two a period. */
  extraGroup?: [number, number];
  /** "month-over-month change": next to each period, its difference from the period before. */
  change?: boolean;
  /** "the running total of revenue by month", "cumulative sign-ups per year": each period's figure added to those before. */
  cumulative?: boolean;
  /**
   * No request word, a noun phrase and its grouping ("appointments per month in 2024", "sales broken down by
   * continent"): what is asked is the phrase's count, or its measure, per group.
   */
  bare?: boolean;
  /**
   * "the name and price of the products": words before the listed things that name columns to show next to
   * them (the listed things are then the subject).
   */
  shown?: [number, number];
  /**
   * "What is the SKU of the most expensive product?", "State the price of the cheapest plant": the words before
   * "of" that name what is asked of the ranked row, in place of its name.
   */
  askedColumn?: [number, number];
  /** "the ratio of A to B": the word ranges of A and B. */
  ratio?: { numerator: [number, number]; denominator: [number, number] };
  /** "rounded to 2 decimals", "to the nearest cent": the decimals the question asks its figures rounded to. */
  roundTo?: number;
  /** Word indices the shape consumed; they are not linked to the schema. */
  structural: Set<number>;
}

const descendingSuperlatives = new Set([
  'most',
  'highest',
  'largest',
  'biggest',
  'best',
  'greatest',
  'maximum',
  'max',
  'top',
  'longest',
  'priciest',
  'youngest',
  'latest',
  'newest',
]);
const ascendingSuperlatives = new Set([
  'least',
  'lowest',
  'smallest',
  'fewest',
  'worst',
  'minimum',
  'min',
  'cheapest',
  'shortest',
  'bottom',
  'oldest',
  'earliest',
]);
/**
 * Whether a superlative ranks the phrase that starts at `start`: "the most expensive plant", "the plant with the
 * highest price", "the product that has the lowest stock".
 */
function rankedSoon(words: readonly Word[], start: number): boolean {
  const joining = new Set(['the', 'a', 'with', 'that', 'which', 'who', 'has', 'had', 'have']);
  for (let index = start; index < Math.min(words.length, start + 7); index += 1) {
    if (isSuperlative(words[index])) return true;
    if (boundaryWords.has(words[index].lower) && !joining.has(words[index].lower)) return false;
  }
  return false;
}

/**
 * The noun phrase before "with the" (or "has the", "that has the", "who had the") and a superlative at
 * `superlativeAt`: "the city with the most customers" ranks cities, and so does "which city has the most customers"
 * inside a question. Null when the words before are not such a phrase.
 */
function rankedBefore(lower: readonly string[], superlativeAt: number, structural: ReadonlySet<number>): [number, number] | null {
  if (lower[superlativeAt - 1] !== 'the') return null;
  let end = superlativeAt - 2;
  if (!['with', 'has', 'have', 'had'].includes(lower[end] ?? '')) return null;
  if (lower[end] !== 'with' && ['that', 'which', 'who'].includes(lower[end - 1] ?? '')) end -= 1;
  let start = end;
  while (start > 0 && !boundaryWords.has(lower[start - 1]) && !['the', 'a', 'an'].includes(lower[start - 1]) && !structural.has(start - 1))
    start -= 1;
  // ("For each continent, which sales region has the most customers?": a "which" inside the question too.)
  return start < end && start > 0 && ['the', 'a', 'an', 'which', 'what'].includes(lower[start - 1]) ? [start, end] : null;
}

/** Whether a word is a superlative that ranks ("highest", "cheapest", "most"). */
export function isSuperlative(word: Word | undefined): boolean {
  return word !== undefined && (descendingSuperlatives.has(word.lower) || ascendingSuperlatives.has(word.lower));
}
/** Words after "first" that make it something other than the earliest: a name, a unit, an occasion. */
const notEarliestAfterFirst = new Set([
  'name',
  'names',
  'time',
  'times',
  'day',
  'days',
  'week',
  'weeks',
  'month',
  'months',
  'quarter',
  'half',
  'year',
  'years',
  'of',
  'and',
  'page',
  'line',
  'letter',
]);
/** Words that end a noun phrase. */
const boundaryWords = new Set([
  'along',
  'in',
  'on',
  'at',
  'for',
  'from',
  'to',
  'with',
  'by',
  'per',
  'during',
  'since',
  'that',
  'who',
  'which',
  'whose',
  'where',
  'when',
  'were',
  'was',
  'did',
  'do',
  'does',
  'have',
  'has',
  'had',
  'are',
  'is',
  'be',
  'been',
  'and',
  'or',
  'than',
  'each',
  'across',
  'of',
  'over',
  'under',
  'above',
  'below',
]);
/** Prepositions that extend a share's subject ("members in Cork", "orders from 2024"). */
const scopePrepositions = new Set(['in', 'from', 'at', 'on', 'with', 'for', 'of', 'during', 'since', 'before', 'after']);
/** Verbs of becoming, which start a share's condition ("got returned"). */
const linkingVerbs = new Set(['got', 'get', 'gets', 'became', 'become', 'becomes', 'ended', 'end']);
/** Words that name a change between consecutive periods ("month-over-month change", "growth"). */
const changeWords = new Set(['change', 'changes', 'changed', 'growth', 'grew', 'difference', 'delta']);
/** Words of a unit that may stand between a number and "or more" / "or older" ("65 years old or older"). */
const unitWords = new Set(
  'year years yr yrs old minute minutes min mins hour hours hr hrs day days week weeks dollar dollars buck bucks unit units'.split(' '),
);
/** Superlatives that name an extreme of a measure, for a pair of them ("the lowest and highest prices"). */
const pairedExtremes: Readonly<Record<string, AggregateFunction>> = {
  lowest: 'MIN',
  smallest: 'MIN',
  earliest: 'MIN',
  cheapest: 'MIN',
  minimum: 'MIN',
  min: 'MIN',
  highest: 'MAX',
  largest: 'MAX',
  biggest: 'MAX',
  latest: 'MAX',
  maximum: 'MAX',
  max: 'MAX',
};

/** Words of an aggregate written after another and "and" ("the average and total …"). */
const aggregateWords: Readonly<Record<string, AggregateFunction>> = {
  average: 'AVG',
  avg: 'AVG',
  mean: 'AVG',
  total: 'SUM',
  sum: 'SUM',
  maximum: 'MAX',
  max: 'MAX',
  minimum: 'MIN',
  min: 'MIN',
};

const comparisonPhrases: Array<{ words: string[]; operator: Comparison['operator']; money?: boolean }> = [
  // "more expensive than 100": a comparison of prices, whether or not the number has a "$".
  { words: ['more', 'expensive', 'than'], operator: '>', money: true },
  { words: ['less', 'expensive', 'than'], operator: '<', money: true },
  { words: ['pricier', 'than'], operator: '>', money: true },
  { words: ['more', 'than'], operator: '>' },
  { words: ['greater', 'than'], operator: '>' },
  { words: ['higher', 'than'], operator: '>' },
  { words: ['larger', 'than'], operator: '>' },
  { words: ['bigger', 'than'], operator: '>' },
  { words: ['longer', 'than'], operator: '>' },
  { words: ['older', 'than'], operator: '>' },
  { words: ['younger', 'than'], operator: '<' },
  { words: ['over'], operator: '>' },
  { words: ['above'], operator: '>' },
  { words: ['exceeding'], operator: '>' },
  { words: ['exceeds'], operator: '>' },
  { words: ['exceeded'], operator: '>' },
  { words: ['exceed'], operator: '>' },
  { words: ['smaller', 'than'], operator: '<' },
  { words: ['equal', 'to'], operator: '=' },
  { words: ['at', 'least'], operator: '>=' },
  { words: ['no', 'less', 'than'], operator: '>=' },
  { words: ['or', 'more'], operator: '>=' },
  { words: ['or', 'older'], operator: '>=' },
  { words: ['or', 'longer'], operator: '>=' },
  { words: ['or', 'less'], operator: '<=' },
  { words: ['or', 'fewer'], operator: '<=' },
  { words: ['or', 'over'], operator: '>=' },
  { words: ['or', 'greater'], operator: '>=' },
  { words: ['or', 'higher'], operator: '>=' },
  { words: ['or', 'above'], operator: '>=' },
  { words: ['or', 'below'], operator: '<=' },
  { words: ['or', 'under'], operator: '<=' },
  { words: ['or', 'younger'], operator: '<=' },
  { words: ['or', 'shorter'], operator: '<=' },
  { words: ['and', 'older'], operator: '>=' },
  { words: ['and', 'over'], operator: '>=' },
  { words: ['and', 'up'], operator: '>=' },
  { words: ['and', 'above'], operator: '>=' },
  { words: ['and', 'younger'], operator: '<=' },
  { words: ['and', 'under'], operator: '<=' },
  { words: ['less', 'than'], operator: '<' },
  { words: ['fewer', 'than'], operator: '<' },
  { words: ['lower', 'than'], operator: '<' },
  { words: ['cheaper', 'than'], operator: '<' },
  { words: ['shorter', 'than'], operator: '<' },
  { words: ['under'], operator: '<' },
  { words: ['below'], operator: '<' },
  { words: ['at', 'most'], operator: '<=' },
  { words: ['no', 'more', 'than'], operator: '<=' },
  { words: ['up', 'to'], operator: '<=' },
  { words: ['exactly'], operator: '=' },
  { words: ['between'], operator: '>=' },
];

/**
 * Reads the shape of a question: what is asked (a count, an aggregate, a ranking or a list), where the
 * subject, measure and grouping phrases are, comparisons with numbers, and whether all rows are wanted.
 * Returns null for a question that is not a data question of a known shape (or asks about the future).
 */
export function readQuestionShape(words: readonly Word[], dateIndices: ReadonlySet<number>): QuestionShape | null {
  const lower = words.map((word) => word.lower);
  const structural = new Set<number>(dateIndices);
  const at = (index: number, ...expected: string[]) => expected.every((word, offset) => lower[index + offset] === word);
  if (lower.some((word) => ['will', 'predict', 'forecast', 'why', 'should'].includes(word))) return null;
  const isEarliestFirst = (index: number) => !dateIndices.has(index) && !notEarliestAfterFirst.has(lower[index + 1] ?? '');
  // "rounded to 2 decimals": its number is no count, threshold or limit.
  const rounding = readRoundingRequest(words);
  for (const index of rounding?.wordIndices ?? []) structural.add(index);

  const comparisons = readComparisons(words, structural);
  const whichAt = askedEntityStart(lower);
  const shape: QuestionShape = {
    kind: 'list',
    aggregate: null,
    topCount: null,
    direction: 'DESC',
    subject: null,
    measure: null,
    group: null,
    superlativeConcept: null,
    superlative: false,
    comparisons,
    wantsAll: lower.includes('all') || lower.includes('every'),
    asksWhich: whichAt !== null,
    ...(rounding ? { roundTo: rounding.digits } : {}),
    structural,
  };
  const phraseFrom = (start: number): [number, number] | null => {
    let end = start;
    // A noun phrase ends at its head; a plural noun is a head ("products cost …", "customers signed up …").
    while (end < words.length && !boundaryWords.has(lower[end]) && !structural.has(end)) {
      end += 1;
      // (A capitalised plural inside the question, before a word in lower case, is a name before its noun:
      // "Fragrances products"; in a question written in title case it is not.)
      const capitalised = (index: number) => words[index].text[0] !== lower[index][0];
      const name = end - 1 > 0 && capitalised(end - 1) && end < words.length && !capitalised(end) && !words[end].isNumber;
      if (words[end - 1].lower !== words[end - 1].stem && !words[end - 1].isNumber && !name) break;
    }
    return end > start ? [start, end] : null;
  };
  const skipDeterminers = (index: number) => {
    let position = index;
    while (
      position < words.length &&
      (['the', 'a', 'an', 'our', 'my', 'all', 'of', 'different', 'distinct', 'unique', 'total'].includes(lower[position]) ||
        // "What was 2024 revenue?", "Show 2024 revenue by category": a year before the phrase dates it.
        (dateIndices.has(position) && words[position].isNumber && position + 1 < words.length && !dateIndices.has(position + 1)))
    ) {
      structural.add(position);
      position += 1;
    }
    return position;
  };

  let groupedByPlainBy = false;
  // Grouping: "by X", "per X", "for each X", "in each X", "each X", "across X". A "by" after a passive verb
  // names who did it ("books written by authors from Chile", "placed by the Smiths"), not a grouping.
  for (let index = 0; index < words.length; index += 1) {
    if (lower[index] === 'by' && isPassiveAgent(words, index)) continue;
    // "the two biggest cities by number of customers in each country": what is counted ranks; it groups nothing.
    const counting = lower[index + 1] === 'the' ? index + 2 : index + 1;
    if (lower[index] === 'by' && ['number', 'count'].includes(lower[counting]) && lower[counting + 1] === 'of') {
      for (let position = index; position <= counting + 1; position += 1) structural.add(position);
      shape.measure = phraseFrom(skipDeterminers(counting + 2));
      // "rank the payment methods by number of payments", "the departments ranked by number of doctors": all of
      // them, in the order of that count.
      const ranking = ['ranked', 'sorted', 'ordered'].includes(lower[index - 1] ?? '') ? index - 1 : lower[0] === 'rank' ? 0 : -1;
      if (ranking >= 0 && shape.kind === 'list') {
        structural.add(ranking);
        shape.rankAll = true;
      }
      continue;
    }
    // "across all products" spans the whole table; it does not group.
    if (lower[index] === 'across' && lower[index + 1] === 'all') {
      structural.add(index).add(index + 1);
      continue;
    }
    // "make under $200,000 per year": a yearly rate of the amount just before it, not a grouping by year.
    if (
      ['per', 'each', 'every'].includes(lower[index]) &&
      ['year', 'yr'].includes(lower[index + 1] ?? '') &&
      numberOf(words[index - 1]) !== null &&
      // ("orders since 2023 per year": the number is a year of the period, and the grouping stays.)
      !dateIndices.has(index - 1)
    )
      continue;
    if (['by', 'per', 'each', 'across'].includes(lower[index]) || at(index, 'for', 'every')) {
      const offset =
        at(index, 'for', 'every') || (['by', 'per'].includes(lower[index]) && ['each', 'every'].includes(lower[index + 1] ?? '')) ? 2 : 1;
      structural.add(index);
      if (offset === 2) structural.add(index + 1);
      if (index > 0 && ['for', 'in'].includes(lower[index - 1]) && lower[index] === 'each') structural.add(index - 1);
      // "broken down by", "split by", "grouped by": the verb only says that it groups.
      for (let verb = index - 1; lower[index] === 'by' && verb >= index - 2 && groupingVerbs.has(lower[verb] ?? ''); verb -= 1)
        structural.add(verb);
      const start = skipDeterminers(index + offset);
      shape.group = phraseFrom(start);
      groupedByPlainBy = lower[index] === 'by' && offset === 1;
      // "per status and year", "by year and segment": a period and another group, joined by "and".
      // Only a plain noun phrase that ends the question or a phrase of it ("… and year in 2024"), not a figure
      // asked next to the groups ("… and the number of customers in it", "… and how many …").
      const joinedStart =
        shape.group && lower[shape.group[1]] === 'and' ? shape.group[1] + (lower[shape.group[1] + 1] === 'the' ? 2 : 1) : -1;
      const joined = joinedStart > 0 && !joinedExcluded.has(lower[joinedStart] ?? '') ? phraseFrom(joinedStart) : null;
      // Two groups neither of which is a period are read too, so that the planner can decline them rather than drop one.
      if (joined && shape.group && (joined[1] === words.length || boundaryWords.has(lower[joined[1]]) || structural.has(joined[1]))) {
        shape.extraGroup = joined;
        structural.add(shape.group[1]);
      }
      break;
    }
  }

  // "month-over-month change", "month to month", "monthly growth": a trend with the change per period.
  for (let index = 0; index < words.length; index += 1) {
    const periodic =
      at(index, 'month', 'over', 'month') ||
      at(index, 'month', 'to', 'month') ||
      at(index, 'quarter', 'over', 'quarter') ||
      at(index, 'year', 'over', 'year');
    const changeAfter = (from: number) => changeWords.has(lower[from] ?? '') || changeWords.has(lower[from + 1] ?? '');
    // "month by month", "year by year": per period; a change only when the question names one ("how has … changed").
    const periodByPeriod =
      ['month', 'quarter', 'year'].includes(lower[index]) && lower[index + 1] === 'by' && lower[index + 2] === lower[index];
    if (periodByPeriod) {
      shape.group = [index, index + 1];
      structural.add(index + 1).add(index + 2);
      shape.change = lower.slice(Math.max(0, index - 6), index + 6).some((word) => changeWords.has(word));
      if (!shape.change) break;
    } else if (periodic) {
      shape.group = [index, index + 1];
      structural.add(index + 1).add(index + 2);
      if (index > 0 && lower[index - 1] === 'from') structural.add(index - 1);
      shape.change = true;
    } else if (['monthly', 'quarterly', 'yearly', 'annual'].includes(lower[index]) && changeAfter(index + 1) && !shape.group) {
      shape.group = [index, index + 1];
      shape.change = true;
    } else continue;
    // "change from month to month" names the change before the periods, "month-over-month change" after them.
    for (let next = Math.max(0, index - 3); next < Math.min(words.length, index + 5); next += 1)
      if (changeWords.has(lower[next])) structural.add(next);
    break;
  }
  // "the running total of revenue by month", "cumulative revenue per month": a sum carried over the periods.
  const running = lower.findIndex(
    (word, index) =>
      (word === 'running' && ['total', 'totals', 'sum'].includes(lower[index + 1] ?? '')) ||
      word === 'cumulative' ||
      word === 'cumulatively',
  );
  if (running >= 0 && !shape.change) {
    shape.cumulative = true;
    structural.add(running);
  }
  // "monthly revenue", "yearly sign-ups": a period adjective groups like "per month".
  if (!shape.group) {
    const periodic = lower.findIndex((word) => ['monthly', 'quarterly', 'yearly', 'annually'].includes(word));
    // "the average monthly revenue" averages the months' totals: no grouping of this kind, so it stays unplaced.
    const averaged = ['average', 'avg', 'mean', 'typical', 'highest', 'lowest', 'maximum', 'minimum', 'best', 'worst'].includes(
      lower[periodic - 1] ?? '',
    );
    if (periodic >= 0 && !averaged) shape.group = [periodic, periodic + 1];
  }

  // Ratios: "the ratio of cancelled orders to delivered orders", "the ratio of female to male patients".
  const ratioAt = lower.indexOf('ratio');
  const toAt = lower.indexOf('to', ratioAt + 2);
  if (ratioAt >= 0 && lower[ratioAt + 1] === 'of' && toAt > ratioAt + 2) {
    structural
      .add(ratioAt)
      .add(ratioAt + 1)
      .add(toAt);
    // "the ratio of refunded to captured payments, by count": rows are counted on both sides anyway.
    const byCount = lower.findIndex((word, index) => index > toAt && word === 'by' && ['count', 'number'].includes(lower[index + 1] ?? ''));
    if (byCount > 0) {
      structural.add(byCount).add(byCount + 1);
      if (shape.group?.[0] === byCount + 1) {
        shape.group = null;
        shape.extraGroup = undefined;
      }
    }
    const denominatorStart = skipDeterminers(toAt + 1);
    let denominatorEnd = denominatorStart;
    while (denominatorEnd < words.length && !boundaryWords.has(lower[denominatorEnd]) && !structural.has(denominatorEnd))
      denominatorEnd += 1;
    if (denominatorEnd === denominatorStart) return null;
    shape.kind = 'ratio';
    shape.ratio = { numerator: [skipDeterminers(ratioAt + 2), toAt], denominator: [denominatorStart, denominatorEnd] };
    shape.subject = [shape.ratio.numerator[0], denominatorEnd];
    return shape;
  }

  // Shares: "what percentage of orders were cancelled", "the share of patients who are uninsured".
  for (let index = 0; index < words.length; index += 1) {
    if (!['percentage', 'percent', 'proportion', 'share', 'fraction'].includes(lower[index])) continue;
    if (numberOf(words[index - 1]) !== null) continue; // "5 percent" is a number, not a share question
    shape.kind = 'share';
    structural.add(index);
    const of = lower[index + 1] === 'of' ? 1 : 0;
    if (of) structural.add(index + 1);
    const start = skipDeterminers(index + 1 + of);
    shape.subject = phraseFrom(start);
    if (!shape.subject) return null;
    // The rows counted below the line: the subject and its prepositional phrases ("of members in Cork",
    // "of appointments in 2024"), up to the verb that starts the condition ("are banned", "got returned").
    let end = shape.subject[1];
    while (end < words.length && scopePrepositions.has(lower[end])) {
      end += 1;
      while (end < words.length && (structural.has(end) || ['the', 'a', 'an', 'our', 'all'].includes(lower[end]))) end += 1;
      // The phrase's noun ends before a verb ("members in Cork got banned", "orders from Japan shipped late").
      while (end < words.length && !boundaryWords.has(lower[end]) && !isParticiple(words[end]) && !linkingVerbs.has(lower[end])) {
        end += 1;
        if (words[end - 1].lower !== words[end - 1].stem && !words[end - 1].isNumber) break;
      }
    }
    shape.shareScope = [start, end];
    return shape;
  }

  // "Which 3 customers placed the most orders, and how many did each place?", "the 5 most prescribed medications,
  // with how many times each was prescribed": "how many" after a ranking asks for its figures, not for a count.
  markRankingFigureRequest(words, structural);
  // "Which customers placed at least 10 orders? List their names and number of orders.": the count compared, asked for.
  markComparedCountRequest(words, comparisons, structural);
  // "revenue by category, highest first", "sorted alphabetically": the order a grouped answer or a list has anyway.
  markOrderPhrases(words, structural, shape.group !== null);

  // Counting ("by number of …" already named a ranking's measure).
  for (let index = 0; index < words.length; index += 1) {
    if (structural.has(index)) continue;
    // "the average number of page views" averages a column; it is not a count.
    const averaged =
      ['average', 'avg', 'mean', 'total'].includes(lower[index - 1] ?? '') ||
      ['average', 'avg', 'mean', 'total'].includes(lower[index - 2] ?? '');
    // "the largest number of products" ranks by a count; the superlative reads it.
    // So does "by the number of …" after a grouping ("the top 2 doctors in each department by number of visits").
    const ranked =
      descendingSuperlatives.has(lower[index - 1] ?? '') ||
      ascendingSuperlatives.has(lower[index - 1] ?? '') ||
      lower[index - 1] === 'by' ||
      (lower[index - 1] === 'the' && lower[index - 2] === 'by');
    // "the phone number of each customer": a noun before "number" makes it a name ("phone number", "order number").
    const compound =
      index > 0 && !isFunctionWord(words[index - 1]) && !words[index - 1].isNumber && !quantityAdjectives.has(lower[index - 1]);
    if (
      at(index, 'how', 'many') ||
      (at(index, 'number', 'of') && !averaged && !ranked && !compound) ||
      at(index, 'count', 'of') ||
      at(index, 'count', 'the') ||
      at(index, 'how', 'often')
    ) {
      shape.kind = 'count';
      shape.aggregate = 'COUNT';
      structural.add(index).add(index + 1);
      let start = skipDeterminers(index + 2);
      // "count the number of payments": the count is asked twice over.
      if (at(start, 'number', 'of')) {
        structural.add(start).add(start + 1);
        start = skipDeterminers(start + 2);
      }
      shape.subject = phraseFrom(start);
      // "Among the customers living in Japan, how many of them …": "them" stands for the phrase after "among".
      const among = lower.indexOf('among');
      if (['them', 'these', 'those'].includes(lower[start] ?? '') && among >= 0 && among < index) {
        structural.add(among).add(start);
        shape.subject = phraseFrom(skipDeterminers(among + 1));
      }
      // "On average, how many diagnoses are recorded per appointment?": an average of per-group counts.
      const onAverage = lower.findIndex((word, position) => word === 'average' && lower[position - 1] === 'on');
      if (onAverage > 0 && shape.group && at(index, 'how', 'many')) {
        structural.add(onAverage - 1).add(onAverage);
        shape.kind = 'aggregate';
        shape.aggregate = 'AVG';
        shape.countsPerGroup = true;
        shape.measure = shape.subject;
        break;
      }
      // "Show all continents and the number of customers in each": the things listed before "and" group the count.
      const joined = lower[index - 1] === 'and' ? index - 1 : lower[index - 2] === 'and' && lower[index - 1] === 'the' ? index - 2 : -1;
      if (!shape.group && joined > 0) {
        const listed = skipDeterminers(skipRequestWords(lower, 0, structural));
        if (listed < joined && lower.slice(listed, joined).every((word) => !boundaryWords.has(word))) {
          shape.group = [listed, joined];
          structural.add(joined);
        }
      }
      break;
    }
  }

  // Ranking: "top 5 X", "5 most X", "which 3 X", superlatives.
  let rankingAt = -1;
  for (let index = 0; index < words.length; index += 1) {
    const count = numberOf(words[index + 1]);
    if (lower[index] === 'top' && count !== null && !dateIndices.has(index + 1)) {
      shape.topCount = count;
      structural.add(index).add(index + 1);
      shape.subject = phraseFrom(skipDeterminers(index + 2));
      rankingAt = index;
      break;
    }
    // "what are the 3 cities with the most customers", "list the 5 products with the highest price": the number
    // before the listed things, with a superlative after them, is how many to rank.
    const listedCount =
      lower[index] === 'the' &&
      index > 0 &&
      index === skipRequestWords(lower, 0, new Set()) &&
      lower.slice(index + 2).some((word) => descendingSuperlatives.has(word) || ascendingSuperlatives.has(word));
    if ((['which', 'what'].includes(lower[index]) || listedCount) && count !== null && !dateIndices.has(index + 1)) {
      shape.topCount = count;
      structural.add(index).add(index + 1);
      shape.subject = phraseFrom(index + 2);
      rankingAt = index;
      break;
    }
  }
  let orderedFirst = false;
  for (let index = 0; index < words.length; index += 1) {
    // "the first member to sign up", "hired first": the earliest. Not a part of a date phrase ("the first
    // quarter of 2025"), a name ("first name"), nor a unit or an occasion ("the first week", "for the first
    // time"), which say something else.
    const word = lower[index] === 'first' && isEarliestFirst(index) ? 'earliest' : lower[index];
    if ((!descendingSuperlatives.has(word) && !ascendingSuperlatives.has(word)) || structural.has(index)) continue;
    if (index > 0 && ['at', 'no'].includes(lower[index - 1])) continue;
    if (word === 'top' && (rankingAt === index || lower[index + 1] === 'level')) continue;
    // ("longer than 45 min": minutes after a number, not a minimum.)
    if (['min', 'mins'].includes(word) && numberOf(words[index - 1]) !== null) continue;
    // "What are the lowest and highest prices?": two aggregates of one measure, not a ranking of rows. ("Which products
    // have the lowest and highest prices?" asks for rows, and is left to the ranking.)
    const paired = pairedExtremes[word] !== undefined && lower[index + 1] === 'and' ? pairedExtremes[lower[index + 2] ?? ''] : undefined;
    // (Only where nothing but the request stands before it: "What cakes have the lowest and highest prices?" asks for cakes.)
    const opening = skipDeterminers(skipRequestWords(lower, 0, new Set()));
    const onlyRequest = lower
      .slice(opening, index)
      .every(
        (before, offset) =>
          ['the', 'are', 'is', 'were', 'was'].includes(before) ||
          (shape.group !== null && opening + offset >= shape.group[0] - 2 && opening + offset < shape.group[1]),
      );
    if (paired && paired !== pairedExtremes[word] && !shape.asksWhich && shape.topCount === null && onlyRequest) {
      shape.kind = 'aggregate';
      shape.aggregate = pairedExtremes[word]!;
      shape.pairedAggregate = paired;
      structural
        .add(index)
        .add(index + 1)
        .add(index + 2);
      shape.measure = phraseFrom(skipDeterminers(index + 3));
      break;
    }
    // "the five highest paid doctors": a number right before a superlative is how many to rank.
    const countBefore = numberOf(words[index - 1]);
    if (countBefore !== null && shape.topCount === null && !dateIndices.has(index - 1)) {
      shape.topCount = countBefore;
      structural.add(index - 1);
    }
    shape.superlative = true;
    shape.direction = ascendingSuperlatives.has(word) ? 'ASC' : 'DESC';
    structural.add(index);
    let next = index + 1;
    // "the largest number of products": what is ranked is the count of the things named after it.
    if (at(next, 'number', 'of')) {
      structural.add(next).add(next + 1);
      next += 2;
    }
    // "the highest average salary", "the lowest total fees": the groups are ranked by that aggregate.
    const rankedAggregate = lower[next] === 'total' ? 'SUM' : ['average', 'avg', 'mean'].includes(lower[next] ?? '') ? 'AVG' : null;
    if (rankedAggregate && shape.kind !== 'count' && !at(next + 1, 'number', 'of')) {
      shape.aggregate = rankedAggregate;
      structural.add(next++);
    }
    const adjective = lower[next];
    // "our longest-serving doctor", "the longest-standing customer": the earliest to join, by their own date.
    if (word === 'longest' && ['serving', 'standing', 'tenured'].includes(adjective ?? '')) {
      shape.superlativeConcept = 'recency';
      shape.direction = 'ASC';
      structural.add(next++);
    } else if (word === 'oldest' || word === 'youngest') shape.superlativeConcept = 'age';
    else if (['latest', 'newest', 'earliest'].includes(word)) shape.superlativeConcept = 'recency';
    else if (word === 'most' && ['recent', 'recently'].includes(adjective)) {
      shape.superlativeConcept = 'recency';
      structural.add(next++);
      // "the most recently hired doctor": the participle names the date ranked by; the doctors are ranked.
      if (adjective === 'recently' && isParticiple(words[next])) shape.recencyVerb = next++;
    } else if (['expensive', 'pricey', 'costly'].includes(adjective) || word === 'cheapest' || word === 'priciest') {
      shape.superlativeConcept = 'price';
      if (word !== 'cheapest' && word !== 'priciest') structural.add(next++);
    } else if (['paid', 'earning', 'spending', 'valuable'].includes(adjective)) {
      shape.superlativeConcept = 'money';
      structural.add(next++);
    } else if (adjective === 'selling' && lower.indexOf('by', next + 1) > next) {
      // "the 5 best selling products by units sold": the "by" phrase says what selling best is.
      structural.add(next++);
    } else if (['common', 'commonly', 'popular', 'frequent', 'frequently', 'often', 'used'].includes(adjective)) {
      shape.superlativeConcept = 'count';
      structural.add(next++);
      // "the most commonly prescribed medication": the participle names the rows counted.
      if (['commonly', 'frequently', 'often'].includes(adjective) && isParticiple(words[next])) shape.countVerb = next++;
      // "Which medication is prescribed most often?": the participle stands before the superlative.
      else if (
        ['commonly', 'frequently', 'often'].includes(adjective) &&
        isParticiple(words[index - 1]) &&
        ['is', 'was', 'are', 'were', 'gets', 'got', 'been'].includes(lower[index - 2] ?? '')
      )
        shape.countVerb = index - 1;
    }
    // "newest first", "most expensive first": the order of a list of all of them, not a ranking of one.
    if (lower[next] === 'first' && !dateIndices.has(next)) {
      structural.add(next++);
      orderedFirst = true;
    }
    if (shape.kind !== 'count') {
      const phrase = phraseFrom(skipDeterminers(next));
      if (shape.measure) {
        // The measure was named by "by number of …": the superlative's phrase is what is ranked.
        shape.kind = 'top';
        shape.subject = shape.subject ?? phrase;
      } else if (shape.topCount !== null || shape.asksWhich) {
        shape.kind = 'top';
        shape.measure = phrase;
        // "list the 5 most recently hired doctors": the things ranked are named after the superlative's words.
        if (shape.subject && shape.subject[0] <= index && shape.subject[1] > index && phrase && phrase[0] > index) shape.subject = phrase;
      } else {
        // "the most expensive product" ranks products; "the highest salary" is an aggregate (decided later).
        shape.kind = 'top';
        // "name the city with the most customers", "the doctor that has the highest salary": what stands before
        // "with the" is ranked, by the phrase after the superlative.
        const ranked = orderedFirst
          ? phraseFrom(skipDeterminers(skipRequestWords(lower, 0, structural)))
          : rankedBefore(lower, index, structural);
        shape.subject = shape.subject ?? ranked ?? phrase;
        shape.measure = phrase;
      }
    }
    break;
  }
  if (shape.topCount !== null && shape.kind !== 'count') {
    shape.kind = 'top';
    // "top 5 products by revenue": a plain "by" phrase is the measure, not a grouping ("for each author" stays a group).
    if (!shape.measure && shape.group && groupedByPlainBy) {
      shape.measure = shape.group;
      shape.group = null;
      shape.extraGroup = undefined;
    }
    // "our 3 biggest customers by order value": the superlative's phrase is what is ranked, the "by" phrase right after
    // it what they are ranked by.
    if (
      shape.measure &&
      shape.group &&
      groupedByPlainBy &&
      lower[shape.group[0] - 1] === 'by' &&
      shape.group[0] > shape.measure[1] &&
      // (a period may stand between them: "products this year by units sold")
      lower
        .slice(shape.measure[1], shape.group[0] - 1)
        .every((word, offset) => dateIndices.has(shape.measure![1] + offset) || ['in', 'during', 'over', 'for'].includes(word)) &&
      // ("by order value", "by units sold": a figure; "by category", "by country" stay a grouping.)
      lower.slice(shape.group[0], shape.group[1]).some((word) => figureByWords.has(word)) &&
      shape.superlative
    ) {
      shape.subject = shape.measure;
      shape.measure = shape.group;
      shape.group = null;
      shape.extraGroup = undefined;
    }
    // "the top 3 products in each category by units sold": a "by" after the group names the measure.
    const by = shape.group ? lower.indexOf('by', shape.group[1]) : -1;
    if (!shape.measure && by > 0 && !isPassiveAgent(words, by)) {
      structural.add(by);
      let start = skipDeterminers(by + 1);
      if (at(start, 'number', 'of')) {
        structural.add(start).add(start + 1);
        start = skipDeterminers(start + 2);
      }
      shape.measure = phraseFrom(start);
    }
  }
  if (shape.rankAll && shape.kind === 'list' && shape.topCount === null) {
    shape.kind = 'top';
    shape.subject = phraseFrom(skipDeterminers(skipRequestWords(lower, lower[0] === 'rank' ? 1 : 0, structural)));
  } else shape.rankAll = undefined;
  if (orderedFirst && shape.kind === 'top' && shape.topCount === null) shape.rankAll = true;
  if (whichAt !== null) shape.asked = phraseFrom(skipDeterminers(whichAt)) ?? undefined;
  if (shape.kind === 'top' && shape.asksWhich && !shape.subject) shape.subject = phraseFrom(skipDeterminers(whichAt ?? 1)) ?? shape.measure;
  // "list the twelve most expensive books": the ranked phrase is the subject too.
  if (shape.kind === 'top' && !shape.subject) shape.subject = shape.measure;
  if (shape.kind === 'top' && shape.topCount === null && !shape.rankAll) shape.topCount = 1;
  // "What is the SKU of the most expensive product?": a phrase right after the request and before "of the" and a
  // superlative names the column asked of the ranked row ("the name of …" is its label, read elsewhere).
  if (shape.kind === 'top' && shape.topCount === 1 && !shape.asksWhich) {
    const start = skipDeterminers(skipRequestWords(lower, 0, new Set()));
    const of = lower.indexOf('of', start);
    const phrase = lower.slice(start, of);
    if (
      start > 0 &&
      of > start &&
      of <= start + 3 &&
      phrase.every((word, offset) => !boundaryWords.has(word) && !labelWords.has(word) && !structural.has(start + offset)) &&
      rankedSoon(words, of + 1)
    ) {
      for (let index = 0; index < start; index += 1) structural.add(index);
      structural.add(of);
      shape.askedColumn = [start, of];
      // "the SKU of the plant with the highest price": the plant is ranked, by its price.
      const ranked = phraseFrom(skipDeterminers(of + 1));
      if (ranked && !words.slice(ranked[0], ranked[1]).some(isSuperlative)) shape.subject = ranked;
    }
  }

  // Aggregates.
  if (shape.kind === 'list') {
    for (let index = 0; index < words.length; index += 1) {
      const word = lower[index];
      // ("more than the average salary": the average a comparison reads is no aggregate asked for.)
      if (comparisons.some((comparison) => comparison.average && index >= comparison.index && index < comparison.average[0])) continue;
      const aggregate: AggregateFunction | null = ['average', 'avg', 'mean'].includes(word)
        ? 'AVG'
        : ['total', 'sum', 'overall', 'combined', 'cumulative'].includes(word) || at(index, 'how', 'much')
          ? 'SUM'
          : ['maximum', 'max'].includes(word)
            ? 'MAX'
            : ['minimum', 'min'].includes(word)
              ? 'MIN'
              : null;
      if (!aggregate) continue;
      // "the orders with their total": a figure of each listed row, not a sum.
      // "orders with a total above $500": a figure of each row compared with a number, not a sum either.
      if (word === 'total' && comparisons.some((comparison) => comparison.index === index + 1 || comparison.index === index + 2)) continue;
      if (['their', 'its'].includes(lower[index - 1] ?? '') && (index + 1 === lower.length || boundaryWords.has(lower[index + 1])))
        continue;
      // "which customers spent more than $5000 in total": "in total" sums per listed row; it asks for no single total.
      // So does a bare phrase with its comparison ("customers who spent over 10000 in total").
      if (word === 'total' && lower[index - 1] === 'in' && (shape.asksWhich || comparisons.length > 0)) {
        structural.add(index - 1).add(index);
        continue;
      }
      shape.kind = 'aggregate';
      shape.aggregate = aggregate;
      structural.add(index);
      if (at(index, 'how', 'much')) structural.add(index + 1);
      let measureStart = index + (at(index, 'how', 'much') ? 2 : 1);
      // "the average and total order value", "the minimum and maximum salary": a second aggregate of the same measure.
      const paired =
        lower[index + 1] === 'and' ? (aggregateWords[lower[index + 2] ?? ''] ?? pairedExtremes[lower[index + 2] ?? '']) : undefined;
      if (paired && paired !== aggregate && !at(index, 'how', 'much')) {
        shape.pairedAggregate = paired;
        structural.add(index + 1).add(index + 2);
        measureStart = index + 3;
      }
      // "the average number of orders per customer": the things counted are the measure.
      if (at(index + 1, 'number', 'of') || at(index + 2, 'number', 'of')) {
        const number = lower[index + 1] === 'number' ? index + 1 : index + 2;
        structural.add(number).add(number + 1);
        shape.countsPerGroup = true;
        measureStart = number + 2;
      }
      // "the average total spent per customer": the totals per group are averaged, not the rows.
      if (aggregate === 'AVG' && lower[measureStart] === 'total' && !shape.countsPerGroup) {
        shape.sumsPerGroup = true;
        structural.add(measureStart);
      }
      shape.measure = phraseFrom(skipDeterminers(measureStart));
      break;
    }
  }

  // "How are customers distributed across segments?", "how are orders split by status": a count per group.
  if (shape.kind === 'list' && shape.group && lower[0] === 'how' && ['are', 'is', 'were', 'was'].includes(lower[1] ?? '')) {
    structural.add(0).add(1);
    shape.kind = 'count';
    shape.aggregate = 'COUNT';
    shape.subject = phraseFrom(skipDeterminers(2));
  }
  // "sorted by the count in descending order": the order the figures come in, which a grouped answer has anyway.
  for (let index = 0; index < words.length; index += 1) {
    // "from highest to lowest", "from most to least": the same, said with superlatives.
    const fromTo =
      lower[index] === 'from' &&
      lower[index + 2] === 'to' &&
      [lower[index + 1], lower[index + 3]].every((word) => descendingSuperlatives.has(word ?? '') || ascendingSuperlatives.has(word ?? ''));
    // "the trend in the number of orders per month": the figure per period is the trend.
    if (['trend', 'trends'].includes(lower[index]) && shape.group) structural.add(index);
    if (fromTo && shape.group && shape.kind !== 'top') {
      for (let position = index; position <= index + 3; position += 1) structural.add(position);
      if (ascendingSuperlatives.has(lower[index + 1])) shape.direction = 'ASC';
    }
    if (['descending', 'ascending'].includes(lower[index])) {
      structural.add(index);
      if (lower[index + 1] === 'order') structural.add(index + 1);
      if (lower[index] === 'ascending') shape.direction = 'ASC';
    }
    if (groupingVerbs.has(lower[index]) && lower[index + 1] === 'by') {
      const figure = lower[index + 2] === 'the' ? index + 3 : index + 2;
      if (
        ['count', 'number', 'total', 'amount'].includes(lower[figure] ?? '') &&
        (figure + 1 === words.length || boundaryWords.has(lower[figure + 1]))
      )
        for (let position = index; position <= figure; position += 1) structural.add(position);
    }
  }

  // Lists: "which X", "what are the X", "list the X", "show me X", "name the X".
  if (shape.kind === 'list') {
    let start = 0;
    while (
      start < words.length &&
      [
        'which',
        'what',
        'who',
        'list',
        'show',
        'give',
        'name',
        'display',
        'me',
        'us',
        'are',
        'were',
        'is',
        'was',
        'find',
        'get',
        'tell',
        'please',
        // Colloquial and polite openings: "gimme …", "can you show me …", "i need a list of …", "pull up …".
        'gimme',
        'lemme',
        'let',
        'see',
        'can',
        'could',
        'would',
        'you',
        'i',
        'we',
        'want',
        'need',
        'like',
        'pls',
        'plz',
        'just',
        'pull',
        'up',
        'fetch',
        'return',
        'bring',
        'hey',
      ].includes(lower[start])
    ) {
      structural.add(start);
      start += 1;
    }
    // "give me a list of patients …": the list is what is asked for, not a thing listed.
    if (start > 0 && ['a', 'the'].includes(lower[start] ?? '') && lower[start + 1] === 'list' && lower[start + 2] === 'of') {
      structural
        .add(start)
        .add(start + 1)
        .add(start + 2);
      start += 3;
    }
    // "How did revenue change from month to month?": a question about a change asks for the trend.
    if (start === 0 && shape.change)
      while (start < words.length && ['how', 'did', 'does', 'do', 'has', 'have'].includes(lower[start])) structural.add(start++);
    // "doctors with a salary over 300000": a bare phrase with a comparison lists what it describes; so does
    // one that asks for columns next to it ("skincare products with their sku").
    // "monthly order totals in 2024": a period adjective before a bare phrase groups it.
    const periodFirst =
      start === 0 && shape.group?.[0] === 0 && shape.group[1] === 1 && ['monthly', 'quarterly', 'yearly', 'annual'].includes(lower[0]);
    if (periodFirst) {
      shape.bare = true;
      start = 1;
    } else if (start === 0 && ((shape.group && shape.group[0] > 0) || comparisons.length > 0 || asksToShow(lower)) && !shape.change)
      shape.bare = true;
    else if (start === 0) return null;
    // "what is the trend of monthly revenue": the trend of a figure per period is that figure per period.
    let owner = skipDeterminers(start);
    if (['trend', 'trends'].includes(lower[owner]) && ['of', 'in', 'for'].includes(lower[owner + 1] ?? '') && shape.group) {
      structural.add(owner).add(owner + 1);
      owner = skipDeterminers(owner + 2);
    }
    // "show each region's continent": the possessive names what is listed; "each" groups nothing.
    if (['each', 'every'].includes(lower[owner]) && lower[owner + 2] === 's') {
      structural.add(owner).add(owner + 2);
      if (shape.group && shape.group[0] <= owner + 1 && owner + 1 < shape.group[1]) {
        shape.group = null;
        shape.extraGroup = undefined;
      }
      shape.subject = [owner + 1, owner + 2];
      // "each patient's name, city and insurer": what follows the possessive is shown, up to a condition.
      let end = owner + 3;
      while (end < words.length && (!boundaryWords.has(lower[end]) || lower[end] === 'and')) end += 1;
      shape.shown = [owner + 3, end];
      return shape;
    }
    shape.subject = phraseFrom(owner);
    if (!shape.subject) return null;
    // "the name and price of the products": the name is the listed things' label; what follows "and" is shown too.
    // So do "the names, emails and cities of …" (the commas are gone from the words).
    const of = lower.indexOf('of', shape.subject[1]);
    if (
      lower.slice(shape.subject[0], shape.subject[1]).every((word) => labelWords.has(word)) &&
      of >= shape.subject[1] &&
      of <= shape.subject[1] + 6 &&
      lower.slice(shape.subject[1], of).every((word) => word === 'and' || !boundaryWords.has(word))
    ) {
      const listed = phraseFrom(skipDeterminers(of + 1));
      if (listed) {
        for (let index = shape.subject[0]; index < shape.subject[1]; index += 1) structural.add(index);
        for (let index = shape.subject[1]; index < of; index += 1) if (lower[index] === 'and') structural.add(index);
        structural.add(of);
        shape.shown = [shape.subject[1], of];
        shape.subject = listed;
      }
    }
  }
  return shape;
}

/** Words a figure request after a ranking may carry besides the ranking's own words ("did each place", "is that"). */
const figureRequestFillers = new Set([
  'each',
  'did',
  'do',
  'does',
  'they',
  'it',
  'that',
  'this',
  'is',
  'was',
  'were',
  'are',
  'have',
  'has',
  'had',
  'times',
  'of',
  'them',
  'in',
  'total',
  'for',
  'one',
  'there',
  'respectively',
]);

/**
 * Marks "and how many …" or "with how many …" after a ranking (a superlative or "top" before it) as structural when
 * what follows it only repeats the ranking's words ("… placed the most orders, and how many did each place?"): the
 * ranking then shows its figures. Left alone when the clause says anything new ("and how many of them were in 2024").
 */
function markRankingFigureRequest(words: readonly Word[], structural: Set<number>): void {
  const lower = words.map((word) => word.lower);
  // The first "and how many" / "with how many" only: one pass over the words, whatever their number.
  const index = lower.findIndex(
    (word, at) => at >= 2 && word === 'how' && lower[at + 1] === 'many' && ['and', 'with'].includes(lower[at - 1]),
  );
  if (index < 0) return;
  const before = words.slice(0, index - 1);
  if (!before.some((word) => descendingSuperlatives.has(word.lower) || ascendingSuperlatives.has(word.lower) || word.lower === 'top'))
    return;
  const stems = new Set(before.map((word) => word.stem));
  const roots = new Set(before.filter((word) => word.root.length >= 4).map((word) => word.root));
  const repeats = (word: Word) => figureRequestFillers.has(word.lower) || stems.has(word.stem) || roots.has(word.root);
  if (!words.slice(index + 2).every(repeats)) return;
  for (let position = index - 1; position < words.length; position += 1) structural.add(position);
}

/** Words that may stand before "number of" in a count: "the total number of", "the monthly number of". */
const quantityAdjectives = new Set([
  'total',
  'overall',
  'combined',
  'exact',
  'approximate',
  'actual',
  'entire',
  'whole',
  'same',
  'net',
  'daily',
  'weekly',
  'monthly',
  'quarterly',
  'yearly',
  'annual',
]);

/** Words that make a "by" phrase after a superlative a figure to rank by, not a grouping ("by order value"). */
const figureByWords = new Set([
  'value',
  'revenue',
  'sales',
  'spend',
  'spent',
  'spending',
  'amount',
  'total',
  'units',
  'sold',
  'quantity',
  'price',
  'cost',
  'income',
  'profit',
  'fees',
  'fee',
  'salary',
  'count',
  'number',
]);

/** Words that open a count's name: "number of …", "count of …". */
const countOpeners = new Set(['number', 'count']);

/**
 * Marks "number of …" (or "count of …") as structural when it comes after a comparison of a number with counted rows
 * ("placed at least 10 orders … List first name, last name and number of orders.") and names only those rows again:
 * it asks to see the count compared, not for a count of its own. The planner then shows the count beside the listed
 * things. Left alone when it names anything else ("… and the number of their payments").
 */
function markComparedCountRequest(words: readonly Word[], comparisons: readonly Comparison[], structural: Set<number>): void {
  const lower = words.map((word) => word.lower);
  // The counted rows: the words after the number of the first comparison of a plain number ("at least 10 orders").
  let countedFrom = -1;
  for (const comparison of comparisons) {
    if (comparison.average || comparison.isMoney) continue;
    // ("10 or more orders": the comparison starts at its number.)
    const number =
      numberOf(words[comparison.index]) !== null
        ? comparison.index
        : words.findIndex((word, index) => index > comparison.index && numberOf(word) !== null);
    if (number > 0 && !words[number].isPercent) {
      countedFrom = afterComparedNumber(words, number);
      break;
    }
  }
  if (countedFrom < 0) return;
  let countedEnd = countedFrom;
  while (countedEnd < words.length && countedEnd < countedFrom + 2 && !boundaryWords.has(lower[countedEnd])) countedEnd += 1;
  const counted = words.slice(countedFrom, countedEnd);
  if (counted.length === 0) return;
  const repeats = (word: Word) =>
    counted.some((candidate) => candidate.stem === word.stem || (word.root.length >= 4 && candidate.root === word.root));
  for (let index = countedEnd; index < words.length; index += 1) {
    if (!countOpeners.has(lower[index]) || lower[index + 1] !== 'of' || structural.has(index)) continue;
    let end = index + 2;
    while (end < words.length && ['the', 'their', 'its', 'his', 'her'].includes(lower[end])) end += 1;
    const named = [];
    while (end < words.length && !boundaryWords.has(lower[end]) && lower[end] !== 'and') named.push(words[end++]);
    if (named.length === 0 || !named.every(repeats)) continue;
    for (let position = index; position < end; position += 1) structural.add(position);
    if (['their', 'the'].includes(lower[index - 1] ?? '')) structural.add(index - 1);
  }
}

/**
 * Marks as structural the order a question asks for where the answer has it anyway: "highest first", "largest first",
 * "most first" after a grouping (a grouped answer comes biggest figure first), and "alphabetically" or "in
 * alphabetical order" (a list comes in the order of its names). Other orders ("newest first", "lowest first") stay
 * to be placed, so that a question whose order the SQL would not keep is declined.
 */
function markOrderPhrases(words: readonly Word[], structural: Set<number>, grouped: boolean): void {
  const lower = words.map((word) => word.lower);
  for (let index = 0; index < words.length; index += 1) {
    if (grouped && lower[index + 1] === 'first' && ['highest', 'largest', 'biggest', 'most'].includes(lower[index]))
      structural.add(index).add(index + 1);
    if (lower[index] === 'alphabetically') {
      structural.add(index);
      if (['sorted', 'ordered', 'listed'].includes(lower[index - 1] ?? '')) structural.add(index - 1);
    }
    if (lower[index] === 'alphabetical' && lower[index + 1] === 'order') {
      structural.add(index).add(index + 1);
      if (lower[index - 1] === 'in') structural.add(index - 1);
    }
  }
}

function readComparisons(words: readonly Word[], structural: Set<number>): Comparison[] {
  const lower = words.map((word) => word.lower);
  const at = (index: number, ...expected: string[]) => expected.every((word, offset) => lower[index + offset] === word);
  const comparisons: Comparison[] = [];
  for (let index = 0; index < words.length; index += 1) {
    // "aged 18 to 30", "aged 40": an age range, or one age.
    if (lower[index] === 'aged' && numberOf(words[index + 1]) !== null && !structural.has(index + 1)) {
      // ("aged 18-25" loses its hyphen: two numbers in a row are a range too.)
      const joined = words[index + 2]?.isNumber === true;
      const ranged = joined || (['to', 'through', 'and'].includes(lower[index + 2] ?? '') && numberOf(words[index + 3]) !== null);
      if (ranged || !comparisonPhrases.some((phrase) => phrase.words[0] === lower[index + 2])) {
        comparisons.push({
          operator: ranged ? '>=' : '=',
          value: numberOf(words[index + 1])!,
          upper: ranged ? numberOf(words[index + (joined ? 2 : 3)]) : null,
          isMoney: false,
          index,
        });
        for (let offset = 0; offset <= (ranged ? (joined ? 2 : 3) : 1); offset += 1) structural.add(index + offset);
        continue;
      }
    }
    for (const phrase of comparisonPhrases) {
      if (!phrase.words.every((word, offset) => lower[index + offset] === word)) continue;
      if (phrase.words[0] === 'or' || phrase.words[0] === 'and') {
        // "65 or more", "65 years old or older", "an hour or longer": the number before, past its unit words.
        let before = index - 1;
        while (before >= index - 3 && before >= 0 && unitWords.has(lower[before])) before -= 1;
        const number = words[before];
        if (number && numberOf(number) !== null && !structural.has(number.index)) {
          comparisons.push({ operator: phrase.operator, value: numberOf(number)!, upper: null, isMoney: number.isMoney, index: before });
          structural
            .add(index)
            .add(index + 1)
            .add(before);
        }
        continue;
      }
      // "more than the average salary", "above the all-time average order total": compared with an average.
      const averageAt = index + phrase.words.length + (lower[index + phrase.words.length] === 'the' ? 1 : 0);
      const allTime = at(averageAt, 'all', 'time') ? 2 : 0;
      if (['average', 'mean'].includes(lower[averageAt + allTime] ?? '') && !phrase.money) {
        const start = averageAt + allTime + 1;
        let end = start;
        while (end < words.length && !boundaryWords.has(lower[end])) end += 1;
        // (A bare "above the average" averages the column named before it.)
        for (let position = index; position < start; position += 1) structural.add(position);
        comparisons.push({ operator: phrase.operator, value: 0, upper: null, isMoney: false, index, average: [start, end] });
        break;
      }
      // "over the age of 65": the age named before its number.
      const ageOf = lower[index + phrase.words.length] === 'the' && at(index + phrase.words.length + 1, 'age', 'of') ? 3 : 0;
      const numberWord = words[index + phrase.words.length + ageOf];
      const value = numberOf(numberWord);
      if (value === null || structural.has(numberWord.index)) continue;
      const comparison: Comparison = {
        operator: phrase.operator,
        value,
        upper: null,
        isMoney: numberWord.isMoney || phrase.money === true,
        index,
      };
      for (let offset = 0; offset <= phrase.words.length; offset += 1) structural.add(index + offset);
      structural.add(numberWord.index);
      if (phrase.words[0] === 'between' && lower[numberWord.index + 1] === 'and' && numberOf(words[numberWord.index + 2]) !== null) {
        comparison.upper = numberOf(words[numberWord.index + 2]);
        structural.add(numberWord.index + 1).add(numberWord.index + 2);
      }
      comparisons.push(comparison);
      break;
    }
  }
  return comparisons;
}

/** Words that start a figure or a column asked for next to the groups, not a second group ("… and the number of …"). */
const joinedExcluded = new Set([
  'number',
  'count',
  'counts',
  'total',
  'totals',
  'amount',
  'sum',
  'average',
  'avg',
  'mean',
  'how',
  'what',
  'which',
  'who',
  'their',
  'its',
  'his',
  'her',
  'list',
  'show',
  'give',
]);

/** Words that name the label of listed things ("the name and price of …"). */
const labelWords = new Set(['name', 'names', 'title', 'titles']);

/**
 * Whether a question asks for columns next to what it lists: "with their", "and their", "plus their", "along
 * with", "together with", "as well as", "and what".
 */
function asksToShow(lower: readonly string[]): boolean {
  return lower.some(
    (word, index) =>
      (['with', 'and', 'plus', 'including'].includes(word) && lower[index + 1] === 'their') ||
      (['along', 'together'].includes(word) && lower[index + 1] === 'with') ||
      (word === 'and' && lower[index + 1] === 'what'),
  );
}

/** Past participles that do not end in -ed, for "written by", "sold by", "run by". */
const irregularParticiples = new Set([
  'written',
  'made',
  'taken',
  'given',
  'sold',
  'bought',
  'held',
  'run',
  'done',
  'seen',
  'paid',
  'led',
  'taught',
  'won',
  'built',
  'sent',
  'brought',
  'kept',
  'drawn',
  'driven',
  'chosen',
  'grown',
  'shown',
  'spent',
  'told',
  'hit',
  'caught',
  'found',
  'read',
  'set',
  'put',
  'eaten',
]);

/** Verbs whose "by" does group: "grouped by", "broken down by", "sorted by", "ranked by". */
const groupingVerbs = new Set([
  'grouped',
  'broken',
  'down',
  'split',
  'sorted',
  'ordered',
  'ranked',
  'segmented',
  'bucketed',
  'aggregated',
  'summarized',
  'summarised',
  'categorized',
  'categorised',
]);

/** Whether a word is a past participle (`written`, `placed`), as in a passive "… by …". */
export function isParticiple(word: Word | undefined): boolean {
  const lower = word?.lower ?? '';
  return irregularParticiples.has(lower) || (lower.length > 4 && lower.endsWith('ed'));
}

/**
 * Whether the "by" at `index` follows a passive verb and names an agent: a plural ("written by authors"),
 * a name ("written by Tolkien", "seen by doctor Clark") or a determiner ("placed by the customer …"). A bare singular noun still
 * groups ("revenue earned by region"), as do "by each …" and the grouping verbs ("sorted by").
 */
function isPassiveAgent(words: readonly Word[], index: number): boolean {
  const verb = words[index - 1]?.lower ?? '';
  const next = words[index + 1];
  // "ordered by price" sorts; "ordered by customers in Japan" names who ordered.
  if (!next || (groupingVerbs.has(verb) && !(verb === 'ordered' && next.lower !== next.stem))) return false;
  if (!irregularParticiples.has(verb) && !(verb.length > 4 && verb.endsWith('ed'))) return false;
  const determiner = ['the', 'a', 'an', 'our', 'their', 'its'].includes(next.lower);
  const isName = (word: Word | undefined) => word !== undefined && word.text !== word.lower && !word.isNumber;
  // "prescribed by doctor Patricia Anderson": a noun before a name is who, not a group.
  return determiner || isName(next) || next.lower !== next.stem || isName(words[index + 2]);
}

/** Words that open a request for data ("what are", "show me", "find", "list"), skipped before what is asked for. */
const requestOpenings = new Set([
  'what',
  'which',
  'is',
  'are',
  'was',
  'were',
  'list',
  'show',
  'give',
  'find',
  'get',
  'tell',
  'display',
  'return',
  'name',
  'me',
  'us',
  'please',
  'all',
  'each',
  'every',
  'state',
  'indicate',
  'provide',
  'mention',
]);

/** The index past the request words at `start` ("show me all", "what are"), adding them to `structural`. */
function skipRequestWords(lower: readonly string[], start: number, structural: Set<number>): number {
  let position = start;
  while (position < lower.length && requestOpenings.has(lower[position]) && !(lower[position] === 'name' && lower[position + 1] === 'of')) {
    structural.add(position);
    position += 1;
  }
  return position;
}

/**
 * Where the things a question asks to pick out begin, when it asks which ones: after "which" or "who" at the
 * start, after a preposition and "which" ("in which month …"), or after "the name of" ("what is the name of the
 * customer who …", "find the name of the department with …"); null when it does not ask which.
 */
function askedEntityStart(lower: readonly string[]): number | null {
  if (['which', 'who', 'whom'].includes(lower[0] ?? '')) return 1;
  if (['in', 'on', 'at', 'for', 'during', 'from', 'to'].includes(lower[0] ?? '') && lower[1] === 'which') return 2;
  const name = lower.findIndex((word) => labelWords.has(word));
  if (
    name < 0 ||
    name > 5 ||
    lower[name + 1] !== 'of' ||
    !lower.slice(0, name).every((word) => requestOpenings.has(word) || word === 'the')
  )
    return null;
  let end = name + 2;
  while (end < lower.length && ['the', 'a', 'an'].includes(lower[end])) end += 1;
  while (end < lower.length && !boundaryWords.has(lower[end])) end += 1;
  return ['who', 'that', 'which', 'with', 'whose'].includes(lower[end] ?? '') ? name + 2 : null;
}
