import { stem } from '../../text/index.ts';
import type { PromptMetric, PromptTerm } from './prompt-facts.ts';
import { lookupValueLimit, type CatalogueColumn, type CatalogueTable, type SchemaCatalogue } from './schema-catalogue.ts';
import { isFunctionWord, sameWord, wordsOf, type Word } from './question-words.ts';

/** A measure concept a word stands for when no column is named. */
export type MeasureConcept = 'money' | 'price';

/** A link from words of the question to the schema. */
export type Mention =
  | { kind: 'table'; start: number; end: number; table: CatalogueTable }
  | { kind: 'column'; start: number; end: number; column: CatalogueColumn; whole: boolean }
  | {
      kind: 'value';
      start: number;
      end: number;
      column: CatalogueColumn;
      value: string;
      /** Other values the same words name: the stored names a name begins ("Sertraline": each strength of it). */
      alsoValues?: string[];
    }
  | { kind: 'boolean'; start: number; end: number; column: CatalogueColumn; value: boolean }
  | { kind: 'null'; start: number; end: number; column: CatalogueColumn; isNull: boolean }
  | { kind: 'concept'; start: number; end: number; concept: MeasureConcept }
  /** A glossary term that stands for a row condition ("new patients"). */
  | { kind: 'termCondition'; start: number; end: number; table: CatalogueTable; sql: string; term: string }
  /** A named metric of the prompt ("payroll", "no-show rate"). */
  | { kind: 'metric'; start: number; end: number; table: CatalogueTable; metric: PromptMetric }
  /** A table known only by name (through a foreign key), not shown yet. */
  | { kind: 'unshown'; start: number; end: number; qualifiedName: string };

/** Words of column names too generic to link on their own. */
const genericNameWords = new Set(['id', 'at', 'on', 'is', 'name', 'first', 'last', 'date', 'code', 'by', 'of', 'has']);
const moneyWords = new Set([
  'revenue',
  'sale',
  'income',
  'earning',
  'earned',
  'earn',
  'making',
  'makes',
  'money',
  'spend',
  'spent',
  'spending',
  'value',
  'billed',
  'bill',
  'billing',
  'paid',
  'pay',
  'turnover',
  'amount',
  'worth',
]);
const priceWords = new Set([
  'expensive',
  'cheap',
  'cheaper',
  'cheapest',
  'price',
  'priced',
  'pricey',
  'costly',
  'cost',
  'costs',
  'costing',
]);
const negationWords = new Set(['not', 'no', 'non', 'without', 'never']);
/** Everyday words for one-letter codes. */
const letterCodes: Readonly<Record<string, string>> = {
  female: 'F',
  woman: 'F',
  women: 'F',
  girl: 'F',
  male: 'M',
  man: 'M',
  men: 'M',
  boy: 'M',
};

/**
 * Links the words of a question to the shown tables: table names, column names (whole or by a word),
 * sample values (as whole phrases, so `no-shows` finds `no_show` and `west wing` finds `West Wing`),
 * boolean columns (with negation and the comment's "false for …" wording), NULL meanings from comments
 * ("NULL for uninsured patients"), and measure concepts (revenue, money, price) for words that name no column.
 * Words in `skip` (the question's structure) are not linked.
 */
