import type { SearchHit } from './conversation-reader.ts';
import type { DateRange } from './date-range.ts';
import {
  conditionColumn,
  conditionTable,
  type ColumnReference,
  type Condition,
  type MeasureExpression,
  type QueryPlan,
} from './query-plan.ts';
import { isParticiple, type AggregateFunction, type QuestionShape } from './question-shape.ts';
import { isFunctionWord, numberOf, sameWord, wordsOf, type Word } from './question-words.ts';
import { columnReference as reference, type CatalogueColumn, type CatalogueTable, type SchemaCatalogue } from './schema-catalogue.ts';
import { unplacedWords } from './coverage.ts';
import { labelColumns } from './label-columns.ts';
import { lineAmountOf, measureName, moneyName, moneyScore, numericFamilies } from './money-columns.ts';
import type { PromptMetric } from './prompt-facts.ts';
import { linkKnowledge, linkMentions, type MeasureConcept, type Mention, type PromptKnowledge } from './schema-linker.ts';

/** What the planner needs: the question read so far, and what the tools have shown. */
export interface PlanningInput {
  words: Word[];
  shape: QuestionShape;
  dateRange: DateRange | null;
  catalogue: SchemaCatalogue;
  hits: SearchHit[];
  /** Tables already asked for with show_table. */
  requested: readonly string[];
  /** How many more show_table calls the turn budget allows. */
  showsLeft: number;
  rowLimit: number | null;
  /** 0 for the first SQL; 1 when revising after an error (takes the next-best readings). */
  revision: number;
  /** The prompt's glossary and metrics (null when it has none). */
  knowledge?: Omit<PromptKnowledge, 'homeSchema'> | null;
}

/**
 * The planner's decision: a query, a table to look at first, or that the question cannot be answered
 * (with the words no part of the plan accounts for, when that is why).
 */
export type PlanOutcome =
  { kind: 'plan'; plan: QueryPlan } | { kind: 'show'; table: string } | { kind: 'cannot'; reason: string; unplaced?: string[] };

/** A thing the question names: a table (shown by its label columns) or one column. */
interface Entity {
  table: CatalogueTable;
  column: CatalogueColumn | null;
  mention: Mention;
}

/** A measure with the table it is computed on. */
interface ResolvedMeasure {
  expression: MeasureExpression;
  table: string;
  name: string;
  used: Mention[];
}

class PlanningGap extends Error {
  constructor(
    readonly candidates: string[],
    reason: string,
  ) {
    super(reason);
  }
}

class CannotPlan extends Error {}

/** Words of the question the plan does not account for: answering would ignore part of the question. */
class UnplacedWords extends CannotPlan {
  constructor(readonly words: string[]) {
    super(`no table, column, value or glossary term matches ${words.map((word) => `"${word}"`).join(', ')}`);
  }
}

/**
 * Plans the SQL for a question, schema-linking its words through the tools' results. First it asks to see
 * the tables the metadata search linked to the question's words (names and sample values); then it reads
 * the question's roles (subject, measure, grouping, filters, dates) against the shown tables and asks to
 * see one more table whenever a measure or a join path needs one it has not seen.
 */
export function planQuery(input: PlanningInput): PlanOutcome {
  const show = (table: string): PlanOutcome | null =>
    input.showsLeft > 0 && !input.requested.includes(table) ? { kind: 'show', table } : null;
  const linked = linkedTables(input.hits);
  const homeSchema = homeSchemaOf(input.hits);
  const valueTables = new Set(
    input.hits
      .filter((hit) => hit.reasons.some((reason) => reason.startsWith('sample value "')))
      .map((hit) => `${hit.schema}.${hit.table}`),
  );
  for (const table of linked.filter((name) => name.split('.')[0] === homeSchema || valueTables.has(name)).slice(0, 3)) {
    const next = show(table);
    if (next) return next;
  }
  try {
    return { kind: 'plan', plan: buildPlan(input) };
  } catch (error) {
    if (error instanceof PlanningGap) {
      for (const table of error.candidates) {
        const next = show(table);
        if (next) return next;
      }
      return { kind: 'cannot', reason: error.message };
    }
    if (error instanceof UnplacedWords) return { kind: 'cannot', reason: error.message, unplaced: error.words };
    if (error instanceof CannotPlan) return { kind: 'cannot', reason: error.message };
    throw error;
  }
}

/** The schema of the best table the search matched by name, else of the best hit, else `public`. */
function homeSchemaOf(hits: readonly SearchHit[]): string {
  const named = hits.find((hit) => hit.kind === 'table' && hit.reasons.some((reason) => /^(full name|name matches) /.test(reason)));
  return (named ?? hits[0])?.schema ?? 'public';
}

/** Tables the search linked by name or by a sample value, best first. */
export function linkedTables(hits: readonly SearchHit[]): string[] {
  const tables: string[] = [];
  for (const hit of hits) {
    const strong = hit.reasons.some(
      (reason) =>
        /^full name /.test(reason) ||
        /^sample value "/.test(reason) ||
        (/^name matches /.test(reason) && !(hit.column ?? '').endsWith('_id')),
    );
    const name = `${hit.schema}.${hit.table}`;
    if (strong && !tables.includes(name)) tables.push(name);
  }
  return tables;
}

