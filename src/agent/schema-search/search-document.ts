import type { SchemaMeta } from '../../datasource/index.ts';
import { phraseOf, wholeNameMarker, wholeValueMarker, type Phrase } from './phrase.ts';
import { tokenize } from '../../text/index.ts';

/**
 * The fields of the search documents. A table document has `tableName`, `tableSchema`, `tableComment` and
 * `columnNames`; a column document has `columnName`, `columnTable`, `columnComment`, `sampleTerms` (the
 * words of its sample values) and `sampleValues` (each sample value as one whole-value term). Both have
 * `wholeName`: their own name as one term, matched when the query contains all of it.
 */
export type SearchField =
  | 'tableName'
  | 'tableSchema'
  | 'tableComment'
  | 'columnNames'
  | 'columnName'
  | 'columnTable'
  | 'columnComment'
  | 'sampleTerms'
  | 'sampleValues'
  | 'wholeName';

/**
 * How much a match in each field counts (the BM25F field weights): names weigh most, then whole sample
 * values, then comments and the words of sample values; the names around a document (its table's name, its
 * columns' names, its schema) weigh least. The weights are small next to k1 = 1.2, so that one strong
 * field does not saturate a term on its own and further evidence still counts.
 */
export const fieldWeights: Readonly<Record<SearchField, number>> = {
  tableName: 1,
  tableSchema: 0.15,
  tableComment: 0.35,
  columnNames: 0.25,
  columnName: 1,
  columnTable: 0.35,
  columnComment: 0.35,
  sampleTerms: 0.35,
  sampleValues: 0.7,
  wholeName: 0.7,
};

/** One searchable thing of a schema (a table or view, or one of its columns), split into weighted fields. */
export interface SearchDocument {
  kind: 'table' | 'column';
  schema: string;
  table: string;
  /** Set on column documents. */
  column?: string;
  /** The terms of each field the document has, in text order (a field may be empty). */
  fields: Partial<Record<SearchField, string[]>>;
  /**
   * Where the terms of the composite fields came from, for explanations: per field, per term, the column
   * names (`columnNames`) or the sample values (`sampleTerms`, `sampleValues`) that contain it.
   */
  origins: Partial<Record<SearchField, Map<string, string[]>>>;
  /** The phrases of the document (its whole name, its whole sample values), by term. */
  phrases: Map<string, Phrase>;
}

/** One document per table or view and one per column, in catalog order. */
export function buildSearchDocuments(meta: SchemaMeta): SearchDocument[] {
  const documents: SearchDocument[] = [];
  for (const schema of meta.schemas) {
    for (const table of schema.tables) {
      const tableTerms = tokenize(table.name);
      const columnNames = new Map<string, string[]>();
      const columnNameTerms: string[] = [];
      for (const column of table.columns) {
        for (const term of tokenize(column.name)) {
          columnNameTerms.push(term);
          addOrigin(columnNames, term, column.name);
        }
      }
      const tablePhrases = new Map<string, Phrase>();
      documents.push({
        kind: 'table',
        schema: table.schema,
        table: table.name,
        fields: {
          tableName: tableTerms,
          tableSchema: tokenize(table.schema),
          tableComment: tokenize(table.comment ?? ''),
          columnNames: columnNameTerms,
          wholeName: addPhrase(tablePhrases, phraseOf(table.name, wholeNameMarker)),
        },
        origins: { columnNames },
        phrases: tablePhrases,
      });

      for (const column of table.columns) {
        const phrases = new Map<string, Phrase>();
        const sampleTerms: string[] = [];
        const sampleValues: string[] = [];
        const termOrigins = new Map<string, string[]>();
        const valueOrigins = new Map<string, string[]>();
        for (const value of column.sampleValues ?? []) {
          for (const term of tokenize(value)) {
            sampleTerms.push(term);
            addOrigin(termOrigins, term, value);
          }
          for (const term of addPhrase(phrases, phraseOf(value, wholeValueMarker))) {
            sampleValues.push(term);
            addOrigin(valueOrigins, term, value);
          }
        }
        documents.push({
          kind: 'column',
          schema: table.schema,
          table: table.name,
          column: column.name,
          fields: {
            columnName: tokenize(column.name),
            columnTable: tableTerms,
            columnComment: tokenize(column.comment ?? ''),
            sampleTerms,
            sampleValues,
            wholeName: addPhrase(phrases, phraseOf(column.name, wholeNameMarker)),
          },
          origins: { sampleTerms: termOrigins, sampleValues: valueOrigins },
          phrases,
        });
      }
    }
  }
  return documents;
}

/** Records a phrase and returns its term as a field (empty when there is no phrase). */
function addPhrase(phrases: Map<string, Phrase>, phrase: Phrase | null): string[] {
  if (phrase === null) return [];
  phrases.set(phrase.term, phrase);
  return [phrase.term];
}

function addOrigin(origins: Map<string, string[]>, term: string, source: string): void {
  const sources = origins.get(term);
  if (sources === undefined) origins.set(term, [source]);
  else if (!sources.includes(source)) sources.push(source);
}