export function linkMentions(words: readonly Word[], skip: ReadonlySet<number>, catalogue: SchemaCatalogue): Mention[] {
  const mentions: Mention[] = [];
  const content = (index: number) => index < words.length && !skip.has(index) && !isFunctionWord(words[index]);
  const valueUsable = (index: number) => index < words.length && !skip.has(index);

  // Values, longest first.
  for (const table of catalogue.tables) {
    for (const column of table.columns) {
      if (column.family !== 'text' || column.primaryKey) continue;
      for (const value of column.sampleValues) {
        const valueWords = wordsOf(value);
        if (valueWords.length === 0) continue;
        // "the US" for United States, "the UK" for United Kingdom: an acronym of the value's words.
        const initials = valueWords
          .filter((word) => !isFunctionWord(word))
          .map((word) => word.lower[0])
          .join('');
        if (valueWords.length >= 2 && initials.length >= 2)
          for (const word of words)
            if (word.isAcronym && word.lower === initials && valueUsable(word.index))
              mentions.push({ kind: 'value', start: word.index, end: word.index + 1, column, value });
        if (valueWords.length === 1 && value.length === 1) {
          for (const word of words)
            if (content(word.index) && letterCodes[word.lower] === value)
              mentions.push({ kind: 'value', start: word.index, end: word.index + 1, column, value });
          continue;
        }
        for (let start = 0; start + valueWords.length <= words.length; start += 1) {
          let matches = true;
          for (let offset = 0; offset < valueWords.length && matches; offset += 1) {
            const index = start + offset;
            matches =
              valueUsable(index) &&
              (words[index].stem === valueWords[offset].stem ||
                words[index].lower === valueWords[offset].lower ||
                closeSpelling(words[index].lower, valueWords[offset].lower));
          }
          if (!matches) continue;
          const range = words.slice(start, start + valueWords.length);
          // "no-show" for `no_show`: a code joined by an underscore or hyphen names a value even of function words.
          if (range.every((word) => isFunctionWord(word)) && !/[_-]/.test(value)) continue;
          // "orders shipped to Osaka": a verb of the value followed by "to" or "from", where its table has a column named
          // after the verb (`shipping_country`), says where the rows went, not which status they have.
          const verb = words[start];
          if (
            valueWords.length === 1 &&
            ['to', 'from'].includes(words[start + 1]?.lower ?? '') &&
            verb.lower !== verb.root &&
            verb.root.length >= 4 &&
            table.columns.some((other) => other !== column && other.family === 'text' && other.name.startsWith(verb.root))
          )
            continue;
          mentions.push({ kind: 'value', start, end: start + valueWords.length, column, value });
        }
      }
    }
  }

  // "Sertraline" for `Sertraline 50 mg tablet` and `Sertraline 100 mg tablet`: a word no value equals, with which the
  // values a lookup found begin, in one column only, names all of them (when the lookup found every match).
  if (catalogue.foundCount > 0 && catalogue.foundCount < lookupValueLimit) {
    // The first word of each value of a column a lookup searched, once: "ibuprofen" → its strengths, by column.
    const byFirstWord = new Map<string, Map<CatalogueColumn, string[]>>();
    for (const table of catalogue.tables)
      for (const column of table.columns) {
        if (column.family !== 'text' || column.primaryKey || column.foundValues.length === 0) continue;
        for (const value of column.sampleValues) {
          const valueWords = wordsOf(value);
          if (valueWords.length < 2) continue;
          const columns = byFirstWord.get(valueWords[0].lower) ?? new Map<CatalogueColumn, string[]>();
          columns.set(column, [...(columns.get(column) ?? []), value]);
          byFirstWord.set(valueWords[0].lower, columns);
        }
      }
    // "diagnosed with hypertension" for `Essential (primary) hypertension`: a whole word in lower case inside descriptions a
    // lookup found (values of three words or more on average) names them too; a word of a title or a name does not.
    const byAnyWord = new Map<string, Map<CatalogueColumn, string[]>>();
    for (const table of catalogue.tables)
      for (const column of table.columns) {
        if (column.family !== 'text' || column.primaryKey || column.lookedUp.length === 0 || !describes(column)) continue;
        for (const value of column.lookedUp)
          // (Only a word written in lower case after the first: "hypertension" in a description, not "Harbor" in a title.)
          for (const valueWord of new Set(
            wordsOf(value)
              .slice(1)
              .filter((valueWord) => valueWord.text === valueWord.lower)
              .map((valueWord) => valueWord.lower),
          )) {
            const columns = byAnyWord.get(valueWord) ?? new Map<CatalogueColumn, string[]>();
            columns.set(column, [...(columns.get(column) ?? []), value]);
            byAnyWord.set(valueWord, columns);
          }
      }
    for (const word of words) {
      if (!content(word.index) || word.isNumber || word.lower.length < 4) continue;
      const firstWord = byFirstWord.get(word.lower);
      const holders = [...((firstWord ?? byAnyWord.get(word.lower))?.entries() ?? [])];
      if (holders.length !== 1) continue;
      if (mentions.some((mention) => mention.start <= word.index && word.index < mention.end)) continue;
      const [column, [first, ...others]] = holders[0];
      // "heart disease": words of one description next to each other name the values that hold them all, not those that
      // hold either ("disease" alone would take "Chronic kidney disease" too).
      const previous = firstWord
        ? undefined
        : mentions.find(
            (mention): mention is Extract<Mention, { kind: 'value' }> =>
              mention.kind === 'value' && mention.end === word.index && mention.column === column && mention.alsoValues !== undefined,
          );
      if (previous) {
        const both = [previous.value, ...(previous.alsoValues ?? [])].filter((value) => value === first || others.includes(value));
        mentions.splice(mentions.indexOf(previous), 1);
        if (both.length > 0) mentions.push({ ...previous, end: word.index + 1, value: both[0], alsoValues: both.slice(1) });
        continue;
      }
      mentions.push({ kind: 'value', start: word.index, end: word.index + 1, column, value: first, alsoValues: others });
    }
  }

  // Tables.
  const valueMentioned = (index: number) => mentions.some((mention) => mention.start <= index && index < mention.end);
  for (const table of catalogue.tables) {
    const nameWords = table.nameWords;
    for (let start = 0; start + nameWords.length <= words.length; start += 1) {
      if (
        nameWords.every(
          (nameWord, offset) =>
            content(start + offset) &&
            (sameWord(words[start + offset], nameWord) ||
              (nameWords.length === 1 && sharedStem(words[start + offset].lower, nameWord.lower)) ||
              // A typo in a long table name ("custmers", "apointments"), not a value of some column.
              ((closeSpelling(words[start + offset].stem, nameWord.stem) || closeSpelling(words[start + offset].lower, nameWord.lower)) &&
                !valueMentioned(start + offset))),
        )
      ) {
        mentions.push({ kind: 'table', start, end: start + nameWords.length, table });
      }
    }
  }

  // "customers who bought in 2025", "purchases last month": what is bought or purchased is ordered, where no table is
  // named after purchases.
  const orders = catalogue.tables.filter((table) => table.nameWords.length === 1 && table.nameWords[0].stem === 'order');
  const purchases = catalogue.tables.some((table) => table.nameWords.some((word) => word.root === 'purchase'));
  if (orders.length === 1 && !purchases)
    for (const word of words)
      if (
        content(word.index) &&
        word.root === 'purchase' &&
        !mentions.some((mention) => mention.start <= word.index && word.index < mention.end)
      )
        mentions.push({ kind: 'table', start: word.index, end: word.index + 1, table: orders[0] });
  mentions.push(...keyMentions(words, mentions, content));

  // Tables known only through foreign keys: named, so the planner can ask to see them.
  for (const qualifiedName of catalogue.unshownTableNames()) {
    // ("customers who bought in March": the orders, not shown yet.)
    if (/\.orders$/.test(qualifiedName) && orders.length === 0 && !purchases)
      for (const word of words)
        if (content(word.index) && word.root === 'purchase')
          mentions.push({ kind: 'unshown', start: word.index, end: word.index + 1, qualifiedName });
    const nameWords = wordsOf(qualifiedName.slice(qualifiedName.lastIndexOf('.') + 1));
    for (let start = 0; start + nameWords.length <= words.length; start += 1) {
      if (
        nameWords.every(
          (nameWord, offset) =>
            content(start + offset) &&
            (sameWord(words[start + offset], nameWord) || sharedStem(words[start + offset].lower, nameWord.lower)),
        )
      ) {
        mentions.push({ kind: 'unshown', start, end: start + nameWords.length, qualifiedName });
      }
    }
  }

  // Columns, booleans and NULL meanings.
  for (const table of catalogue.tables) {
    for (const column of table.columns) {
      if (column.references || column.primaryKey) continue;
      const meaningful = column.nameWords.filter((word) => !genericNameWords.has(word.lower));
      if (meaningful.length === 0) continue;
      const matched: number[] = [];
      for (const nameWord of meaningful) {
        const hit = words.find(
          (word) =>
            content(word.index) &&
            (sameWord(word, nameWord) ||
              joinedWith(words, word, nameWord) ||
              sharedStem(word.lower, nameWord.lower) ||
              // A typo of a column's word ("activ" for `is_active`, "quantitiy").
              (word.lower.length >= 5 && closeSpelling(word.lower, nameWord.lower))),
        );
        if (hit) matched.push(hit.index);
      }
      // A two-word verb like "signed up" for `signup`.
      if (matched.length === 0) continue;
      const start = Math.min(...matched);
      const end = Math.max(...matched) + 1;
      const whole = matched.length === meaningful.length;
      if (column.family === 'boolean') {
        if (!whole && meaningful.length > 1 && matched.length < 2) continue;
        const negated = negationWords.has(words[start - 1]?.lower ?? '') || negationWords.has(words[start - 2]?.lower ?? '');
        mentions.push({ kind: 'boolean', start, end, column, value: !negated });
        continue;
      }
      mentions.push({ kind: 'column', start, end, column, whole });
    }
  }
  for (const table of catalogue.tables) {
    for (const column of table.columns) {
      for (const [pattern, meaning] of [
        [/\bfalse (?:for|when) ([^;.]+)/i, 'false'],
        [/\btrue (?:for|when) ([^;.]+)/i, 'true'],
        [/\bNULL (?:for|when|if) ([^;.]+)/, 'null'],
      ] as const) {
        const phrase = pattern.exec(column.comment);
        if (!phrase) continue;
        // "NULL when not provided": the phrase's own negation is a stop word; a question word of it without a negation
        // before it ("customers who provided a phone") means the opposite, the value there.
        const negatedPhrase = /\b(?:not|no|never|without)\b/i.test(phrase[1]);
        const phraseWords = wordsOf(phrase[1]).filter(
          (word) => !isFunctionWord(word) && !table.nameWords.some((nameWord) => sameWord(nameWord, word)),
        );
        for (const word of words) {
          if (
            !content(word.index) ||
            !phraseWords.some(
              (phraseWord) =>
                sameWord(phraseWord, word) || word.lower === `in${phraseWord.lower}` || word.lower === `un${phraseWord.lower}`,
            )
          )
            continue;
          if (column.nameWords.some((nameWord) => sameWord(nameWord, word))) continue;
          if (meaning === 'null') {
            const negation = [word.index - 1, word.index - 2].find((index) => index >= 0 && negationWords.has(words[index].lower));
            // "unpaid" for "not paid": the prefix negates as "not" does (and "not unpaid" not at all).
            const prefixed = !phraseWords.some((phraseWord) => sameWord(phraseWord, word));
            const questionNegated = (negation !== undefined) !== prefixed;
            mentions.push({
              kind: 'null',
              start: negation ?? word.index,
              end: word.index + 1,
              column,
              isNull: negatedPhrase === questionNegated,
            });
          } else if (column.family === 'boolean')
            mentions.push({ kind: 'boolean', start: word.index, end: word.index + 1, column, value: meaning === 'true' });
        }
      }
      if (column.family === 'boolean') {
        // "inactive" for `is_active`.
        for (const word of words) {
          if (
            content(word.index) &&
            column.nameWords.some(
              (nameWord) =>
                !genericNameWords.has(nameWord.lower) &&
                (word.lower === `in${nameWord.lower}` || word.lower === `un${nameWord.lower}` || word.lower === `non${nameWord.lower}`),
            )
          ) {
            mentions.push({ kind: 'boolean', start: word.index, end: word.index + 1, column, value: false });
          }
        }
      }
    }
  }

  // Measure concepts.
  for (const word of words) {
    if (!content(word.index)) continue;
    if (moneyWords.has(word.stem) || moneyWords.has(word.root))
      mentions.push({ kind: 'concept', start: word.index, end: word.index + 1, concept: 'money' });
    else if (priceWords.has(word.lower) || priceWords.has(word.stem))
      mentions.push({ kind: 'concept', start: word.index, end: word.index + 1, concept: 'price' });
  }
  return mentions.sort((left, right) => left.start - right.start || right.end - right.start - (left.end - left.start));
}

