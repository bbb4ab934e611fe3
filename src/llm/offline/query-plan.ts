import type { AggregateFunction } from './question-shape.ts';

/** A period a question groups by ("per month", "quarterly", "each year"). */
export type TimeUnit = 'month' | 'quarter' | 'year';

/** A column of a table, by qualified table name. */
export interface ColumnReference {
  table: string;
  column: string;
  /** For a date dimension: group by its month or quarter (first day), their number within one year, or its year. */
  bucket?: 'month' | 'monthOfYear' | 'quarter' | 'quarterOfYear' | 'year';
  /**
   * For a column of a tree table (rows that point at a parent row of their own table): the column of the row's root,
   * its parent's when it has one, else its own ("per top-level category" over products filed under subcategories).
   */
  root?: { parentColumn: string; keyColumn: string };
}

/** What a query computes per row or group. */
export type MeasureExpression =
  | { kind: 'count' }
  | { kind: 'countDistinct'; column: ColumnReference }
  | { kind: 'column'; function: AggregateFunction | null; column: ColumnReference }
  /** Line revenue: quantity × unit price × (1 − discount). */
  | {
      kind: 'lineAmount';
      function: AggregateFunction;
      quantity: ColumnReference;
      price: ColumnReference;
      discount: ColumnReference | null;
    }
  /** A named metric's aggregate SQL (columns written `table.column`, the table as the prompt names it). */
  | { kind: 'expression'; sql: string; table: string }
  /** "the average age of our patients": an aggregate of whole years from a birth date to the prompt's today. */
  | { kind: 'age'; function: 'AVG' | 'MIN' | 'MAX'; column: ColumnReference; today: string }
  /**
   * The percentage of rows that meet `conditions`: `ROUND(100.0 * SUM(CASE WHEN … THEN 1 ELSE 0 END) / COUNT(*), 2)`;
   * with `fraction`, their share from 0 to 1.
   */
  | { kind: 'share'; conditions: Condition[]; fraction?: boolean }
  /** The rows that meet `conditions`, counted: `SUM(CASE WHEN … THEN 1 ELSE 0 END)`. */
  | { kind: 'countWhere'; conditions: Condition[] }
  /** One measure over another, to cents: `ROUND(1.0 * a / NULLIF(b, 0), 2)`. */
  | { kind: 'ratio'; numerator: MeasureExpression; denominator: MeasureExpression }
  /** "the share of revenue by continent": each group's measure as a percentage of all groups', `100.0 * m / SUM(m) OVER ()`. */
  | { kind: 'shareOfTotal'; of: MeasureExpression };

/** A WHERE condition. */
export type Condition =
  | {
      kind: 'equals';
      column: ColumnReference;
      values: string[];
      negated?: boolean;
      /** "subcategories of Electronics": the rows whose parent (along the table's own foreign key) has the value. */
      childrenOf?: { parentColumn: string; keyColumn: string };
    }
  /** A glossary term's or a metric's row condition (columns written `table.column`). */
  | { kind: 'sql'; table: string; sql: string }
  /**
   * Rows of `table` that point at this row, with `joins` adding the tables they are reached through or described by
   * and `inner` their conditions: none of them, `NOT EXISTS (SELECT 1 FROM table WHERE table.column = target …)`
   * ("never had a no-show", "never ordered in 2024"); or with `present`, some of them, written `target IN (…)`.
   */
  | {
      kind: 'relatedRows';
      table: string;
      foreignKey: string;
      target: ColumnReference;
      joins?: Array<{ table: string; on: [ColumnReference, ColumnReference] }>;
      inner?: Condition[];
      /** Some such row points at this one ("the share of orders paid by card", counted once each). */
      present?: boolean;
      /** With `present`: at least so many such rows ("at least 3 appointments"), counted by their key. */
      atLeast?: { key: ColumnReference; operator: '>' | '>='; value: number };
    }
  /** "for the most expensive medication": the rows whose key (or value) a ranking of its own picks, `column IN (SELECT key FROM (… LIMIT n) AS picked)`. */
  | { kind: 'picked'; column: ColumnReference; plan: QueryPlan }
  /** "shipped to a different country than the customer's country": two columns compared, `left <> right` (or `=`). */
  | { kind: 'columnPair'; left: ColumnReference; right: ColumnReference; equal: boolean }
  | { kind: 'boolean'; column: ColumnReference; value: boolean }
  | { kind: 'null'; column: ColumnReference; isNull: boolean }
  | {
      kind: 'compare';
      column: ColumnReference | null;
      measure: MeasureExpression | null;
      operator: '>' | '>=' | '<' | '<=' | '=';
      value: number;
      upper: number | null;
      /** "earn more than the average salary": compared with the column's average over all its rows, not `value`. */
      againstAverage?: ColumnReference;
      /** "spent more than the average customer": compared with the average of `SUM(column)` per `groupBy` of `table`. */
      averageOfRows?: { table: string; column: string; groupBy: string };
      /** "above the average salary of their department": the average over the rows with the same value of this column. */
      averageWithin?: ColumnReference;
      /** "a price more than twice their cost": compared with `value` times this column of the same row. */
      times?: ColumnReference;
    }
  | {
      kind: 'dateRange';
      column: ColumnReference;
      from: string | null;
      to: string | null;
      /** In a HAVING: the period holds the earliest (MIN) or the latest (MAX) of the column per group. */
      aggregate?: 'MIN' | 'MAX';
    };

