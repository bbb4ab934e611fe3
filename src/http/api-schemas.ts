import { z } from 'zod';
import { exampleSchema, exampleStatuses } from '../knowledge/index.ts';
import { promptConfigSchema } from '../prompts/index.ts';
import { isWellFormed } from '../text/index.ts';

/**
 * The HTTP API's bodies as zod schemas: the request schemas validate what routes accept, and the response
 * schemas describe what they return. Both feed the OpenAPI document (`openapi.ts`), and routes pass their
 * answers through `documented`, so a route whose answer drifts from its schema does not compile.
 *
 * Every schema that is a component of the document is registered here with its id.
 */
export const apiSchemas = {
  /** Request bodies, described as a client sends them (defaults make a field optional). */
  requests: z.registry<{ id: string; description?: string }>(),
  /** Response bodies, described as the service sends them. */
  responses: z.registry<{ id: string; description?: string }>(),
};

const named = <S extends z.ZodType>(id: string, description: string, schema: S): S => {
  apiSchemas.responses.add(schema, { id, description });
  return schema;
};
const requestBody = <S extends z.ZodType>(id: string, description: string, schema: S): S => {
  apiSchemas.requests.add(schema, { id, description });
  return schema;
};

/** Objects described only in part: the document allows the fields they do not list. */
export const openObjects = new WeakSet<object>();
/** An object of which the document lists some fields and allows others. */
const openObject = <Shape extends z.ZodRawShape>(shape: Shape) => {
  const schema = z.object(shape);
  openObjects.add(schema);
  return schema;
};

/** Types a route's answer as its documented schema's: a compile-time check, no run-time cost. */
export function documented<S extends z.ZodType>(_schema: S, value: z.input<S>): z.input<S> {
  return value;
}

const isoInstant = z.string().describe('ISO 8601 date-time, UTC');
const traceId = z.string().regex(/^[0-9a-f]{32}$/);
const labelName = z.string().regex(/^[a-z][a-z0-9_-]{0,35}$/, 'a label uses lower-case letters, digits, _ and -');

// ---------------------------------------------------------------------------------------------- errors

export const errorResponseSchema = named(
  'ErrorResponse',
  'Every error, on every route, including those raised before a route runs (bad JSON, bad encoding, body too large).',
  z.object({
    error: z.object({
      code: z.string().describe('A stable code, such as `invalid_input` or `datasource_not_found`.'),
      message: z.string().describe('What went wrong and what to do, for a person.'),
      details: z.record(z.string(), z.unknown()).optional().describe('Machine-readable specifics, such as `field`.'),
      traceId: traceId.optional().describe('The trace of a failed question, to look up the failing step.'),
      requestId: z.string().describe('The X-Request-Id of the request.'),
    }),
  }),
);

// ---------------------------------------------------------------------------------------------- health

export const healthSchema = named('Health', 'The process answers.', z.object({ status: z.literal('ok') }));

export const readinessSchema = named(
  'Readiness',
  'Whether to send this instance traffic, with each dependency checked.',
  z.object({
    status: z.enum(['ready', 'not_ready', 'draining']),
    checks: z.record(z.string(), z.object({ ready: z.boolean(), detail: z.string() })),
  }),
);

// ---------------------------------------------------------------------------------------------- datasources

const typeFamily = z.enum(['text', 'integer', 'decimal', 'date', 'timestamp', 'boolean', 'json', 'other']);

export const datasourceSummarySchema = named(
  'Datasource',
  'A configured datasource, without credentials.',
  z.object({
    id: z.string(),
    url: z.string().describe('The connection URL with the password masked.'),
    description: z.string().nullable(),
    dialect: z.enum(['postgres', 'mysql']),
    rowCap: z.number().int(),
    statementTimeoutMs: z.number().int(),
  }),
);

export const datasourceListSchema = named(
  'DatasourceList',
  'The datasources the caller may use.',
  z.object({ datasources: z.array(datasourceSummarySchema) }),
);

