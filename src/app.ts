import path from 'node:path';
import { agentPromptName, DbAgent } from './agent/index.ts';
import { openAppDatabase, type AppDatabase } from './app-database/index.ts';
import { createResultCache, type ResultCache } from './cache/index.ts';
import { RateLimits } from './http/rate-limits.ts';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Config } from './config/index.ts';
import { configuredSecrets, createDatasourceRegistry } from './app-datasources.ts';
import { dialectForUrl, type DatasourceConfig, type DatasourceRegistry, type ReferenceOptions } from './datasource/index.ts';
import type { EvalResultSink, InProcessAgent } from './evals/index.ts';
import { AppDatabaseUnavailableError } from './errors/index.ts';
import { createLogger, type Logger } from './logging/index.ts';
import { ServiceMetrics } from './metrics/index.ts';
import { createTierProvider, defaultModelPrices, singleModelTiers, type ModelProvider } from './llm/index.ts';
import { fileFeedbackCandidate, KnowledgeService, type CandidateFiling } from './knowledge/index.ts';
import { createPromptStore, PromptService, type PromptStoreSettings } from './prompts/index.ts';
import { QueryService } from './query/index.ts';
import type { AlertManager } from './metrics/alerts/index.ts';
import { preloadTokenizer } from './text/index.ts';
import type { LocalSpanStore } from './tracing/local-store/index.ts';
// The spool alone: the span store (and kysely under it) loads when the app database is first opened.
import { drainSpanSpool, SpanSpool } from './tracing/local-store/span-spool.ts';
import { createTracing, type Tracing } from './tracing/otel/index.ts';
import { FeedbackService, type FeedbackInput, type FeedbackResult } from './tracing/feedback/index.ts';

/** The composition root: every concrete piece, built once from config, handed to HTTP and the CLI. */
export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly datasources: DatasourceRegistry;
  /** Label routing, the configured prompt store, and compilation. */
  readonly prompts: PromptService;
  /** Questions in, validated SQL, rows and a short answer out (no cache). */
  readonly agent: DbAgent;
  /** Per-datasource glossary, metrics, join hints and the example library. */
  readonly knowledge: KnowledgeService;
  /** The agent behind the result cache: what HTTP and the CLI call. */
  readonly queries: QueryService;
  readonly cache: ResultCache;
  /** Prometheus metrics on the service's own registry (the HTTP hardening issue mounts /metrics). */
  readonly metrics: ServiceMetrics;
  /** The OpenTelemetry provider with the Langfuse and local-store processors, and the request tracer. */
  readonly tracing: Tracing;
  /** The app database (traces, feedback), opened on first use. */
  appDatabase(): Promise<AppDatabase>;
  /** The local span store, migrated, opened on first use; null when `tracing.localStore` is off. */
  traceStore(): Promise<LocalSpanStore | null>;
  /** Per-caller rate limits (in Redis with `REDIS_URL`), made on first use. */
  rateLimits(): RateLimits;
  /**
   * A user's feedback on a trace, stored locally and sent to Langfuse as a `user_feedback` score. Spans
   * still queued are written first, so feedback right after an answer finds its trace. Positive feedback
   * (score 1) also files the trace's question and SQL as a candidate example of its datasource's knowledge:
   * `candidate` says which, or why none was filed (that never fails the feedback).
   */
  recordFeedback(input: FeedbackInput): Promise<AppFeedbackResult>;
  /** The alert rules being evaluated, once `startBackgroundTasks` has opened the trace store; else null. */
  alerts(): AlertManager | null;
  /** Starts what a long-running service does on a schedule: trace retention and alert rules. Stopped by `close`. */
  startBackgroundTasks(): void;
  /**
   * Readies, without waiting for it, what a first question on a datasource would otherwise wait for: its
   * guard's parser, the default label's prompt, its knowledge file parsed and, once the schema is known,
   * checked against it (what the
   * agent's prepare step reuses while the file and the schema are unchanged). `serve` warms every
   * datasource as it opens, a one-shot command the one it asks. Never rejects: a problem surfaces, and is
   * logged, when the datasource is used.
   */
  warm(reference: string, options?: ReferenceOptions): Promise<void>;
  /** Flushes traces, then closes the app database, the cache and every datasource. */
  close(): Promise<void>;
}

