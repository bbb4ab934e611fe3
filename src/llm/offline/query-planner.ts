import type { SearchHit } from './conversation-reader.ts';
import type { DateRange } from './date-range.ts';
import type { ColumnReference, Condition, MeasureExpression, QueryPlan } from './query-plan.ts';
import type { AggregateFunction, QuestionShape } from './question-shape.ts';
import { sameWord, type Word } from './question-words.ts';
import type { CatalogueColumn, CatalogueTable, SchemaCatalogue } from './schema-catalogue.ts';
import { linkMentions, type MeasureConcept, type Mention } from './schema-linker.ts';

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
}

/** The planner's decision: a query, a table to look at first, or that the question cannot be answered. */
export type PlanOutcome = { kind: 'plan'; plan: QueryPlan } | { kind: 'show'; table: string } | { kind: 'cannot'; reason: string };

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

const numericFamilies = new Set(['integer', 'decimal']);

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
  const mentions = linkMentions(words, skip, catalogue);
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
    return null;
  };
  const columnPreference = (mention: Extract<Mention, { kind: 'column' }>) =>
    (mentionedTables.includes(mention.column.table.qualifiedName) ? 4 : 0) +
    (mention.whole ? 2 : 0) +
    (mention.column.table.schema === homeSchema ? 1 : 0) +
    (mention.end - mention.start) * 0.5;

  // The entity asked about.
  let subject = entityOf(shape.subject);
  let kind: QueryPlan['kind'] =
    shape.kind === 'count' ? 'count' : shape.kind === 'aggregate' ? 'aggregate' : shape.kind === 'top' ? 'top' : 'list';
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
  const group = shape.group ? entityOf(shape.group) : null;
  if (shape.group && !group) throw new CannotPlan(`"${phraseText(shape.group)}" names nothing in the shown tables.`);
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
    if (!subject) subject = firstTableEntity(mentions);
    if (!subject) throw new CannotPlan('The question does not say what to count.');
    used.push(subject.mention);
    plan.base = subject.table.qualifiedName;
    if (subject.mention.kind === 'value') used.pop();
    plan.measure =
      subject.column && subject.mention.kind === 'column'
        ? { kind: 'countDistinct', column: reference(subject.column) }
        : { kind: 'count' };
    plan.measureName = subject.column ? `distinct_${subject.column.name}` : `${subject.table.name}_count`;
    if (plan.subjectWords === '') plan.subjectWords = subject.table.name.replace(/_/g, ' ');
    if (group) {
      plan.kind = 'grouped';
      applyGroup(group);
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
    if (subject.mention.kind === 'value') used.pop();
    plan.orderBy = 'dimensions';
    plan.direction = 'ASC';
    if (!shape.wantsAll) plan.limit = input.rowLimit;
  }
  if (plan.kind === 'grouped') {
    plan.orderBy = 'measure';
    plan.direction = 'DESC';
    if (!shape.wantsAll) plan.limit = input.rowLimit;
  }

  addConditions();
  refuseUnusedConstraints();
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
        !expressed(word.index) &&
        !mentions.some((mention) => mention.kind === 'value' && word.index >= mention.start && word.index < mention.end),
    );
    if (negation) throw new CannotPlan(`the question says "${negation.text}", which I cannot express reliably`);
    const planColumns = new Set<string>();
    const note = (column: ColumnReference | null | undefined) => column && planColumns.add(`${column.table}.${column.column}`);
    plan.dimensions.forEach(note);
    for (const condition of plan.conditions) note(condition.column);
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

  function rankingMeasure(entity: Entity): ResolvedMeasure {
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
    if (table && !hasMeasureWord) {
      used.push(table);
      return { expression: { kind: 'count' }, table: table.table.qualifiedName, name: table.table.name, used: [table] };
    }
    if (shape.measure && (hasMeasureWord || found.length > 0)) return resolveMeasure(shape.measure, 'SUM', entity);
    if (entity.column) return { expression: { kind: 'count' }, table: entity.table.qualifiedName, name: 'count', used: [] };
    throw new CannotPlan('The question does not say what to rank by.');
  }

  /** The measure a phrase names: a numeric column, or a concept (money, price) found in a table. */
  function resolveMeasure(range: [number, number], aggregateFunction: AggregateFunction, entity: Entity | null): ResolvedMeasure {
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
    const byColumn = new Map<CatalogueColumn, string[]>();
    for (const mention of chosen) byColumn.set(mention.column, [...(byColumn.get(mention.column) ?? []), mention.value]);
    for (const [column, values] of byColumn) plan.conditions.push({ kind: 'equals', column: reference(column), values: unique(values) });
    for (const mention of mentions) {
      if (taken(mention) || chosen.some((value) => mention.start < value.end && value.start < mention.end)) continue;
      if (
        mention.kind === 'boolean' &&
        !plan.conditions.some((condition) => condition.kind === 'boolean' && sameColumn(condition.column, mention.column))
      ) {
        plan.conditions.push({ kind: 'boolean', column: reference(mention.column), value: mention.value });
      } else if (
        mention.kind === 'null' &&
        !plan.conditions.some((condition) => condition.kind === 'null' && sameColumn(condition.column, mention.column))
      ) {
        plan.conditions.push({ kind: 'null', column: reference(mention.column), isNull: mention.isNull });
      }
    }
    for (const comparison of shape.comparisons) {
      const after = words.findIndex((word, index) => index > comparison.index && word.isNumber) + 1;
      const countedTable = mentions.find(
        (mention): mention is Extract<Mention, { kind: 'table' }> =>
          mention.kind === 'table' && mention.start === after && mention.table.qualifiedName !== plan.base,
      );
      if (countedTable && plan.kind === 'count') {
        used.push(countedTable);
        plan.having = {
          kind: 'compare',
          column: null,
          measure: { kind: 'count' },
          operator: comparison.operator,
          value: comparison.value,
          upper: comparison.upper,
        };
        plan.hiddenGroupKeys = [{ table: plan.base, column: catalogue.table(plan.base)?.primaryKey[0] ?? 'id' }];
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
      plan.conditions.push({
        kind: 'compare',
        column: reference(column),
        measure: null,
        operator: comparison.operator,
        value: comparison.value,
        upper: comparison.upper,
      });
    }
    if (input.dateRange) {
      const column = dateColumn();
      if (!column) throw new CannotPlan('The question names a period, but no date column was found for it.');
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

  function dateColumn(): CatalogueColumn | null {
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
    for (const condition of plan.conditions) if (condition.kind !== 'compare' || condition.column) add(condition.column);
    const measure = plan.measure;
    if (measure?.kind === 'column') add(measure.column);
    if (measure?.kind === 'countDistinct') add(measure.column);
    if (measure?.kind === 'lineAmount') add(measure.quantity);
    return tables;
  }

  function needsDistinct(): boolean {
    return requiredTables().some((table) => table !== plan.base && catalogue.joinPath(plan.base, table)?.some((step) => !step.forward));
  }
}

function firstTableEntity(mentions: Mention[]): Entity | null {
  const table = mentions.find((mention): mention is Extract<Mention, { kind: 'table' }> => mention.kind === 'table');
  if (table) return { table: table.table, column: null, mention: table };
  const value = mentions.find((mention): mention is Extract<Mention, { kind: 'value' }> => mention.kind === 'value');
  return value ? { table: value.column.table, column: null, mention: value } : null;
}

/** The columns that name a row of a table: `name`, else first and last name, else a title-like text column, else the key. */
export function labelColumns(table: CatalogueTable): CatalogueColumn[] {
  const byName = (name: string) => table.columns.find((column) => column.name === name);
  const name = byName('name') ?? byName('title');
  if (name) return [name];
  const first = table.columns.find((column) => /first_?name/.test(column.name));
  const last = table.columns.find((column) => /last_?name/.test(column.name));
  if (first && last) return [first, last];
  const texty = table.columns.find((column) => column.family === 'text' && /name|title|description|label/.test(column.name));
  if (texty) return [texty];
  const text = table.columns.find((column) => column.family === 'text' && !column.primaryKey && !column.references);
  if (text) return [text];
  return table.columns.filter((column) => column.primaryKey).slice(0, 1);
}

function reference(column: CatalogueColumn): ColumnReference {
  return { table: column.table.qualifiedName, column: column.name };
}

function sameColumn(reference: ColumnReference, column: CatalogueColumn): boolean {
  return reference.table === column.table.qualifiedName && reference.column === column.name;
}

function measureName(aggregateFunction: AggregateFunction, column: string): string {
  const prefix = { COUNT: 'count', SUM: 'total', AVG: 'average', MIN: 'minimum', MAX: 'maximum' }[aggregateFunction];
  return column.startsWith(`${prefix}_`) ? column : `${prefix}_${column}`;
}

/** How strongly a column's name says money. */
function moneyName(name: string): number {
  if (/revenue|sales/.test(name)) return 6;
  if (/amount|total|fee/.test(name)) return 5;
  if (/salary|wage/.test(name)) return 4;
  if (/^price$/.test(name)) return 3;
  if (/price/.test(name)) return 2.5;
  if (/cost/.test(name)) return 1;
  return 0;
}

/** How well a numeric column fits a measure concept; null when it is no money column. */
function moneyScore(column: CatalogueColumn, concept: MeasureConcept): number | null {
  if (!numericFamilies.has(column.family) || column.primaryKey || column.references) return null;
  const byName = moneyName(column.name);
  const inDollars = /dollar|\busd\b|\$/i.test(column.comment) && !/fraction/i.test(column.comment);
  if (byName === 0 && !inDollars) return null;
  if (concept === 'price')
    return /^price$/.test(column.name) ? 6 : /price/.test(column.name) ? 5 : /cost/.test(column.name) ? 2 : byName > 0 ? 3 : 1;
  // Revenue, money, spending: a unit price or cost is not an amount of money taken.
  if (/price|cost/.test(column.name)) return 0.5;
  return byName > 0 ? byName : 2;
}

/** Quantity × unit price × (1 − discount) for an order-line-like table. */
function lineAmountOf(
  table: CatalogueTable,
): { quantity: ColumnReference; price: ColumnReference; discount: ColumnReference | null } | null {
  const quantity = table.columns.find((column) => /^(quantity|qty|units)$/.test(column.name) && numericFamilies.has(column.family));
  const price = table.columns.find((column) => /price/.test(column.name) && numericFamilies.has(column.family));
  if (!quantity || !price) return null;
  const discount = table.columns.find(
    (column) => /discount/.test(column.name) && numericFamilies.has(column.family) && /fraction/i.test(column.comment),
  );
  return { quantity: reference(quantity), price: reference(price), discount: discount ? reference(discount) : null };
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
