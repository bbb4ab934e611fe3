import { labelColumns } from './label-columns.ts';
import { lineAmountOf, measureName, moneyName, moneyScore, numericFamilies } from './money-columns.ts';
import { isMention, type Entity, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap } from './planning-errors.ts';
import type { MeasureExpression } from './query-plan.ts';
import { isSuperlative, type AggregateFunction } from './question-shape.ts';
import { columnReference as reference, type CatalogueColumn, type CatalogueTable } from './schema-catalogue.ts';
import { isFunctionWord, sameWord, wordsOf } from './question-words.ts';
import type { MeasureConcept, Mention } from './schema-linker.ts';
import { verbTable } from './verb-tables.ts';

/** A measure with the table it is computed on. */
export interface ResolvedMeasure {
  expression: MeasureExpression;
  table: string;
  name: string;
  used: Mention[];
}

/** A named metric in the phrase (or, with `anywhere`, in the question), as the measure. */
export function metricMeasure(draft: PlanDraft, range: [number, number] | null, anywhere: boolean): ResolvedMeasure | null {
  const { used, words, aggregate } = draft;
  const metricMentions = draft.metricMentions.filter((mention) => !yieldsToNamedTable(draft, mention));
  const metric =
    metricMentions.find((mention) => range && mention.start < range[1] && range[0] < mention.end) ??
    (anywhere ? metricMentions.find((mention) => !used.includes(mention)) : undefined);
  if (!metric) return null;
  // "the average payroll": an aggregate of a metric (itself an aggregate) is not something the metric defines.
  if (
    aggregate !== null &&
    aggregate !== 'SUM' &&
    !words.some((word, index) => index >= metric.start && index < metric.end && ['average', 'avg', 'mean'].includes(word.lower))
  )
    throw new CannotPlan(`"${metric.metric.name}" is already an aggregate; I cannot take the ${aggregate.toLowerCase()} of it reliably`);
  used.push(metric);
  draft.activeMetric = metric.metric;
  return {
    expression: { kind: 'expression', sql: metric.metric.expression, table: metric.table.qualifiedName },
    table: metric.table.qualifiedName,
    name:
      metric.metric.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '_')
        .replace(/^_+|_+$/g, '') || 'value',
    used: [metric],
  };
}

/**
 * Whether a metric's words belong to a table the question names instead: part of its name ("sales" in "the
 * sales summary"), or a numeric column of it ("revenue" of `sales_summary`, "order count" of
 * `customer_order_counts`) when the metric is defined on another table. "in the sales summary" asks for its
 * figures, not for the metric's.
 */
function yieldsToNamedTable(draft: PlanDraft, metric: MentionOf<'metric'>): boolean {
  const overlaps = (mention: Mention) => mention.start < metric.end && metric.start < mention.end;
  const named = draft.mentions.filter(isMention('table')).filter((mention) => mention.table !== metric.table);
  if (named.some((mention) => overlaps(mention) && mention.end - mention.start > metric.end - metric.start)) return true;
  return draft.mentions
    .filter(isMention('column'))
    .some(
      (mention) =>
        overlaps(mention) &&
        numericFamilies.has(mention.column.family) &&
        mention.column.table !== metric.table &&
        named.some((table) => table.table === mention.column.table && !overlaps(table)),
    );
}

