import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import type { LangfuseClient } from '@langfuse/client';
import { ConfigError } from '../../errors/index.ts';
import { redactSecrets } from '../../logging/index.ts';

/**
 * Options of {@link LangfuseScoreSender}: either the three connection settings (the sender then makes, owns and
 * shuts down its own client) or a `client` made elsewhere.
 */
export interface LangfuseScoreSenderOptions {
  /** The project's public key (the Basic auth user). Required unless `client` is given. */
  publicKey?: string;
  /** The project's secret key (the Basic auth password). Required unless `client` is given; never logged or reported. */
  secretKey?: string;
  /** The Langfuse server, e.g. `https://cloud.langfuse.com`. Required unless `client` is given. */
  baseUrl?: string;
  /**
   * A client made elsewhere (for example shared with the prompt store). The sender uses its `api` only and, on
   * {@link LangfuseScoreSender.close}, flushes it but does not shut it down. Pass its secret key in `secrets`.
   */
  client?: LangfuseClient;
  /** The longest one send may take, retries included; past it the send is reported as a timeout. Must be > 0. */
  timeoutMs: number;
  /**
   * Retries of a send answered 408, 429 or 5xx (the SDK waits about 1 s, then 2 s, between them), all within
   * `timeoutMs`. Default 0: a failed send is reported at once, and the local store keeps the record.
   */
  maxRetries?: number;
  /** The Langfuse environment to file scores under (lowercase, not starting with `langfuse`). Default: none (the server's `default`). */
  environment?: string;
  /** More values to mask in error texts, besides `secretKey` (with an injected client, its secret key). */
  secrets?: readonly string[];
  /** Makes the score and event ids (tests inject one). Default: random UUIDs, as the SDK does. */
  generateId?: () => string;
  /** The clock for the event timestamp (tests inject one). Default: the system clock. */
  now?: () => Date;
}

/** One score to send: a numeric score on a whole trace. */
export interface NumericTraceScore {
  /** The score name in Langfuse, e.g. `user_feedback`. */
  name: string;
  /** The OpenTelemetry trace id the score belongs to. */
  traceId: string;
  value: number;
  comment: string | null;
}

/** Why a send failed: see {@link ScoreSendOutcome}. */
export type ScoreSendFailureReason = 'timeout' | 'http' | 'network' | 'rejected' | 'closed';

/**
 * What became of one send. A failure is a result, never an exception:
 * - `timeout`: no answer within `timeoutMs` (the request was aborted);
 * - `http`: the server answered with an error status (401 for bad keys, 5xx…);
 * - `network`: no answer at all (refused, reset);
 * - `rejected`: the server answered 207 but listed the event under `errors` (or did not acknowledge it);
 * - `closed`: the sender was closed before the send.
 *
 * `message` never contains the secret key.
 */
export type ScoreSendOutcome =
  { sent: true; scoreId: string } | { sent: false; scoreId: string; reason: ScoreSendFailureReason; message: string };

type Attempt = { kind: 'response'; response: IngestionResponse } | { kind: 'error'; error: unknown } | { kind: 'timeout' };

interface IngestionResponse {
  successes?: Array<{ id: string; status: number }>;
  errors?: Array<{ id: string; status: number; message?: string; error?: unknown }>;
}

const maxMessageLength = 300;

/**
 * Sends scores to Langfuse one at a time and says whether each one arrived.
 *
 * Why not `client.score.create` followed by `client.flush()`: in `@langfuse/client` 5.x the score manager queues
 * the event and `flush()` always resolves — a refused or failed batch only goes to the SDK's own logger — and a
 * flush already under way is returned without the newly queued event. Its requests also use the API client's
 * defaults (60 s per attempt, 2 retries; the client's `timeout` option is not passed on). So this sender posts
 * the very envelope `score.create` would queue — `{ id, type: 'score-create', timestamp, body: { id, name, value,
 * traceId, comment, dataType: 'NUMERIC', environment } }` — through the same client's `api.ingestion.batch`
 * (`POST /api/public/ingestion`, Basic auth), reads the 207 reply's `successes`/`errors` for its event, and
 * bounds the whole send, retries included, by `timeoutMs`. The score id is fixed before the first attempt, so a
 * retry upserts the same score instead of adding one.
 */
export class LangfuseScoreSender {
  private readonly client: LangfuseClient;
  private readonly ownsClient: boolean;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly environment: string | undefined;
  private readonly secrets: readonly string[];
  private readonly generateId: () => string;
  private readonly now: () => Date;
  private readonly inFlight = new Set<Promise<ScoreSendOutcome>>();
  private closing: Promise<void> | null = null;

