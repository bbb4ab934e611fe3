/** Normalized type families, so prompts and tools can reason about columns across engines. */
export type TypeFamily = 'text' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'boolean' | 'json' | 'other';

/** The dialect family a datasource speaks; PGlite speaks `postgres`. */
export type DialectName = 'postgres' | 'mysql';

/** The concrete engine behind a datasource, detected at connection time. */
export type EngineName = 'postgres' | 'pglite' | 'mysql' | 'mariadb';

/** A reference from a column to the column it points at. */
export interface ColumnReference {
  schema: string;
  table: string;
  column: string;
}

export interface ColumnMeta {
  name: string;
  /** The engine's own type name, for example `character varying(100)` or `varchar(100)`. */
  dataType: string;
  typeFamily: TypeFamily;
  nullable: boolean;
  isPrimaryKey: boolean;
  /** Set when the column is (the single column of, or part of) a foreign key. */
  references: ColumnReference | null;
  comment: string | null;
  /**
   * Up to five frequent distinct values of a low-cardinality text column, most frequent first.
   * Absent when sampling is off, the column is not text, or it has too many distinct values.
   */
  sampleValues?: string[];
}

export interface ForeignKeyMeta {
  columns: string[];
  references: { schema: string; table: string; columns: string[] };
}

export interface TableMeta {
  schema: string;
  name: string;
  kind: 'table' | 'view';
  comment: string | null;
  /** The engine's row estimate (Postgres `reltuples`, MySQL `TABLE_ROWS`); null when unknown. */
  rowEstimate: number | null;
  primaryKey: string[];
  foreignKeys: ForeignKeyMeta[];
  columns: ColumnMeta[];
}

export interface SchemaInfo {
  name: string;
  tables: TableMeta[];
}

/** What introspection knows about one datasource. */
export interface SchemaMeta {
  datasource: string;
  dialect: DialectName;
  engine: EngineName;
  serverVersion: string;
  /** Stable hash of the structure (names, types, keys, comments); see `computeSchemaVersion`. */
  schemaVersion: string;
  introspectedAt: string;
  schemas: SchemaInfo[];
}
