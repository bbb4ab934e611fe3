import type { ErrorCode } from '../errors/index.ts';

/** Exit codes by error code, so scripts can tell failures apart; checked against every `ErrorCode`. */
export const exitCodeByErrorCode = {
  invalid_input: 2,
  sql_rejected: 3,
  sql_timeout: 4,
  sql_error: 5,
  datasource_unavailable: 6,
  datasource_not_found: 7,
  fixture_error: 8,
  config_invalid: 9,
  prompt_not_found: 10,
  prompt_template_error: 11,
  prompt_store_unavailable: 12,
  forbidden: 13,
  model_unavailable: 14,
  agent_failed: 15,
  request_aborted: 16,
  budget_exceeded: 17,
  model_request_failed: 18,
  trace_not_found: 19,
  app_database_unavailable: 20,
  eval_dataset_invalid: 21,
  eval_run_not_found: 22,
  eval_target_unavailable: 24,
  knowledge_invalid: 25,
  example_not_found: 26,
  datasource_busy: 27,
  request_timeout: 28,
  result_too_large: 29,
  unauthorized: 30,
  rate_limited: 31,
} as const satisfies Record<ErrorCode, number>;

/** The exit code of any failure: its error code's, else 1. */
export function exitCodeOf(code: string): number {
  return (exitCodeByErrorCode as Record<string, number>)[code] ?? 1;
}