/** What a ranking orders by: a metric, a superlative's concept, a table counted, or a measure phrase. */
export function rankingMeasure(draft: PlanDraft, entity: Entity): ResolvedMeasure {
  const { shape, mentions, used, words } = draft;
  // "the customer who placed the order with the highest total": one related row is ranked by its own amount, not
  // the listed rows by a total of theirs; that is not written here.
  const rankedRow = mentions
    .filter(isMention('table'))
    .find(
      (mention) =>
        mention.table !== entity.table &&
        words[mention.start - 1]?.lower === 'the' &&
        words[mention.start].lower === words[mention.start].stem &&
        words[mention.end]?.lower === 'with' &&
        words[mention.end + 1]?.lower === 'the' &&
        isSuperlative(words[mention.end + 2]),
    );
  if (rankedRow)
    throw new CannotPlan(
      `The question ranks one of the ${rankedRow.table.name.replace(/_/g, ' ')} by its own figure, which I cannot write reliably.`,
    );
  const metric = metricMeasure(draft, shape.measure, true);
  if (metric) return metric;
  if (shape.superlativeConcept === 'count') {
    // "the most commonly prescribed medication": the rows the participle names, counted per ranked row.
    const counted =
      shape.countVerb === undefined || entity.column ? undefined : verbTable(draft, shape.countVerb, entity.table.qualifiedName);
    if (counted && shape.countVerb !== undefined) {
      draft.extraPlaced.add(shape.countVerb);
      return { expression: { kind: 'count' }, table: counted.qualifiedName, name: counted.name, used: [] };
    }
    return { expression: { kind: 'count' }, table: entity.table.qualifiedName, name: 'count', used: [] };
  }
  if (shape.superlativeConcept === 'price' || shape.superlativeConcept === 'money') {
    return conceptMeasure(draft, shape.superlativeConcept, 'SUM', entity, []);
  }
  // "the five oldest patients": the earliest birth dates first (the shape's direction says which end).
  // "the five most recent orders", "the newest products", "the oldest orders": by the rows' own date (for
  // people, "oldest" is by birth date).
  if (shape.superlativeConcept === 'age' || shape.superlativeConcept === 'recency') {
    const dated = entity.column ? [] : entity.table.columns.filter((column) => /date|timestamp/.test(column.family));
    const birth = shape.superlativeConcept === 'age' ? dated.find((column) => /birth/.test(column.name)) : undefined;
    const own = dated.filter((column) => !/birth/.test(column.name) && !column.nullable);
    // "the most recently hired": the date column named after the participle ("hired_on").
    const verb = shape.recencyVerb === undefined ? undefined : draft.words[shape.recencyVerb];
    const named = verb ? dated.find((column) => column.name.startsWith(verb.lower.replace(/e?d$/, ''))) : undefined;
    if (verb && named) draft.extraPlaced.add(verb.index);
    const column = named ?? birth ?? (own.length === 1 ? own[0] : own.find((column) => /date/.test(column.name)));
    if (!column)
      throw new CannotPlan(`The question ranks by ${shape.superlativeConcept === 'age' ? 'age' : 'date'}, and I see no date for it.`);
    // "the 5 most recent orders": rows with no name of their own (an order is its number, its status and
    // its date) leave open which columns are asked for.
    if (!labelColumns(entity.table).some((label) => /name|title|description|label/.test(label.name)))
      throw new CannotPlan(`The ${entity.table.name.replace(/_/g, ' ')} have no name to list them by.`);
    return {
      expression: { kind: 'column', function: null, column: reference(column) },
      table: entity.table.qualifiedName,
      name: column.name,
      used: [],
    };
  }
  const found = draft
    .inRange(shape.measure)
    .filter((mention) => mention !== entity.mention && !(mention.start >= entity.mention.start && mention.end <= entity.mention.end));
  const table = found.filter(isMention('table')).find((mention) => mention.table !== entity.table);
  const hasMeasureWord = found.some(
    (mention) => mention.kind === 'concept' || (mention.kind === 'column' && numericFamilies.has(mention.column.family)),
  );
  // "which books were loaned the most": with no measure phrase, a table named elsewhere (not the ranked
  // thing, not the group) is what is counted.
  const counted =
    table ??
    (shape.measure === null
      ? mentions
          .filter(isMention('table'))
          .find(
            (mention) =>
              mention.table !== entity.table &&
              !used.includes(mention) &&
              !(shape.group && mention.start >= shape.group[0] && mention.start < shape.group[1]),
          )
      : undefined);
  if (counted && !hasMeasureWord) {
    used.push(counted);
    return { expression: { kind: 'count' }, table: counted.table.qualifiedName, name: counted.table.name, used: [counted] };
  }
  if (shape.measure && (hasMeasureWord || found.length > 0)) return resolveMeasure(draft, shape.measure, shape.aggregate ?? 'SUM', entity);
  if (entity.column) return { expression: { kind: 'count' }, table: entity.table.qualifiedName, name: 'count', used: [] };
  // "which three doctors earn the most": a verb of money before the superlative names the measure.
  const spoken = shape.measure === null ? mentions.filter(isMention('concept')).find((mention) => !used.includes(mention)) : undefined;
  if (spoken) {
    used.push(spoken);
    return conceptMeasure(draft, spoken.concept, 'SUM', entity, []);
  }
  // "our biggest order ever", "the smallest payment": rows said to be big or small are so by their one amount of money.
  const sized = words.some((word) => shape.structural.has(word.index) && ['biggest', 'largest', 'smallest'].includes(word.lower));
  // (Rows that record a transaction only, dated: "the largest department" is no amount of money.)
  const dated = entity.table.columns.some((column) => column.family === 'date' || column.family === 'timestamp');
  if (sized && !entity.column && dated) {
    const amounts = entity.table.columns
      .map((column) => ({ column, score: moneyScore(column, 'money') }))
      .filter((entry): entry is { column: CatalogueColumn; score: number } => entry.score !== null && entry.score > 0)
      .sort((left, right) => right.score - left.score);
    if (amounts.length === 1 || (amounts.length > 1 && amounts[0].score > amounts[1].score))
      return {
        expression: { kind: 'column', function: null, column: reference(amounts[0].column) },
        table: entity.table.qualifiedName,
        name: amounts[0].column.name,
        used: [],
      };
  }
  throw new CannotPlan('The question does not say what to rank by.');
}

