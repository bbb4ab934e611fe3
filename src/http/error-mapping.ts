import { ServiceError, type ErrorCode } from '../errors/index.ts';

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
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/** Maps any thrown value to a status and a JSON body that names the problem and never leaks internals. */
export function toHttpError(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof ServiceError) {
    return { status: statusByCode[error.code], body: { error: { code: error.code, message: error.message, details: error.details } } };
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
  return { status: 500, body: { error: { code: 'internal_error', message: 'An internal error occurred; it has been logged.' } } };
}
