import type { Logger } from '../logging/index.ts';
import type { KnowledgeDatasource, KnowledgeService } from './knowledge-service.ts';

/** What positive feedback did for the example library: filed a candidate (its id, in which datasource's file), or why it did not. */
export type CandidateFiling = { id: string; datasource: string } | { skipped: string };

/** Where a feedback's candidate comes from: the trace's answered question, and the datasource it was asked of. */
export interface FeedbackCandidateSource {
  traceId: string;
  /** The trace's question, datasource id and final SQL; null when it has none (failed, no SQL, not stored). */
  answered(): Promise<{ question: string; datasource: string; sql: string } | null>;
  /** Opens a datasource by id (throws `DatasourceNotFoundError` for one no longer configured). */
  datasource(id: string): Promise<KnowledgeDatasource>;
}

/**
 * Files the question and SQL of a trace that got positive feedback as a `candidate` example (source
 * `feedback:<traceId>`), for a person to approve or reject. Never throws: a candidate that cannot be
 * filed (no SQL in the trace, a question already in the library, SQL that no longer runs or gives no
 * rows) is `{ skipped: reason }`, logged, and the feedback itself stands.
 */
export async function fileFeedbackCandidate(
  knowledge: KnowledgeService,
  source: FeedbackCandidateSource,
  logger: Logger,
): Promise<CandidateFiling> {
  const { traceId } = source;
  try {
    const answered = await source.answered();
    if (!answered) return skipped(logger, traceId, 'the trace holds no answered question with its SQL');
    const datasource = await source.datasource(answered.datasource);
    const example = await knowledge.addExample(datasource, {
      question: answered.question,
      sql: answered.sql,
      status: 'candidate',
      source: `feedback:${traceId}`,
    });
    logger.info('positive feedback filed a candidate example', { traceId, datasource: datasource.id, example: example.id });
    return { id: example.id, datasource: datasource.id };
  } catch (error) {
    return skipped(logger, traceId, error instanceof Error ? error.message : String(error));
  }
}

function skipped(logger: Logger, traceId: string, reason: string): CandidateFiling {
  logger.warn('positive feedback filed no candidate example', { traceId, reason });
  return { skipped: reason };
}