/**
 * The one numeric column of the shown tables whose comment says it is the "Number of <word>" for a plural word of
 * the phrase ("units": `quantity`, "Number of units, 1 to 5."), reachable from the entity; null when none or
 * several. Asked only when no column is named by the phrase.
 */
function countingColumn(
  draft: PlanDraft,
  range: [number, number],
  entity: Entity | null,
): { column: CatalogueColumn; word: number } | null {
  const words = draft.words.slice(range[0], range[1]).filter((word) => !draft.skip.has(word.index) && word.lower !== word.stem);
  const found: Array<{ column: CatalogueColumn; word: number }> = [];
  for (const word of words)
    for (const table of draft.catalogue.tables)
      for (const column of table.columns) {
        const counted = /^number of (\p{L}+)/iu.exec(column.comment)?.[1];
        if (!counted || !numericFamilies.has(column.family) || column.primaryKey || column.references) continue;
        if (wordsOf(counted)[0]?.stem !== word.stem) continue;
        if (entity && !draft.reaches(table, entity) && !draft.group) continue;
        found.push({ column, word: word.index });
      }
  return found.length === 1 ? found[0] : null;
}

/** The measure a phrase names: a metric, a numeric column, a concept (money, price) found in a table, or a table counted. */
export function resolveMeasure(
  draft: PlanDraft,
  range: [number, number],
  aggregateFunction: AggregateFunction,
  entity: Entity | null,
): ResolvedMeasure {
  const { mentions, used, skip, homeSchema, mentionedTables, plan } = draft;
  const metric = metricMeasure(draft, range, true);
  if (metric) return metric;
  const found = draft.inRange(range).filter((mention) => !entity || mention !== entity.mention);
  // "sold the most units" is not `unit_price`: a column read from a word of its name that is not the name's head
  // (its last word: `price`) names something else; the head or the whole name names the column.
  const headed = (mention: MentionOf<'column'>) =>
    mention.whole ||
    draft.words.slice(mention.start, mention.end).some((word) => {
      const head = mention.column.nameWords.at(-1);
      return head !== undefined && sameWord(word, head);
    });
  const columns = found.filter(isMention('column')).filter(headed);
  const numbers = columns.filter((mention) => numericFamilies.has(mention.column.family));
  // ("the earliest and latest order dates": a date has a lowest and a highest too, when no number is named.)
  const extreme = aggregateFunction === 'MIN' || aggregateFunction === 'MAX';
  const numeric =
    numbers.length > 0 || !extreme
      ? numbers
      : // (Only a date named whole, "order dates"; "the largest orders" names no date.)
        columns.filter((mention) => mention.whole && (mention.column.family === 'date' || mention.column.family === 'timestamp'));
  // "the late fees" names `late_fee`, not `yearly_fee`: a column named by fewer of the words another column takes
  // whole is not the one meant, even in a table the question names.
  const usable = numeric.filter(
    (mention) =>
      (mention.column.table.schema === homeSchema || mentionedTables.includes(mention.column.table.qualifiedName)) &&
      // (Only a column named by part of its name gives way: `price` named whole stays beside `unit_price`.)
      !(
        !mention.whole &&
        numeric.some(
          (other) =>
            other !== mention &&
            other.whole &&
            // (Its words side by side: "unit cost to total list price" names `unit_price` only in pieces.)
            other.end - other.start <= other.column.nameWords.length &&
            other.start <= mention.start &&
            mention.end <= other.end &&
            other.end - other.start > mention.end - mention.start,
        )
      ),
  );
  const preferred = [...usable].sort(
    (left, right) =>
      draft.columnPreference(right) - draft.columnPreference(left) ||
      (entity ? Number(draft.reaches(right.column.table, entity)) - Number(draft.reaches(left.column.table, entity)) : 0),
  );
  const reachable = preferred.filter((mention) => !entity || draft.reaches(mention.column.table, entity) || !!draft.group);
  if (reachable.length > 0) {
    const choice = reachable[0];
    used.push(choice);
    const column = choice.column;
    return {
      expression: { kind: 'column', function: aggregateFunction, column: reference(column) },
      table: column.table.qualifiedName,
      name: measureName(aggregateFunction, column.name),
      used: [choice],
    };
  }
  // "sold the most units": the numeric column documented as the "Number of units" (`quantity`) counts them.
  const counting = countingColumn(draft, range, entity);
  if (counting) {
    draft.extraPlaced.add(counting.word);
    return {
      expression: { kind: 'column', function: aggregateFunction, column: reference(counting.column) },
      table: counting.column.table.qualifiedName,
      name: measureName(aggregateFunction, counting.column.name),
      used: [],
    };
  }
  const age = ageMeasure(draft, range, aggregateFunction, entity);
  if (age) return age;
  const concept = found.find(isMention('concept')) ?? mentions.filter(isMention('concept')).find((mention) => !skip.has(mention.start));
  const numericWithoutSchema = numeric.find((mention) => moneyName(mention.column.name) > 0);
  if (concept || numericWithoutSchema) {
    const tableMentions = found.filter(isMention('table'));
    if (concept) used.push(concept);
    return conceptMeasure(
      draft,
      concept?.concept ?? 'money',
      aggregateFunction,
      entity,
      tableMentions.map((mention) => mention.table),
    );
  }
  const table = found.find(isMention('table'));
  if (table && (aggregateFunction === 'SUM' || aggregateFunction === 'COUNT')) {
    used.push(table);
    plan.kind = plan.kind === 'aggregate' ? 'count' : plan.kind;
    return { expression: { kind: 'count' }, table: table.table.qualifiedName, name: `${table.table.name}_count`, used: [table] };
  }
  // "the average length of treatment": a number column whose comment begins with the phrase's words ("Length of the
  // treatment in days." for `days`), one among the shown tables.
  const described = describedColumn(draft, range, entity);
  if (described) {
    for (const index of described.words) draft.extraPlaced.add(index);
    return {
      expression: { kind: 'column', function: aggregateFunction, column: reference(described.column) },
      table: described.column.table.qualifiedName,
      name: measureName(aggregateFunction, described.column.name),
      used: [],
    };
  }
  throw new CannotPlan(`"${draft.phraseText(range)}" names no measure in the shown tables.`);
}

