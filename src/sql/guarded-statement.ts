/** A statement the guard accepted, ready for the read-only executor. */
export interface GuardedStatement {
  /** The statement alone: no trailing semicolon; trailing comments may remain. */
  sql: string;
  dialect: 'postgres' | 'mysql';
  /** Whether the outermost query has a LIMIT (the executor must not append a second one). */
  hasTopLevelLimit: boolean;
  /** Whether the outermost query has an ORDER BY (evals: row order then counts by default). */
  hasTopLevelOrderBy: boolean;
  /** The outermost LIMIT's row count when it is a plain number, otherwise null. */
  topLevelLimit: number | null;
  /** Lower-case names of every function called, for traces and tests. */
  functions: string[];
  /** Every table or view read, as written (`schema.table` or `table`); CTE references are not relations. */
  relations: string[];
}
