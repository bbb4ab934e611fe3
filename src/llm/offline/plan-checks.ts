import { unplacedWords } from './coverage.ts';
import { unique, type MentionOf, type PlanDraft } from './plan-draft.ts';
import { CannotPlan, PlanningGap, UnplacedWords } from './planning-errors.ts';
import { conditionColumn, type ColumnReference, type Condition, type MeasureExpression } from './query-plan.ts';
import { isParticiple } from './question-shape.ts';
import { numberOf, wordsOf, type Word } from './question-words.ts';
import { verbNamesTable, type Mention } from './schema-linker.ts';

/**
 * Declines rather than guesses: a negation the plan does not express ("never", "not"), or a column the
 * question names ("on the first floor") that the plan does not use, means the question says more than the SQL.
 */
export function refuseUnusedConstraints(draft: PlanDraft): void {
  const { words, skip, mentions, plan, used, negationsExpressed } = draft;
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
  // "How many customers placed their very first order in 2025?": a count whose rows a superlative picks (each
  // customer's first order) is no count of all the rows; a plain count would answer another question.
  if (
    draft.shape.kind === 'count' &&
    draft.shape.superlative &&
    plan.kind === 'count' &&
    plan.orderBy === null &&
    plan.limit === null &&
    !plan.having
  )
    throw new CannotPlan('The question counts rows that a superlative picks (the first, the most …), which I cannot write reliably.');
  if (negation) {
    // "doctors who never had a no-show": the negated rows may be in a table that points at the base, not shown yet.
    const unshown = draft.catalogue.referencingTables(plan.base).filter((table) => !draft.catalogue.table(table));
    throw new PlanningGap(unshown, `the question says "${negation.text}", which I cannot express reliably`);
  }
  const planColumns = new Set<string>();
  const note = (column: ColumnReference | null | undefined) => column && planColumns.add(`${column.table}.${column.column}`);
  plan.dimensions.forEach(note);
  plan.partition?.dimensions.forEach(note);
  const noteMeasure = (measure: MeasureExpression | null) => {
    if (measure?.kind === 'column' || measure?.kind === 'countDistinct') note(measure.column);
    if (measure?.kind === 'share' || measure?.kind === 'countWhere')
      for (const condition of measure.conditions) note(conditionColumn(condition));
    if (measure?.kind === 'ratio') {
      noteMeasure(measure.numerator);
      noteMeasure(measure.denominator);
    }
  };
  for (const condition of plan.conditions) note(conditionColumn(condition));
  noteMeasure(plan.measure);
  if (plan.having?.kind === 'compare') noteMeasure(plan.having.measure);
  const covered = (mention: Mention) =>
    mentions.some(
      (other) =>
        other !== mention &&
        (other.kind === 'table' ||
          other.kind === 'value' ||
          other.kind === 'concept' ||
          ((other.kind === 'termCondition' || other.kind === 'metric') && used.includes(other))) &&
        mention.start < other.end &&
        other.start < mention.end,
    );
  const required = draft.requiredTables();
  for (const mention of mentions) {
    if (mention.kind !== 'column' || covered(mention) || used.includes(mention)) continue;
    const column = mention.column;
    if (planColumns.has(`${column.table.qualifiedName}.${column.name}`) || column.family === 'date' || column.family === 'timestamp')
      continue;
    if (!required.includes(column.table.qualifiedName)) continue;
    if (!mention.whole || words.slice(mention.start, mention.end).some((word) => skip.has(word.index))) continue;
    throw new CannotPlan(`the question mentions ${column.name}, but I do not see how it constrains the answer`);
  }
}