/**
 * The one number column whose comment's first clause holds every content word of the phrase (at least two of them,
 * the units "in days" or "in minutes" after it too), among the tables the entity reaches or the home schema; null
 * when none or several.
 */
function describedColumn(
  draft: PlanDraft,
  range: [number, number],
  entity: Entity | null,
): { column: CatalogueColumn; words: number[] } | null {
  const { words, skip, catalogue, homeSchema } = draft;
  let end = range[1];
  // ("length of treatment": the noun after "of" says what the measure is of.)
  if (words[end]?.lower === 'of') {
    end += words[end + 1]?.lower === 'the' ? 2 : 1;
    if (words[end] && !isFunctionWord(words[end])) end += 1;
    else return null;
  }
  // ("… of treatment in days": the unit after the phrase is the column's too.)
  if (words[end]?.lower === 'in' && words[end + 1] && /^(days|hours|minutes|seconds|weeks|months|years)$/.test(words[end + 1].lower))
    end += 2;
  const said = words.slice(range[0], end).filter((word) => !skip.has(word.index) && !isFunctionWord(word));
  if (said.length < 2) return null;
  const candidates = catalogue.tables
    .filter((table) => table.schema === homeSchema && (!entity || draft.reaches(table, entity)))
    .flatMap((table) => table.columns)
    .filter((column) => numericFamilies.has(column.family) && !column.primaryKey && !column.references)
    .filter((column) => {
      const clause = wordsOf(column.comment.split(/[.;]/)[0] ?? '');
      return said.every((word) => clause.some((own) => sameWord(own, word)));
    });
  return candidates.length === 1 ? { column: candidates[0], words: said.map((word) => word.index) } : null;
}

