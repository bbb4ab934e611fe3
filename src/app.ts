import { DbAgent } from './agent/index.ts';
import { createResultCache, type ResultCache } from './cache/index.ts';
import type { Config } from './config/index.ts';
import { DatasourceRegistry, passwordOf } from './datasource/index.ts';
import { ensureEmbeddedFixture } from './fixtures/index.ts';
import { createLogger, type Logger } from './logging/index.ts';
import { ServiceMetrics } from './metrics/index.ts';
import { createTierProvider, defaultModelPrices, type ModelProvider } from './llm/index.ts';
import { createPromptStore, PromptService, type PromptStoreSettings } from './prompts/index.ts';
import { QueryService } from './query/index.ts';

/** The composition root: every concrete piece, built once from config, handed to HTTP and the CLI. */
export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly datasources: DatasourceRegistry;
  /** Label routing, the configured prompt store, and compilation. */
  readonly prompts: PromptService;
  /** Questions in, validated SQL, rows and a short answer out (no cache). */
  readonly agent: DbAgent;
  /** The agent behind the result cache: what HTTP and the CLI call. */
  readonly queries: QueryService;
  readonly cache: ResultCache;
  /** Prometheus metrics on the service's own registry (the HTTP hardening issue mounts /metrics). */
  readonly metrics: ServiceMetrics;
  close(): Promise<void>;
}

export interface AppOptions {
  logger?: Logger;
  /** Injected clock and randomness, for deterministic tests. */
  now?: () => Date;
  random?: () => number;
  /** Replaces the configured models (tests use a scripted model). */
  models?: ModelProvider;
  generateId?: () => string;
  /** Replaces the configured result cache. */
  cache?: ResultCache;
}

/** What the prompt stores need from config, in one place (the CLI's push and pull build both stores). */
export function promptStoreSettings(config: Readonly<Config>): PromptStoreSettings {
  return { ...config.prompts, dataDir: config.dataDir, langfuse: config.langfuse };
}

/** Every credential the config holds, so the logger can mask it wherever it appears. */
export function configuredSecrets(config: Readonly<Config>): string[] {
  const secrets = config.datasources.map((datasource) => passwordOf(datasource.url));
  return [...secrets, config.langfuse.secretKey, config.llm.apiKey, config.server.adminToken, config.cache.redisUrl ? passwordOf(config.cache.redisUrl) : null].filter((secret): secret is string => Boolean(secret));
}

export function createApp(config: Readonly<Config>, options: AppOptions = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel, { secrets: configuredSecrets(config) });
  const datasources = new DatasourceRegistry(config.datasources, {
    introspectionTtlMs: config.introspection.ttlMs,
    sampleBudgetMs: config.introspection.sampleBudgetMs,
    prepare: (datasource) => ensureEmbeddedFixture(datasource, (message) => logger.info(message, { datasource: datasource.id })),
  });
  const prompts = new PromptService(createPromptStore(promptStoreSettings(config), logger), {
    experiments: config.prompts.experiments,
    defaultLabel: config.prompts.defaultLabel,
    today: config.prompts.today,
    now: options.now,
    random: options.random,
  });
  const agent = new DbAgent({
    datasources,
    prompts,
    ...(options.models ? { models: options.models } : { tiers: createTierProvider(config.llm, config.cascade.tiers) }),
    cascade: config.cascade,
    limits: config.agent,
    prices: { ...defaultModelPrices, ...config.llm.prices },
    generateId: options.generateId,
  });
  const cache = options.cache ?? createResultCache(config.cache, logger);
  const metrics = new ServiceMetrics({ datasources: config.datasources.map((datasource) => datasource.id) });
  const queries = new QueryService({ agent, cache, rowsTtlMs: config.cache.rowsTtlMs, logger, metrics, generateId: options.generateId });
  return {
    config,
    logger,
    datasources,
    prompts,
    agent,
    queries,
    cache,
    metrics,
    close: async () => {
      await cache.close();
      await datasources.closeAll();
    },
  };
}
