import type { SchemaMeta, TableMeta } from '../../datasource/index.ts';
import { qualifiedName } from './qualified-name.ts';
import { editDistance, tokenize } from '../../text/index.ts';

/** Options of `suggestTables`. */
export interface SuggestionOptions {
  /** A schema the caller named; its tables rank slightly higher among equally close names. */
  schema?: string;
  /** The most suggestions to return; 5 by default. */
  limit?: number;
}

const defaultLimit = 5;
/** Below this similarity a name is only suggested when it shares a word with the wanted one. */
const minimumEditSimilarity = 0.5;
const sameSchemaBonus = 0.05;

/**
 * The qualified names of the tables and views whose names are closest to the wanted names (typically one; a
 * `schema.table` whose schema does not exist also tries its schema part, in case it was `table.column`).
 * Closeness averages the edit similarity of the lower-cased names (`1 - distance / longer length`, with
 * transpositions, so `custmers` is close to `customers`) and the overlap of their words (plurals folded, so
 * `order` shares a word with `order_items`). A name qualifies when it shares a word or its edit similarity
 * is at least 0.5. Most similar first, then by qualified name.
 */
export function suggestTables(meta: SchemaMeta, wanted: readonly string[], options: SuggestionOptions = {}): string[] {
  const limit = options.limit ?? defaultLimit;
  const ranked: { name: string; similarity: number }[] = [];
  for (const schema of meta.schemas) {
    for (const table of schema.tables) {
      const similarity = Math.max(...wanted.map((name) => nameSimilarity(name, table)));
      if (similarity <= 0) continue;
      const bonus = options.schema !== undefined && table.schema.toLowerCase() === options.schema.toLowerCase() ? sameSchemaBonus : 0;
      ranked.push({ name: qualifiedName(table.schema, table.name), similarity: similarity + bonus });
    }
  }
  return ranked
    .sort((left, right) => right.similarity - left.similarity || (left.name < right.name ? -1 : left.name > right.name ? 1 : 0))
    .slice(0, limit)
    .map((entry) => entry.name);
}

/** 0 when the names are unrelated, otherwise the average of edit similarity and word overlap (Jaccard). */
function nameSimilarity(wanted: string, table: TableMeta): number {
  const left = wanted.toLowerCase();
  const right = table.name.toLowerCase();
  const editSimilarity = 1 - editDistance(left, right) / Math.max(left.length, right.length, 1);
  const wantedWords = new Set(tokenize(wanted));
  const tableWords = new Set(tokenize(table.name));
  const shared = [...wantedWords].filter((word) => tableWords.has(word)).length;
  const union = new Set([...wantedWords, ...tableWords]).size;
  const overlap = union === 0 ? 0 : shared / union;
  if (shared === 0 && editSimilarity < minimumEditSimilarity) return 0;
  return (editSimilarity + overlap) / 2;
}