/** Declines, naming them, when words of the question are left that nothing in the plan accounts for. */
export function checkCoverage(draft: PlanDraft): void {
  const { words, skip, mentions, plan, used, catalogue } = draft;
  const placed = new Set<number>([...skip]);
  // The conditions of the plan, those of its measure, and those inside an (NOT) EXISTS, with the tables that reads.
  const conditions = [...plan.conditions, ...measureConditions(plan.measure)];
  const related = conditions.filter((condition) => condition.kind === 'relatedRows');
  const everyCondition = [...conditions, ...related.flatMap((condition) => condition.inner ?? [])];
  const usedValue = (mention: MentionOf<'value'>) =>
    used.includes(mention) ||
    everyCondition.some(
      (condition) =>
        condition.kind === 'equals' &&
        condition.column.table === mention.column.table.qualifiedName &&
        condition.column.column === mention.column.name &&
        condition.values.includes(mention.value),
    );
  const required = unique([
    ...draft.requiredTables(),
    ...related.flatMap((condition) => [condition.table, ...(condition.joins ?? []).map((join) => join.table)]),
  ]);
  // The tables the joins pass through read the question's words too ("written by doctors in Cardiology").
  const joined = new Set(required);
  for (const table of required)
    for (const step of catalogue.joinPath(plan.base, table) ?? []) joined.add(step.edge.fromTable).add(step.edge.toTable);
  const dropped = new Set<number>();
  for (const mention of mentions) {
    if (mention.kind === 'unshown') continue;
    if (mention.kind === 'value' && !usedValue(mention)) continue;
    // "customers who placed an order in 2025": a table the question names that the plan never reads is a
    // part of the question the SQL would drop.
    // ("readers who placed an order" with `orders` dropped: "order" naming `order_date` of that same dropped table places
    // nothing.)
    if (
      mention.kind === 'column' &&
      !used.includes(mention) &&
      !joined.has(mention.column.table.qualifiedName) &&
      mentions.some(
        (other) =>
          other.kind === 'table' &&
          other.table === mention.column.table &&
          !used.includes(other) &&
          other.start < mention.end &&
          mention.start < other.end,
      )
    )
      continue;
    if (mention.kind === 'table' && !used.includes(mention) && !joined.has(mention.table.qualifiedName)) {
      for (let index = mention.start; index < mention.end; index += 1) dropped.add(index);
      continue;
    }
    for (let index = mention.start; index < mention.end; index += 1) placed.add(index);
  }
  for (const index of [...draft.negationsExpressed, ...draft.extraPlaced]) placed.add(index);
  // "Using the sales summary table", "in the web traffic data": the kind of thing a table the plan reads is named as.
  for (const mention of mentions)
    if (mention.kind === 'table' && (used.includes(mention) || joined.has(mention.table.qualifiedName)))
      for (const at of [mention.end, mention.start - 1])
        if (['table', 'tables', 'view', 'data', 'dataset', 'records'].includes(words[at]?.lower ?? '')) placed.add(at);
  // "written by authors", "placed by the customer": the verb of a passive names the relation the join follows.
  for (const word of words)
    if (words[word.index + 1]?.lower === 'by' && isParticiple(word) && plan.joinTables.length + required.length > 1) placed.add(word.index);
  for (const word of words) if (numberOf(word) !== null && plan.limit !== null && numberOf(word) === plan.limit) placed.add(word.index);
  // "patients who have been prescribed Sertraline": a participle sharing a long stem with a table the plan reads
  // (`prescriptions`) names the rows of that table.
  const readNames = required.map((name) => catalogue.table(name)?.name ?? '').filter(Boolean);
  for (const word of words)
    if (isParticiple(word) && word.root.length >= 4 && readNames.some((name) => verbNamesTable(word.root, name))) placed.add(word.index);
  // A word the plan's own tables are documented with ("placed" for orders, "billed" for a fee) describes
  // what the SQL already reads — unless it is a value of some column, which only a condition places.
  const valueStems = new Set(
    catalogue.tables.flatMap((table) =>
      table.columns.flatMap((column) => column.sampleValues.flatMap((value) => wordsOf(value).map((word) => word.stem))),
    ),
  );
  const described = new Set<string>();
  // Quoted values and examples ("e.g. Electronics or Audio") name values a condition must place, not the column.
  const describe = (text: string) => {
    for (const word of wordsOf(text.replace(/'[^']*'/g, ' ').replace(/\be\.g\.[^;)]*?(?=\.\s|\.$|;|\)|$)/g, ' ')))
      described.add(word.stem).add(word.root);
  };
  for (const name of required) {
    const table = catalogue.table(name);
    if (!table) continue;
    describe(table.comment);
    for (const column of table.columns) describe(`${column.name} ${column.comment}`);
  }
  // A capitalised word inside the question is a name ("subcategories of Electronics"): only a value places it.
  const isName = (word: Word) => word.index > 0 && !word.isNumber && word.text[0] !== word.lower[0];
  for (const word of words)
    // ("the customer's country" against orders, "Customer orders placed …": a table the plan drops stays unplaced.)
    if (
      !valueStems.has(word.stem) &&
      !isName(word) &&
      !(dropped.has(word.index) && !placed.has(word.index)) &&
      (described.has(word.stem) || described.has(word.root))
    )
      placed.add(word.index);
  // "orders that came in last month": rows arriving are rows recorded. People who "came in" visited, which a table of
  // people (one with a birth date) does not record.
  const people = (catalogue.table(plan.base)?.columns ?? []).some((column) => /birth/.test(column.name));
  if (!people) for (const word of words) if (['come', 'comes', 'came', 'coming'].includes(word.lower)) placed.add(word.index);
  const left = unplacedWords(words, placed);
  if (left.length > 0) throw new UnplacedWords(unique(left.map((word) => word.text)));
}

/**
 * "revenue by device", "revenue by payment method": a table the plan joins through a one-to-many step
 * (each order has several payments, each customer many days of activity) repeats the rows being summed,
 * averaged or shared, so the figure would be inflated. Counts are made distinct elsewhere, and MIN or MAX
 * do not change; any other aggregate over such a join is declined.
 */
export function refuseRepeatedRows(draft: PlanDraft): void {
  const { plan } = draft;
  if (!plan.measure || plan.having || !repeatsChangeMeasure(plan.measure) || !draft.needsDistinct()) return;
  throw new CannotPlan('A table it joins has several rows for each measured row, so the measure would count them repeatedly.');
}

/** Whether repeating the measured rows changes a measure (a sum, an average, a share), unlike COUNT(DISTINCT …), MIN or MAX. */
function repeatsChangeMeasure(measure: MeasureExpression): boolean {
  switch (measure.kind) {
    case 'count':
    case 'countDistinct':
      return false;
    case 'column':
      return measure.function === 'SUM' || measure.function === 'AVG' || measure.function === 'COUNT';
    case 'lineAmount':
      return measure.function === 'SUM' || measure.function === 'AVG';
    case 'age':
      return measure.function === 'AVG';
    case 'expression':
      return !/^\s*(?:ROUND\(\s*)?(?:COUNT\(\s*DISTINCT|MIN\(|MAX\()/i.test(measure.sql);
    case 'ratio':
      return repeatsChangeMeasure(measure.numerator) || repeatsChangeMeasure(measure.denominator);
    case 'shareOfTotal':
      return repeatsChangeMeasure(measure.of);
    case 'share':
    case 'countWhere':
      return true;
  }
}

/** The conditions inside a measure (a share, a conditional count, the sides of a ratio). */
function measureConditions(measure: MeasureExpression | null): Condition[] {
  if (measure?.kind === 'share' || measure?.kind === 'countWhere') return measure.conditions;
  if (measure?.kind === 'ratio') return [...measureConditions(measure.numerator), ...measureConditions(measure.denominator)];
  return [];
}