/** What became of one feedback: the stores', and with positive feedback the candidate example. */
export interface AppFeedbackResult extends FeedbackResult {
  /** Only with score 1: the candidate example filed, or why none was. */
  candidate?: CandidateFiling;
}

export interface AppOptions {
  logger?: Logger;
  /** Injected clock and randomness, for deterministic tests. */
  now?: () => Date;
  random?: () => number;
  /** Replaces the configured models (tests use a scripted model). */
  models?: ModelProvider;
  /** Replaces the configured result cache. */
  cache?: ResultCache;
  /** Extra span processors (tests use an in-memory exporter). */
  spanProcessors?: SpanProcessor[];
  /**
   * The datasource registry, when the caller built it already (`createDatasourceRegistry`) to start opening
   * a datasource while the rest of the app loads. Closed by `close` like its own.
   */
  datasources?: DatasourceRegistry;
  /**
   * Spool spans to files (`<dataDir>/trace-spool`) instead of opening an embedded app database: for
   * one-shot commands, where opening a second PGlite costs more than the question. The next process that
   * opens the span store loads them. Default false.
   */
  spoolTraces?: boolean;
  /**
   * Record Prometheus metrics of the questions asked (default true). A one-shot command that exposes none
   * turns this off; `app.metrics` is then made (and prom-client loaded) only if something reads it.
   */
  recordMetrics?: boolean;
}

/** What the prompt stores need from config, in one place (the CLI's push and pull build both stores). */
export function promptStoreSettings(config: Readonly<Config>): PromptStoreSettings {
  return { ...config.prompts, dataDir: config.dataDir, langfuse: config.langfuse };
}

export { configuredSecrets, createDatasourceRegistry } from './app-datasources.ts';

