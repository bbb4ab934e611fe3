export { searchMetadata } from './search-metadata.ts';
export type { MetadataHit, SearchMetadataOptions } from './metadata-hit.ts';
export { findTable, type FindTableResult, type TableFound, type TableNotFound } from './find-table.ts';
export { describeTable } from './describe-table.ts';
export type { ColumnDescription, IncomingReference, TableDescription } from './table-description.ts';
export { parseTableReference, type TableReference } from './table-reference.ts';
export { suggestTables, type SuggestionOptions } from './table-suggestions.ts';
