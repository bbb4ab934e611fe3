import type { Logger } from '../../logging/index.ts';
import type { FeedbackRecord, LocalSpanStore } from '../local-store/index.ts';
import { validateFeedbackInput, type FeedbackInput } from './feedback-input.ts';
import { LangfuseScoreSender, type LangfuseScoreSenderOptions } from './langfuse-score-sender.ts';

/**
 * Where feedback is kept locally: the store, `null` for none, or a function that resolves to either. The function
 * form is for a composition root that opens the application database lazily: it is called on the first feedback
 * (not in the constructor), its answer is kept, and it is called again only if it failed.
 */
export type FeedbackLocalStoreSource = LocalSpanStore | null | (() => Promise<LocalSpanStore | null>);

/** Options of {@link FeedbackService}. */
export interface FeedbackServiceOptions {
  /** The local span store that keeps feedback next to its trace; see {@link FeedbackLocalStoreSource}. */
  localStore: FeedbackLocalStoreSource;
  /**
   * Send feedback to Langfuse as a `user_feedback` score: the keys and server (or an injected client) and
   * `timeoutMs`, the longest a feedback request waits for Langfuse. Absent or `null`: Langfuse is `disabled`.
   */
  langfuse?: LangfuseScoreSenderOptions | null;
  /** Where a failed Langfuse send is reported (at `warn`, with the trace id and the masked reason). */
  logger: Logger;
  /**
   * Called once per feedback that did not reach Langfuse (the metrics module's
   * `trace_export_failures_total{exporter="langfuse"}`). A throwing callback is ignored.
   */
  onExportFailure?: () => void;
}

/** What became of one feedback. */
export interface FeedbackResult {
  /** The row in the local store, or `null` when no local store is configured. */
  local: FeedbackRecord | null;
  /** `sent`: Langfuse acknowledged the score; `failed`: it did not (see `error`); `disabled`: Langfuse is not configured. */
  langfuse: 'sent' | 'failed' | 'disabled';
  /** Why the Langfuse send failed, only with `failed`; never contains credentials. */
  error?: string;
}

/**
 * User feedback on an answered request, kept in both stores: the local span store (the record the local views
 * and stats read) and Langfuse (a numeric score named `user_feedback` on the trace).
 *
 * The local store comes first and decides: a bad input is an `InvalidInputError` naming the field, an unknown
 * trace a `TraceNotFoundError` (HTTP 404), and in both cases nothing is stored or sent. A Langfuse failure never
 * loses the local record: it is reported in the result, logged and counted, and the request waits for Langfuse at
 * most `langfuse.timeoutMs`. Without a local store, feedback is validated and sent to Langfuse unchecked.
 *
 * @example
 * const feedback = new FeedbackService({ localStore: store, langfuse: { publicKey, secretKey, baseUrl, timeoutMs: 5000 }, logger });
 * const result = await feedback.recordFeedback({ traceId, score: -1, comment: 'wrong table' });
 * // -> { local: { id: 1, traceId, score: -1, comment: 'wrong table', createdAt: '…' }, langfuse: 'sent' }
 * await feedback.close();
 */
export class FeedbackService {
  /** The Langfuse score name feedback is sent under. */
  static readonly scoreName = 'user_feedback';

  private readonly sender: LangfuseScoreSender | null;
  private readonly logger: Logger;
  private readonly onExportFailure: (() => void) | undefined;
  private readonly localStoreSource: FeedbackLocalStoreSource;
  private localStorePromise: Promise<LocalSpanStore | null> | null = null;

  /** Throws `ConfigError` when `langfuse` is given without keys and server (or client), or with a bad `timeoutMs`. */
  constructor(options: FeedbackServiceOptions) {
    this.localStoreSource = options.localStore;
    this.sender = options.langfuse ? new LangfuseScoreSender(options.langfuse) : null;
    this.logger = options.logger;
    this.onExportFailure = options.onExportFailure;
  }

  /** Whether feedback is sent to Langfuse. */
  get langfuseEnabled(): boolean {
    return this.sender !== null;
  }

  /**
   * Validates the feedback, stores it locally (when a local store is configured), then sends it to Langfuse
   * (when configured). Rejects only for bad input (`InvalidInputError`), an unknown trace (`TraceNotFoundError`)
   * or a local store failure; a Langfuse failure is `langfuse: 'failed'` in the result.
   */
  async recordFeedback(input: FeedbackInput): Promise<FeedbackResult> {
    const feedback = validateFeedbackInput(input);
    const store = await this.resolveLocalStore();
    const local = store ? await store.recordFeedback(feedback) : null;
    if (!this.sender) return { local, langfuse: 'disabled' };

    const outcome = await this.sender.send({
      name: FeedbackService.scoreName,
      traceId: feedback.traceId,
      value: feedback.score,
      comment: feedback.comment,
    });
    if (outcome.sent) return { local, langfuse: 'sent' };

    this.logger.warn('feedback export to Langfuse failed', {
      traceId: feedback.traceId,
      scoreId: outcome.scoreId,
      reason: outcome.reason,
      error: outcome.message,
      storedLocally: local !== null,
    });
    try {
      this.onExportFailure?.();
    } catch {
      // A metrics callback must not turn a stored feedback into a failed request.
    }
    return { local, langfuse: 'failed', error: outcome.message };
  }

  /**
   * Waits for the Langfuse sends under way, then flushes and shuts down the Langfuse client (each step bounded by
   * `timeoutMs`). Feedback recorded afterwards is still stored locally but reported `failed` for Langfuse. The
   * local store is not closed: it belongs to the caller. Safe to call twice.
   */
  async close(): Promise<void> {
    await this.sender?.close();
  }

  private resolveLocalStore(): Promise<LocalSpanStore | null> {
    const source = this.localStoreSource;
    if (typeof source !== 'function') return Promise.resolve(source);
    if (!this.localStorePromise) {
      const pending = (async () => source())(); // a synchronous throw becomes a rejection too
      this.localStorePromise = pending;
      // Forget a failed attempt so the next feedback tries again.
      pending.catch(() => {
        if (this.localStorePromise === pending) this.localStorePromise = null;
      });
    }
    return this.localStorePromise;
  }
}
