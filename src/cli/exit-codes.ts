/** Exit codes by error code, so scripts can tell failures apart. Anything else exits with 1. */
export const exitCodeByErrorCode: Record<string, number> = {
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
};
