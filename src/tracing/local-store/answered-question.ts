import type { TraceTree } from './span-tree.ts';

/** The question a trace answered, on which datasource, with the SQL of its answer. */
export interface AnsweredQuestion {
  question: string;
  /** The configured id the question was asked of. */
  datasource: string;
  sql: string;
}

/**
 * Reads a `query` trace's root span: the question from its input, the datasource, and the final SQL from
 * its output. Null when the request failed or gave no SQL, or its content was not kept whole (a value cut
 * to fit the store does not parse).
 */
export function answeredQuestionOf(trace: TraceTree): AnsweredQuestion | null {
  const root = trace.root.span;
  const input = parseObject(root.attributes['langfuse.observation.input']);
  const output = parseObject(root.attributes['langfuse.observation.output']);
  const question = input?.question;
  const sql = output?.sql;
  if (root.level === 'ERROR' || !root.datasource || typeof question !== 'string' || typeof sql !== 'string' || !sql.trim()) return null;
  return { question, datasource: root.datasource, sql };
}

function parseObject(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