/**
 * "the average age of our patients", "the youngest age among doctors": whole years from the one birth date of the
 * people measured (the tables the question names, else the entity's, else the one table of the shown ones that holds a birth date) to the prompt's
 * today. Null when the phrase names no age; declines when it does and no single birth date or no today is known.
 */
function ageMeasure(
  draft: PlanDraft,
  range: [number, number],
  aggregateFunction: AggregateFunction,
  entity: Entity | null,
): ResolvedMeasure | null {
  const ageWord = draft.words.slice(range[0], range[1]).find((word) => word.stem === 'age' && !draft.skip.has(word.index));
  if (!ageWord || (aggregateFunction !== 'AVG' && aggregateFunction !== 'MIN' && aggregateFunction !== 'MAX')) return null;
  const today = draft.input.today;
  if (!today) throw new CannotPlan('The question asks for an age, and the prompt does not say what today is.');
  // "the average age of patients at the time of their visit", "… in 2020": an age at another day than today.
  if (draft.input.dateRange || draft.words.some((word) => ['when', 'time', 'during', 'while', 'then'].includes(word.lower)))
    throw new CannotPlan('The question asks for an age at another time than today, which I cannot write reliably.');
  const births = (table: CatalogueTable) =>
    table.columns.filter((column) => (column.family === 'date' || column.family === 'timestamp') && /birth/i.test(column.name));
  const named = draft.mentionedTables.map((name) => draft.catalogue.table(name)).filter((table) => table !== undefined);
  const people = named.length > 0 ? named : entity ? [entity.table] : draft.catalogue.tables.filter((table) => births(table).length > 0);
  // ("the average age of readers who placed an order": an age at each order, or today? Not said.)
  if (named.length > 1) throw new CannotPlan('The question asks for an age of people through other rows, which I cannot write reliably.');
  const columns = people.flatMap(births);
  if (columns.length !== 1)
    throw new CannotPlan(
      columns.length === 0
        ? 'The question asks for an age, and no shown table holds a birth date.'
        : `The age could be counted from ${columns.map((column) => `${column.table.name}.${column.name}`).join(' or ')}.`,
    );
  const column = columns[0];
  draft.extraPlaced.add(ageWord.index);
  return {
    expression: { kind: 'age', function: aggregateFunction, column: reference(column), today },
    table: column.table.qualifiedName,
    name: measureName(aggregateFunction, 'age'),
    used: [],
  };
}

