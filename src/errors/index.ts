/**
 * The service's typed errors, all in this one file. Each has a stable `name` and `code`, so callers (the
 * HTTP layer, the CLI, the agent) can branch on the kind of failure without parsing messages. The HTTP
 * status map (`src/http/error-mapping.ts`) and the CLI exit-code map (`src/cli/exit-codes.ts`) are checked
 * against `ErrorCode` at compile time, so a new error can never fall through to 500 or exit 1 silently.
 */

/** Every error code the service uses. */
export type ErrorCode =
  | 'config_invalid'
  | 'app_database_unavailable'
  | 'invalid_input'
  | 'datasource_not_found'
  | 'datasource_unavailable'
  | 'datasource_busy'
  | 'request_timeout'
  | 'result_too_large'
  | 'unauthorized'
  | 'rate_limited'
  | 'sql_rejected'
  | 'sql_timeout'
  | 'sql_error'
  | 'fixture_error'
  | 'forbidden'
  | 'prompt_not_found'
  | 'prompt_template_error'
  | 'prompt_store_unavailable'
  | 'model_unavailable'
  | 'request_aborted'
  | 'agent_failed'
  | 'budget_exceeded'
  | 'model_request_failed'
  | 'trace_not_found'
  | 'eval_dataset_invalid'
  | 'eval_run_not_found'
  | 'eval_target_unavailable'
  | 'knowledge_invalid'
  | 'example_not_found';

export abstract class ServiceError extends Error {
  /** A stable, machine-readable code such as `sql_rejected`. */
  abstract readonly code: ErrorCode;
  /** Extra facts that help a caller fix the problem; never credentials. */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.details = details;
  }
}

/** The configuration is invalid; the message names the offending field. */
export class ConfigError extends ServiceError {
  readonly code = 'config_invalid';
}

/** The service's own app database (traces, feedback) cannot be opened or used. */
export class AppDatabaseUnavailableError extends ServiceError {
  readonly code = 'app_database_unavailable';
}

/** A request or argument is malformed; `details.field` names the field when there is one. */
export class InvalidInputError extends ServiceError {
  readonly code = 'invalid_input';
}

/** No datasource has this id (and it is not a URL). */
export class DatasourceNotFoundError extends ServiceError {
  readonly code = 'datasource_not_found';
}

/** The database cannot be reached, refused the connection, or went away mid-request. */
export class DatasourceUnavailableError extends ServiceError {
  readonly code = 'datasource_unavailable';
}

/**
 * Every session of the datasource stayed in use, or its queue of agent runs was full: back-pressure, not a
 * fault of the question. `details.retryAfterSeconds` says when to try again (HTTP 503 with `Retry-After`).
 * Never shown to the model as a failed query, and never a reason to escalate to a dearer tier.
 */
export class DatasourceBusyError extends ServiceError {
  readonly code = 'datasource_busy';
}

/**
 * The request ran past its deadline (`server.requestTimeoutMs`, or shorter if the caller asked);
 * `details.step` names what was running: a model call, a tool, the prompt fetch.
 */
export class RequestTimeoutError extends ServiceError {
  readonly code = 'request_timeout';
}

/**
 * A statement of the model's (or a user's) could not give rows: refused by the guard, stopped at the
 * timeout, or failed in the database. The agent shows these to the model as results it can fix.
 */
export abstract class SqlError extends ServiceError {}

/** The SQL guard refused the statement; `details.reason` says why. Nothing was sent to the database. */
export class SqlRejectedError extends SqlError {
  readonly code = 'sql_rejected';
  constructor(
    readonly reason: string,
    details: Record<string, unknown> = {},
  ) {
    super(`SQL rejected: ${reason}`, { reason, ...details });
  }
}

/** The statement ran longer than the datasource's statement timeout and was stopped. */
export class SqlTimeoutError extends SqlError {
  readonly code = 'sql_timeout';
}

/**
 * Not even one row of the result fits the datasource's byte budget (`maxResultBytes`); the model can fix it
 * by selecting fewer or narrower columns.
 */