const columnMetaSchema = named(
  'ColumnMeta',
  'A column of the live schema.',
  z.object({
    name: z.string(),
    dataType: z.string(),
    typeFamily,
    nullable: z.boolean(),
    isPrimaryKey: z.boolean(),
    references: z.object({ schema: z.string(), table: z.string(), column: z.string() }).nullable(),
    comment: z.string().nullable(),
    sampleValues: z.array(z.string()).optional(),
  }),
);

const tableMetaSchema = named(
  'TableMeta',
  'A table or view of the live schema.',
  z.object({
    schema: z.string(),
    name: z.string(),
    kind: z.enum(['table', 'view']),
    comment: z.string().nullable(),
    rowEstimate: z.number().nullable(),
    primaryKey: z.array(z.string()),
    foreignKeys: z.array(
      z.object({
        columns: z.array(z.string()),
        references: z.object({ schema: z.string(), table: z.string(), columns: z.array(z.string()) }),
      }),
    ),
    columns: z.array(columnMetaSchema),
  }),
);

export const schemaMetaSchema = named(
  'SchemaMeta',
  "A datasource's introspected schema (the allowed schemas only).",
  z.object({
    datasource: z.string(),
    dialect: z.enum(['postgres', 'mysql']),
    engine: z.enum(['postgres', 'pglite', 'mysql', 'mariadb']),
    serverVersion: z.string(),
    schemaVersion: z.string(),
    introspectedAt: isoInstant,
    schemas: z.array(z.object({ name: z.string(), tables: z.array(tableMetaSchema) })),
  }),
);

export const datasourceQuestionsSchema = named(
  'DatasourceQuestions',
  "Questions to offer under a question box: the datasource's verified examples, and the questions last answered on it.",
  z.object({
    datasource: z.string(),
    suggested: z.array(z.string()).describe("The questions of the datasource's verified examples (its knowledge file)."),
    recent: z
      .array(z.string())
      .describe("Questions answered on it lately, newest first, each once: anyone's with the read scope, else the caller's own."),
  }),
);

export const datasourceRefreshedSchema = named(
  'DatasourceRefreshed',
  'The schema was read again.',
  z.object({ datasource: z.string(), schemaVersion: z.string(), introspectedAt: isoInstant }),
);

export const cacheInvalidatedSchema = named(
  'CacheInvalidated',
  'Every cached answer of the datasource is now a miss.',
  z.object({ datasource: z.string(), invalidated: z.literal(true) }),
);

// ---------------------------------------------------------------------------------------------- questions

export const queryRequestSchema = requestBody(
  'QueryRequest',
  'A question for the DB agent.',
  z
    .object({
      datasource: z.string().min(1).max(100),
      question: z.string().min(1),
      userId: z.string().min(1).max(200).optional().describe('Routes A/B tests; the API key id stands in when absent.'),
      sessionId: z.string().min(1).max(200).optional(),
      label: labelName.optional().describe('A prompt label to use instead of the routed one (admin scope).'),
      cache: z.enum(['use', 'bypass', 'refresh']).optional(),
      timeoutMs: z.number().int().min(100).max(3_600_000).optional().describe("A shorter deadline than the service's."),
      today: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
        .optional()
        .describe('The day relative dates mean (admin scope).'),
    })
    .strict(),
);

const modelUsageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  calls: z.number().int(),
  estimated: z.boolean(),
  costUsd: z.number().nullable(),
});

export const agentStepSchema = named(
  'AgentStep',
  'One tool call of the agent loop.',
  z.object({
    index: z.number().int(),
    tool: z.string(),
    arguments: z.unknown(),
    summary: z.string(),
    error: z.string().nullable(),
    sqlError: z
      .object({
        code: z.enum(['sql_rejected', 'sql_timeout', 'sql_error', 'result_too_large']),
        databaseCode: z.string().nullable(),
      })
      .nullable(),
    durationMs: z.number(),
    rowCount: z.number().int().optional(),
    dbMs: z.number().optional(),
  }),
);