/** Words that may stand between a negation and the nullable column it empties ("did not give us their birthday"). */
const missingValueFillers = new Set([
  'have',
  'has',
  'had',
  'a',
  'an',
  'any',
  'give',
  'gave',
  'given',
  'provide',
  'provided',
  'enter',
  'entered',
  'share',
  'shared',
  'list',
  'listed',
  'us',
  'their',
  'his',
  'her',
  'its',
  'a',
  'on',
  'file',
]);

/** Verbs that say a value is missing: "customers missing a phone number", "patients lacking an insurer". */
const lackingWords = new Set(['missing', 'lack', 'lacks', 'lacking']);

/**
 * "no phone", "without a phone", "missing a phone", "do not have any phone", "didn't give us their birthday": a negation before
 * a nullable column (named in the schema or through the glossary), with at most a verb of having or giving,
 * a pronoun and an article between, means the value is missing.
 */
export function missingValueMentions(words: readonly Word[], mentions: readonly Mention[]): Mention[] {
  const found: Mention[] = [];
  for (const mention of mentions) {
    if (mention.kind !== 'column' || !mention.column.nullable) continue;
    const negation = cueBefore(words, mention.start, missingValueFillers, 4);
    if (negation < 0 || !(negationWords.has(words[negation].lower) || lackingWords.has(words[negation].lower))) continue;
    if (found.some((other) => other.kind === 'null' && other.column === mention.column && other.start === negation)) continue;
    found.push({ kind: 'null', start: negation, end: recordedEnd(words, mention.end), column: mention.column, isNull: true });
  }
  return found;
}

