import type { ApiError } from '../api/api-error.ts';

/** What a person can do about an error, by its code (the service's message says what went wrong). */
const hints: Record<string, string> = {
  network_error: 'Check that the service is running and reachable, then try again.',
  unauthorized: 'Enter an API key (the key button at the top right); the service has auth on.',
  forbidden: 'Your key lacks the scope or the datasource this needs. Ask for a key that has it (admin actions need the admin token).',
  datasource_not_found: 'Pick one of the datasources in the list; the API accepts only configured ids.',
  datasource_unavailable: 'The database did not answer. Check it is up (GET /readyz names what is not ready), then try again.',
  datasource_busy: 'Too many questions are running on this datasource. Wait a few seconds and ask again.',
  agent_failed:
    'The agent found no usable answer. Rephrase the question with the words the data uses (table, column or glossary names), or open the trace to see each step.',
  model_unavailable: 'The model did not answer. Check the LLM key and endpoint (or use the offline model), then try again.',
  model_request_failed: 'The model refused the request. Rephrase the question, or check the model settings.',
  result_too_large: 'The result was too large. Ask for fewer rows or aggregate.',
  request_aborted: 'The request was stopped before it finished.',
  sql_rejected: 'The SQL was refused by the guard (read-only, allowed tables only). Ask for something that only reads data.',
  sql_error: 'The database refused the SQL. Rephrase the question, or open the trace to see the statement.',
  sql_timeout: 'The SQL was too slow. Ask for less (a shorter period, fewer groups) or try again later.',
  request_timeout: 'The question took longer than its deadline. Ask for less, or try again when the service is less busy.',
  rate_limited: 'Your key is over its rate or spend limit. Wait and try again.',
  budget_exceeded: 'The question would cost more than the cascade budget allows. Ask a simpler question.',
  invalid_input: 'Correct the request and try again.',
  prompt_not_found: 'That prompt, version or label does not exist.',
  prompt_store_unavailable: 'The prompt store did not answer. Try again shortly.',
  app_database_unavailable:
    'Traces and stats need the local span store. Turn it on (SQLAGENT_LOCAL_TRACES=true) or check the app database.',
  trace_not_found: 'The trace is not in the local store (yet): spans are written in batches, so wait a second and reload.',
  eval_run_not_found: 'That eval run does not exist; pick one from the list.',
  stream_ended: 'The connection closed before the answer arrived. Try again.',
};

/** What to do about `error`, in one sentence. */
export function hintFor(error: ApiError): string {
  if (error.body.code === 'agent_failed' && error.body.details?.reason === 'model_declined')
    return 'The model declined: it could not place some words of the question in the schema or the glossary. Rephrase with the words the data uses, or add the term to the glossary.';
  return (
    hints[error.body.code] ??
    (error.status >= 500 ? 'The service failed; try again, and see its log if it keeps failing.' : 'Check the request and try again.')
  );
}
