import type { SearchDocument, SearchField } from './search-document.ts';

/** The BM25 parameters: `k1` saturates term frequency, `b` scales length normalization (0 none, 1 full). */
export interface Bm25Parameters {
  k1: number;
  b: number;
}

/** The textbook values. */
export const defaultBm25Parameters: Readonly<Bm25Parameters> = { k1: 1.2, b: 0.75 };

/** One document containing a term. */
export interface Posting {
  documentIndex: number;
  /** How often the term occurs in each field of the document. */
  frequencies: Map<SearchField, number>;
}

/** An immutable BM25F index over a fixed set of documents; build it with `buildBm25Index`. */
export interface Bm25Index {
  readonly documents: readonly SearchDocument[];
  readonly weights: Readonly<Record<SearchField, number>>;
  readonly parameters: Readonly<Bm25Parameters>;
  readonly postings: ReadonlyMap<string, readonly Posting[]>;
  /**
   * Per field, the average length over the documents where the field is not empty: many fields are sparse
   * (comments, sample values), and averaging in the empty ones would penalize every document that has them.
   */
  readonly averageLengths: ReadonlyMap<SearchField, number>;
}

/** How much one field of a document contributed to its score for one query term. */
export interface FieldMatch {
  field: SearchField;
  term: string;
  contribution: number;
}

/** A document with a positive score. */
export interface ScoredDocument {
  /** The document's position in the index (for `explainBm25`). */
  documentIndex: number;
  document: SearchDocument;
  score: number;
}

/** Options of `scoreBm25`. */
export interface ScoreOptions {
  /** Leaves a field's occurrences of a term out of a document's score (for evidence already counted elsewhere). */
  ignores?: (document: SearchDocument, term: string, field: SearchField) => boolean;
}

/** Indexes the documents: postings per term, and average field lengths for length normalization. */
export function buildBm25Index(
  documents: readonly SearchDocument[],
  weights: Readonly<Record<SearchField, number>>,
  parameters: Readonly<Bm25Parameters> = defaultBm25Parameters,
): Bm25Index {
  const postings = new Map<string, Posting[]>();
  const lengthTotals = new Map<SearchField, { total: number; count: number }>();
  documents.forEach((document, documentIndex) => {
    const byTerm = new Map<string, Map<SearchField, number>>();
    for (const [field, terms] of Object.entries(document.fields) as [SearchField, string[]][]) {
      if (terms.length > 0) {
        const totals = lengthTotals.get(field) ?? { total: 0, count: 0 };
        totals.total += terms.length;
        totals.count += 1;
        lengthTotals.set(field, totals);
      }
      for (const term of terms) {
        const frequencies = byTerm.get(term) ?? new Map<SearchField, number>();
        frequencies.set(field, (frequencies.get(field) ?? 0) + 1);
        byTerm.set(term, frequencies);
      }
    }
    for (const [term, frequencies] of byTerm) {
      const list = postings.get(term) ?? [];
      list.push({ documentIndex, frequencies });
      postings.set(term, list);
    }
  });
  const averageLengths = new Map<SearchField, number>();
  for (const [field, { total, count }] of lengthTotals) averageLengths.set(field, count === 0 ? 0 : total / count);
  return { documents, weights, parameters, postings, averageLengths };
}

/**
 * The inverse document frequency of a term that occurs in `documentFrequency` of `documentCount` documents,
 * in the always-positive form `ln(1 + (N - n + 0.5) / (n + 0.5))`.
 */
export function inverseDocumentFrequency(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

/**
 * Scores every document containing at least one of the terms with BM25F: per term, the field frequencies
 * are length-normalized per field (`1 - b + b * length / averageLength`), weighted and summed into one
 * pseudo-frequency `f`, which then saturates as `inverseFrequency * f * (k1 + 1) / (f + k1)`; the document's score is
 * the sum over the distinct terms. The document frequency behind the IDF counts every document containing the
 * term, ignored fields included. Returns the documents with a positive score, in index order.
 */
export function scoreBm25(index: Bm25Index, terms: readonly string[], options: ScoreOptions = {}): ScoredDocument[] {
  const scores = new Map<number, number>();
  for (const term of new Set(terms)) {
    const list = index.postings.get(term);
    if (list === undefined) continue;
    const inverseFrequency = inverseDocumentFrequency(index.documents.length, list.length);
    for (const posting of list) {
      const parts = weightedFrequencies(index, posting, term, options);
      if (parts.total > 0)
        scores.set(posting.documentIndex, (scores.get(posting.documentIndex) ?? 0) + saturate(index, inverseFrequency, parts.total));
    }
  }
  return [...scores.entries()]
    .sort(([left], [right]) => left - right)
    .map(([documentIndex, score]) => ({ documentIndex, document: index.documents[documentIndex], score }));
}

/**
 * Splits one document's score for the terms into field matches: each term's score shared among its fields
 * in proportion to their weighted, length-normalized frequencies. Largest contribution first.
 */
export function explainBm25(index: Bm25Index, documentIndex: number, terms: readonly string[], options: ScoreOptions = {}): FieldMatch[] {
  const matches: FieldMatch[] = [];
  for (const term of new Set(terms)) {
    const list = index.postings.get(term);
    const posting = list?.find((entry) => entry.documentIndex === documentIndex);
    if (list === undefined || posting === undefined) continue;
    const parts = weightedFrequencies(index, posting, term, options);
    if (parts.total <= 0) continue;
    const termScore = saturate(index, inverseDocumentFrequency(index.documents.length, list.length), parts.total);
    for (const [field, weighted] of parts.byField) matches.push({ field, term, contribution: (termScore * weighted) / parts.total });
  }
  return matches.sort((left, right) => right.contribution - left.contribution);
}

/** The BM25F pseudo-frequency of a term in a document, and each field's share of it. */
function weightedFrequencies(
  index: Bm25Index,
  posting: Posting,
  term: string,
  options: ScoreOptions,
): { total: number; byField: [SearchField, number][] } {
  const { b } = index.parameters;
  const document = index.documents[posting.documentIndex];
  const byField: [SearchField, number][] = [];
  let total = 0;
  for (const [field, frequency] of posting.frequencies) {
    if (options.ignores?.(document, term, field)) continue;
    const average = index.averageLengths.get(field) ?? 0;
    const length = document.fields[field]?.length ?? 0;
    const normalization = average > 0 ? 1 - b + (b * length) / average : 1;
    const weighted = (index.weights[field] * frequency) / normalization;
    if (weighted <= 0) continue;
    byField.push([field, weighted]);
    total += weighted;
  }
  return { total, byField };
}

/** One term's score in one document: the pseudo-frequency saturated by k1, scaled by the term's IDF. */
function saturate(index: Bm25Index, inverseFrequency: number, pseudoFrequency: number): number {
  const { k1 } = index.parameters;
  return (inverseFrequency * pseudoFrequency * (k1 + 1)) / (pseudoFrequency + k1);
}