/** Verbs and prepositions of having before a column whose value may be missing ("have a phone", "with an insurer"). */
const presenceVerbs = new Set(['have', 'has', 'had', 'having', 'with']);
/** Words that may stand between such a verb and the column: articles and "any". */
const presenceFillers = new Set(['a', 'an', 'any', 'some']);
/** Words after the column that say it is recorded: "on file", "recorded", "listed", "given". */
const recordedWords = new Set(['recorded', 'listed', 'given', 'provided', 'stored', 'registered', 'entered']);

/**
 * "patients who have an insurance provider on file", "customers with a phone number": a verb of having, with at most
 * an article between, before a nullable column (not negated: `missingValueMentions` reads "do not have") means the
 * value is there, `IS NOT NULL`. Not "with their phone number", which asks to show it.
 */
export function presentValueMentions(words: readonly Word[], mentions: readonly Mention[]): Mention[] {
  const found: Mention[] = [];
  for (const mention of mentions) {
    if (mention.kind !== 'column' || !mention.column.nullable) continue;
    const verb = cueBefore(words, mention.start, presenceFillers, 2);
    if (verb < 0 || !presenceVerbs.has(words[verb].lower) || verb === mention.start - 1) continue;
    if ([verb - 1, verb - 2].some((index) => index >= 0 && negationWords.has(words[index].lower))) continue;
    if (found.some((other) => other.kind === 'null' && other.column === mention.column && other.start === verb)) continue;
    found.push({ kind: 'null', start: verb, end: recordedEnd(words, mention.end), column: mention.column, isNull: false });
  }
  return found;
}

