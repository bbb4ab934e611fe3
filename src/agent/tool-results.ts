// What the agent's tools return to a model: the contract a model reads (the offline model among them).
// Types only, from leaf files, so a model can import it without loading, or depending on, the agent.
export type { MetadataHit } from './schema-search/metadata-hit.ts';
export type { ColumnDescription, IncomingReference, TableDescription } from './schema-search/table-description.ts';

/** What the model receives from a successful `execute_sql` call. */
export interface ExecuteSqlContent {
  columns: string[];
  /** The first `rowsShownToModel` rows. */
  rows: unknown[][];
  rowCount: number;
  truncated: boolean;
  note?: string;
}
