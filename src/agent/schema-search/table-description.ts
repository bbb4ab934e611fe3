import type { TypeFamily } from '../../datasource/index.ts';

/** One column as the model sees it; optional fields are left out when empty. */
export interface ColumnDescription {
  name: string;
  /** The engine's own type name, e.g. `numeric(12,2)`. */
  type: string;
  family: TypeFamily;
  nullable: boolean;
  primaryKey: boolean;
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