export const queryResultSchema = named(
  'QueryResult',
  'An answer: the SQL, its rows, a sentence, and how it was made (prompt, model, tiers, usage, cost, cache).',
  z.object({
    answer: z.string(),
    explanation: z.string().nullable(),
    sql: z.string(),
    columns: z.array(z.object({ name: z.string(), dataType: z.string(), typeFamily })),
    rows: z.array(z.array(z.unknown())),
    truncated: z.boolean(),
    datasource: z.string(),
    schemaVersion: z.string(),
    prompt: z.string(),
    label: z.string(),
    promptVersion: z.number().int(),
    promptIsFallback: z.boolean(),
    routing: z.object({
      label: z.string(),
      reason: z.string().describe('`override`, `experiment:<name>` or `default`.'),
      assignment: z.enum(['sticky', 'random']).optional(),
      bucket: z.number().optional(),
    }),
    model: z.string(),
    tier: z.string(),
    attempts: z.array(
      z.object({
        tier: z.string(),
        model: z.string(),
        outcome: z.enum(['answered', 'escalated']),
        reason: z.string().nullable(),
        message: z.string().nullable(),
        steps: z.array(agentStepSchema),
        usage: z.record(z.string(), modelUsageSchema),
        costUsd: z.number().nullable(),
        latencyMs: z.number(),
      }),
    ),
    complexity: z
      .object({
        score: z.number(),
        tables: z.number(),
        complexityWords: z.number(),
        lengthPoints: z.number(),
        startTier: z.number().int(),
      })
      .nullable(),
    warnings: z.array(z.string()),
    steps: z.array(agentStepSchema),
    calls: z.array(
      z.object({
        model: z.string(),
        usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), estimated: z.boolean() }),
        latencyMs: z.number(),
        finishReason: z.string(),
      }),
    ),
    usage: z.record(z.string(), modelUsageSchema),
    costUsd: z.number().nullable(),
    latency: z.object({ totalMs: z.number(), llmMs: z.number(), dbMs: z.number() }),
    traceId,
    verifiedExample: z.object({ id: z.string(), similarity: z.number() }).nullable(),
    cached: z.union([z.literal(false), z.literal('sql'), z.literal('rows')]),
    cacheAgeMs: z.number().nullable(),
  }),
);

/** The data of each server-sent event of `POST /v1/query` with `Accept: text/event-stream`. */
export const queryEventSchemas = {
  step: named(
    'QueryStepEvent',
    'event `step`: a tool call as it ends.',
    z.object({
      tier: z.string(),
      index: z.number().int(),
      tool: z.string(),
      arguments: z.unknown(),
      summary: z.string(),
      error: z.string().nullable(),
      durationMs: z.number(),
    }),
  ),
  sql: named('QuerySqlEvent', 'event `sql`: the final SQL.', z.object({ sql: z.string() })),
  result: queryResultSchema,
  done: named('QueryDoneEvent', 'event `done`: the stream ends here.', z.object({ traceId })),
  error: named(
    'QueryErrorEvent',
    'event `error`: the question failed after the stream started; `status` is what a JSON request would have got.',
    z.object({ status: z.number().int(), error: errorResponseSchema.shape.error }),
  ),
} as const;

// ---------------------------------------------------------------------------------------------- prompts

const promptVersionSchema = named(
  'PromptVersion',
  'One version of a prompt.',
  z.object({
    name: z.string(),
    version: z.number().int(),
    labels: z.array(z.string()),
    template: z.string(),
    config: promptConfigSchema,
    commitMessage: z.string().nullable(),
    createdAt: z.string().nullable(),
    source: z.enum(['local', 'langfuse']),
    isFallback: z.boolean(),
  }),
);
export { promptVersionSchema };

const promptSummarySchema = z.object({
  name: z.string(),
  versions: z.array(z.number().int()),
  labels: z.record(z.string(), z.number().int()),
});

export const promptListSchema = named(
  'PromptList',
  'Every prompt with its versions and where each label points.',
  z.object({ store: z.enum(['local', 'langfuse']), prompts: z.array(promptSummarySchema) }),
);

