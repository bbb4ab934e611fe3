import { redactSecrets } from '../../logging/index.ts';
import type { AlertWebhookConfig } from './alerts-config.ts';
import type { AlertTransition } from './alert-transition.ts';

/** How one {@link WebhookNotifier.send} ended. */
export interface WebhookDelivery {
  /**
   * `delivered`: a 2xx. `rejected`: a final refusal (a 3xx or a 4xx other than 408 and 429), not
   * retried. `failed`: every attempt hit a network error, a timeout, a 5xx, 408 or 429. `aborted`:
   * the notifier was told to stop before an attempt (shutdown).
   */
  outcome: 'delivered' | 'rejected' | 'failed' | 'aborted';
  /** HTTP requests made. */
  attempts: number;
  /** The last response status; null when no response came. */
  httpStatus: number | null;
  /** Why the last attempt did not succeed, free of the URL's credentials; null when delivered. */
  error: string | null;
}

/** Options of {@link WebhookNotifier}. */
export interface WebhookNotifierOptions {
  /** Default: the global `fetch`. Tests inject one. */
  fetch?: typeof fetch;
}

/** Statuses worth another attempt besides 5xx: request timeout and too many requests. */
const retryableClientStatuses = new Set([408, 429]);

/** Resolves after `ms`, or at once when `signal` aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * POSTs alert transitions as JSON to the configured webhook, with a timeout per attempt and retries
 * with exponential backoff (`backoffMs`, then twice that, …) on network errors, timeouts, 5xx, 408 and
 * 429. Other 4xx (and 3xx: redirects are not followed) are final. Each request carries an
 * `Idempotency-Key` of `<id>:<status>`.
 *
 * The URL is never put in an error text: {@link origin} is what may be logged.
 */
export class WebhookNotifier {
  /** The webhook's origin (scheme, host, port), safe to log; the path and query may hold a token. */
  readonly origin: string;
  private readonly target: string;
  private readonly fullUrl: string;
  private readonly headers: Record<string, string>;
  private readonly fetch: typeof fetch;

  constructor(
    private readonly config: AlertWebhookConfig,
    options: WebhookNotifierOptions = {},
  ) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.fullUrl = config.url;
    const url = new URL(config.url);
    this.origin = url.origin;
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'sqlagent-alerts' };
    for (const [name, value] of Object.entries(config.headers ?? {})) headers[name.toLowerCase()] = value;
    if ((url.username !== '' || url.password !== '') && headers.authorization === undefined) {
      const credentials = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
      headers.authorization = `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
    }
    url.username = '';
    url.password = '';
    this.target = url.toString();
    this.headers = headers;
  }

  /**
   * Delivers one transition: at most `1 + retries` attempts. When `signal` aborts, no further attempt
   * starts (the one under way finishes or times out) and the result is `aborted` unless it succeeded.
   * Never throws.
   */
  async send(transition: AlertTransition, signal?: AbortSignal): Promise<WebhookDelivery> {
    const body = JSON.stringify(transition);
    let attempts = 0;
    let httpStatus: number | null = null;
    let error: string | null = null;
    for (let retry = 0; retry <= this.config.retries; retry += 1) {
      if (retry > 0) await pause(this.config.backoffMs * 2 ** (retry - 1), signal);
      if (signal?.aborted) return { outcome: 'aborted', attempts, httpStatus, error: error ?? 'stopped before the first attempt' };
      attempts += 1;
      const attempt = await this.attempt(body, `${transition.id}:${transition.status}`);
      httpStatus = attempt.httpStatus;
      error = attempt.error;
      if (attempt.httpStatus !== null && attempt.httpStatus >= 200 && attempt.httpStatus < 300) {
        return { outcome: 'delivered', attempts, httpStatus, error: null };
      }
      if (attempt.httpStatus !== null && attempt.httpStatus < 500 && !retryableClientStatuses.has(attempt.httpStatus)) {
        return { outcome: 'rejected', attempts, httpStatus, error };
      }
    }
    return { outcome: 'failed', attempts, httpStatus, error };
  }

  private async attempt(body: string, idempotencyKey: string): Promise<{ httpStatus: number | null; error: string | null }> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.config.timeoutMs);
    try {
      const response = await this.fetch(this.target, {
        method: 'POST',
        headers: { ...this.headers, 'idempotency-key': idempotencyKey },
        body,
        redirect: 'manual',
        signal: controller.signal,
      });
      // Free the connection; the receiver's reply is not used.
      await response.body?.cancel().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;
      return { httpStatus: response.status, error: ok ? null : `HTTP ${response.status}` };
    } catch (error) {
      if (controller.signal.aborted) return { httpStatus: null, error: `timed out after ${this.config.timeoutMs} ms` };
      return { httpStatus: null, error: this.describe(error) };
    } finally {
      clearTimeout(timer);
    }
  }

  /** An error's message and its cause's code, with the URL (and any credential in it) taken out. */
  private describe(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
    const causeText = cause === undefined ? '' : ` (${String(cause.code ?? cause.message ?? '')})`;
    const text = `${message}${causeText}`.split(this.fullUrl).join(this.origin).split(this.target).join(this.origin);
    return redactSecrets(text);
  }
}
