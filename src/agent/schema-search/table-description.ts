import type { TypeFamily } from '../../datasource/index.ts';

/**
 * One column as the model sees it; optional fields are left out when empty, and so are the flags when false and
 * the family when it is the type itself (a model is sent the description with each question's calls, so every
 * repeated `"nullable":false` costs tokens on each of them).
 */
export interface ColumnDescription {
  name: string;
  /** The engine's own type name, e.g. `numeric(12,2)`. */
  type: string;
  /** Left out when it equals `type` (`integer`, `date`, `boolean`): the family is then the type. */
  family?: TypeFamily;
  /** Present (true) only when the column may hold NULL. */
  nullable?: true;
  /** Present (true) only for a column of the primary key. */
  primaryKey?: true;
  /** The column a foreign key points at, as `schema.table(column)`. */
  references?: string;
  comment?: string;
  /** Frequent values of a low-cardinality text column, most frequent first. */
  sampleValues?: string[];
}

/** A foreign key of another table that points at the described table: a join path into it. */
export interface IncomingReference {
  /** The referencing columns, as `schema.table(column, …)`. */
  from: string;
  /** The referenced columns of the described table, as `schema.table(column, …)`. */
  to: string;
}

/** A compact, JSON-ready description of one table or view for the model. */
export interface TableDescription {
  /** The qualified name, `schema.table`. */
  name: string;
  kind: 'table' | 'view';
  comment: string | null;
  rowEstimate: number | null;
  primaryKey: string[];
  columns: ColumnDescription[];
  /** Foreign keys of other tables pointing into this one, so joins can be found from either end. */
  referencedBy: IncomingReference[];
}
