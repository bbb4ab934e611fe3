import type { SchemaMeta } from '../../datasource/index.ts';
import { buildBm25Index, type Bm25Index } from './bm25-index.ts';
import type { Phrase } from './phrase.ts';
import { buildSearchDocuments, fieldWeights } from './search-document.ts';

/** Everything a metadata search needs that depends only on the schema, not on the query. */
export interface PreparedSearch {
  index: Bm25Index;
  /** Every distinct phrase (whole name, whole sample value) of the documents, grouped by its first word. */
  phrasesByFirstWord: ReadonlyMap<string, readonly Phrase[]>;
}

const prepared = new WeakMap<SchemaMeta, PreparedSearch>();

/**
 * The search documents, BM25F index and phrases of a schema, built once per `SchemaMeta` object and kept
 * while the object lives. Introspection returns a new object for every read of the schema, so a
 * `SchemaMeta` is treated as immutable: one changed in place after its first search is not re-indexed.
 */
export function preparedSearchOf(meta: SchemaMeta): PreparedSearch {
  let entry = prepared.get(meta);
  if (entry === undefined) {
    const documents = buildSearchDocuments(meta);
    const seen = new Set<string>();
    const phrasesByFirstWord = new Map<string, Phrase[]>();
    for (const document of documents) {
      for (const [term, phrase] of document.phrases) {
        if (seen.has(term)) continue;
        seen.add(term);
        const group = phrasesByFirstWord.get(phrase.sequence[0]);
        if (group === undefined) phrasesByFirstWord.set(phrase.sequence[0], [phrase]);
        else group.push(phrase);
      }
    }
    entry = { index: buildBm25Index(documents, fieldWeights), phrasesByFirstWord };
    prepared.set(meta, entry);
  }
  return entry;
}