/** The word before `start` once up to `reach` words of `fillers` are passed over (-1 at the question's start). */
function cueBefore(words: readonly Word[], start: number, fillers: ReadonlySet<string>, reach: number): number {
  let at = start - 1;
  while (at >= 0 && fillers.has(words[at].lower) && start - at <= reach) at -= 1;
  return at;
}

/**
 * Where a mention of a column ends with the words that say its value is recorded: "on file" (after a word of the
 * column's kind, as in "a phone number on file"), "recorded", "listed", "given".
 */
function recordedEnd(words: readonly Word[], end: number): number {
  const onFile = [end, end + 1].find((at) => words[at]?.lower === 'on' && words[at + 1]?.lower === 'file');
  if (onFile !== undefined) return onFile + 2;
  return recordedWords.has(words[end]?.lower ?? '') ? end + 1 : end;
}

/** The prompt's business knowledge, and the schema its unqualified table names live in. */
export interface PromptKnowledge {
  glossary: readonly PromptTerm[];
  metrics: readonly PromptMetric[];
  /** The schema of each table the prompt lists, by bare name (for the knowledge's unqualified names). */
  tableSchemas?: ReadonlyMap<string, string>;
  homeSchema: string;
}

/**
 * Links glossary terms and metric names (and their synonyms) to the shown tables: whole words only, in
 * order, compared by stem (`physicians` → "physician"). A term names a table, a column, a value or a row
 * condition; a metric names a measure. A target table not shown yet is an `unshown` mention, so the
 * planner asks to see it.
 */