export const promptDetailSchema = named(
  'PromptDetail',
  "A prompt's labels and versions (without their templates).",
  z.object({
    name: z.string(),
    labels: z.record(z.string(), z.number().int()),
    labelHistory: z
      .record(z.string(), z.array(z.object({ version: z.number().int(), at: isoInstant.nullable() })))
      .describe(
        "Each label's moves on record, oldest first, the last being where it points now (a rollback removes the last); `at` is null where unknown.",
      ),
    versions: z.array(promptVersionSchema.omit({ template: true })),
  }),
);

export const promptDiffSchema = named(
  'PromptDiff',
  'Two versions compared line by line (`+` added, `-` removed, two spaces unchanged).',
  z.object({
    name: z.string(),
    a: z.object({ version: z.number().int(), labels: z.array(z.string()) }),
    b: z.object({ version: z.number().int(), labels: z.array(z.string()) }),
    config: z.array(z.string()),
    template: z.array(z.string()),
  }),
);

export const renderedPromptSchema = named(
  'RenderedPrompt',
  'A prompt version compiled against a datasource, as the agent would see it.',
  z.object({
    name: z.string(),
    version: z.number().int(),
    routing: z.object({ label: z.string(), reason: z.string() }),
    datasource: z.string(),
    tokenCount: z.number().int(),
    text: z.string(),
  }),
);

/** Text a prompt file can hold: no NUL, no lone surrogate. */
const storableText = (text: string) => !text.includes('\u0000') && isWellFormed(text);

export const newPromptVersionSchema = requestBody(
  'NewPromptVersion',
  'A new version of a prompt (it gets the `latest` label).',
  z
    .object({
      template: z
        .string()
        .max(200_000)
        .refine((text) => text.trim().length > 0, 'the template is empty')
        .refine(storableText, 'the template holds a NUL or a lone surrogate'),
      config: promptConfigSchema.optional(),
      commitMessage: z.string().trim().min(1).max(500).refine(storableText, 'the commit message holds a NUL or a lone surrogate'),
    })
    .strict(),
);

export const labelMoveSchema = requestBody(
  'LabelMove',
  'Where a label should point.',
  z.object({ version: z.number().int().positive() }).strict(),
);

export const labelMovedSchema = named(
  'LabelMoved',
  'Where the label points now.',
  z.object({ name: z.string(), label: z.string(), version: z.number().int() }),
);

export const promptInvalidatedSchema = named(
  'PromptInvalidated',
  'The next read of the prompt skips the cache on this instance.',
  z.object({ invalidated: z.string(), store: z.enum(['local', 'langfuse']) }),
);

export const promptInvalidateRequestSchema = requestBody(
  'PromptInvalidateRequest',
  'A prompt to re-read.',
  z.object({ name: z.string() }).strict(),
);

// ---------------------------------------------------------------------------------------------- knowledge

const knowledgeExampleSchema = named('KnowledgeExample', 'A question and the SQL that answers it.', exampleSchema);

export const exampleListSchema = named(
  'KnowledgeExampleList',
  "A datasource's examples.",
  z.object({ examples: z.array(knowledgeExampleSchema) }),
);

export const exampleEnvelopeSchema = named('KnowledgeExampleEnvelope', 'One example.', z.object({ example: knowledgeExampleSchema }));

export const newExampleSchema = requestBody(
  'NewKnowledgeExample',
  'A verified example; its SQL goes through the guard and must return rows.',
  z
    .object({
      question: z.string().trim().min(3, 'the question needs at least 3 characters').max(1000),
      sql: z.string().trim().min(1, 'the SQL is empty').max(4000),
    })
    .strict(),
);

