import type { AggregateFunction } from './question-shape.ts';

/** A column of a table, by qualified table name. */
export interface ColumnReference {
  table: string;
  column: string;
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
    };

/** A WHERE condition. */
export type Condition =
  | { kind: 'equals'; column: ColumnReference; values: string[] }
  | { kind: 'boolean'; column: ColumnReference; value: boolean }
  | { kind: 'null'; column: ColumnReference; isNull: boolean }
  | {
      kind: 'compare';
      column: ColumnReference | null;
      measure: MeasureExpression | null;
      operator: '>' | '>=' | '<' | '<=' | '=';
      value: number;
      upper: number | null;
    }
  | { kind: 'dateRange'; column: ColumnReference; from: string | null; to: string | null };

/** A query the offline model composed, before aliases and joins are written out. */
export interface QueryPlan {
  /** count, aggregate, grouped, top or list: decides how the answer sentence reads. */
  kind: 'count' | 'aggregate' | 'grouped' | 'top' | 'list';
  /** The FROM table; the others are joined to it along foreign keys. */
  base: string;
  /** Columns shown as labels (the group, the ranked entity, the listed things). */
  dimensions: ColumnReference[];
  /** Columns grouped on but not shown (a key that keeps equal names apart). */
  hiddenGroupKeys: ColumnReference[];
  measure: MeasureExpression | null;
  /** The output name of the measure. */
  measureName: string;
  conditions: Condition[];
  /** Tables joined only for a HAVING count. */
  joinTables: string[];
  /** A HAVING condition on the measure. */
  having: Condition | null;
  distinct: boolean;
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
}
