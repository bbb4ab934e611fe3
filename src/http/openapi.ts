import { z } from 'zod';
import * as api from './api-schemas.ts';

/** Who may call an operation: an API key scope, the metrics token, or anyone. */
export type OperationAccess = 'public' | 'query' | 'read' | 'viewer' | 'feedback' | 'admin' | 'metrics';

interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  schema: z.ZodType;
  required?: boolean;
}

type MediaType = 'application/json' | 'text/event-stream' | 'text/plain' | 'text/html';

interface ResponseSpec {
  description: string;
  /** A registered response schema for JSON; omitted for text bodies. */
  schema?: z.ZodType;
  type?: MediaType;
}

/** One operation of the API, as the document describes it. */
export interface Operation {
  method: 'get' | 'post' | 'put';
  /** OpenAPI form: `/v1/datasources/{id}/schema`. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'health' | 'questions' | 'datasources' | 'prompts' | 'knowledge' | 'evals' | 'traces' | 'mcp' | 'documentation';
  access: OperationAccess;
  parameters?: Parameter[];
  body?: z.ZodType;
  /** Success responses by status. Error statuses are listed in `errors`, all with the `ErrorResponse` body. */
  responses: Record<number, ResponseSpec>;
  errors: number[];
  /** For `text/event-stream`: the data schema of each event, by event name. */
  events?: Record<string, z.ZodType>;
}

const datasourceId: Parameter = { name: 'id', in: 'path', description: 'A configured datasource id.', schema: z.string() };
const promptName: Parameter = {
  name: 'name',
  in: 'path',
  description: 'A prompt name such as `agent/db_agent`: its `/` may be sent plain or encoded as `%2F`.',
  schema: z.string(),
};
const knowledgeDatasource: Parameter = { ...datasourceId, name: 'datasource' };
const versionOrLabel = (name: string, description: string, required = true): Parameter => ({
  name,
  in: 'query',
  description,
  schema: z.string(),
  required,
});
const booleanQuery = (name: string, description: string): Parameter => ({
  name,
  in: 'query',
  description,
  schema: z.enum(['true', 'false']),
});

/** The statuses any route under /v1 may answer beyond its own: a key missing, a limit reached. */
const keyed = [401, 429];
const guarded = [...keyed, 403];

/**
 * Every operation of the HTTP API. `createHttpApp` registers the routes; this table describes them, and a
 * test checks both ways that they agree (every route documented, every operation answering per its schema).
 */