export const knowledgeCheckSchema = named(
  'KnowledgeCheck',
  "A datasource's knowledge file checked against its live schema.",
  z.object({
    datasource: z.string(),
    file: z.string(),
    schemaVersion: z.string(),
    parses: z.boolean(),
    counts: z.object({
      glossary: z.number().int(),
      metrics: z.number().int(),
      joinHints: z.number().int(),
      examples: z.object(
        Object.fromEntries(exampleStatuses.map((status) => [status, z.number().int()])) as Record<
          (typeof exampleStatuses)[number],
          z.ZodNumber
        >,
      ),
    }),
    problems: z.array(z.string()),
  }),
);

// ---------------------------------------------------------------------------------------------- evals

export const evalRunListSchema = named(
  'EvalRunList',
  'Eval runs, newest first.',
  z.object({
    runs: z.array(
      z.object({
        runId: z.string(),
        createdAt: isoInstant,
        finishedAt: isoInstant.nullable(),
        complete: z.boolean(),
        mode: z.enum(['run', 'score']),
        datasets: z.array(z.string()),
        labels: z.array(
          z.object({
            label: z.string(),
            promptVersions: z.array(z.number().int()),
            accuracy: z.number().nullable(),
            items: z.number().int(),
          }),
        ),
        comparisons: z.array(z.object({ first: z.string(), second: z.string(), verdict: z.string(), pValue: z.number() })),
        hasReport: z.boolean(),
      }),
    ),
  }),
);

const accuracyCell = openObject({ accuracy: z.number().nullable() });

export const evalReportSchema = named(
  'EvalReport',
  "An eval run's report (report.json); `items` is empty with `?items=false`. The fields of labels, comparisons, cases and items are described in docs/evals.md.",
  openObject({
    format: z.literal(1),
    runId: z.string(),
    createdAt: isoInstant,
    finishedAt: isoInstant,
    complete: z.boolean(),
    stoppedBy: z.object({ code: z.string(), message: z.string() }).nullable(),
    mode: z.enum(['run', 'score']),
    parameters: openObject({ datasets: z.array(z.string()), labels: z.array(z.string()), prompt: z.string() }),
    datasets: z.array(z.object({ name: z.string(), file: z.string(), sha256: z.string(), cases: z.number().int() })),
    labels: z.array(openObject({ label: z.string(), promptVersions: z.array(z.number().int()), overall: accuracyCell })),
    comparisons: z.array(
      openObject({
        first: z.string(),
        second: z.string(),
        pValue: z.number(),
        verdict: z.enum(['better', 'worse', 'not_distinguishable']),
        sentence: z.string(),
      }),
    ),
    gate: z.object({ threshold: z.number(), passed: z.boolean(), failing: z.array(z.string()) }).nullable(),
    notes: z.array(z.string()),
    cases: z.array(openObject({ id: z.string(), dataset: z.string(), question: z.string(), goldSql: z.string() })),
    items: z.array(openObject({ key: z.string(), caseId: z.string(), label: z.string(), outcome: z.string() })),
    durationMs: z.number(),
  }),
);

// ---------------------------------------------------------------------------------------------- traces

const spanRecordSchema = named(
  'Span',
  'One span of a trace.',
  z.object({
    traceId,
    spanId: z.string(),
    parentSpanId: z.string().nullable(),
    name: z.string(),
    kind: z.enum(['trace', 'span', 'generation', 'tool', 'event']),
    startTime: isoInstant,
    endTime: isoInstant,
    durationMs: z.number(),
    level: z.enum(['DEFAULT', 'WARNING', 'ERROR']),
    statusMessage: z.string().nullable(),
    userId: z.string().nullable(),
    sessionId: z.string().nullable(),
    datasource: z.string().nullable(),
    label: z.string().nullable(),
    promptName: z.string().nullable(),
    promptVersion: z.number().int().nullable(),
    model: z.string().nullable(),
    inputTokens: z.number().nullable(),
    outputTokens: z.number().nullable(),
    costUsd: z.number().nullable(),
    attributes: z.record(z.string(), z.unknown()),
  }),
);

interface SpanNodeShape {
  span: z.input<typeof spanRecordSchema>;
  children: SpanNodeShape[];
}
const spanNodeSchema: z.ZodType<SpanNodeShape> = named(
  'SpanNode',
  'A span with its children, ordered by start time.',
  z.object({
    span: spanRecordSchema,
    get children() {
      return z.array(spanNodeSchema);
    },
  }),
);

