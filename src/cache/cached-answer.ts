/** One result column of a cached answer, as the agent reported it. */
export interface CachedAnswerColumn {
  name: string;
  /** The database's own type name, such as `numeric(10,2)` or `varchar`. */
  dataType: string;
  /** The portable family the type belongs to, such as `number` or `text`. */
  typeFamily: string;
}

/**
 * A finished answer the agent may serve again for the same question, datasource, schema version and prompt
 * version. The entry lives for the cache's answer TTL; whether its rows are still fresh enough is the
 * agent's call, made from `rowsAt`.
 */
export interface CachedAnswer {
  /** The final SQL statement that produced the rows. */
  sql: string;
  /** The natural-language answer. */
  answer: string;
  /** How the SQL answers the question, when the model gave one. */
  explanation: string | null;
  columns: CachedAnswerColumn[];
  /** JSON-safe row values, in column order. */
  rows: unknown[][];
  /** Whether the rows were cut at the row or byte cap. */
  truncated: boolean;
  /** ISO time at which the rows were read from the database. */
  rowsAt: string;
  /** ISO time at which the entry was created. */
  createdAt: string;
  /** The datasource id the answer is about. */
  datasource: string;
  /** The schema version the SQL was written against. */
  schemaVersion: string;
  /** The prompt name used. */
  prompt: string;
  /** The prompt version used. */
  promptVersion: number;
  /** The prompt label that resolved to that version. */
  label: string;
  /** The model that wrote the answer. */
  model: string;
}