function buildPlan(input: PlanningInput): QueryPlan {
  const { words, shape, catalogue } = input;
  const skip = new Set([...shape.structural, ...(input.dateRange?.wordIndices ?? [])]);
  const mentions = [
    ...linkMentions(words, skip, catalogue),
    ...(input.knowledge ? linkKnowledge(words, catalogue, { ...input.knowledge, homeSchema: homeSchemaOf(input.hits) }) : []),
  ].sort((left, right) => left.start - right.start || right.end - right.start - (left.end - left.start));
  const unshown = mentions.filter((mention): mention is Extract<Mention, { kind: 'unshown' }> => mention.kind === 'unshown');
  if (unshown.length > 0) {
    const candidates = unshown.map((mention) => mention.qualifiedName).filter((name) => !input.requested.includes(name));
    if (candidates.length > 0 && input.showsLeft > 0) throw new PlanningGap(candidates, 'The question names a table not shown yet.');
  }
  if (!mentions.some((mention) => mention.kind !== 'concept' && mention.kind !== 'unshown'))
    throw new CannotPlan('No word of the question names a table, column or value of this database.');
  const mentionedTables = unique(
    mentions.filter((mention) => mention.kind === 'table').map((mention) => (mention as { table: CatalogueTable }).table.qualifiedName),
  );
  const homeSchema =
    mentions.find((mention) => mention.kind === 'table')?.kind === 'table'
      ? (mentions.find((mention) => mention.kind === 'table') as { table: CatalogueTable }).table.schema
      : homeSchemaOf(input.hits);
  const used: Mention[] = [];
  /** Indices of negation words the plan expresses (an anti-join, a `<>`). */
  const negationsExpressed = new Set<number>();
  /** Words the plan accounts for beyond its links: a "per month" phrase it groups by, a number it compares with. */
  const extraPlaced = new Set<number>();
  const extraTables: string[] = [];
  const phraseText = (range: [number, number] | null) =>
    range
      ? words
          .slice(range[0], range[1])
          .map((word) => word.text)
          .join(' ')
      : '';

  const inRange = (range: [number, number] | null) =>
    range ? mentions.filter((mention) => mention.start >= range[0] && mention.start < range[1]) : [];
  /** The table or column a phrase names; a column wins when it adds words to a named table. */
  const entityOf = (range: [number, number] | null): Entity | null => {
    const found = inRange(range);
    const tables = found.filter((mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table');
    const columns = found.filter(
      (mention): mention is Extract<Mention, { kind: 'column' }> =>
        mention.kind === 'column' && !tables.some((table) => mention.start >= table.start && mention.end <= table.end),
    );
    if (columns.length > 0) {
      const ranked = [...columns].sort((left, right) => columnPreference(right) - columnPreference(left));
      const best = ranked[input.revision > 0 && ranked.length > 1 && columnPreference(ranked[1]) === columnPreference(ranked[0]) ? 1 : 0];
      return { table: best.column.table, column: best.column, mention: best };
    }
    // English noun phrases end in their head: "prescribed medication" is about medications.
    if (tables.length > 0) return { table: tables[tables.length - 1].table, column: null, mention: tables[tables.length - 1] };
    const value = found.find((mention): mention is Extract<Mention, { kind: 'value' }> => mention.kind === 'value');
    if (value) return { table: value.column.table, column: null, mention: value };
    // "classics": a glossary term for a condition names the rows of its table.
    const term = found.find((mention): mention is Extract<Mention, { kind: 'termCondition' }> => mention.kind === 'termCondition');
    if (term) return { table: term.table, column: null, mention: term };
    return null;
  };
  /**
   * The thing counted when the subject phrase links to nothing: the first table the question names, but
   * only when that phrase has no word of its own ("how many are …"). "How many days did customers …"
   * counts days, not customers: a unit of counting the schema does not name is declined, not swapped.
   */
  const fallbackSubject = (): Entity | null => {
    const own = shape.subject
      ? words.slice(shape.subject[0], shape.subject[1]).filter((word) => !skip.has(word.index) && !isFunctionWord(word))
      : [];
    if (own.length > 0) throw new UnplacedWords(own.map((word) => word.text));
    return firstTableEntity(mentions);
  };
  const columnPreference = (mention: Extract<Mention, { kind: 'column' }>) =>
    (mentionedTables.includes(mention.column.table.qualifiedName) ? 4 : 0) +
    (mention.whole ? 2 : 0) +
    (mention.column.table.schema === homeSchema ? 1 : 0) +
    (mention.end - mention.start) * 0.5;

  // The entity asked about.
  let subject = entityOf(shape.subject);
  let kind: QueryPlan['kind'] = shape.kind;
  const metricMentions = mentions.filter((mention): mention is Extract<Mention, { kind: 'metric' }> => mention.kind === 'metric');
  // "What is the payroll?", "the no-show rate by department": a named metric is a measure, not a list.
  if (
    kind === 'list' &&
    metricMentions.some((mention) => !shape.subject || (mention.start < shape.subject[1] && shape.subject[0] < mention.end))
  ) {
    kind = 'aggregate';
    subject = null;
  }
  /** The metric the measure uses, once chosen: its filter and time column apply too. */
  let activeMetric: PromptMetric | null = null;
  /** Where each condition came from in the question (a share splits its conditions on it). */
  const conditionStart = new Map<Condition, number>();
  let aggregate: AggregateFunction | null = shape.aggregate;
  // "What is the highest salary?": a superlative over a number is MAX/MIN, not a ranking.
  if (
    kind === 'top' &&
    !shape.asksWhich &&
    shape.topCount === 1 &&
    subject?.column &&
    numericFamilies.has(subject.column.family) &&
    shape.superlativeConcept === null
  ) {
    kind = 'aggregate';
    aggregate = shape.direction === 'DESC' ? 'MAX' : 'MIN';
  }
  if (kind === 'top' && !shape.asksWhich && shape.topCount === 1 && !subject && shape.superlativeConcept === null) {
    const measureMentions = inRange(shape.measure);
    if (
      measureMentions.some(
        (mention) => mention.kind === 'concept' || (mention.kind === 'column' && numericFamilies.has(mention.column.family)),
      )
    ) {
      kind = 'aggregate';
      aggregate = shape.direction === 'DESC' ? 'MAX' : 'MIN';
    }
  }

  const plan: QueryPlan = {
    kind,
    base: '',
    dimensions: [],
    hiddenGroupKeys: [],
    measure: null,
    measureName: '',
    conditions: [],
    having: null,
    distinct: false,
    orderBy: null,
    direction: shape.direction,
    limit: null,
    joinTables: extraTables,
    subjectWords: phraseText(shape.subject),
    groupWords: phraseText(shape.group),
    measureWords: phraseText(shape.measure),
    dateDescription: input.dateRange?.description ?? null,
  };
  // "per month", "by year": a trend groups by a period of the question's date column.
  const timeUnit = shape.group && shape.group[1] - shape.group[0] === 1 ? timeUnitOf(words[shape.group[0]]) : null;
  const group = shape.group && !timeUnit ? entityOf(shape.group) : null;
  if (shape.group && !group && !timeUnit) throw new CannotPlan(`"${phraseText(shape.group)}" names nothing in the shown tables.`);
  const applyGroup = (entity: Entity) => {
    used.push(entity.mention);
    if (entity.column) plan.dimensions.push(reference(entity.column));
    else {
      plan.dimensions.push(...labelColumns(entity.table).map(reference));
      const key = entity.table.primaryKey[0];
      if (key && !plan.dimensions.some((dimension) => dimension.column === key && dimension.table === entity.table.qualifiedName))
        plan.hiddenGroupKeys.push({ table: entity.table.qualifiedName, column: key });
    }
  };

  if (kind === 'count') {
    if (!subject) subject = fallbackSubject();
    if (!subject) throw new CannotPlan('The question does not say what to count.');
    used.push(subject.mention);
    plan.base = subject.table.qualifiedName;
    // A value or a term condition that names the counted rows still filters them.
    if (subject.mention.kind === 'value' || subject.mention.kind === 'termCondition') used.pop();
    // "How many page views were there": a column that itself holds a number of things is summed, not
    // counted (its distinct values are not what is asked), unless the question asks for distinct values.
    const countColumn = subject.column && subject.mention.kind === 'column' ? subject.column : null;
    // "How many units …" against `unit_price`: a column named by part of its name is no unit of counting.
    if (countColumn && subject.mention.kind === 'column' && !subject.mention.whole)
      throw new UnplacedWords(words.slice(subject.mention.start, subject.mention.end).map((word) => word.text));
    const quantity =
      countColumn !== null &&
      countColumn.family === 'integer' &&
      !countColumn.primaryKey &&
      !countColumn.references &&
      !words.some((word) => ['distinct', 'different', 'unique'].includes(word.lower));
    plan.measure = quantity
      ? { kind: 'column', function: 'SUM', column: reference(countColumn) }
      : countColumn
        ? { kind: 'countDistinct', column: reference(countColumn) }
        : { kind: 'count' };
    plan.measureName = quantity
      ? measureName('SUM', countColumn.name)
      : subject.column
        ? `distinct_${subject.column.name}`
        : `${subject.table.name}_count`;
    if (quantity) plan.kind = 'aggregate';
    if (plan.subjectWords === '') plan.subjectWords = subject.table.name.replace(/_/g, ' ');
    if (group) {
      plan.kind = 'grouped';
      applyGroup(group);
    }
  } else if (kind === 'share') {
    if (!subject) subject = fallbackSubject();
    if (!subject || subject.column) throw new CannotPlan('The question does not say the share of what.');
    used.push(subject.mention);
    plan.base = subject.table.qualifiedName;
    plan.measureName = 'percentage';
    if (plan.subjectWords === '') plan.subjectWords = subject.table.name.replace(/_/g, ' ');
    if (group) {
      applyGroup(group);
      plan.orderBy = 'measure';
      plan.direction = 'DESC';
    }
  } else if (kind === 'aggregate') {
    const measure = resolveMeasure(shape.measure ?? [0, words.length], aggregate ?? 'SUM', null);
    plan.base = measure.table;
    plan.measure = measure.expression;
    plan.measureName = measure.name;
    if (plan.measureWords === '') plan.measureWords = measure.name.replace(/_/g, ' ');
    if (group) {
      plan.kind = 'grouped';
      applyGroup(group);
    }
  } else if (kind === 'top') {
    if (!subject) throw new CannotPlan('The question does not say what to rank.');
    used.push(subject.mention);
    plan.limit = shape.topCount ?? 1;
    plan.orderBy = 'measure';
    const measure = rankingMeasure(subject);
    plan.measure = measure.expression;
    plan.measureName = measure.name;
    if (plan.measureWords === '' || plan.measureWords === plan.subjectWords) plan.measureWords = measure.name.replace(/_/g, ' ');
    if (measure.expression.kind === 'column' && measure.expression.function === null) {
      plan.base = subject.table.qualifiedName;
      plan.dimensions.push(...(subject.column ? [reference(subject.column)] : labelColumns(subject.table).map(reference)));
    } else {
      plan.base = measure.table;
      applyGroup(subject);
    }
    // "in each category", "per department": the ranking restarts in every group.
    if (group) {
      used.push(group.mention);
      const dimensions = group.column ? [reference(group.column)] : labelColumns(group.table).map(reference);
      const key = group.table.primaryKey[0];
      const keys = !group.column && key ? [{ table: group.table.qualifiedName, column: key }] : [];
      plan.partition = { dimensions, keys };
    }
  } else {
    if (!subject) throw new CannotPlan('The question does not say what to list.');
    used.push(subject.mention);
    plan.base = subject.table.qualifiedName;
    if (subject.column) {
      plan.dimensions.push(reference(subject.column));
      plan.distinct = true;
      // A list of values leaves out the unknown (NULL) one.
      if (subject.column.nullable) plan.conditions.push({ kind: 'null', column: reference(subject.column), isNull: false });
    } else plan.dimensions.push(...labelColumns(subject.table).map(reference));
    if (subject.mention.kind === 'value' || subject.mention.kind === 'termCondition') used.pop();
    plan.orderBy = 'dimensions';
    plan.direction = 'ASC';
    if (!shape.wantsAll) plan.limit = input.rowLimit;
  }
  if (plan.kind === 'grouped') {
    plan.orderBy = 'measure';
    plan.direction = 'DESC';
    if (!shape.wantsAll) plan.limit = input.rowLimit;
  }
  if (timeUnit) applyTimeGroup(timeUnit);

  addConditions();
  if (plan.kind === 'share') splitShare();
  refuseUnusedConstraints();
  checkCoverage();
  // Counting rows of the base through a one-to-many join would count them repeatedly.
  const baseKey = catalogue.table(plan.base)?.primaryKey;
  if (
    (plan.kind === 'count' || plan.kind === 'grouped') &&
    plan.measure?.kind === 'count' &&
    !plan.having &&
    baseKey?.length === 1 &&
    needsDistinct()
  ) {
    plan.measure = { kind: 'countDistinct', column: { table: plan.base, column: baseKey[0] } };
  }
  if (plan.kind === 'list' && plan.dimensions.length > 0 && !plan.distinct && needsDistinct()) plan.distinct = true;
  return plan;

  /**
   * Declines rather than guesses: a negation the plan does not express ("never", "not"), or a column the
   * question names ("on the first floor") that the plan does not use, means the question says more than the SQL.
   */
  function refuseUnusedConstraints(): void {
    const expressed = (index: number) =>
      mentions.some(
        (mention) => (mention.kind === 'boolean' || mention.kind === 'null') && index >= mention.start - 2 && index < mention.end,
      );
    const negation = words.find(
      (word) =>
        ['not', 'never', 'without', 'no', 'none', 'except', 'excluding'].includes(word.lower) &&
        !skip.has(word.index) &&
        !negationsExpressed.has(word.index) &&
        !mentions.some(
          (mention) =>
            (mention.kind === 'termCondition' || mention.kind === 'metric') && word.index >= mention.start && word.index < mention.end,
        ) &&
        !expressed(word.index) &&
        !mentions.some((mention) => mention.kind === 'value' && word.index >= mention.start && word.index < mention.end),
    );
    if (negation) throw new CannotPlan(`the question says "${negation.text}", which I cannot express reliably`);
    const planColumns = new Set<string>();
    const note = (column: ColumnReference | null | undefined) => column && planColumns.add(`${column.table}.${column.column}`);
    plan.dimensions.forEach(note);
    for (const condition of plan.conditions) note(conditionColumn(condition));
    const measure = plan.measure;
    if (measure?.kind === 'column' || measure?.kind === 'countDistinct') note(measure.column);
    const covered = (mention: Mention) =>
      mentions.some(
        (other) =>
          other !== mention &&
          (other.kind === 'table' || other.kind === 'value' || other.kind === 'concept') &&
          mention.start < other.end &&
          other.start < mention.end,
      );
    for (const mention of mentions) {
      if (mention.kind !== 'column' || covered(mention) || used.includes(mention)) continue;
      const column = mention.column;
      if (planColumns.has(`${column.table.qualifiedName}.${column.name}`) || column.family === 'date' || column.family === 'timestamp')
        continue;
      if (!requiredTables().includes(column.table.qualifiedName)) continue;
      if (!mention.whole || words.slice(mention.start, mention.end).some((word) => skip.has(word.index))) continue;
      throw new CannotPlan(`the question mentions ${column.name}, but I do not see how it constrains the answer`);
    }
  }

  /** A named metric in the phrase (or, with `anywhere`, in the question), as the measure. */
  function metricMeasure(range: [number, number] | null, anywhere: boolean): ResolvedMeasure | null {
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
    activeMetric = metric.metric;
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

  function rankingMeasure(entity: Entity): ResolvedMeasure {
    const metric = metricMeasure(shape.measure, true);
    if (metric) return metric;
    if (shape.superlativeConcept === 'count')
      return { expression: { kind: 'count' }, table: entity.table.qualifiedName, name: 'count', used: [] };
    if (shape.superlativeConcept === 'price' || shape.superlativeConcept === 'money') {
      return conceptMeasure(shape.superlativeConcept, 'SUM', entity, []);
    }
    const found = inRange(shape.measure).filter(
      (mention) => mention !== entity.mention && !(mention.start >= entity.mention.start && mention.end <= entity.mention.end),
    );
    const table = found.find(
      (mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table' && mention.table !== entity.table,
    );
    const hasMeasureWord = found.some(
      (mention) => mention.kind === 'concept' || (mention.kind === 'column' && numericFamilies.has(mention.column.family)),
    );
    // "which books were loaned the most": with no measure phrase, a table named elsewhere (not the ranked
    // thing, not the group) is what is counted.
    const counted =
      table ??
      (shape.measure === null
        ? mentions.find(
            (mention): mention is Extract<Mention, { kind: 'table' }> =>
              mention.kind === 'table' &&
              mention.table !== entity.table &&
              !used.includes(mention) &&
              !(shape.group && mention.start >= shape.group[0] && mention.start < shape.group[1]),
          )
        : undefined);
    if (counted && !hasMeasureWord) {
      used.push(counted);
      return { expression: { kind: 'count' }, table: counted.table.qualifiedName, name: counted.table.name, used: [counted] };
    }
    if (shape.measure && (hasMeasureWord || found.length > 0)) return resolveMeasure(shape.measure, 'SUM', entity);
    if (entity.column) return { expression: { kind: 'count' }, table: entity.table.qualifiedName, name: 'count', used: [] };
    throw new CannotPlan('The question does not say what to rank by.');
  }

  /** The measure a phrase names: a numeric column, or a concept (money, price) found in a table. */
  function resolveMeasure(range: [number, number], aggregateFunction: AggregateFunction, entity: Entity | null): ResolvedMeasure {
    const metric = metricMeasure(range, true);
    if (metric) return metric;
    const found = inRange(range).filter((mention) => !entity || mention !== entity.mention);
    const numeric = found.filter(
      (mention): mention is Extract<Mention, { kind: 'column' }> => mention.kind === 'column' && numericFamilies.has(mention.column.family),
    );
    const usable = numeric.filter(
      (mention) => mention.column.table.schema === homeSchema || mentionedTables.includes(mention.column.table.qualifiedName),
    );
    const preferred = [...usable].sort(
      (left, right) =>
        columnPreference(right) - columnPreference(left) ||
        (entity ? Number(reaches(right.column.table, entity)) - Number(reaches(left.column.table, entity)) : 0),
    );
    const reachable = preferred.filter((mention) => !entity || reaches(mention.column.table, entity) || !!group);
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
    const concept =
      found.find((mention): mention is Extract<Mention, { kind: 'concept' }> => mention.kind === 'concept') ??
      mentions.find((mention): mention is Extract<Mention, { kind: 'concept' }> => mention.kind === 'concept' && !skip.has(mention.start));
    const numericWithoutSchema = numeric.find((mention) => moneyName(mention.column.name) > 0);
    if (concept || numericWithoutSchema) {
      const tableMentions = found.filter((mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table');
      if (concept) used.push(concept);
      return conceptMeasure(
        concept?.concept ?? 'money',
        aggregateFunction,
        entity,
        tableMentions.map((mention) => mention.table),
      );
    }
    const table = found.find((mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table');
    if (table && (aggregateFunction === 'SUM' || aggregateFunction === 'COUNT')) {
      used.push(table);
      plan.kind = plan.kind === 'aggregate' ? 'count' : plan.kind;
      return { expression: { kind: 'count' }, table: table.table.qualifiedName, name: `${table.table.name}_count`, used: [table] };
    }
    throw new CannotPlan(`"${phraseText(range)}" names no measure in the shown tables.`);
  }

  /** The best column (or line amount) for a concept, in a table that reaches the ranked or grouped entity. */
  function conceptMeasure(
    concept: MeasureConcept,
    aggregateFunction: AggregateFunction,
    entity: Entity | null,
    preferredTables: CatalogueTable[],
  ): ResolvedMeasure {
    const target = entity ?? group;
    let best: { score: number; fit: number; measure: ResolvedMeasure } | null = null;
    for (const table of catalogue.tables) {
      if (table.schema !== homeSchema && !preferredTables.includes(table)) continue;
      if (target && !reaches(table, target)) continue;
      const bonus =
        (preferredTables.includes(table) ? 10 : 0) +
        (target && table === target.table ? 3 : 0) +
        (mentionedTables.includes(table.qualifiedName) ? 2 : 0);
      for (const column of table.columns) {
        const score = moneyScore(column, concept);
        if (score === null) continue;
        const total = score * 2 + bonus;
        if (!best || total > best.score) {
          const ownRow = !!entity && !entity.column && table === entity.table && plan.kind === 'top';
          best = {
            score: total,
            fit: score,
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
          measure: {
            expression: { kind: 'lineAmount', function: aggregateFunction, ...line },
            table: table.qualifiedName,
            name: aggregateFunction === 'SUM' ? 'revenue' : measureName(aggregateFunction, 'line_amount'),
            used: [],
          },
        };
      }
    }
    if (best && (best.fit >= 3 || !target)) return best.measure;
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
    if (best && candidates.every((candidate) => input.requested.includes(candidate))) return best.measure;
    throw new PlanningGap(candidates, `No ${concept === 'price' ? 'price' : 'amount'} column was found for the question.`);
  }

  function reaches(from: CatalogueTable, target: Entity): boolean {
    if (from === target.table) return true;
    const path = catalogue.joinPath(from.qualifiedName, target.table.qualifiedName);
    return path !== null && path.every((step) => step.forward);
  }

  function addConditions(): void {
    const taken = (mention: Mention) =>
      used.some((other) => other === mention || (mention.start < other.end && other.start < mention.end && other.kind !== 'concept'));
    const valueMentions = mentions.filter(
      (mention): mention is Extract<Mention, { kind: 'value' }> => mention.kind === 'value' && !taken(mention),
    );
    const spans = unique(valueMentions.map((mention) => `${mention.start}:${mention.end}`));
    const chosen: Array<Extract<Mention, { kind: 'value' }>> = [];
    for (const span of spans) {
      const [start, end] = span.split(':').map(Number);
      if (chosen.some((other) => start < other.end && other.start < end)) continue;
      if (valueMentions.some((other) => other.start <= start && other.end >= end && other.end - other.start > end - start)) continue;
      const options = valueMentions.filter((mention) => mention.start === start && mention.end === end);
      const ranked = [...options].sort((left, right) => valueScore(right) - valueScore(left));
      chosen.push(ranked[0]);
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
    // "not cancelled", "other than card": a negation right before a value excludes it.
    const negatedValue = (mention: Extract<Mention, { kind: 'value' }>) =>
      words
        .slice(Math.max(0, mention.start - 2), mention.start)
        .some(
          (word) =>
            ['not', 'never', 'except', 'excluding', 'than', 'non'].includes(word.lower) &&
            !used.some((other) => other.start === word.index),
        );
    const byColumn = new Map<string, { column: CatalogueColumn; values: string[]; negated: boolean; start: number }>();
    for (const mention of chosen) {
      const negated = negatedValue(mention);
      if (negated) for (let index = mention.start - 2; index < mention.start; index += 1) negationsExpressed.add(index);
      const key = `${mention.column.table.qualifiedName}.${mention.column.name}:${negated}`;
      const entry = byColumn.get(key) ?? { column: mention.column, values: [], negated, start: mention.start };
      entry.values.push(mention.value);
      byColumn.set(key, entry);
    }
    for (const { column, values, negated, start } of byColumn.values()) {
      const condition: Condition = { kind: 'equals', column: reference(column), values: unique(values), ...(negated ? { negated } : {}) };
      plan.conditions.push(condition);
      conditionStart.set(condition, start);
    }
    for (const mention of mentions) {
      // A term condition may contain the subject's own word ("new patients"): only its own use takes it.
      if (mention.kind !== 'termCondition' || used.includes(mention)) continue;
      if (plan.conditions.some((condition) => condition.kind === 'sql' && condition.sql === mention.sql)) continue;
      const condition: Condition = { kind: 'sql', table: mention.table.qualifiedName, sql: mention.sql };
      plan.conditions.push(condition);
      conditionStart.set(condition, mention.start);
      used.push(mention);
    }
    // "on floor 3", "on the third floor": a whole-number column named next to a number (or an ordinal) equals it.
    for (const mention of mentions) {
      if (mention.kind !== 'column' || used.includes(mention) || mention.column.family !== 'integer' || mention.column.references) continue;
      const after = words[mention.end];
      const before = words[mention.start - 1];
      const number =
        after && !skip.has(after.index) && numberOf(after) !== null
          ? { value: numberOf(after)!, index: after.index }
          : before && ordinals[before.lower] !== undefined
            ? { value: ordinals[before.lower], index: before.index }
            : null;
      if (!number || plan.conditions.some((condition) => conditionColumn(condition)?.column === mention.column.name)) continue;
      const condition: Condition = {
        kind: 'compare',
        column: reference(mention.column),
        measure: null,
        operator: '=',
        value: number.value,
        upper: null,
      };
      plan.conditions.push(condition);
      conditionStart.set(condition, mention.start);
      used.push(mention);
      extraPlaced.add(number.index);
    }
    if (activeMetric?.filter) {
      const table = catalogue.table(plan.measure?.kind === 'expression' ? plan.measure.table : plan.base)?.qualifiedName ?? plan.base;
      plan.conditions.push({ kind: 'sql', table, sql: activeMetric.filter });
    }
    addAntiJoins();
    for (const mention of mentions) {
      if (taken(mention) || chosen.some((value) => mention.start < value.end && value.start < mention.end)) continue;
      if (
        mention.kind === 'boolean' &&
        !plan.conditions.some((condition) => condition.kind === 'boolean' && sameColumn(condition.column, mention.column))
      ) {
        const condition: Condition = { kind: 'boolean', column: reference(mention.column), value: mention.value };
        plan.conditions.push(condition);
        conditionStart.set(condition, mention.start);
      } else if (
        mention.kind === 'null' &&
        !plan.conditions.some((condition) => condition.kind === 'null' && sameColumn(condition.column, mention.column))
      ) {
        const condition: Condition = { kind: 'null', column: reference(mention.column), isNull: mention.isNull };
        plan.conditions.push(condition);
        conditionStart.set(condition, mention.start);
      }
    }
    for (const comparison of shape.comparisons) {
      const after = words.findIndex((word, index) => index > comparison.index && numberOf(word) !== null) + 1;
      const countedTable = mentions.find(
        (mention): mention is Extract<Mention, { kind: 'table' }> =>
          mention.kind === 'table' && mention.start === after && mention.table.qualifiedName !== plan.base,
      );
      // "customers with more than 10 orders", "how many doctors have at least one appointment": a count of
      // related rows per row of the base, compared in HAVING. Rows with none are kept (LEFT JOIN), so
      // "fewer than 2 orders" includes the customers with no order at all.
      if (countedTable && (plan.kind === 'count' || plan.kind === 'list') && !plan.having) {
        used.push(countedTable);
        const countedKey = countedTable.table.primaryKey[0];
        plan.having = {
          kind: 'compare',
          column: null,
          measure: countedKey
            ? { kind: 'countDistinct', column: { table: countedTable.table.qualifiedName, column: countedKey } }
            : { kind: 'count' },
          operator: comparison.operator,
          value: comparison.value,
          upper: comparison.upper,
        };
        plan.hiddenGroupKeys = [{ table: plan.base, column: catalogue.table(plan.base)?.primaryKey[0] ?? 'id' }];
        plan.leftJoins = true;
        plan.distinct = false;
        extraTables.push(countedTable.table.qualifiedName);
        continue;
      }
      const near = mentions
        .filter(
          (mention): mention is Extract<Mention, { kind: 'column' }> =>
            mention.kind === 'column' &&
            numericFamilies.has(mention.column.family) &&
            ((mention.end <= comparison.index && comparison.index - mention.end <= 3) ||
              (mention.start >= comparison.index && mention.start - after <= 1)),
        )
        .sort((left, right) => Math.abs(left.start - comparison.index) - Math.abs(right.start - comparison.index));
      let column: CatalogueColumn | null = near[0]?.column ?? null;
      if (!column) {
        const base = catalogue.table(plan.base);
        const concept: MeasureConcept =
          mentions.some(
            (mention) => mention.kind === 'concept' && mention.concept === 'price' && Math.abs(mention.start - comparison.index) <= 3,
          ) || comparison.isMoney
            ? 'price'
            : 'money';
        const candidates = base
          ? base.columns.map((candidate) => ({ candidate, score: moneyScore(candidate, concept) })).filter((entry) => entry.score !== null)
          : [];
        candidates.sort((left, right) => (right.score ?? 0) - (left.score ?? 0));
        if (comparison.isMoney || mentions.some((mention) => mention.kind === 'concept' && Math.abs(mention.start - comparison.index) <= 3))
          column = candidates[0]?.candidate ?? null;
      }
      if (!column) throw new CannotPlan('The question compares a number, but it is not clear with which column.');
      const condition: Condition = {
        kind: 'compare',
        column: reference(column),
        measure: null,
        operator: comparison.operator,
        value: comparison.value,
        upper: comparison.upper,
      };
      plan.conditions.push(condition);
      conditionStart.set(condition, comparison.index);
      for (const mention of near.slice(0, 1)) used.push(mention);
    }
    if (input.dateRange) {
      const column = dateColumn();
      if (!column) throw new PlanningGap(forwardUnshown(), 'The question names a period, but no date column was found for it.');
      plan.conditions.push({ kind: 'dateRange', column: reference(column), from: input.dateRange.from, to: input.dateRange.to });
    }
    for (const table of requiredTables()) {
      if (table !== plan.base && !catalogue.joinPath(plan.base, table)) {
        const neighbours = unique([
          ...catalogue.referencingTables(plan.base),
          ...catalogue.edges.filter((edge) => edge.fromTable === plan.base).map((edge) => edge.toTable),
        ]).filter((name) => !catalogue.table(name));
        throw new PlanningGap(neighbours, `No join path from ${plan.base} to ${table} among the shown tables.`);
      }
    }
  }

  /** Groups a count or an aggregate by a period of the date column, in time order. */
  function applyTimeGroup(unit: 'month' | 'year'): void {
    if (plan.kind !== 'count' && plan.kind !== 'aggregate' && plan.kind !== 'grouped')
      throw new CannotPlan(`I can split a count or a total by ${unit}, not this kind of question.`);
    const column = dateColumn();
    if (!column) throw new PlanningGap(forwardUnshown(), `The question asks per ${unit}, but no date column was found for it.`);
    const range = input.dateRange;
    const oneYear =
      !!range?.from &&
      !!range.to &&
      /-01-01$/.test(range.from) &&
      Number(range.to.slice(0, 4)) === Number(range.from.slice(0, 4)) + 1 &&
      /-01-01$/.test(range.to);
    plan.kind = 'grouped';
    plan.dimensions.unshift({ ...reference(column), bucket: unit === 'year' ? 'year' : oneYear ? 'monthOfYear' : 'month' });
    plan.orderBy = 'dimensions';
    plan.direction = 'ASC';
    plan.limit = null;
    if (plan.groupWords === '') plan.groupWords = unit;
    for (let index = shape.group![0]; index < shape.group![1]; index += 1) extraPlaced.add(index);
  }

  /**
   * "customers who never ordered", "doctors without appointments": a negation followed by a table whose
   * rows point at the base table becomes `NOT EXISTS` over that foreign key.
   */
  function addAntiJoins(): void {
    for (const word of words) {
      if (!['not', 'never', 'without', 'no'].includes(word.lower) || skip.has(word.index) || negationsExpressed.has(word.index)) continue;
      const negated = mentions.find(
        (mention): mention is Extract<Mention, { kind: 'table' }> =>
          mention.kind === 'table' &&
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
      plan.conditions.push({
        kind: 'notExists',
        table: negated.table.qualifiedName,
        foreignKey: edge.fromColumn,
        target: { table: plan.base, column: edge.toColumn },
      });
      used.push(negated);
      negationsExpressed.add(word.index);
    }
  }

  /**
   * A share counts the rows that meet the conditions the question states after its subject ("…of orders
   * were cancelled") among the rows its subject phrase and dates describe ("…of German customers", "in 2024").
   */
  function splitShare(): void {
    const subjectRange = shape.shareScope ?? shape.subject ?? [0, 0];
    const inSubject = (condition: Condition) => {
      const start = conditionStart.get(condition);
      return start === undefined || (start >= subjectRange[0] && start < subjectRange[1]);
    };
    const numerator = plan.conditions.filter((condition) => condition.kind !== 'dateRange' && !inSubject(condition));
    if (numerator.length === 0) throw new CannotPlan('The question asks for a share, but names no condition to count.');
    plan.conditions = plan.conditions.filter((condition) => !numerator.includes(condition));
    plan.measure = { kind: 'share', conditions: numerator };
  }

  /** Declines, naming them, when words of the question are left that nothing in the plan accounts for. */
  function checkCoverage(): void {
    const placed = new Set<number>([...skip]);
    const usedValue = (mention: Extract<Mention, { kind: 'value' }>) =>
      used.includes(mention) ||
      [...plan.conditions, ...(plan.measure?.kind === 'share' ? plan.measure.conditions : [])].some(
        (condition) =>
          condition.kind === 'equals' &&
          condition.column.table === mention.column.table.qualifiedName &&
          condition.column.column === mention.column.name &&
          condition.values.includes(mention.value),
      );
    for (const mention of mentions) {
      if (mention.kind === 'unshown') continue;
      if (mention.kind === 'value' && !usedValue(mention)) continue;
      for (let index = mention.start; index < mention.end; index += 1) placed.add(index);
    }
    for (const index of [...negationsExpressed, ...extraPlaced]) placed.add(index);
    // "written by authors", "placed by the customer": the verb of a passive names the relation the join follows.
    for (const word of words)
      if (words[word.index + 1]?.lower === 'by' && isParticiple(word) && plan.joinTables.length + requiredTables().length > 1)
        placed.add(word.index);
    for (const word of words) if (numberOf(word) !== null && plan.limit !== null && numberOf(word) === plan.limit) placed.add(word.index);
    // A word the plan's own tables are documented with ("placed" for orders, "billed" for a fee) describes
    // what the SQL already reads — unless it is a value of some column, which only a condition places.
    const valueStems = new Set(
      catalogue.tables.flatMap((table) =>
        table.columns.flatMap((column) => column.sampleValues.flatMap((value) => wordsOf(value).map((word) => word.stem))),
      ),
    );
    const described = new Set<string>();
    const describe = (text: string) => {
      for (const word of wordsOf(text.replace(/'[^']*'/g, ' '))) described.add(word.stem).add(word.root);
    };
    for (const name of requiredTables()) {
      const table = catalogue.table(name);
      if (!table) continue;
      describe(table.comment);
      for (const column of table.columns) describe(`${column.name} ${column.comment}`);
    }
    for (const word of words)
      if (!valueStems.has(word.stem) && (described.has(word.stem) || described.has(word.root))) placed.add(word.index);
    const left = unplacedWords(words, placed);
    if (left.length > 0) throw new UnplacedWords(unique(left.map((word) => word.text)));
  }

  function valueScore(mention: Extract<Mention, { kind: 'value' }>): number {
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

  /** Tables the base points at (many-to-one) that are not shown yet: where a missing date may be. */
  function forwardUnshown(): string[] {
    return unique(
      catalogue.edges.filter((edge) => edge.fromTable === plan.base && !catalogue.table(edge.toTable)).map((edge) => edge.toTable),
    );
  }

  function dateColumn(): CatalogueColumn | null {
    // A metric says which date its periods apply to.
    const metricTime = activeMetric?.timeColumn;
    if (metricTime) {
      const table = metricTime.table.includes('.')
        ? catalogue.table(metricTime.table)
        : catalogue.tables.find((candidate) => candidate.name === metricTime.table);
      const column = table?.columns.find((candidate) => candidate.name === metricTime.column);
      if (column) return column;
    }
    const tables = [
      plan.base,
      ...catalogue.tables
        .map((table) => table.qualifiedName)
        .filter((name) => name !== plan.base && (catalogue.joinPath(plan.base, name)?.every((step) => step.forward) ?? false)),
    ];
    let best: { column: CatalogueColumn; score: number } | null = null;
    for (const [position, name] of tables.entries()) {
      const table = catalogue.table(name);
      if (!table) continue;
      for (const column of table.columns) {
        if (column.family !== 'date' && column.family !== 'timestamp') continue;
        let score = -position * 4;
        if (
          column.nameWords.some(
            (nameWord) =>
              !['date', 'at', 'on'].includes(nameWord.lower) &&
              words.some(
                (word) =>
                  sameWord(word, nameWord) ||
                  (words[word.index + 1] !== undefined && `${word.root}${words[word.index + 1].lower}` === nameWord.lower),
              ),
          )
        )
          score += 3;
        if (!column.nullable) score += 1;
        if (/date/.test(column.name)) score += 1;
        if (/birth/.test(column.name)) score -= 3;
        if (/^(created|updated|modified)/.test(column.name)) score -= 1;
        if (!best || score > best.score) best = { column, score };
      }
    }
    return best?.column ?? null;
  }

  function requiredTables(): string[] {
    const tables = [plan.base, ...extraTables];
    const add = (column: ColumnReference | null | undefined) => {
      if (column && !tables.includes(column.table)) tables.push(column.table);
    };
    plan.dimensions.forEach(add);
    plan.hiddenGroupKeys.forEach(add);
    plan.partition?.dimensions.forEach(add);
    plan.partition?.keys.forEach(add);
    const addTable = (table: string | null) => {
      if (table && !tables.includes(table)) tables.push(table);
    };
    for (const condition of plan.conditions) addTable(conditionTable(condition));
    const measure = plan.measure;
    if (measure?.kind === 'column') add(measure.column);
    if (measure?.kind === 'expression') addTable(measure.table);
    if (measure?.kind === 'share') for (const condition of measure.conditions) addTable(conditionTable(condition));
    if (measure?.kind === 'countDistinct') add(measure.column);
    if (measure?.kind === 'lineAmount') add(measure.quantity);
    return tables;
  }

  function needsDistinct(): boolean {
    return requiredTables().some((table) => table !== plan.base && catalogue.joinPath(plan.base, table)?.some((step) => !step.forward));
  }
}

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

/** `month` or `year` for a word naming that period (`month`, `months`, `monthly`, `year`, `yearly`, `annually`). */
function timeUnitOf(word: Word | undefined): 'month' | 'year' | null {
  if (!word) return null;
  if (['month', 'monthly'].includes(word.stem)) return 'month';
  if (['year', 'yearly', 'annual', 'annually'].includes(word.stem)) return 'year';
  return null;
}

function firstTableEntity(mentions: Mention[]): Entity | null {
  const table = mentions.find((mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table');
  if (table) return { table: table.table, column: null, mention: table };
  const value = mentions.find((mention): mention is Extract<Mention, { kind: 'value' }> => mention.kind === 'value');
  return value ? { table: value.column.table, column: null, mention: value } : null;
}

function sameColumn(reference: ColumnReference, column: CatalogueColumn): boolean {
  return reference.table === column.table.qualifiedName && reference.column === column.name;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
