import type { EvalCase } from '../dataset/eval-case.ts';
import { failedAnswer, type TargetAnswer } from './eval-item.ts';
import { answerFromErrorBody, answerFromResult, type AnswerLike, type EvalTarget } from './eval-target.ts';

export interface HttpTargetOptions {
  /** The service's base URL, e.g. `http://127.0.0.1:8080`. */
  server: string;
  /** The admin token (`SQLAGENT_ADMIN_TOKEN`): forcing a label and pinning today need the admin scope. */
  adminToken: string | null;
  fetch?: typeof fetch;
}

/** A running service over HTTP: `POST /v1/query` with the label forced and the cache bypassed. */
export class HttpTarget implements EvalTarget {
  readonly usesLabels = true;
  readonly description: string;
  private readonly endpoint: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpTargetOptions) {
    this.endpoint = new URL('/v1/query', options.server).toString();
    this.description = `http ${new URL(options.server).origin}`;
    this.fetch = options.fetch ?? fetch;
  }

  async answer(evalCase: EvalCase, label: string, context: { runId: string; signal: AbortSignal }): Promise<TargetAnswer> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let response: Response;
    try {
      response = await this.fetch(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(this.options.adminToken ? { authorization: `Bearer ${this.options.adminToken}` } : {}) },
        body: JSON.stringify({
          datasource: evalCase.datasource,
          question: evalCase.question,
          userId: 'eval',
          sessionId: context.runId,
          label,
          cache: 'bypass',
          ...(evalCase.today ? { today: evalCase.today } : {}),
        }),
        signal: context.signal,
      });
    } catch (error) {
      if (context.signal.aborted) throw error;
      return failedAnswer('error', 'service_unreachable', `The service at ${this.endpoint} could not be reached: ${(error as Error).message}`, { latencyMs: elapsed() });
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      return failedAnswer('error', 'invalid_response', `The service answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, { latencyMs: elapsed() });
    }
    if (response.ok) return answerFromResult(body as AnswerLike, elapsed());
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
    if (response.status === 403 && error?.code === 'forbidden') {
      return failedAnswer('error', 'forbidden', `The service refused to force the label (HTTP 403): set SQLAGENT_ADMIN_TOKEN to the service's admin token. ${String(error.message ?? '')}`, { latencyMs: elapsed() });
    }
    return answerFromErrorBody(
      { code: typeof error?.code === 'string' ? error.code : `http_${response.status}`, message: typeof error?.message === 'string' ? error.message : `HTTP ${response.status}`, details: (error?.details as Record<string, unknown>) ?? {} },
      elapsed(),
    );
  }

  async close(): Promise<void> {}
}