export function linkKnowledge(words: readonly Word[], catalogue: SchemaCatalogue, knowledge: PromptKnowledge): Mention[] {
  const mentions: Mention[] = [];
  const qualified = (table: string) => {
    if (table.includes('.')) return table;
    const shown = catalogue.tables.find((candidate) => candidate.name === table);
    return shown?.qualifiedName ?? `${knowledge.tableSchemas?.get(table) ?? knowledge.homeSchema}.${table}`;
  };
  const spans = (phrases: readonly string[]) => {
    const found: Array<[number, number]> = [];
    for (const phrase of phrases) {
      const phraseWords = wordsOf(phrase);
      if (phraseWords.length === 0) continue;
      for (let start = 0; start + phraseWords.length <= words.length; start += 1) {
        const matches = phraseWords.every(
          (phraseWord, offset) =>
            words[start + offset].stem === phraseWord.stem ||
            words[start + offset].lower === phraseWord.lower ||
            // "cancelation rate" for "cancellation rate": a long word one letter apart.
            (phraseWord.lower.length >= 7 && closeSpelling(words[start + offset].lower, phraseWord.lower)),
        );
        if (matches && !found.some(([from, to]) => from === start && to === start + phraseWords.length))
          found.push([start, start + phraseWords.length]);
      }
    }
    return found;
  };
  const tableOrUnshown = (name: string, start: number, end: number): CatalogueTable | null => {
    const table = catalogue.table(qualified(name));
    if (!table) mentions.push({ kind: 'unshown', start, end, qualifiedName: qualified(name) });
    return table ?? null;
  };
  for (const term of knowledge.glossary) {
    for (const [start, end] of spans(term.phrases)) {
      const meaning = term.meaning;
      const table = tableOrUnshown(meaning.table, start, end);
      if (!table) continue;
      if (meaning.kind === 'table') mentions.push({ kind: 'table', start, end, table });
      else if (meaning.kind === 'condition')
        mentions.push({ kind: 'termCondition', start, end, table, sql: meaning.sql, term: term.phrases[0] });
      else {
        const column = table.columns.find((candidate) => candidate.name === meaning.column);
        if (!column) continue;
        if (meaning.kind === 'column') mentions.push({ kind: 'column', start, end, column, whole: true });
        else mentions.push({ kind: 'value', start, end, column, value: meaning.value });
      }
    }
    // "missed more than 2 appointments" for "missed appointments": a value's phrase whose last word names its table, with
    // a count compared in between, names the value by the words before it (the table and the count stay the question's).
    const meaning = term.meaning;
    if (meaning.kind !== 'value') continue;
    const table = catalogue.table(qualified(meaning.table));
    const column = table?.columns.find((candidate) => candidate.name === meaning.column);
    if (!table || !column) continue;
    for (const phrase of term.phrases) {
      const phraseWords = wordsOf(phrase);
      const last = phraseWords.at(-1);
      if (phraseWords.length < 2 || !last || !table.nameWords.some((nameWord) => sameWord(nameWord, last))) continue;
      const head = phraseWords.slice(0, -1);
      // ("top patients" in "the top 10 patients": a number a ranking takes is no count between the phrase's words.)
      if (head.some((headWord) => headWord.lower === 'top' || descendingOrAscending(headWord))) continue;
      for (let start = 0; start + head.length < words.length; start += 1) {
        if (
          !head.every((headWord, offset) => words[start + offset].stem === headWord.stem || words[start + offset].lower === headWord.lower)
        )
          continue;
        let gapEnd = start + head.length;
        while (gapEnd < words.length && gapEnd - start - head.length < 5 && countingGapWords(words[gapEnd])) gapEnd += 1;
        const gap = words.slice(start + head.length, gapEnd);
        if (!gap.some((word) => word.isNumber) || !words[gapEnd] || !sameWord(words[gapEnd], last)) continue;
        mentions.push({ kind: 'value', start, end: start + head.length, column, value: meaning.value });
      }
    }
  }
  for (const metric of knowledge.metrics) {
    for (const [start, end] of spans(metric.phrases)) {
      const table = tableOrUnshown(metric.table, start, end);
      if (table) mentions.push({ kind: 'metric', start, end, table, metric });
    }
  }
  return mentions;
}