/** The best column (or line amount) for a concept, in a table that reaches the ranked or grouped entity. */
export function conceptMeasure(
  draft: PlanDraft,
  concept: MeasureConcept,
  aggregateFunction: AggregateFunction,
  entity: Entity | null,
  preferredTables: CatalogueTable[],
): ResolvedMeasure {
  const { catalogue, homeSchema, mentionedTables, plan, input } = draft;
  const target = entity ?? draft.group;
  const said = conceptWords(draft);
  let best: { score: number; fit: number; spoken: boolean; measure: ResolvedMeasure } | null = null;
  for (const table of catalogue.tables) {
    if (table.schema !== homeSchema && !preferredTables.includes(table)) continue;
    if (target && !draft.reaches(table, target)) continue;
    const bonus =
      (preferredTables.includes(table) ? 10 : 0) +
      (target && table === target.table ? 3 : 0) +
      (mentionedTables.includes(table.qualifiedName) ? 2 : 0);
    for (const column of table.columns) {
      const score = moneyScore(column, concept);
      if (score === null) continue;
      // "billed": the column documented as the amount billed, not another amount of the table.
      const spoken = speaks(column, said);
      const total = score * 2 + bonus + (spoken ? 6 : 0);
      if (!best || total > best.score) {
        const ownRow = !!entity && !entity.column && table === entity.table && plan.kind === 'top';
        best = {
          score: total,
          fit: score,
          spoken,
          measure: {
            expression: { kind: 'column', function: ownRow ? null : aggregateFunction, column: reference(column) },
            table: table.qualifiedName,
            name: ownRow ? column.name : measureName(aggregateFunction, column.name),
            used: [],
          },
        };
      }
    }
    const line = lineAmountOf(table);
    if (line && concept === 'money' && (!best || 9 + bonus > best.score)) {
      best = {
        score: 9 + bonus,
        fit: 4.5,
        spoken: false,
        measure: {
          expression: { kind: 'lineAmount', function: aggregateFunction, ...line },
          table: table.qualifiedName,
          name: aggregateFunction === 'SUM' ? 'revenue' : measureName(aggregateFunction, 'line_amount'),
          used: [],
        },
      };
    }
  }
  // A verb of billing names an amount charged to someone: a salary or a price does not answer it, so a
  // table not shown yet that may hold that amount is looked at first.
  const billing = said.some((word) => billingWords.has(word)) && !best?.spoken;
  if (best && (best.fit >= 3 || !target) && !billing) return best.measure;
  // Look further: the tables that point into the entity (their rows carry the amounts).
  const start = target ? [target.table.qualifiedName] : [...mentionedTables];
  const candidates: string[] = [];
  const queue = [...start];
  const seen = new Set(queue);
  while (queue.length > 0) {
    const table = queue.shift()!;
    for (const referencing of catalogue.referencingTables(table)) {
      if (seen.has(referencing)) continue;
      seen.add(referencing);
      queue.push(referencing);
      if (!catalogue.table(referencing) && referencing.split('.')[0] === homeSchema) candidates.push(referencing);
    }
  }
  if (best && candidates.every((candidate) => input.requested.includes(candidate))) {
    if (billing && !best.spoken) throw new CannotPlan('No column of the shown tables holds the amounts billed.');
    return best.measure;
  }
  throw new PlanningGap(candidates, `No ${concept === 'price' ? 'price' : 'amount'} column was found for the question.`);
}

/** Verbs of charging someone: the amount they name must be one documented as billed or charged. */
const billingWords = new Set(['bill', 'billed', 'billing', 'charge', 'charged', 'charging', 'invoice', 'invoiced']);

/** The question's words of money and price (lower case and roots), as the concept mentions name them. */
function conceptWords(draft: PlanDraft): string[] {
  return draft.mentions
    .filter(isMention('concept'))
    .flatMap((mention) => draft.words.slice(mention.start, mention.end))
    .flatMap((word) => [word.lower, word.root]);
}

/** Whether a column's name or comment says one of the words (by root: "billed" in "Amount billed in US dollars"). */
function speaks(column: CatalogueColumn, said: readonly string[]): boolean {
  if (said.length === 0) return false;
  const own = wordsOf(`${column.name} ${column.comment}`).flatMap((word) => [word.lower, word.root]);
  return said.some((word) => word.length >= 4 && own.includes(word));
}
