import { ServiceError, type ErrorCode } from '../errors/index.ts';
import { hostsMasked, withoutHosts } from '../logging/index.ts';

// Routes and the readiness check mask hosts in what they answer; the masking itself lives in logging/.
export { withoutHosts };

/** The one place where error codes become HTTP statuses; checked against every `ErrorCode`. */
const statusByCode = {
  invalid_input: 400,
  datasource_not_found: 404,
  sql_rejected: 422,
  sql_error: 422,
  sql_timeout: 504,
  datasource_unavailable: 503,
  datasource_busy: 503,
  request_timeout: 504,
  result_too_large: 422,
  unauthorized: 401,
  rate_limited: 429,
  app_database_unavailable: 503,
  fixture_error: 500,
  config_invalid: 500,
  forbidden: 403,
  prompt_not_found: 404,
  trace_not_found: 404,
  eval_run_not_found: 404,
  eval_dataset_invalid: 400,
  eval_target_unavailable: 503,
  knowledge_invalid: 500,
  example_not_found: 404,
  prompt_template_error: 500,
  prompt_store_unavailable: 503,
  model_unavailable: 503,
  model_request_failed: 502,
  request_aborted: 499,
  agent_failed: 422,
  budget_exceeded: 422,
} as const satisfies Record<ErrorCode, number>;

export interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown>; traceId?: string; requestId?: string };
}

/** A malformed request that failed before any route ran: 400-class, the client's doing. */
function malformedRequest(error: unknown): { status: number; body: ErrorBody } | null {
  const failure = error as { type?: string; message?: string; code?: string; status?: number; expose?: boolean };
  if (error instanceof URIError)
    return {
      status: 400,
      body: { error: { code: 'invalid_path', message: 'The path holds a malformed percent-escape (such as "%zz").' } },
    };
  if (failure?.type === 'request.aborted')
    return { status: 400, body: { error: { code: 'request_aborted', message: 'The client stopped sending the request body.' } } };
  // zlib failing on a body whose Content-Encoding does not match what was sent.
  if (typeof failure?.code === 'string' && /^Z_(DATA|BUF)_ERROR$/.test(failure.code))
    return {
      status: 400,
      body: {
        error: {
          code: 'invalid_body_encoding',
          message: `The body does not match its Content-Encoding: ${failure.message ?? 'it cannot be decoded'}.`,
        },
      },
    };
  if (failure?.expose && typeof failure.status === 'number' && failure.status >= 400 && failure.status < 500)
    return {
      status: failure.status,
      body: { error: { code: failure.type?.replace(/\W/g, '_') || 'bad_request', message: failure.message ?? 'Bad request.' } },
    };
  return null;
}

/** Maps any thrown value to a status and a JSON body that names the problem and never leaks internals. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ServiceError) {
    return {
      status: statusByCode[error.code],
      body: {
        error: { code: error.code, message: withoutHosts(error.message), details: hostsMasked(error.details) as Record<string, unknown> },
      },
    };
  }
  const bodyError = error as { type?: string; message?: string; status?: number; limit?: number };
  if (bodyError?.type === 'entity.parse.failed') {
    return { status: 400, body: { error: { code: 'invalid_json', message: `The request body is not valid JSON: ${bodyError.message}` } } };
  }
  if (bodyError?.type === 'entity.too.large') {
    return {
      status: 413,
      body: { error: { code: 'body_too_large', message: `The request body is larger than the limit of ${bodyError.limit} bytes.` } },
    };
  }
  if (bodyError?.type === 'encoding.unsupported' || bodyError?.type === 'charset.unsupported') {
    return { status: 415, body: { error: { code: 'unsupported_encoding', message: bodyError.message ?? 'Unsupported body encoding.' } } };
  }
  return (
    malformedRequest(error) ?? {
      status: 500,
      body: { error: { code: 'internal_error', message: 'An internal error occurred; it has been logged.' } },
    }
  );
}
