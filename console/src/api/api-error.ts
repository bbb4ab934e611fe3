import type { ErrorBody } from './api-types.ts';

/** A failed API call: the HTTP status and the service's error object (code, message, details, trace id). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  /** The trace of a failed question, when the service made one. */
  get traceId(): string | null {
    const fromDetails = this.body.details?.traceId;
    return this.body.traceId ?? (typeof fromDetails === 'string' ? fromDetails : null);
  }

  /** Whatever was thrown, as an ApiError (a network failure becomes `network_error`, status 0). */
  static from(error: unknown): ApiError {
    if (error instanceof ApiError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new ApiError(0, { code: 'network_error', message: `The service did not answer: ${message}` });
  }
}

/** The error of a response that is not 2xx, from its JSON body when it has one. */
export async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: ErrorBody };
    if (parsed.error?.code) return new ApiError(response.status, parsed.error);
  } catch {
    // Not JSON: a proxy's page, say. Fall through.
  }
  return new ApiError(response.status, { code: `http_${response.status}`, message: text.slice(0, 300) || response.statusText });
}