  constructor(options: LangfuseScoreSenderOptions) {
    if (!(Number.isFinite(options.timeoutMs) && options.timeoutMs > 0)) {
      throw new ConfigError(`Langfuse score export needs timeoutMs > 0; got ${String(options.timeoutMs)}.`, {
        field: 'langfuse.timeoutMs',
      });
    }
    const maxRetries = options.maxRetries ?? 0;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) {
      throw new ConfigError(`Langfuse score export needs maxRetries a whole number ≥ 0; got ${String(maxRetries)}.`, {
        field: 'langfuse.maxRetries',
      });
    }
    if (options.client) {
      this.client = options.client;
      this.ownsClient = false;
    } else {
      for (const field of ['publicKey', 'secretKey', 'baseUrl'] as const) {
        if (!options[field])
          throw new ConfigError(`Langfuse score export needs langfuse.${field} (or a client).`, { field: `langfuse.${field}` });
      }
      // Loaded here, not at the top: a process without Langfuse keys never constructs a sender and so never pays for the SDK.
      const { LangfuseClient: Client } = createRequire(import.meta.url)('@langfuse/client') as typeof import('@langfuse/client');
      this.client = new Client({ publicKey: options.publicKey, secretKey: options.secretKey, baseUrl: options.baseUrl });
      this.ownsClient = true;
    }
    this.timeoutMs = options.timeoutMs;
    this.maxRetries = maxRetries;
    this.environment = options.environment;
    this.secrets = [...(options.secretKey ? [options.secretKey] : []), ...(options.secrets ?? [])];
    this.generateId = options.generateId ?? randomUUID;
    this.now = options.now ?? (() => new Date());
  }

  /** Sends one score and resolves, within about `timeoutMs`, to what became of it; never rejects. */
  send(score: NumericTraceScore): Promise<ScoreSendOutcome> {
    const scoreId = this.generateId();
    if (this.closing) {
      return Promise.resolve({
        sent: false,
        scoreId,
        reason: 'closed',
        message: 'The Langfuse score sender is closed; the score was not sent.',
      });
    }
    const task = this.sendWithin(score, scoreId);
    this.inFlight.add(task);
    void task.finally(() => this.inFlight.delete(task));
    return task;
  }

  /**
   * Stops taking scores, waits for the sends under way (each bounded by `timeoutMs`), then shuts down the client
   * it made (or flushes an injected one), waiting at most `timeoutMs` for that. Safe to call twice.
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
    const flushed = (this.ownsClient ? this.client.shutdown() : this.client.flush()).catch(() => undefined);
    await this.withinTimeout(flushed);
  }

  private async sendWithin(score: NumericTraceScore, scoreId: string): Promise<ScoreSendOutcome> {
    const controller = new AbortController();
    try {
      const eventId = this.generateId();
      const event = {
        id: eventId,
        type: 'score-create' as const,
        timestamp: this.now().toISOString(),
        body: {
          id: scoreId,
          name: score.name,
          value: score.value,
          traceId: score.traceId,
          dataType: 'NUMERIC' as const,
          ...(score.comment === null ? {} : { comment: score.comment }),
          ...(this.environment === undefined ? {} : { environment: this.environment }),
        },
      };
      const request: Promise<Attempt> = this.client.api.ingestion
        .batch({ batch: [event] }, { timeoutInSeconds: this.timeoutMs / 1000, maxRetries: this.maxRetries, abortSignal: controller.signal })
        .then(
          (response): Attempt => ({ kind: 'response', response: response as IngestionResponse }),
          (error: unknown): Attempt => ({ kind: 'error', error }),
        );
      const attempt = await this.withinTimeout(request);
      return this.toOutcome(attempt ?? { kind: 'timeout' }, eventId, scoreId);
    } catch (error) {
      return this.failure(scoreId, 'network', describeError(error));
    } finally {
      // Ends a request still running past the deadline (harmless once it has finished).
      controller.abort();
    }
  }

  private toOutcome(attempt: Attempt, eventId: string, scoreId: string): ScoreSendOutcome {
    if (attempt.kind === 'timeout') {
      return this.failure(scoreId, 'timeout', `Langfuse did not take the score within ${this.timeoutMs} ms.`);
    }
    if (attempt.kind === 'error') {
      const { error } = attempt;
      const statusCode = (error as { statusCode?: unknown } | null)?.statusCode;
      if (typeof statusCode === 'number') {
        const detail = bodyMessage((error as { body?: unknown }).body);
        return this.failure(scoreId, 'http', `Langfuse answered HTTP ${statusCode}${detail ? `: ${detail}` : ''}.`);
      }
      const message = describeError(error);
      return this.failure(scoreId, /timeout/i.test(message) ? 'timeout' : 'network', `Langfuse could not be reached: ${message}`);
    }
    const refused = attempt.response.errors?.find((entry) => entry.id === eventId);
    if (refused) {
      const detail = bodyMessage(refused.message ?? refused.error);
      return this.failure(scoreId, 'rejected', `Langfuse refused the score (status ${refused.status})${detail ? `: ${detail}` : ''}.`);
    }
    if (!attempt.response.successes?.some((entry) => entry.id === eventId)) {
      return this.failure(scoreId, 'rejected', 'Langfuse answered without acknowledging the score.');
    }
    return { sent: true, scoreId };
  }

  /** Masks before cutting, so a secret cut in half cannot slip through. */
  private failure(scoreId: string, reason: ScoreSendFailureReason, message: string): ScoreSendOutcome {
    return { sent: false, scoreId, reason, message: truncate(redactSecrets(message, this.secrets)) };
  }

  /** `promise`'s value, or `undefined` when `timeoutMs` passes first. */
  private async withinTimeout<T>(promise: Promise<T>): Promise<T | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.timeoutMs);
    });
    try {
      return await Promise.race([promise, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
    return `${error.message.split('\n')[0]}${cause}`;
  }
  return String(error);
}

/** The useful text of an error body: Langfuse's `{ message }`, a string, or nothing. */
function bodyMessage(body: unknown): string {
  if (typeof body === 'string') return body;
  if (typeof body === 'object' && body !== null && typeof (body as { message?: unknown }).message === 'string') {
    return (body as { message: string }).message;
  }
  return '';
}

function truncate(text: string): string {
  return text.length > maxMessageLength ? `${text.slice(0, maxMessageLength)}…` : text;
}
