import type { Config } from './config/index.ts';
import { DatasourceRegistry, passwordOf } from './datasource/index.ts';
import { embeddedFixtureSchemas, ensureEmbeddedFixture } from './fixtures/embedded-fixture.ts';
import type { Logger } from './logging/index.ts';

/**
 * The composition root's datasource registry: the configured datasources, opened on first use, with the
 * embedded fixtures loaded the first time. Light to import, so a CLI command can start opening its
 * datasource while the rest of the app (agent, tracing, prompts) is still loading.
 */
export function createDatasourceRegistry(config: Readonly<Config>, logger: Logger): DatasourceRegistry {
  return new DatasourceRegistry(config.datasources, {
    introspectionTtlMs: config.introspection.ttlMs,
    sampleBudgetMs: config.introspection.sampleBudgetMs,
    prepare: (datasource) => ensureEmbeddedFixture(datasource, (message) => logger.info(message, { datasource: datasource.id })),
    // An embedded fixture changes only when it is loaded again: its introspected schema outlives the process.
    persistentSchemas: embeddedFixtureSchemas,
    onRefreshError: (datasource, error) =>
      logger.warn('schema not read again; serving the one known until the next attempt', {
        datasource,
        error: error instanceof Error ? error.message : String(error),
      }),
  });
}

/** Every credential the config holds, so the logger can mask it wherever it appears. */
export function configuredSecrets(config: Readonly<Config>): string[] {
  const secrets = [...config.datasources.map((datasource) => passwordOf(datasource.url)), passwordOf(config.appDatabase.url)];
  return [
    ...secrets,
    config.langfuse.secretKey,
    config.llm.apiKey,
    config.server.adminToken,
    config.server.metricsToken,
    config.cache.redisUrl ? passwordOf(config.cache.redisUrl) : null,
  ].filter((secret): secret is string => Boolean(secret));
}
