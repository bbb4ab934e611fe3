import type { QueryResult } from '../../query/index.ts';
import { ServiceError } from '../../errors/index.ts';
import type { QueryRequest } from '../../query/index.ts';
import type { EvalCase } from '../dataset/eval-case.ts';
import { failedAnswer, type TargetAnswer } from './eval-item.ts';

/** The system under test: asked one case under one label at a time. */
export interface EvalTarget {
  /** For the report: `in-process`, `http <url>` or `predictions <file>`. */
  readonly description: string;
  /** Whether the prompt label means anything to it (predictions have none). */
  readonly usesLabels: boolean;
  /**
   * Answers one case. An item's failure (model error, timeout, SQL error, decline) is an answer with
   * that status, never a throw; only `signal` being aborted may end it early.
   */
  answer(evalCase: EvalCase, label: string, context: { runId: string; signal: AbortSignal }): Promise<TargetAnswer>;
  close(): Promise<void>;
}

/** What the in-process target needs of the query service. */
export interface QueryAsker {
  ask(request: QueryRequest): Promise<QueryResult>;
}

/** The agent in this process, with the cache bypassed and the label forced (the admin scope). */
export class InProcessTarget implements EvalTarget {
  readonly description = 'in-process';
  readonly usesLabels = true;

  constructor(private readonly queries: QueryAsker) {}

  async answer(evalCase: EvalCase, label: string, context: { runId: string; signal: AbortSignal }): Promise<TargetAnswer> {
    const started = performance.now();
    try {
      const result = await this.queries.ask({
        datasource: evalCase.datasource,
        question: evalCase.question,
        userId: 'eval',
        sessionId: context.runId,
        label,
        labelAllowed: true,
        today: evalCase.today,
        cache: 'bypass',
        signal: context.signal,
      });
      return answerFromResult(result, Math.round(performance.now() - started));
    } catch (error) {
      return answerFromError(error, Math.round(performance.now() - started));
    }
  }

  async close(): Promise<void> {}
}

/** What the eval reads of an answer (an `AskResult` in process, its JSON over HTTP). */
export interface AnswerLike {
  sql: string;
  answer: string;
  rows: unknown[][];
  truncated: boolean;
  promptVersion: number | null;
  model: string;
  tier: string;
  attempts: ReadonlyArray<{ tier: string; model: string; outcome: string; reason: string | null; steps?: readonly unknown[] }>;
  usage: Readonly<Record<string, { inputTokens: number; outputTokens: number }>>;
  costUsd: number | null;
  traceId: string;
  cached?: unknown;
}

export function answerFromResult(result: AnswerLike, latencyMs: number): TargetAnswer {
  const usage = Object.values(result.usage ?? {});
  return {
    status: 'answered',
    sql: result.sql,
    answer: result.answer,
    rows: result.truncated ? null : result.rows,
    errorCode: null,
    message: null,
    promptVersion: result.promptVersion,
    model: result.model,
    tier: result.tier,
    attempts: (result.attempts ?? []).map((attempt) => ({ tier: attempt.tier, model: attempt.model, outcome: attempt.outcome, reason: attempt.reason })),
    steps: (result.attempts ?? []).reduce((sum, attempt) => sum + (attempt.steps?.length ?? 0), 0),
    inputTokens: usage.reduce((sum, entry) => sum + entry.inputTokens, 0),
    outputTokens: usage.reduce((sum, entry) => sum + entry.outputTokens, 0),
    costUsd: result.costUsd,
    latencyMs,
    cacheStatus: result.cached === false || result.cached === undefined ? 'bypass' : String(result.cached),
    traceId: result.traceId ?? null,
  };
}

interface ErrorLike {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/** A failure as an answer: a decline when the model said it cannot answer, else an error with its code. */
export function answerFromError(error: unknown, latencyMs: number): TargetAnswer {
  const described: ErrorLike =
    error instanceof ServiceError
      ? { code: error.code, message: error.message, details: error.details }
      : { code: 'internal_error', message: error instanceof Error ? error.message : String(error) };
  return answerFromErrorBody(described, latencyMs);
}

/** The same for an error body as the HTTP API sends it (`{error: {code, message, details}}`). */
export function answerFromErrorBody(error: ErrorLike, latencyMs: number): TargetAnswer {
  const details = error.details ?? {};
  const reason = typeof details.reason === 'string' ? details.reason : null;
  const declined = error.code === 'agent_failed' && reason === 'model_declined';
  const attempts = Array.isArray(details.attempts) ? (details.attempts as Array<Record<string, unknown>>) : [];
  const usage = details.usage && typeof details.usage === 'object' ? Object.values(details.usage as Record<string, { inputTokens?: number; outputTokens?: number }>) : [];
  return failedAnswer(declined ? 'declined' : 'error', error.code === 'agent_failed' && reason ? `agent_failed:${reason}` : error.code, error.message, {
    promptVersion: typeof details.promptVersion === 'number' ? details.promptVersion : null,
    attempts: attempts.map((attempt) => ({ tier: String(attempt.tier ?? ''), model: String(attempt.model ?? ''), outcome: String(attempt.outcome ?? ''), reason: typeof attempt.reason === 'string' ? attempt.reason : null })),
    steps: attempts.reduce((sum, attempt) => sum + (Array.isArray(attempt.steps) ? attempt.steps.length : 0), 0),
    inputTokens: usage.reduce((sum, entry) => sum + (entry.inputTokens ?? 0), 0),
    outputTokens: usage.reduce((sum, entry) => sum + (entry.outputTokens ?? 0), 0),
    costUsd: typeof details.costUsd === 'number' ? details.costUsd : details.costUsd === null ? null : 0,
    latencyMs,
    traceId: typeof details.traceId === 'string' ? details.traceId : null,
    model: attempts.length ? String(attempts[attempts.length - 1].model ?? '') || null : null,
    tier: null,
  });
}
