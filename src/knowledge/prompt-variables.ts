import type { SchemaMeta } from '../datasource/index.ts';
import { displayTableName, homeSchemaOf, type KnowledgeColumn } from './check-knowledge.ts';
import type { RetrievedExample } from './example-retrieval.ts';
import type { LoadedKnowledge } from './knowledge-service.ts';

/** The knowledge a template sees, per question. */
export interface KnowledgePromptVariables {
  /** Terms with what each means in this database, as one readable line (`meaning`). */
  glossary: Array<{ term: string; synonyms: string[]; meaning: string; description: string }>;
  /** Named measures: the aggregate expression, its table, filters and time column. */
  metrics: Array<{
    name: string;
    synonyms: string[];
    expression: string;
    table: string;
    filters: string[];
    time_column: string | null;
    meaning: string;
    description: string;
  }>;
  join_hints: Array<{ from: string; to: string; note: string }>;
  /** The verified examples closest to this question (retrieved, not fixed per prompt version). */
  examples: Array<{ id: string; question: string; sql: string; similarity: number }>;
}

/** Template variables for one question: the datasource's glossary, metrics and join hints, and the retrieved examples. */
export function knowledgePromptVariables(
  knowledge: LoadedKnowledge | null,
  retrieved: readonly RetrievedExample[],
  meta: SchemaMeta,
): KnowledgePromptVariables {
  const home = homeSchemaOf(meta);
  const column = (reference: KnowledgeColumn) => `${displayTableName(reference, home)}.${reference.column}`;
  const checked = knowledge?.checked;
  return {
    glossary: (checked?.glossary ?? []).map((entry) => {
      const target = entry.target;
      const meaning =
        target.kind === 'table'
          ? `table ${displayTableName(target.table, home)}`
          : target.kind === 'column'
            ? `column ${column(target.column)}`
            : target.kind === 'value'
              ? `${column(target.column)} = '${target.value.replace(/'/g, "''")}'`
              : `${displayTableName(target.table, home)} rows where ${target.condition}`;
      return { term: entry.term, synonyms: entry.synonyms, meaning, description: entry.description ?? '' };
    }),
    metrics: (checked?.metrics ?? []).map((metric) => {
      const table = displayTableName(metric.table, home);
      const timeColumn = metric.timeColumn ? column(metric.timeColumn) : null;
      const meaning = `${metric.expression} over ${table}${metric.filters.length ? ` where ${metric.filters.join(' AND ')}` : ''}${timeColumn ? `; dated by ${timeColumn}` : ''}`;
      return {
        name: metric.name,
        synonyms: metric.synonyms,
        expression: metric.expression,
        table,
        filters: metric.filters,
        time_column: timeColumn,
        meaning,
        description: metric.description ?? '',
      };
    }),
    join_hints: (checked?.joinHints ?? []).map((hint) => ({ from: column(hint.from), to: column(hint.to), note: hint.note ?? '' })),
    examples: retrieved.map((hit) => ({
      id: hit.example.id,
      question: hit.example.question,
      sql: hit.example.sql,
      similarity: hit.similarity,
    })),
  };
}
