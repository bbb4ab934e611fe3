import { z } from 'zod';
import { EvalTargetUnavailableError, InvalidInputError } from '../../errors/index.ts';
import type { EvalCase } from '../dataset/eval-case.ts';
import { failedAnswer, type TargetAnswer } from './eval-item.ts';
import { answerFromErrorBody, answerFromResult, type EvalTarget } from './eval-target.ts';

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

  /**
   * Checks the service before the run: the admin token is set (forcing a label and pinning today need it)
   * and `GET /healthz` answers. Without this every item would fail alike.
   */
  async preflight(timeoutMs = 10_000): Promise<void> {
    if (!this.options.adminToken) {
      throw new InvalidInputError('--server needs the service\'s admin token in SQLAGENT_ADMIN_TOKEN: forcing a prompt label and pinning today need the admin scope.', { field: 'server' });
    }
    const health = new URL('/healthz', this.options.server).toString();
    const response = await this.fetch(health, { signal: AbortSignal.timeout(timeoutMs) }).catch((error: unknown) => {
      throw new EvalTargetUnavailableError(`The service at ${this.description.slice(5)} could not be reached (${(error as Error).message}); is it running?`, { server: this.description.slice(5) });
    });
    if (!response.ok) throw new EvalTargetUnavailableError(`The service at ${this.description.slice(5)} answered GET /healthz with HTTP ${response.status}.`, { server: this.description.slice(5) });
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
      return failedAnswer('error', 'service_unreachable', `The service at ${this.description.slice(5)} could not be reached: ${(error as Error).message}`, { latencyMs: elapsed() });
    }
    const text = await response.text().catch(() => '');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      return failedAnswer('error', 'invalid_response', `The service answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`, { latencyMs: elapsed() });
    }
    if (response.ok) {
      const parsed = answerBodySchema.safeParse(body);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return failedAnswer('error', 'invalid_response', `The service answered 200 with a body that is not an answer (${issue?.path.join('.') || 'body'}: ${issue?.message}).`, { latencyMs: elapsed() });
      }
      return answerFromResult(parsed.data, elapsed());
    }
    const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } })?.error;
    if (response.status === 403 && error?.code === 'forbidden') {
      return failedAnswer('error', 'forbidden', `The service refused to force the label (HTTP 403): set SQLAGENT_ADMIN_TOKEN to the service's admin token. ${String(error.message ?? '')}`, { latencyMs: elapsed() });
    }
    const details = error?.details && typeof error.details === 'object' && !Array.isArray(error.details) ? (error.details as Record<string, unknown>) : {};
    return answerFromErrorBody(
      { code: typeof error?.code === 'string' ? error.code.slice(0, 100) : `http_${response.status}`, message: typeof error?.message === 'string' ? error.message.slice(0, 2000) : `HTTP ${response.status}`, details: sanitizedErrorDetails(details) },
      elapsed(),
    );
  }

  async close(): Promise<void> {}
}

/** What an answer from `POST /v1/query` must hold for the eval to use it; anything else is `invalid_response`. */
const answerBodySchema = z.looseObject({
  sql: z.string(),
  answer: z.string(),
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean(),
  promptVersion: z.number().int().nullable(),
  model: z.string(),
  tier: z.string(),
  attempts: z.array(z.looseObject({ tier: z.string(), model: z.string(), outcome: z.string(), reason: z.string().nullable(), steps: z.array(z.unknown()).optional() })),
  usage: z.record(z.string(), z.looseObject({ inputTokens: z.number(), outputTokens: z.number() })),
  costUsd: z.number().nullable(),
  traceId: z.string().max(200),
  cached: z.unknown().optional(),
});

/** The parts of an error body's details the eval reads, type-checked (a hostile body cannot break the report). */
function sanitizedErrorDetails(details: Record<string, unknown>): Record<string, unknown> {
  const parsed = z
    .object({
      reason: z.string().max(200).optional().catch(undefined),
      promptVersion: z.number().int().optional().catch(undefined),
      costUsd: z.number().nullable().optional().catch(undefined),
      traceId: z.string().max(200).optional().catch(undefined),
      attempts: answerBodySchema.shape.attempts.optional().catch(undefined),
      usage: answerBodySchema.shape.usage.optional().catch(undefined),
    })
    .safeParse(details);
  return parsed.success ? parsed.data : {};
}
