/** One table (or view) or column that matched a metadata search, with why. */
export interface MetadataHit {
  kind: 'table' | 'column';
  schema: string;
  table: string;
  /** Set when `kind` is `column`. */
  column?: string;
  /** The BM25F relevance, rounded to 3 decimals; only comparable within one search. */
  score: number;
  /** Human-readable evidence, strongest first, e.g. `name matches "customer"` or `sample value "Germany"`. */
  reasons: string[];
}

/** Options of `searchMetadata`. */
export interface SearchMetadataOptions {
  /** The most hits to return; 10 by default. */
  limit?: number;
}