/** Whether a word is a superlative ("most", "best", "top"): a phrase holding one ranks, it does not count. */
function descendingOrAscending(word: Word): boolean {
  return /^(most|least|best|worst|highest|lowest|top|bottom|largest|smallest|biggest)$/.test(word.lower);
}

/** Words of a count compared between a verb and its noun: "more than 2", "at least 3", "over 5", "3 or more". */
function countingGapWords(word: Word): boolean {
  return (
    word.isNumber ||
    ['more', 'less', 'fewer', 'than', 'at', 'least', 'most', 'over', 'under', 'or', 'exactly', 'above', 'below'].includes(word.lower)
  );
}

/** A question word and the next one written together equal a name word (`signed up` → `signup`). */
function joinedWith(words: readonly Word[], word: Word, nameWord: Word): boolean {
  const next = words[word.index + 1];
  return next !== undefined && `${word.root}${next.lower}` === nameWord.lower;
}

/** A verb and its noun sharing a long stem (`prescribed` / `prescription`). */
export function sharedStem(left: string, right: string): boolean {
  if (left.length < 7 || right.length < 7) return false;
  let common = 0;
  while (common < Math.min(left.length, right.length) && left[common] === right[common]) common += 1;
  return common >= 7;
}

/**
 * One letter apart in a long word (`canceled` / `cancelled`), not at its first letter: a letter put before
 * a word makes another word ("spending" is not "pending"), not a typo of it. A word of five or six letters
 * may only lack or add a letter after its first four (`activ` / `active`).
 */
export function closeSpelling(left: string, right: string): boolean {
  if (Math.abs(left.length - right.length) > 1 || left[0] !== right[0]) return false;
  if (Math.min(left.length, right.length) >= 5 && left.length !== right.length && left.slice(0, 4) === right.slice(0, 4))
    return dropsOneLetter(left, right);
  if (left.length < 7) return false;
  const [shorter, longer] = left.length <= right.length ? [left, right] : [right, left];
  let skipped = 0;
  for (let index = 0, other = 0; index < shorter.length; index += 1, other += 1) {
    if (shorter[index] === longer[other]) continue;
    skipped += 1;
    if (skipped > 1) return false;
    if (shorter.length < longer.length) index -= 1;
  }
  return true;
}