export const operations: readonly Operation[] = [
  {
    method: 'get',
    path: '/healthz',
    operationId: 'health',
    summary: 'Liveness: the process answers.',
    tag: 'health',
    access: 'public',
    responses: { 200: { description: 'Alive.', schema: api.healthSchema } },
    errors: [],
  },
  {
    method: 'get',
    path: '/readyz',
    operationId: 'readiness',
    summary: 'Readiness: each datasource reachable, the app database open, the model configured, the prompt store readable.',
    tag: 'health',
    access: 'public',
    responses: {
      200: { description: 'Ready for traffic.', schema: api.readinessSchema },
      503: { description: 'Not ready (or draining for a shutdown); the checks say which dependency and why.', schema: api.readinessSchema },
    },
    errors: [],
  },
  {
    method: 'get',
    path: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics (text format), behind `server.metricsToken` when set, or on `server.metricsPort`.',
    tag: 'health',
    access: 'metrics',
    responses: { 200: { description: 'The Prometheus text exposition.', type: 'text/plain' } },
    errors: [403],
  },
  {
    method: 'post',
    path: '/v1/query',
    operationId: 'query',
    summary: 'Ask a question: JSON, or server-sent events with `Accept: text/event-stream`.',
    tag: 'questions',
    access: 'query',
    body: api.queryRequestSchema,
    responses: {
      200: {
        description:
          'The answer. As a stream: `step` events while the tool loop runs, then `sql`, `result` and `done`; or one `error` event. Comment lines keep an idle stream open; disconnecting aborts the run.',
        schema: api.queryResultSchema,
      },
    },
    events: api.queryEventSchemas,
    errors: [400, ...guarded, 404, 413, 415, 422, 499, 502, 503, 504],
  },
  {
    method: 'get',
    path: '/v1/datasources',
    operationId: 'listDatasources',
    summary: 'The datasources the caller may use.',
    tag: 'datasources',
    access: 'viewer',
    responses: { 200: { description: 'The datasources.', schema: api.datasourceListSchema } },
    errors: keyed,
  },
  {
    method: 'get',
    path: '/v1/datasources/{id}/schema',
    operationId: 'getSchema',
    summary: "A datasource's introspected schema.",
    tag: 'datasources',
    access: 'viewer',
    parameters: [datasourceId, booleanQuery('refresh', 'Read the catalog again instead of the cached schema.')],
    responses: { 200: { description: 'The schema.', schema: api.schemaMetaSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/datasources/{id}/questions',
    operationId: 'getDatasourceQuestions',
    summary: 'Suggested and recent questions for a datasource (the console shows them under its question box).',
    tag: 'datasources',
    access: 'viewer',
    parameters: [datasourceId],
    responses: { 200: { description: 'The questions.', schema: api.datasourceQuestionsSchema } },
    errors: [...guarded, 404, 500],
  },
  {
    method: 'post',
    path: '/v1/datasources/{id}/refresh',
    operationId: 'refreshSchema',
    summary: 'Re-introspect a datasource now (after a migration).',
    tag: 'datasources',
    access: 'admin',
    parameters: [datasourceId],
    responses: { 200: { description: 'The new schema version.', schema: api.datasourceRefreshedSchema } },
    errors: [...guarded, 404, 503],
  },
  {
    method: 'post',
    path: '/v1/datasources/{id}/cache/invalidate',
    operationId: 'invalidateCache',
    summary: 'Make every cached answer of a datasource a miss.',
    tag: 'datasources',
    access: 'admin',
    parameters: [datasourceId],
    responses: { 200: { description: 'Invalidated.', schema: api.cacheInvalidatedSchema } },
    errors: [...guarded, 404],
  },
  {
    method: 'get',
    path: '/v1/prompts',
    operationId: 'listPrompts',
    summary: 'Every prompt with its versions and labels.',
    tag: 'prompts',
    access: 'read',
    responses: { 200: { description: 'The prompts.', schema: api.promptListSchema } },
    errors: [...guarded, 503],
  },
  {
    method: 'get',
    path: '/v1/prompts/{name}',
    operationId: 'getPrompt',
    summary: "A prompt's labels and versions (with their history: commit message, date).",
    tag: 'prompts',
    access: 'read',
    parameters: [promptName],
    responses: { 200: { description: 'The prompt.', schema: api.promptDetailSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/prompts/{name}/versions/{version}',
    operationId: 'getPromptVersion',
    summary: 'One version of a prompt, with its template.',
    tag: 'prompts',
    access: 'read',
    parameters: [promptName, { name: 'version', in: 'path', description: 'A version (`2` or `v2`) or a label.', schema: z.string() }],
    responses: { 200: { description: 'The version.', schema: api.promptVersionSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/prompts/{name}/diff',
    operationId: 'diffPromptVersions',
    summary: 'Two versions of a prompt compared line by line.',
    tag: 'prompts',
    access: 'read',
    parameters: [
      promptName,
      versionOrLabel('a', 'The first version (`2`, `v2`) or label.'),
      versionOrLabel('b', 'The second version or label.'),
    ],
    responses: { 200: { description: 'The diff.', schema: api.promptDiffSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/prompts/{name}/render',
    operationId: 'renderPrompt',
    summary: 'A prompt compiled against a datasource, with its token count.',
    tag: 'prompts',
    access: 'read',
    parameters: [
      promptName,
      versionOrLabel('datasource', 'The datasource to compile against.'),
      versionOrLabel('label', 'A label (default: as routed for `user`).', false),
      versionOrLabel('version', 'A version instead of a label.', false),
      versionOrLabel('user', 'The user id the label router sees.', false),
      versionOrLabel('question', 'The question the examples are retrieved for.', false),
    ],
    responses: { 200: { description: 'The compiled prompt.', schema: api.renderedPromptSchema } },
    errors: [400, ...guarded, 404, 500, 503],
  },
  {
    method: 'post',
    path: '/v1/prompts/{name}/versions',
    operationId: 'createPromptVersion',
    summary: 'Add a version of a prompt (it gets `latest`; labels do not move).',
    tag: 'prompts',
    access: 'admin',
    parameters: [promptName],
    body: api.newPromptVersionSchema,
    responses: { 201: { description: 'The new version.', schema: api.promptVersionSchema } },
    errors: [400, ...guarded, 413, 415, 503],
  },
  {
    method: 'put',
    path: '/v1/prompts/{name}/labels/{label}',
    operationId: 'movePromptLabel',
    summary: 'Point a label at a version (promote), effective at once with no restart.',
    tag: 'prompts',
    access: 'admin',
    parameters: [promptName, { name: 'label', in: 'path', description: 'The label to move.', schema: z.string() }],
    body: api.labelMoveSchema,
    responses: { 200: { description: 'Where the label points now.', schema: api.labelMovedSchema } },
    errors: [400, ...guarded, 404, 415, 503],
  },
  {
    method: 'post',
    path: '/v1/prompts/{name}/labels/{label}/rollback',
    operationId: 'rollbackPromptLabel',
    summary: 'Move a label back to the version it pointed at before.',
    tag: 'prompts',
    access: 'admin',
    parameters: [promptName, { name: 'label', in: 'path', description: 'The label to roll back.', schema: z.string() }],
    responses: { 200: { description: 'Where the label points now.', schema: api.labelMovedSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'post',
    path: '/v1/prompts/{name}/invalidate',
    operationId: 'invalidatePrompt',
    summary: 'Skip the prompt cache on the next read, on this instance.',
    tag: 'prompts',
    access: 'admin',
    parameters: [promptName],
    responses: { 200: { description: 'Invalidated.', schema: api.promptInvalidatedSchema } },
    errors: [400, ...guarded],
  },
  {
    method: 'post',
    path: '/v1/admin/prompts/invalidate',
    operationId: 'invalidatePromptByBody',
    summary: 'Skip the prompt cache on the next read (the name in the body).',
    tag: 'prompts',
    access: 'admin',
    body: api.promptInvalidateRequestSchema,
    responses: { 200: { description: 'Invalidated.', schema: api.promptInvalidatedSchema } },
    errors: [400, ...guarded, 415],
  },
  {
    method: 'get',
    path: '/v1/knowledge/{datasource}/examples',
    operationId: 'listExamples',
    summary: "A datasource's question/SQL examples, by status.",
    tag: 'knowledge',
    access: 'admin',
    parameters: [
      knowledgeDatasource,
      { name: 'status', in: 'query', description: 'Only this status.', schema: z.enum(['candidate', 'verified', 'rejected']) },
    ],
    responses: { 200: { description: 'The examples.', schema: api.exampleListSchema } },
    errors: [400, ...guarded, 404, 500],
  },
  {
    method: 'post',
    path: '/v1/knowledge/{datasource}/examples',
    operationId: 'addExample',
    summary: 'Add a verified example; its SQL must pass the guard and return rows.',
    tag: 'knowledge',
    access: 'admin',
    parameters: [knowledgeDatasource],
    body: api.newExampleSchema,
    responses: { 201: { description: 'The example.', schema: api.exampleEnvelopeSchema } },
    errors: [400, ...guarded, 404, 415, 422, 500, 503],
  },
  ...(['approve', 'reject'] as const).map((action): Operation => ({
    method: 'post',
    path: `/v1/knowledge/{datasource}/examples/{id}/${action}`,
    operationId: `${action}Example`,
    summary: action === 'approve' ? 'Mark an example verified.' : 'Mark an example rejected.',
    tag: 'knowledge',
    access: 'admin',
    parameters: [knowledgeDatasource, { name: 'id', in: 'path', description: 'The example id.', schema: z.string() }],
    responses: { 200: { description: 'The example.', schema: api.exampleEnvelopeSchema } },
    errors: [...guarded, 404, 500],
  })),
  {
    method: 'get',
    path: '/v1/knowledge/{datasource}/check',
    operationId: 'checkKnowledge',
    summary: "Check a datasource's knowledge file against its live schema.",
    tag: 'knowledge',
    access: 'admin',
    parameters: [knowledgeDatasource],
    responses: { 200: { description: 'The check.', schema: api.knowledgeCheckSchema } },
    errors: [...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/evals/runs',
    operationId: 'listEvalRuns',
    summary: 'Eval runs, newest first.',
    tag: 'evals',
    access: 'read',
    responses: { 200: { description: 'The runs.', schema: api.evalRunListSchema } },
    errors: guarded,
  },
  {
    method: 'get',
    path: '/v1/evals/runs/{id}',
    operationId: 'getEvalRun',
    summary: "An eval run's report.",
    tag: 'evals',
    access: 'read',
    parameters: [
      { name: 'id', in: 'path', description: 'A run id, or `latest`.', schema: z.string() },
      booleanQuery('items', '`false` leaves the items out.'),
    ],
    responses: { 200: { description: 'The report.', schema: api.evalReportSchema } },
    errors: [400, ...guarded, 404],
  },
  {
    method: 'get',
    path: '/v1/traces',
    operationId: 'listTraces',
    summary: 'Recent traces, newest first.',
    tag: 'traces',
    access: 'read',
    parameters: [
      { name: 'since', in: 'query', description: 'A duration back from now (`30m`, `24h`, `7d`) or an ISO date-time.', schema: z.string() },
      { name: 'user', in: 'query', description: 'Only this user id.', schema: z.string() },
      { name: 'label', in: 'query', description: 'Only this prompt label.', schema: z.string() },
      { name: 'limit', in: 'query', description: 'At most this many (1–1000, default 50).', schema: z.string().regex(/^\d+$/) },
    ],
    responses: { 200: { description: 'The traces.', schema: api.traceListSchema } },
    errors: [400, ...guarded, 503],
  },
  {
    method: 'get',
    path: '/v1/traces/{id}',
    operationId: 'getTrace',
    summary: 'One trace as a span tree, with the feedback given on it.',
    tag: 'traces',
    access: 'read',
    parameters: [{ name: 'id', in: 'path', description: 'A trace id (32 lowercase hexadecimal characters).', schema: z.string() }],
    responses: { 200: { description: 'The trace.', schema: api.traceTreeSchema } },
    errors: [400, ...guarded, 404, 503],
  },
  {
    method: 'get',
    path: '/v1/stats',
    operationId: 'getStats',
    summary: 'Latency percentiles, success, tokens, cost, escalations and cache hits per group.',
    tag: 'traces',
    access: 'read',
    parameters: [
      {
        name: 'since',
        in: 'query',
        description: 'The window: a duration back from now or an ISO date-time (default 24h).',
        schema: z.string(),
      },
      {
        name: 'by',
        in: 'query',
        description: 'The grouping (default `label`).',
        schema: z.enum(['label', 'prompt_version', 'model', 'user', 'datasource']),
      },
    ],
    responses: { 200: { description: 'The groups.', schema: api.statsSchema } },
    errors: [400, ...guarded, 503],
  },
  {
    method: 'post',
    path: '/v1/feedback',
    operationId: 'sendFeedback',
    summary: 'Score an answer; a 1 files it as a candidate example.',
    tag: 'traces',
    access: 'feedback',
    body: api.feedbackRequestSchema,
    responses: { 201: { description: 'Recorded.', schema: api.feedbackResultSchema } },
    errors: [400, ...guarded, 404, 415, 503],
  },
  {
    method: 'post',
    path: '/v1/chat/completions',
    operationId: 'chatCompletions',
    summary: 'The offline model as an OpenAI-compatible endpoint (only on servers started with it).',
    tag: 'questions',
    access: 'query',
    body: api.chatCompletionRequestSchema,
    responses: { 200: { description: 'A chat completion.', schema: api.chatCompletionSchema } },
    errors: [400, ...guarded],
  },
  {
    method: 'post',
    path: '/mcp',
    operationId: 'mcp',
    summary: 'The MCP server (streamable HTTP): tools ask, search_metadata, show_table, execute_sql, list_datasources.',
    tag: 'mcp',
    access: 'query',
    body: api.jsonRpcMessageSchema,
    responses: {
      200: { description: 'A JSON-RPC response (or a stream of them as server-sent events).', schema: api.jsonRpcMessageSchema },
    },
    errors: [400, ...guarded, 406],
  },
  {
    method: 'get',
    path: '/openapi.json',
    operationId: 'openapi',
    summary: 'This document.',
    tag: 'documentation',
    access: 'public',
    responses: { 200: { description: 'The OpenAPI 3.1 document.', type: 'application/json' } },
    errors: [],
  },
  {
    method: 'get',
    path: '/docs',
    operationId: 'docs',
    summary: 'This document, rendered (Swagger UI, served from this process).',
    tag: 'documentation',
    access: 'public',
    responses: { 200: { description: 'An HTML page.', type: 'text/html' } },
    errors: [],
  },
];

const errorDescriptions: Record<number, string> = {
  400: 'The request is malformed: `error.details.field` names what.',
  401: 'An API key is needed (missing or unknown); see `WWW-Authenticate`.',
  403: "The key's scopes or datasources do not allow this.",
  404: 'Not found: the datasource, prompt, version, trace, example or run.',
  406: 'The Accept header does not allow what this route answers.',
  413: 'The body is larger than `server.bodyLimit`.',
  415: 'The body is not JSON (or not in a supported encoding).',
  422: 'Understood, but it cannot be done: the SQL was rejected or failed, the agent gave no answer, a budget ran out.',
  429: 'A rate limit: requests per minute or model spend per day. See `Retry-After` and the `RateLimit-*` headers.',
  499: 'The client went away before the answer.',
  500: 'A fault on the server side (a broken template or knowledge file); the message says which.',
  502: 'The model provider failed.',
  503: 'Unavailable for now (a datasource down or busy, the model, the prompt store); see `Retry-After` where a retry helps.',
  504: 'The SQL or the request ran out of time.',
};

const accessDescriptions: Record<OperationAccess, string> = {
  public: 'No key needed.',
  query: "The `query` scope (and the datasource in the key's allow-list).",
  read: 'The `read` scope.',
  viewer: "The `query` or `read` scope (and the datasource in the key's allow-list).",
  feedback: 'The `feedback` scope.',
  admin: 'The `admin` scope.',
  metrics: 'The metrics token when `server.metricsToken` is set.',
};

const componentRef = (id: string) => `#/components/schemas/${id}`;

/** A JSON Schema of a zod schema without its `$schema` and `$id` keywords. */
function bare(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function refTo(registry: z.core.$ZodRegistry<{ id: string }>, schema: z.ZodType): { $ref: string } {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('An operation uses a schema that is not registered in api-schemas.ts.');
  return { $ref: componentRef(id) };
}

function componentsOf(registry: z.core.$ZodRegistry<{ id: string }>, io: 'input' | 'output'): Record<string, unknown> {
  const { schemas } = z.toJSONSchema(registry, {
    target: 'draft-2020-12',
    io,
    uri: componentRef,
    unrepresentable: 'any',
    override: (context) => {
      if (api.openObjects.has(context.zodSchema)) delete context.jsonSchema.additionalProperties;
    },
  });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema as Record<string, unknown>)]));
}

/** The OpenAPI 3.1 document of the HTTP API, built from `operations` and the zod schemas of api-schemas.ts. */
export function buildOpenApiDocument(options: { version: string; keysRequired?: boolean } = { version: '0.0.0' }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of operations) {
    const responses: Record<string, unknown> = {};
    for (const [status, spec] of Object.entries(operation.responses)) {
      const type = spec.type ?? 'application/json';
      const content: Record<string, unknown> = {};
      if (spec.schema) content['application/json'] = { schema: refTo(api.apiSchemas.responses, spec.schema) };
      else content[type] = { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } };
      if (operation.events)
        content['text/event-stream'] = {
          schema: { type: 'string', description: 'Server-sent events; see `x-events` for the data of each event.' },
          'x-events': Object.fromEntries(
            Object.entries(operation.events).map(([name, schema]) => [name, refTo(api.apiSchemas.responses, schema)]),
          ),
        };
      responses[status] = { description: spec.description, content };
    }
    for (const status of operation.errors)
      responses[String(status)] = {
        description: errorDescriptions[status],
        content: { 'application/json': { schema: { $ref: componentRef('ErrorResponse') } } },
      };
    const parameters = (operation.parameters ?? []).map((parameter) => ({
      name: parameter.name,
      in: parameter.in,
      required: parameter.in === 'path' ? true : (parameter.required ?? false),
      description: parameter.description,
      schema: bare(z.toJSONSchema(parameter.schema, { target: 'draft-2020-12', io: 'input' }) as Record<string, unknown>),
    }));
    const secured = operation.access !== 'public';
    paths[operation.path] ??= {};
    paths[operation.path][operation.method] = {
      operationId: operation.operationId,
      summary: operation.summary,
      description: accessDescriptions[operation.access],
      tags: [operation.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(operation.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: refTo(api.apiSchemas.requests, operation.body) } } } }
        : {}),
      responses,
      ...(secured ? { security: [{ bearer: [] }] } : { security: [] }),
      'x-access': operation.access,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'sqlagent',
      version: options.version,
      description:
        'Questions in plain language answered with SQL against Postgres or MySQL, read-only. Send an API key as `Authorization: Bearer <key>`; with no key configured (a loopback demo) none is needed. Every error has the `ErrorResponse` shape and every response an `X-Request-Id`.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    tags: ['questions', 'datasources', 'prompts', 'knowledge', 'evals', 'traces', 'mcp', 'health', 'documentation'].map((name) => ({
      name,
    })),
    paths,
    components: {
      schemas: { ...componentsOf(api.apiSchemas.requests, 'input'), ...componentsOf(api.apiSchemas.responses, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (`sqlagent keys create`) or the admin token.' },
      },
    },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;

const accessShort: Record<OperationAccess, string> = {
  public: 'anyone',
  query: '`query`',
  read: '`read`',
  viewer: '`query` or `read`',
  feedback: '`feedback`',
  admin: '`admin`',
  metrics: 'metrics token, if set',
};

/**
 * The README's route table, rendered from the document (the README holds it between
 * `<!-- api-table:begin -->` and `<!-- api-table:end -->`; `npm run docs:api` rewrites it, a test checks it).
 */
export function renderRouteTable(document: OpenApiDocument): string {
  const rows = ['| route | scope | body | success | errors | what it does |', '|---|---|---|---|---|---|'];
  for (const [template, methods] of Object.entries(document.paths)) {
    for (const [method, raw] of Object.entries(methods)) {
      const operation = raw as {
        summary: string;
        'x-access': OperationAccess;
        requestBody?: { content: Record<string, { schema: { $ref: string } }> };
        responses: Record<string, { content: Record<string, { schema?: { $ref?: string } }> }>;
      };
      const schemaName = (ref: string | undefined) => (ref ? `\`${ref.split('/').at(-1)}\`` : '');
      const statuses = Object.keys(operation.responses);
      const successes = statuses
        .filter(
          (status) =>
            Number(status) < 400 || !operation.responses[status].content['application/json']?.schema?.$ref?.endsWith('/ErrorResponse'),
        )
        .map((status) => {
          const content = operation.responses[status].content;
          const shape = schemaName(content['application/json']?.schema?.$ref) || Object.keys(content)[0];
          return `${status} ${shape}${content['text/event-stream'] ? ' or events' : ''}`;
        });
      const errors = statuses.filter((status) => !successes.some((success) => success.startsWith(`${status} `)));
      rows.push(
        `| \`${method.toUpperCase()} ${template}\` | ${accessShort[operation['x-access']]} | ${schemaName(operation.requestBody?.content['application/json'].schema.$ref)} | ${successes.join(', ')} | ${errors.join(' ')} | ${operation.summary.replaceAll('|', '\\|')} |`,
      );
    }
  }
  return rows.join('\n');
}
