import type { SchemaMeta } from '../datasource/index.ts';
import { searchMetadata } from './schema-search/index.ts';

const complexityWords = [
  'compare',
  'compared',
  'versus',
  'vs',
  'than',
  'each',
  'per',
  'ratio',
  'percentage',
  'percent',
  'share',
  'both',
  'except',
  'without',
  'never',
  'not',
  'growth',
  'trend',
  'change',
  'rank',
  'top',
  'cumulative',
  'running',
  'median',
];

export interface ComplexityScore {
  score: number;
  tables: number;
  complexityWords: number;
  lengthPoints: number;
}

/**
 * A documented heuristic for routing a question straight to a stronger tier:
 * one point per distinct table among the question's top metadata hits (score ≥ 1), one per comparison
 * or nesting word (`than`, `per`, `each`, `except`, `never`, `top`, `growth`, …), and one per 15 words
 * beyond the first 10.
 */
export function questionComplexity(question: string, meta: SchemaMeta): ComplexityScore {
  const hits = searchMetadata(meta, question, { limit: 8 }).filter((hit) => hit.score >= 1);
  const tables = new Set(hits.map((hit) => `${hit.schema}.${hit.table}`)).size;
  const words = question.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const complexity = words.filter((word) => complexityWords.includes(word)).length;
  const lengthPoints = Math.max(0, Math.floor((words.length - 10) / 15));
  return { score: tables + complexity + lengthPoints, tables, complexityWords: complexity, lengthPoints };
}
