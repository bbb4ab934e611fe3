import { tokenize } from '../text/index.ts';
import type { KnowledgeExample } from './knowledge-schema.ts';

/** An example retrieved for a question, with how close its question is. */
export interface RetrievedExample {
  example: KnowledgeExample;
  /** BM25 over the examples' questions, normalized by the question's score against itself: 0 to about 1. */
  similarity: number;
}

const k1 = 1.2;
const b = 0.75;

/**
 * The least share of an example's own words (numbers aside: they are the slots a reuse fills) that the question
 * must contain. BM25 normalized by the question alone rates a one-word question close to every example that
 * has the word ("How many customers are there?" against "the average order value for each customer
 * segment"); such an example costs a model a few hundred tokens on every call and tells it nothing.
 */
const minimumExampleCoverage = 0.4;

/**
 * BM25 over the questions of a fixed set of examples (the schema search's tokenizer: stop words out,
 * plurals folded). Built once per loaded knowledge file; a query costs one pass over its terms' postings.
 */
export class ExampleIndex {
  private readonly postings = new Map<string, Array<{ document: number; frequency: number }>>();
  private readonly lengths: number[] = [];
  private readonly averageLength: number;

  /** Each example's distinct words other than numbers. */
  private readonly wordSets: Array<Set<string>> = [];

  constructor(readonly examples: readonly KnowledgeExample[]) {
    for (const [document, example] of examples.entries()) {
      const terms = tokenize(example.question);
      this.lengths.push(terms.length);
      this.wordSets.push(new Set(terms.filter((term) => !/^\d/.test(term))));
      const counts = new Map<string, number>();
      for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
      for (const [term, frequency] of counts) {
        const list = this.postings.get(term) ?? [];
        list.push({ document, frequency });
        this.postings.set(term, list);
      }
    }
    this.averageLength = this.lengths.length ? this.lengths.reduce((sum, length) => sum + length, 0) / this.lengths.length : 1;
  }

  /**
   * The `limit` best examples with a similarity of at least `minimumSimilarity`, best first (ties by id), among
   * those whose own words the question mostly shares (`minimumExampleCoverage`).
   */
  search(question: string, limit: number, minimumSimilarity = 0.2): RetrievedExample[] {
    const terms = [...new Set(tokenize(question))];
    if (terms.length === 0 || this.examples.length === 0 || limit <= 0) return [];
    const scores = new Map<number, number>();
    // The best any document could score: every query term once, in a document of average length.
    let ceiling = 0;
    for (const term of terms) {
      const list = this.postings.get(term);
      const weight = this.idf(list?.length ?? 0);
      ceiling += weight;
      for (const { document, frequency } of list ?? []) {
        const norm = frequency + k1 * (1 - b + (b * this.lengths[document]) / this.averageLength);
        scores.set(document, (scores.get(document) ?? 0) + (weight * frequency * (k1 + 1)) / norm);
      }
    }
    const asked = new Set(terms);
    const covered = (document: number): boolean => {
      const words = this.wordSets[document];
      if (words.size === 0) return true;
      let shared = 0;
      for (const word of words) if (asked.has(word)) shared += 1;
      return shared / words.size >= minimumExampleCoverage;
    };
    return [...scores.entries()]
      .filter(([document]) => covered(document))
      .map(([document, score]) => ({ example: this.examples[document], similarity: round(Math.min(1, score / ceiling)) }))
      .filter((hit) => hit.similarity >= minimumSimilarity)
      .sort((left, right) => right.similarity - left.similarity || left.example.id.localeCompare(right.example.id))
      .slice(0, limit);
  }

  private idf(documentFrequency: number): number {
    const count = this.examples.length;
    return Math.log(1 + (count - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
