import { z } from 'zod';
import { datasourceConfigSchema } from '../datasource/datasource-config.ts';
import { dialectForUrl, isDatasourceUrl } from '../datasource/dialects.ts';
// Each room's config section comes from its schema file, not its index, so loading config loads no room.
import { tierConfigSchema } from '../llm/tier-config.ts';
import { experimentSchema } from '../prompts/experiment.ts';
import { alertsConfigSchema } from '../metrics/alerts/alerts-config.ts';

/**
 * The whole service configuration. Every field has a default, so an empty config starts the embedded
 * demo: PGlite datasources `shop` and `clinic` under `.data/`, loaded from `fixtures/` on first use.
 */
export const configSchema = z
  .object({
    server: z
      .object({
        /** Interface to listen on. Default `127.0.0.1`; set `0.0.0.0` in a container. */
        host: z.string().default('127.0.0.1'),
        /** TCP port. Default 8080. */
        port: z.number().int().min(0).max(65_535).default(8080),
        /** Also serve the offline model as an OpenAI-compatible `POST /v1/chat/completions`. Default false. */
        offlineModelEndpoint: z.boolean().default(false),
        /** A bearer token that grants the admin scope (label override, admin routes). Default: none, so nobody is admin. */
        adminToken: z.string().min(16).optional(),
        /** Largest accepted request body. Default `100kb`. */
        bodyLimit: z.string().default('100kb'),
        /**
         * Every question's deadline: past it, 504 `request_timeout` naming the running step, and its model
         * calls and SQL are aborted. A request may ask for less (`timeoutMs`), never more. Default 60 000.
         */
        requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(60_000),
        /**
         * API keys, by the SHA-256 of the key (never the key itself): each with an id (recorded as the user
         * of its requests when they name none), its scopes and the datasources it may query (`*`: all).
         * Without any key, auth is off, which is allowed only on a loopback address. `SQLAGENT_API_KEYS`
         * (a JSON array) sets them; `sqlagent keys create` makes one.
         */
        apiKeys: z
          .array(
            z
              .object({
                id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'a key id uses lower-case letters, digits, _ and -'),
                sha256: z.string().regex(/^[0-9a-f]{64}$/, 'the SHA-256 of the key, as 64 lower-case hex digits'),
                scopes: z.array(z.enum(['query', 'read', 'feedback', 'admin'])).min(1),
                datasources: z.array(z.string().min(1)).min(1).default(['*']),
                /** This key's requests per minute, over `server.rateLimit.requestsPerMinute`. */
                requestsPerMinute: z.number().int().min(0).optional(),
                /** This key's model spend per UTC day (USD), over `server.rateLimit.dailySpendUsd`. */
                dailySpendUsd: z.number().min(0).nullable().optional(),
              })
              .strict(),
          )
          .default([]),
        /**
         * Per API key (a key's own `requestsPerMinute` / `dailySpendUsd` override these): requests per minute
         * (0: none) and model spend per UTC day in USD (null: none), counted in Redis when `REDIS_URL` is set
         * so replicas share them. Over a limit: 429 with `Retry-After`. Nothing is counted with auth off.
         * Defaults 120 and null.
         */
        rateLimit: z
          .object({
            requestsPerMinute: z.number().int().min(0).default(120),
            dailySpendUsd: z.number().min(0).nullable().default(null),
          })
          .strict()
          .prefault({}),
        /** Origins a browser may call the API from (CORS); `*` for any. Default: none (CORS off). */
        corsOrigins: z
          .array(z.string().regex(/^(\*|https?:\/\/[^/\s]+)$/, 'an origin such as https://console.example.com, or *'))
          .default([]),
        /** When set, `GET /metrics` is served on this port only (same host), not on the API's. Default: the API's port. */
        metricsPort: z.number().int().min(0).max(65_535).optional(),
        /** When set, `GET /metrics` needs `Authorization: Bearer <metricsToken>` (`SQLAGENT_METRICS_TOKEN`). Default: open. */
        metricsToken: z.string().min(16).optional(),
        /** On SIGTERM, how long in-flight requests may finish before the server closes. Default 20 000. */
        shutdownGraceMs: z.number().int().min(0).max(600_000).default(20_000),
        /**
         * Serve the web console (ask, traces, prompts, stats, evals) at `/`, from its build in `dist/console/`.
         * It calls the same API with the same keys as any client. Default true; false leaves `/` unanswered (404).
         */
        console: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    /** Directory for embedded state (PGlite databases, later the trace store). Default `.data`. */
    dataDir: z.string().min(1).default('.data'),
    /** Named datasources. Default: `shop` and `clinic` on embedded PGlite (see `defaultDatasources`). */
    datasources: z.array(datasourceConfigSchema).optional(),
    introspection: z
      .object({
        /** How long an introspected schema is served from cache. Default 300 000 ms (5 minutes). */
        ttlMs: z.number().int().min(0).default(300_000),
        /** Time budget for sample values per introspection. Default 5000 ms. */
        sampleBudgetMs: z.number().int().min(0).default(5000),
      })
      .strict()
      .default({ ttlMs: 300_000, sampleBudgetMs: 5000 }),
    knowledge: z
      .object({
        /** The folder of `<datasource>.yaml` knowledge files (glossary, metrics, join hints, examples). Default `knowledge`. */
        directory: z.string().min(1).default('knowledge'),
        /** Most time before a change on disk is used. Default 1000 ms. */
        reloadIntervalMs: z.number().int().min(50).max(60_000).default(1000),
        /** Verified examples retrieved into the prompt per question. Default 3; 0 turns retrieval off. */
        examplesPerQuestion: z.number().int().min(0).max(20).default(3),
      })
      .strict()
      .prefault({}),
    prompts: z
      .object({
        /** `local` (files) or `langfuse`. Default: `langfuse` when both Langfuse keys are set, else `local`. */
        source: z.enum(['local', 'langfuse']).optional(),
        /** The local prompts folder (the store offline, the fallback online). Default `prompts`. */
        directory: z.string().min(1).default('prompts'),
        /** Most time before a change on disk is served (local store). Default 1000 ms. */
        reloadIntervalMs: z.number().int().min(50).max(60_000).default(1000),
        /** Label served when no override or experiment applies (`PROMPT_LABEL`). Default `production`. */
        defaultLabel: z
          .string()
          .regex(/^[a-z][a-z0-9_-]{0,35}$/)
          .default('production'),
        /** Langfuse SDK cache TTL in seconds; 0 turns caching off. Default 60. */
        cacheTtlSeconds: z.number().int().min(0).max(86_400).default(60),
        /** Pinned `today` for templates and relative dates (`SQLAGENT_TODAY`); default: the real date. */
        today: z
          .string()
          .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
          .nullable()
          .default(null),
        /** A/B tests and gray releases; see `experimentSchema`. Default none. */
        experiments: z.array(experimentSchema).default([]),
      })
      .strict()
      .prefault({}),
    langfuse: z
      .object({
        publicKey: z.string().min(1).optional(),
        secretKey: z.string().min(1).optional(),
        /** Default `https://cloud.langfuse.com`; self-hosted servers set `LANGFUSE_BASE_URL`. */
        baseUrl: z.string().url().default('https://cloud.langfuse.com'),
        /** Timeout of one request to Langfuse. Default 5000 ms. */
        timeoutMs: z.number().int().min(100).max(60_000).default(5000),
        /**
         * After a prompt fetch fails or times out, prompts come from the last good copy or the local files at
         * once for this long, without asking Langfuse (a circuit breaker). Default 30 000 ms.
         */
        breakerCooldownMs: z.number().int().min(0).max(3_600_000).default(30_000),
      })
      .strict()
      .prefault({}),
    llm: z
      .object({
        /** `openai` (any OpenAI-compatible server) or `offline`. Default: `openai` when an API key or base URL is set, else `offline`. */
        provider: z.enum(['openai', 'offline']).optional(),
        apiKey: z.string().min(1).optional(),
        /** For Azure OpenAI, vLLM, Ollama, llama.cpp server, LM Studio… (`OPENAI_BASE_URL`). */
        baseUrl: z.string().url().optional(),
        organization: z.string().min(1).optional(),
        /** Forces one model for every prompt version; otherwise the version's `config.model`, else `gpt-4o-mini`. */
        model: z.string().min(1).optional(),
        /** Per model call, retries included. Default 60 000 ms. */
        timeoutMs: z.number().int().min(100).max(600_000).default(60_000),
        /** Retries of 429, 5xx, timeouts and connection errors (exponential backoff, jitter, Retry-After). Default 3. */
        maxRetries: z.number().int().min(0).max(10).default(3),
        /**
         * After a tier's model is found down (its retries spent), the cascade skips it at once for this long
         * (a circuit breaker). Default 30 000 ms; 0 never skips.
         */
        breakerCooldownMs: z.number().int().min(0).max(3_600_000).default(30_000),
        /** USD per million tokens by model id, merged over the defaults (`defaultModelPrices`). */
        prices: z
          .record(z.string(), z.object({ inputPerMillion: z.number().min(0), outputPerMillion: z.number().min(0) }).strict())
          .default({}),
      })
      .strict()
      .prefault({}),
    cascade: z
      .object({
        /**
         * Ordered tiers, cheap first. Default: the offline model alone when no LLM is configured; one tier
         * when a model is forced or a custom base URL is set; else the prompt's model (gpt-4o-mini), then gpt-4o.
         */
        tiers: z.array(tierConfigSchema).optional(),
        /** Most attempts per question. Default: every tier once. */
        maxAttempts: z.number().int().min(1).max(10).optional(),
        /** Stop escalating once a request has cost this much (USD). Default: no budget. */
        maxCostUsd: z.number().positive().nullable().default(null),
        complexityRouting: z
          .object({
            /** Start complex questions at a higher tier. Default false. */
            enabled: z.boolean().default(false),
            /** The `questionComplexity` score from which to start higher. Default 5. */
            threshold: z.number().min(0).default(5),
            /** The tier index complex questions start at. Default 1 (the second tier). */
            startTier: z.number().int().min(0).default(1),
          })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    cache: z
      .object({
        /** Redis, shared by replicas (`REDIS_URL`); default: an in-process LRU. */
        redisUrl: z
          .string()
          .regex(/^rediss?:\/\//, 'use redis:// or rediss://')
          .optional(),
        /** Key namespace in Redis. Default `sqlagent:cache`. */
        prefix: z.string().min(1).default('sqlagent:cache'),
        /** How long an answer (its SQL) is kept. Default 86 400 000 ms (24 h). */
        entryTtlMs: z.number().int().min(1000).default(86_400_000),
        /** A hit younger than this returns the stored rows; older hits re-run the SQL. 0 = always re-run. Default 60 000 ms. */
        rowsTtlMs: z.number().int().min(0).default(60_000),
        /** In-memory cache bounds. Defaults 1000 entries and 50 MiB. */
        maxEntries: z.number().int().min(1).default(1000),
        maxBytes: z
          .number()
          .int()
          .min(1024)
          .default(50 * 1024 * 1024),
      })
      .strict()
      .prefault({}),
    agent: z
      .object({
        /** Model turns per question. Default 8. */
        maxSteps: z.number().int().min(1).max(50).default(8),
        /**
         * Let the model call several tools in one turn (OpenAI's `parallel_tool_calls`): it can look at the
         * tables it needs at once, in one turn instead of one each, and every turn re-sends the conversation.
         * The calls still run one after another. Default true.
         */
        parallelToolCalls: z.boolean().default(true),
        /** Longest question accepted. Default 2000 characters. */
        maxQuestionChars: z.number().int().min(10).max(100_000).default(2000),
        /** Longest tool result sent to the model. Default 8000 characters. */
        maxToolOutputChars: z.number().int().min(500).max(1_000_000).default(8000),
        /** Input plus output tokens per question, over all calls. Default 60 000. */
        maxTotalTokens: z.number().int().min(1000).default(60_000),
        /** Rows of a result the model sees. Default 20. */
        rowsShownToModel: z.number().int().min(1).max(500).default(20),
        /** The `row_limit` the prompt asks the model to use (never above the datasource's row cap). Default 100. */
        defaultRowLimit: z.number().int().min(1).default(100),
        /**
         * The budget of the prompt's table listing (`question_tables`), in estimated tokens: every table while
         * the whole listing fits, else the tables closest to the question, the rest left to `search_metadata`.
         * Default 700.
         */
        tableListingTokens: z.number().int().min(50).max(1_000_000).default(700),
        /**
         * The budget of the prompt's glossary and metrics (`question_glossary`, `question_metrics`), in tokens:
         * all of them while they fit, else those the question mentions. Default 400.
         */
        knowledgeListingTokens: z.number().int().min(0).max(1_000_000).default(400),
      })
      .strict()
      .prefault({}),
    appDatabase: z
      .object({
        /**
         * The service's own state (traces, feedback): `pglite:<dir>` or `postgres://…` (`APP_DATABASE_URL`).
         * Default: `pglite:<dataDir>/app`. Opened on first use, so commands that never need it never open it.
         */
        url: z
          .string()
          .refine((url) => isDatasourceUrl(url) && dialectForUrl(url).sqlDialect === 'postgres', 'use pglite:<dir> or postgres://')
          .optional(),
      })
      .strict()
      .prefault({}),
    tracing: z
      .object({
        /** Keep spans in the app database for `traces`, `stats` and alerts (`SQLAGENT_LOCAL_TRACES`). Default true. */
        localStore: z.boolean().default(true),
        /** Record model input messages and outputs on generations (they hold the schema, never credentials). Default true. */
        captureContent: z.boolean().default(true),
        /** Local store retention: traces older than this are deleted. Default 7 days. */
        retentionMaxAgeMs: z
          .number()
          .int()
          .min(60_000)
          .default(7 * 24 * 60 * 60 * 1000),
        /** Local store retention: at most this many spans, as whole traces, newest kept. Default 100 000. */
        retentionMaxSpans: z.number().int().min(100).default(100_000),
        /** How often retention runs in the service. Default 600 000 ms (10 minutes). */
        retentionIntervalMs: z.number().int().min(1000).default(600_000),
        /** Langfuse export: `batched` (default) or `immediate` (every span at once; for debugging). */
        langfuseExportMode: z.enum(['batched', 'immediate']).default('batched'),
        /** Spans per Langfuse export batch. Default 100. */
        langfuseFlushAt: z.number().int().min(1).max(10_000).default(100),
        /** Longest a span waits before export to Langfuse. Default 5 s. */
        langfuseFlushIntervalSeconds: z.number().min(0.1).max(600).default(5),
      })
      .strict()
      .prefault({}),
    /**
     * Alert rules over the local span store (latency, error rate, daily cost, cache hit rate, fallback
     * prompt), evaluated every `evaluationIntervalMs` by the service, with an optional webhook
     * (`SQLAGENT_ALERT_WEBHOOK_URL`). Default: no rules. See `alertsConfigSchema`.
     */
    alerts: alertsConfigSchema.prefault({}),
    evals: z
      .object({
        /** Where `eval` finds datasets by name (`shop` → `shop.yaml`). Default `evals/datasets`. */
        datasetsDir: z.string().min(1).default('evals/datasets'),
        /** Where runs and their reports are written, and what `GET /v1/evals/runs` lists. Default `evals/reports`. */
        reportsDir: z.string().min(1).default('evals/reports'),
      })
      .strict()
      .prefault({}),
    /** `debug`, `info`, `warn`, `error` or `silent`. Default `info`. */
    logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
type ParsedConfig = z.infer<typeof configSchema>;
export type Config = Omit<ParsedConfig, 'datasources' | 'prompts' | 'llm' | 'appDatabase'> & {
  appDatabase: { url: string };
  datasources: z.infer<typeof datasourceConfigSchema>[];
  prompts: ParsedConfig['prompts'] & { source: 'local' | 'langfuse' };
  llm: ParsedConfig['llm'] & { provider: 'openai' | 'offline' };
};

/** The embedded demo datasources, under `dataDir`. */
export function defaultDatasources(dataDir: string): z.input<typeof datasourceConfigSchema>[] {
  return [
    {
      id: 'shop',
      url: `pglite:${dataDir}/shop`,
      fixture: 'shop',
      today: '2025-07-01',
      description: 'Demo shop: customers, orders, payments (embedded PGlite)',
    },
    {
      id: 'clinic',
      url: `pglite:${dataDir}/clinic`,
      fixture: 'clinic',
      today: '2025-07-01',
      description: 'Demo clinic: patients, doctors, appointments (embedded PGlite)',
    },
  ];
}