export function createApp(config: Readonly<Config>, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel, { secrets: configuredSecrets(config) });
  const datasources = options.datasources ?? createDatasourceRegistry(config, logger);
  // Every request counts prompt tokens; the tokenizer loads now, while a first request would wait for its
  // datasource anyway, instead of on that request's path.
  preloadTokenizer();
  const prompts = new PromptService(createPromptStore(promptStoreSettings(config), logger), {
    experiments: config.prompts.experiments,
    defaultLabel: config.prompts.defaultLabel,
    today: config.prompts.today,
    now: options.now,
    random: options.random,
  });
  const knowledge = new KnowledgeService({
    directory: config.knowledge.directory,
    reloadIntervalMs: config.knowledge.reloadIntervalMs,
    cacheDirectory: path.join(config.dataDir, 'knowledge-cache'),
    logger,
    now: options.now,
  });
  const agent = new DbAgent({
    datasources,
    prompts,
    knowledge: { service: knowledge, examplesPerQuestion: config.knowledge.examplesPerQuestion },
    tiers: options.models ? singleModelTiers(options.models) : createTierProvider(config.llm, config.cascade.tiers),
    cascade: config.cascade,
    limits: config.agent,
    prices: { ...defaultModelPrices, ...config.llm.prices },
  });
  const cache = options.cache ?? createResultCache(config.cache, logger);
  let serviceMetrics: ServiceMetrics | null = null;
  const metrics = () => (serviceMetrics ??= new ServiceMetrics({ datasources: config.datasources.map((datasource) => datasource.id) }));
  /** The metrics to record into, or null when this app records none. */
  const recorded = () => (options.recordMetrics === false ? null : metrics());

  let database: Promise<AppDatabase> | null = null;
  let databaseClosed = false;
  const appDatabase = () => {
    // Once closed, nothing opens it again (a late span or feedback would leave it open, and PGlite locked).
    if (databaseClosed) return Promise.reject(new AppDatabaseUnavailableError('The app database is closed: the app was closed.'));
    database ??= openAppDatabase(config.appDatabase.url).catch((error: unknown) => {
      database = null;
      throw error;
    });
    return database;
  };
  let spanStore: Promise<LocalSpanStore> | null = null;
  const spoolDirectory = path.join(config.dataDir, 'trace-spool');
  const traceStore = async (): Promise<LocalSpanStore | null> => {
    if (!config.tracing.localStore) return null;
    spanStore ??= (async () => {
      const [{ LocalSpanStore }, database] = await Promise.all([import('./tracing/local-store/index.ts'), appDatabase()]);
      const store = new LocalSpanStore(database.kysely, {
        retention: { maxAgeMs: config.tracing.retentionMaxAgeMs, maxSpans: config.tracing.retentionMaxSpans },
      });
      await store.migrate();
      // Spans that one-shot commands spooled while this database was not open.
      const loaded = await drainSpanSpool(store, spoolDirectory, (file, lines) =>
        logger.warn('spooled lines that are not spans were skipped', { file, lines }),
      ).catch((error: unknown) => {
        logger.warn('spooled spans could not be loaded; they stay spooled', { error: (error as Error).message });
        return 0;
      });
      if (loaded > 0) logger.info('loaded spooled spans', { spans: loaded });
      return store;
    })().catch((error: unknown) => {
      spanStore = null;
      throw error;
    });
    return spanStore;
  };
  // A one-shot command on an embedded app database spools its spans instead of opening it.
  const spool =
    options.spoolTraces && config.tracing.localStore && dialectForUrl(config.appDatabase.url).embedded
      ? new SpanSpool(spoolDirectory)
      : null;

  const tracing = createTracing({
    logger,
    langfuse: {
      publicKey: config.langfuse.publicKey,
      secretKey: config.langfuse.secretKey,
      baseUrl: config.langfuse.baseUrl,
      exportMode: config.tracing.langfuseExportMode,
      flushAt: config.tracing.langfuseFlushAt,
      flushIntervalSeconds: config.tracing.langfuseFlushIntervalSeconds,
      timeoutSeconds: config.langfuse.timeoutMs / 1000,
    },
    localStore: spool ?? (config.tracing.localStore ? traceStore : null),
    onExportFailure: (exporter) => recorded()?.recordTraceExportFailure(exporter),
    extraProcessors: options.spanProcessors,
    captureContent: config.tracing.captureContent,
    secrets: configuredSecrets(config),
  });
  const queries = new QueryService({
    agent,
    cache,
    rowsTtlMs: config.cache.rowsTtlMs,
    logger,
    metrics: recorded() ?? undefined,
    tracer: tracing.tracer,
    requestTimeoutMs: config.server.requestTimeoutMs,
  });

  const hasLangfuseKeys = Boolean(config.langfuse.publicKey && config.langfuse.secretKey);
  const feedback = new FeedbackService({
    localStore: config.tracing.localStore ? traceStore : null,
    langfuse: hasLangfuseKeys
      ? {
          publicKey: config.langfuse.publicKey,
          secretKey: config.langfuse.secretKey,
          baseUrl: config.langfuse.baseUrl,
          timeoutMs: config.langfuse.timeoutMs,
          secrets: configuredSecrets(config),
        }
      : null,
    logger,
    onExportFailure: () => recorded()?.recordTraceExportFailure('langfuse'),
  });
  let alertManager: AlertManager | null = null;
  let closed = false;

  const timers: NodeJS.Timeout[] = [];
  const applyRetention = async () => {
    try {
      const store = await traceStore();
      const deleted = store ? await store.applyRetention() : null;
      if (deleted && deleted.spansDeletedByAge + deleted.spansDeletedByCount > 0) logger.info('trace retention', { ...deleted });
    } catch (error) {
      logger.warn('trace retention failed', { error: (error as Error).message });
    }
  };
  /** Warm-ups under way: `close` lets them finish (briefly) rather than fail them by closing the datasources. */
  const warmups = new Set<Promise<void>>();
  const warmDatasource = async (reference: string, options: ReferenceOptions): Promise<void> => {
    let target: DatasourceConfig;
    try {
      target = datasources.resolve(reference, options);
    } catch {
      return;
    }
    datasources.loadGuard(reference, options);
    // The default label's prompt loads (files parsed, or fetched from Langfuse) while the database opens.
    prompts.store.get(agentPromptName, { label: config.prompts.defaultLabel }).catch(() => undefined);
    await knowledge.preload({ id: target.id, config: target });
    if (closed) return;
    try {
      const [datasource, meta] = await Promise.all([datasources.get(reference, options), datasources.schema(reference, options)]);
      if (!closed) await knowledge.forDatasource(datasource, meta);
    } catch {
      // The question that uses the datasource meets the same error, with its context.
    }
  };
  let limits: RateLimits | null = null;
  return {
    config,
    logger,
    datasources,
    prompts,
    agent,
    knowledge,
    queries,
    cache,
    get metrics() {
      return metrics();
    },
    tracing,
    appDatabase,
    traceStore,
    warm: (reference, options = {}) => {
      const warming = warmDatasource(reference, options);
      warmups.add(warming);
      void warming.finally(() => warmups.delete(warming));
      return warming;
    },
    rateLimits: () => (limits ??= new RateLimits({ redisUrl: config.cache.redisUrl, prefix: `${config.cache.prefix}:limits`, logger })),
    recordFeedback: async (input) => {
      await tracing.local?.forceFlush();
      const result = await feedback.recordFeedback(input);
      if (input.score !== 1) return result;
      const candidate = await fileFeedbackCandidate(
        knowledge,
        {
          traceId: input.traceId,
          answered: async () => {
            const trace = await (await traceStore())?.getTrace(input.traceId);
            return trace ? (await import('./tracing/local-store/index.ts')).answeredQuestionOf(trace) : null;
          },
          datasource: (id) => datasources.get(id),
        },
        logger,
      );
      return { ...result, candidate };
    },
    alerts: () => alertManager,
    startBackgroundTasks: () => {
      if (!config.tracing.localStore || timers.length > 0) return;
      const retention = setInterval(() => void applyRetention(), config.tracing.retentionIntervalMs);
      retention.unref();
      timers.push(retention);
      void applyRetention();
      if (config.alerts.rules.length > 0) {
        Promise.all([traceStore(), import('./metrics/alerts/index.ts')])
          .then(([store, { AlertManager }]) => {
            if (!store || closed) return;
            alertManager = new AlertManager({ store, config: config.alerts, logger });
            alertManager.start();
            logger.info('alert rules active', {
              rules: config.alerts.rules.map((rule) => rule.name),
              everyMs: config.alerts.evaluationIntervalMs,
            });
          })
          .catch((error: unknown) =>
            logger.warn('alert rules not started: the trace store is unavailable', { error: (error as Error).message }),
          );
      }
    },
    close: async () => {
      closed = true;
      for (const timer of timers.splice(0)) clearInterval(timer);
      // A knowledge check under way finishes first (bounded), instead of failing on a closed datasource.
      await settleWithin(Promise.all(warmups), 2000);
      // Bounded: an evaluation stuck on a hung app database must not keep the spans below from flushing.
      await settleWithin(alertManager?.close(), 5000);
      await feedback.close();
      // Spans first: the local processor writes into the app database, closed after it.
      await tracing.shutdown();
      await spool
        ?.close()
        .catch((error: unknown) => logger.warn('the trace spool could not be closed', { error: (error as Error).message }));
      databaseClosed = true;
      await cache.close();
      await limits?.close();
      await datasources.closeAll();
      if (database)
        await database.then(
          (opened) => opened.close(),
          () => undefined,
        );
    },
  };
}