export class ResultTooLargeError extends SqlError {
  readonly code = 'result_too_large';
}

/** The database refused or failed the statement; carries the database's own message and code. */
export class SqlExecutionError extends SqlError {
  readonly code = 'sql_error';
  constructor(
    message: string,
    readonly databaseCode: string | null,
    details: Record<string, unknown> = {},
  ) {
    super(message, { databaseCode, ...details });
  }
}

/** A fixture name that does not exist, or a fixture that cannot be loaded. */
export class FixtureError extends ServiceError {
  readonly code = 'fixture_error';
}

/** The request carries no API key, or one the service does not know (HTTP 401 with `WWW-Authenticate`). */
export class UnauthorizedError extends ServiceError {
  readonly code = 'unauthorized';
}

/**
 * The caller used up a rate limit (requests per minute, or model spend per day); `details.retryAfterSeconds`
 * says when it frees up (HTTP 429 with `Retry-After`).
 */
export class RateLimitedError extends ServiceError {
  readonly code = 'rate_limited';
}

/** The caller may not do this (for example, override the prompt label without the admin scope). */
export class ForbiddenError extends ServiceError {
  readonly code = 'forbidden';
}

/** No prompt with this name, or no version with this label or number. */
export class PromptNotFoundError extends ServiceError {
  readonly code = 'prompt_not_found';
}

/** A prompt template failed to compile; names the prompt, the version and the template line. */
export class PromptTemplateError extends ServiceError {
  readonly code = 'prompt_template_error';
}

/** The prompt store (Langfuse) cannot be reached and there is nothing cached or local to serve. */
export class PromptStoreUnavailableError extends ServiceError {
  readonly code = 'prompt_store_unavailable';
}

/** The language model could not be reached or kept failing after retries; carries the cause. */
export class ModelUnavailableError extends ServiceError {
  readonly code = 'model_unavailable';
}

/** The caller went away (or cancelled) while the request was running. */
export class RequestAbortedError extends ServiceError {
  readonly code = 'request_aborted';
}

/**
 * The agent ended without a usable answer: no valid final SQL, an unrecovered SQL error, or a spent step
 * or token budget. `details.reason` says which; `details.steps` shows what it did.
 */
export class AgentFailedError extends ServiceError {
  readonly code = 'agent_failed';
}

/** A per-request budget (cost or attempts) stopped the cascade; the message names the budget. */
export class BudgetExceededError extends ServiceError {
  readonly code = 'budget_exceeded';
}

/**
 * The model's API refused the request itself (400, 401, 403, 404, 422: bad key, unknown model, context
 * too long). Retrying the same request will not help; the cascade may still try another tier.
 */
export class ModelRequestError extends ServiceError {
  readonly code = 'model_request_failed';
}

/** An eval dataset file is missing or malformed; the message names the file and the case. */
export class EvalDatasetError extends ServiceError {
  readonly code = 'eval_dataset_invalid';
}

/** No eval run with this id in the reports folder. */
export class EvalRunNotFoundError extends ServiceError {
  readonly code = 'eval_run_not_found';
}

/** The system an eval asks (a service given with `--server`) cannot be reached or refuses the eval. */
export class EvalTargetUnavailableError extends ServiceError {
  readonly code = 'eval_target_unavailable';
}

/** No span of the trace is in the local store (it never arrived, or retention removed it). */
export class TraceNotFoundError extends ServiceError {
  readonly code = 'trace_not_found';

  constructor(readonly traceId: string) {
    super(`No trace with id "${traceId}" is in the local span store.`, { traceId });
  }
}

/**
 * A datasource's knowledge file is malformed or does not fit the live schema; `details.problems` lists
 * every problem, each naming the entry (`glossary[2] "ward"`) and, for an unknown name, the close matches.
 */
export class KnowledgeInvalidError extends ServiceError {
  readonly code = 'knowledge_invalid';
}

/** No example with this id in the datasource's knowledge file. */
export class ExampleNotFoundError extends ServiceError {
  readonly code = 'example_not_found';
}