/** A query the offline model composed, before aliases and joins are written out. */
export interface QueryPlan {
  /** count, aggregate, grouped, top, list, share or ratio: decides how the answer sentence reads. */
  kind: 'count' | 'aggregate' | 'grouped' | 'top' | 'list' | 'share' | 'ratio';
  /** The FROM table; the others are joined to it along foreign keys. */
  base: string;
  /** Columns shown as labels (the group, the ranked entity, the listed things). */
  dimensions: ColumnReference[];
  /** Columns grouped on but not shown (a key that keeps equal names apart). */
  hiddenGroupKeys: ColumnReference[];
  measure: MeasureExpression | null;
  /** The output name of the measure. */
  measureName: string;
  /** "the lowest and highest prices": more aggregates of the measured rows, selected after the measure. */
  pairedMeasures?: Array<{ expression: MeasureExpression; name: string }>;
  conditions: Condition[];
  /** Tables joined only for a HAVING count. */
  joinTables: string[];
  /** Join with LEFT JOIN (a HAVING count that must see rows with no related row). */
  leftJoins?: boolean;
  /** A HAVING condition on the measure. */
  having: Condition | null;
  /**
   * For a top-N per group ("the most expensive product in each category"): the group's labels and key.
   * The ranking restarts in each group (`RANK() OVER (PARTITION BY …)`), and `limit` applies per group.
   */
  partition?: { dimensions: ColumnReference[]; keys: ColumnReference[] };
  /**
   * An aggregate of per-group measures ("the average number of orders per customer"): the measure is
   * computed per `hiddenGroupKeys`, then this function runs over those values.
   */
  outerAggregate?: AggregateFunction;
  /** For a trend: next to each period, the difference from the period before (`LAG`). */
  change?: boolean;
  /** For a trend: each period's figure added to those of the periods before (`SUM(…) OVER (ORDER BY period)`). */
  cumulative?: boolean;
  /** For a trend's change: the period and its change only, without the period's own figure. */
  changeOnly?: boolean;
  distinct: boolean;
  /**
   * The measure orders the rows but is not selected: a ranking that asks only for the ranked items, under a
   * prompt that asks for exactly the asked columns.
   */
  measureHidden?: boolean;
  orderBy: 'measure' | 'dimensions' | null;
  direction: 'ASC' | 'DESC';
  limit: number | null;
  /** Words describing the subject, for the answer (e.g. `customers`). */
  subjectWords: string;
  /** Words describing the grouping, for the answer (e.g. `category`). */
  groupWords: string;
  /** Words describing the measure, for the answer (e.g. `revenue`). */
  measureWords: string;
  /** The date phrase, for the answer. */
  dateDescription: string | null;
  /**
   * Numbers of the question the SQL writes in another form (an age as a birth date, hours as minutes, a
   * percentage as a fraction): the last checks take them as used.
   */
  restatedNumbers?: string[];
  /** For a list filtered on a count ("which doctors had more than 60 appointments"): the count is selected too. */
  havingShown?: boolean;
  /** "rounded to 2 decimals": the selected figure is rounded to this many decimals, whatever the prompt's default. */
  roundTo?: number;
}

/** The column a condition tests, when it tests one column of the plan's tables. */
export function conditionColumn(condition: Condition): ColumnReference | null {
  if (condition.kind === 'sql') return null;
  if (condition.kind === 'relatedRows') return condition.target;
  if (condition.kind === 'columnPair') return condition.left;
  return condition.column;
}

/** The table a condition needs joined (null for a comparison on an aggregate). */
export function conditionTable(condition: Condition): string | null {
  if (condition.kind === 'sql') return condition.table;
  return conditionColumn(condition)?.table ?? null;
}

/**
 * Every table a plan reads, the base first: the joined ones, then those of its dimensions, keys,
 * conditions and measure, in that order (the order joins are written in).
 */
export function tablesOfPlan(plan: QueryPlan): string[] {
  const tables = [plan.base, ...plan.joinTables.filter((table) => table !== plan.base)];
  const addTable = (table: string | null | undefined) => {
    if (table && !tables.includes(table)) tables.push(table);
  };
  for (const column of [
    ...plan.dimensions,
    ...plan.hiddenGroupKeys,
    ...(plan.partition?.dimensions ?? []),
    ...(plan.partition?.keys ?? []),
  ])
    addTable(column.table);
  for (const condition of plan.conditions) {
    addTable(conditionTable(condition));
    if (condition.kind === 'columnPair') addTable(condition.right.table);
  }
  const addMeasure = (measure: MeasureExpression | null) => {
    if (measure?.kind === 'column' || measure?.kind === 'countDistinct' || measure?.kind === 'age') addTable(measure.column.table);
    if (measure?.kind === 'expression') addTable(measure.table);
    if (measure?.kind === 'share' || measure?.kind === 'countWhere')
      for (const condition of measure.conditions) addTable(conditionTable(condition));
    if (measure?.kind === 'lineAmount') addTable(measure.quantity.table);
    if (measure?.kind === 'ratio') {
      addMeasure(measure.numerator);
      addMeasure(measure.denominator);
    }
    if (measure?.kind === 'shareOfTotal') addMeasure(measure.of);
  };
  addMeasure(plan.measure);
  for (const paired of plan.pairedMeasures ?? []) addMeasure(paired.expression);
  return tables;
}