/** Whether the longer of two words is the shorter with one letter put in. */
function dropsOneLetter(left: string, right: string): boolean {
  const [shorter, longer] = left.length < right.length ? [left, right] : [right, left];
  for (let index = 0; index < longer.length; index += 1) if (longer.slice(0, index) + longer.slice(index + 1) === shorter) return true;
  return false;
}

/**
 * Whether a verb's root names a table: a part of its name is the root ("ordered": `orders`, `order_items`), or shares a
 * long stem with it ("prescribed": `prescriptions`).
 */
export function verbNamesTable(root: string, tableName: string): boolean {
  return tableName.split('_').some((part) => stem(part) === root || sharedStem(root, stem(part)));
}

/** Whether the values a lookup found in a column are descriptions: three words or more on average. */
function describes(column: CatalogueColumn): boolean {
  return column.lookedUp.reduce((sum, value) => sum + wordsOf(value).length, 0) / column.lookedUp.length >= 3;
}

/** Words between a row's noun and its key: "order number 1001", "patient with id 17", "customer ID 42". */
const keyCueWords = new Set(['number', 'no', 'id', 'with', 'the', 'nr']);

/**
 * "member 12", "order #1001", "the patient with id 17": one row named by its key, a whole number right after its
 * table's noun in the singular (with at most "number", "id" or "with the id" between), where the table's key is one
 * whole-number column. A value of that key, covering the noun and the number.
 */
function keyMentions(words: readonly Word[], mentions: readonly Mention[], content: (index: number) => boolean): Mention[] {
  const found: Mention[] = [];
  for (const mention of mentions) {
    if (mention.kind !== 'table') continue;
    const key =
      mention.table.primaryKey.length === 1
        ? mention.table.columns.find((column) => column.name === mention.table.primaryKey[0])
        : undefined;
    if (!key || key.family !== 'integer') continue;
    const noun = words[mention.end - 1];
    if (noun.lower !== noun.stem) continue;
    // ("cheaper than the price of book 7", "placed after order 100", "between customer 12 and customer 20": a comparison
    // with a row's own figure, or a range of keys, not that row; "ordered a product 3 times": no row at all.)
    const clause = words.slice(Math.max(0, mention.start - 6), mention.start).map((word) => word.lower);
    if (clause.some((word) => keyComparisonWords.has(word))) continue;
    if (['a', 'an'].includes(words[mention.start - 1]?.lower ?? '')) continue;
    let index = mention.end;
    const cues: string[] = [];
    while (index < words.length && keyCueWords.has(words[index].lower) && cues.length < 3) cues.push(words[index++].lower);
    // ("with" or "the" alone is no key: "the customer with 12 orders".)
    if (cues.length > 0 && !cues.some((cue) => cue === 'id' || cue === 'number' || cue === 'no' || cue === 'nr')) continue;
    const number = words[index];
    if (!number?.isNumber || number.isPercent || number.isMoney || !/^\d+$/.test(number.lower) || !content(index)) continue;
    // ("the order 2024 …": a year after the noun is a date, not a key.)
    if (cues.length === 0 && /^(19|20)\d\d$/.test(number.lower)) continue;
    // ("placed order 3 times", "customer 5 or more": a count, not a key.)
    if (['times', 'time', 'or', 'and'].includes(words[index + 1]?.lower ?? '') && cues.length === 0) continue;
    found.push({ kind: 'value', start: mention.start, end: index + 1, column: key, value: number.lower });
  }
  // ("customer 12 and customer 20": two keys of one table are a range or a choice the plan would not tell apart.)
  return found.filter(
    (mention) =>
      found.filter((other) => other.kind === 'value' && mention.kind === 'value' && other.column === mention.column).length === 1,
  );
}

/** Words before a row's key that make it a comparison or a range, not the row itself. */
const keyComparisonWords = new Set([
  'than',
  'as',
  'above',
  'below',
  'after',
  'before',
  'between',
  'since',
  'until',
  'over',
  'under',
  'exceeds',
  'exceeding',
]);
