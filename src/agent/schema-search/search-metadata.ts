import type { SchemaMeta } from '../../datasource/index.ts';
import { explainBm25, scoreBm25, type FieldMatch, type ScoredDocument } from './bm25-index.ts';
import type { MetadataHit, SearchMetadataOptions } from './metadata-hit.ts';
import { queryContainsPhrase, queryWordsOf } from './phrase.ts';
import { preparedSearchOf } from './prepared-search.ts';
import type { SearchDocument, SearchField } from './search-document.ts';
import { isStopWord, splitWords, stem } from '../../text/index.ts';

const defaultLimit = 10;
/** How many column names a `columnNames` reason lists before eliding the rest. */
const namesPerReason = 3;
/** The fields whose words a whole-value match of the same column already accounts for. */
const fieldsCoveredByWholeValues: ReadonlySet<SearchField> = new Set(['columnComment', 'sampleTerms']);

/**
 * Ranks the tables, views and columns of a schema against the keywords of a query with BM25F
 * (k1 = 1.2, b = 0.75, IDF over this schema's documents). Each table is one document (its name, schema,
 * comment and column names), each column another (its name, its table's name, its comment and its sample
 * values); names weigh more than comments, and a name the query contains in full counts extra. Sample values
 * also match as whole values (case-insensitive), so "Germany" finds the columns holding `Germany` and
 * "orders from the united states" those holding `United States`; the words of a value matched whole are
 * not counted again in that column's comment and sample words.
 *
 * The index is built once per `SchemaMeta` object (see `preparedSearchOf`), so repeated searches are cheap.
 *
 * Deterministic: equal scores (after rounding to 3 decimals) are ordered tables first, then by schema,
 * table and column name. An empty or stop-word-only query returns no hits.
 */
export function searchMetadata(meta: SchemaMeta, query: string, options: SearchMetadataOptions = {}): MetadataHit[] {
  const limit = Math.max(0, Math.floor(options.limit ?? defaultLimit));
  const queryWords = queryWordsOf(query);
  if (queryWords.terms.length === 0 || limit === 0) return [];

  const { index, phrasesByFirstWord } = preparedSearchOf(meta);
  const phraseTerms = new Set<string>();
  for (const word of new Set(queryWords.allWords)) {
    for (const phrase of phrasesByFirstWord.get(word) ?? []) if (queryContainsPhrase(queryWords, phrase)) phraseTerms.add(phrase.term);
  }
  const coveredWords = new Map<SearchDocument, Set<string>>();
  const ignores = (document: SearchDocument, term: string, field: SearchField): boolean => {
    if (!fieldsCoveredByWholeValues.has(field)) return false;
    let covered = coveredWords.get(document);
    if (covered === undefined) {
      covered = new Set(
        (document.fields.sampleValues ?? [])
          .filter((value) => phraseTerms.has(value))
          .flatMap((value) => document.phrases.get(value)?.sequence ?? []),
      );
      coveredWords.set(document, covered);
    }
    return covered.has(term);
  };
  const terms = [...queryWords.terms, ...phraseTerms];
  const scored = scoreBm25(index, terms, { ignores });
  const surfaceForms = surfaceFormsOf(query);

  // Rank on rounded scores, so that scores equal to 3 decimals fall to the tie-breakers; explain only the winners.
  return scored
    .map((entry) => ({ entry, score: round(entry.score) }))
    .sort(compareRanked)
    .slice(0, limit)
    .map(({ entry, score }) => toHit(entry, score, explainBm25(index, entry.documentIndex, terms, { ignores }), surfaceForms, phraseTerms));
}

/** Maps each search term of the query to the word the user wrote (lower-cased), for explanations. */
function surfaceFormsOf(query: string): Map<string, string> {
  const forms = new Map<string, string>();
  for (const word of splitWords(query)) {
    if (isStopWord(word)) continue;
    const term = stem(word);
    if (!forms.has(term)) forms.set(term, word);
  }
  return forms;
}

function toHit(
  entry: ScoredDocument,
  score: number,
  matches: FieldMatch[],
  surfaceForms: Map<string, string>,
  phraseTerms: Set<string>,
): MetadataHit {
  const { document } = entry;
  return {
    kind: document.kind,
    schema: document.schema,
    table: document.table,
    ...(document.column === undefined ? {} : { column: document.column }),
    score,
    reasons: reasonsOf(document, matches, surfaceForms, phraseTerms),
  };
}

/** One reason per matching field and term, strongest first, without repeats. */
function reasonsOf(document: SearchDocument, matches: FieldMatch[], surfaceForms: Map<string, string>, phraseTerms: Set<string>): string[] {
  const wholeValues = new Set(
    (document.fields.sampleValues ?? [])
      .filter((term) => phraseTerms.has(term))
      .flatMap((term) => document.origins.sampleValues?.get(term) ?? []),
  );
  const reasons: string[] = [];
  for (const match of matches) {
    const reason = reasonOf(match, document, surfaceForms, wholeValues);
    if (reason !== null && !reasons.includes(reason)) reasons.push(reason);
  }
  return reasons;
}

function reasonOf(match: FieldMatch, document: SearchDocument, surfaceForms: Map<string, string>, wholeValues: Set<string>): string | null {
  const word = JSON.stringify(surfaceForms.get(match.term) ?? match.term);
  switch (match.field) {
    case 'tableName':
    case 'columnName':
      return `name matches ${word}`;
    case 'wholeName':
      return `full name ${JSON.stringify(document.column ?? document.table)} matches`;
    case 'tableSchema':
      return `schema name matches ${word}`;
    case 'columnTable':
      return `table name matches ${word}`;
    case 'tableComment':
    case 'columnComment':
      return `comment mentions ${word}`;
    case 'columnNames': {
      const names = document.origins.columnNames?.get(match.term) ?? [];
      const listed = names.slice(0, namesPerReason).join(', ') + (names.length > namesPerReason ? ', …' : '');
      return names.length === 1 ? `column ${listed} matches ${word}` : `columns ${listed} match ${word}`;
    }
    case 'sampleTerms': {
      // Words of a value that matched whole are explained by the whole-value reason.
      const values = (document.origins.sampleTerms?.get(match.term) ?? []).filter((value) => !wholeValues.has(value));
      if (values.length === 0) return null;
      const listed = values.map((value) => JSON.stringify(value)).join(', ');
      return values.length === 1 ? `sample value ${listed} contains ${word}` : `sample values ${listed} contain ${word}`;
    }
    case 'sampleValues': {
      const values = document.origins.sampleValues?.get(match.term) ?? [];
      return values.length === 0 ? null : values.map((value) => `sample value ${JSON.stringify(value)}`).join('; ');
    }
  }
}

const kindOrder: Record<MetadataHit['kind'], number> = { table: 0, column: 1 };

interface Ranked {
  entry: ScoredDocument;
  score: number;
}

/** Higher score first; then tables before columns, then by schema, table and column name. */
function compareRanked(left: Ranked, right: Ranked): number {
  const one = left.entry.document;
  const other = right.entry.document;
  return (
    right.score - left.score ||
    kindOrder[one.kind] - kindOrder[other.kind] ||
    compareText(one.schema, other.schema) ||
    compareText(one.table, other.table) ||
    compareText(one.column ?? '', other.column ?? '')
  );
}

/** Code-point order, independent of the process locale. */
function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