/** Waits for `work` (never throwing), or at most `ms`. */
async function settleWithin(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (!work) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/**
 * The agent of an eval run: an app on the eval's datasources (fixtures on the chosen engine), quiet
 * below warnings so the progress display stays readable, closed by the eval when it ends.
 */
export function createEvalAgent(config: Readonly<Config>, datasources: DatasourceConfig[], options: AppOptions = {}): InProcessAgent {
  const app = createApp(
    Object.freeze({ ...config, datasources, logLevel: config.logLevel === 'info' ? 'warn' : config.logLevel }),
    options,
  );
  return {
    queries: app.queries,
    datasource: (id) => app.datasources.get(id),
    checkLabel: async (label) => {
      await app.prompts.store.get(agentPromptName, { label });
    },
    close: () => app.close(),
  };
}

/** Langfuse for eval results, when its keys are configured (loaded only then). */
export async function evalResultSink(config: Readonly<Config>): Promise<EvalResultSink | null> {
  const { publicKey, secretKey, baseUrl, timeoutMs } = config.langfuse;
  if (!publicKey || !secretKey) return null;
  const { LangfuseEvalReporter } = await import('./evals/index.ts');
  return new LangfuseEvalReporter({ publicKey, secretKey, baseUrl, timeoutMs });
}