export const traceListSchema = named(
  'TraceList',
  'Traces, newest first.',
  z.object({
    traces: z.array(
      z.object({
        traceId,
        name: z.string(),
        startTime: isoInstant,
        durationMs: z.number(),
        userId: z.string().nullable(),
        label: z.string().nullable(),
        promptVersion: z.number().int().nullable(),
        model: z.string().nullable(),
        totalCostUsd: z.number(),
        inputTokens: z.number(),
        outputTokens: z.number(),
        totalTokens: z.number(),
        hasError: z.boolean(),
        failed: z.boolean(),
      }),
    ),
  }),
);

/** One user's feedback on an answer, as stored locally. */
const feedbackRecordSchema = z.object({
  id: z.number().int(),
  traceId,
  score: z.number(),
  comment: z.string().nullable(),
  createdAt: isoInstant,
});

export const traceTreeSchema = named(
  'TraceTree',
  'One trace as a tree, its spans as a flat list by start time, and the feedback given on it (oldest first).',
  z.object({ traceId, root: spanNodeSchema, spans: z.array(spanRecordSchema), feedback: z.array(feedbackRecordSchema) }),
);

export const statsSchema = named(
  'Stats',
  'Latency, success, tokens, cost, escalation and cache hits per group.',
  z.object({
    since: isoInstant,
    by: z.enum(['label', 'prompt_version', 'model', 'user', 'datasource']),
    groups: z.array(
      z.object({
        key: z.string().nullable(),
        count: z.number().int(),
        successRate: z.number(),
        latencyMs: z.object({ p50: z.number(), p95: z.number(), p99: z.number() }),
        meanInputTokens: z.number(),
        meanOutputTokens: z.number(),
        totalCostUsd: z.number(),
        meanCostUsd: z.number(),
        errorTypes: z.record(z.string(), z.number().int()),
        escalationRate: z.number(),
        cacheHitRate: z.number(),
        meanFeedbackScore: z.number().nullable(),
      }),
    ),
  }),
);

export const feedbackRequestSchema = requestBody(
  'FeedbackRequest',
  'Feedback on one answer: -1 thumbs down, 1 thumbs up, values between grade. A 1 files the answer as a candidate example.',
  z.object({
    traceId: traceId.describe("The answer's trace id (32 lowercase hexadecimal characters, not all zeros)."),
    score: z.number().min(-1).max(1),
    comment: z.string().max(2000).nullable().optional(),
  }),
);

export const feedbackResultSchema = named(
  'FeedbackResult',
  'Where the feedback went.',
  z.object({
    local: feedbackRecordSchema.nullable(),
    langfuse: z.enum(['sent', 'failed', 'disabled']),
    error: z.string().optional(),
    candidate: z.union([z.object({ id: z.string(), datasource: z.string() }), z.object({ skipped: z.string() })]).optional(),
  }),
);

// ---------------------------------------------------------------------------------------------- others

export const chatCompletionRequestSchema = requestBody(
  'ChatCompletionRequest',
  'An OpenAI chat completion request (served only by the offline-model endpoint; see the OpenAI API reference).',
  z.looseObject({ model: z.string(), messages: z.array(z.looseObject({ role: z.string() })) }),
);

export const chatCompletionSchema = named(
  'ChatCompletion',
  'An OpenAI chat completion.',
  z.looseObject({ id: z.string(), object: z.literal('chat.completion'), model: z.string(), choices: z.array(z.looseObject({})) }),
);

const jsonRpcDescription = 'A Model Context Protocol message (JSON-RPC 2.0) over streamable HTTP; see the MCP specification.';
export const jsonRpcMessageSchema = named('JsonRpcMessage', jsonRpcDescription, z.looseObject({ jsonrpc: z.literal('2.0') }));
requestBody('JsonRpcMessage', jsonRpcDescription, jsonRpcMessageSchema);
