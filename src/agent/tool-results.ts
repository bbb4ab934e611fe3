// What the agent's tools return to a model: the contract a model reads (the offline model among them).
// Types only, from leaf files, so a model can import it without loading, or depending on, the agent.
import type { MetadataHit } from './schema-search/metadata-hit.ts';

export type { MetadataHit };
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

/** A glossary term or metric of the datasource's knowledge that matched a `search_metadata` query. */
export interface KnowledgeHit {
  kind: 'glossary' | 'metric';
  /** The term or the metric's name. */
  name: string;
  /** What it means in this database, as the prompt renders it (e.g. `column departments.name`). */
  meaning: string;
  /** Why it matched, e.g. `synonym "physicians" of "physician"`. */
  reason: string;
}

/** What the model receives from `search_metadata`. */
export interface SearchMetadataContent {
  hits: MetadataHit[];
  /** Glossary terms and metrics whose words the query contains. */
  knowledge: KnowledgeHit[];
}
