import type { Config } from './config/index.ts';
import { DatasourceRegistry } from './datasource/index.ts';
import { ensureEmbeddedFixture } from './fixtures/index.ts';
import { createLogger, type Logger } from './logging/index.ts';

/** The composition root: every concrete piece, built once from config, handed to HTTP and the CLI. */
export interface App {
  readonly config: Readonly<Config>;
  readonly logger: Logger;
  readonly datasources: DatasourceRegistry;
  close(): Promise<void>;
}

export function createApp(config: Readonly<Config>, options: { logger?: Logger } = {}): App {
  const logger = options.logger ?? createLogger(config.logLevel);
  const datasources = new DatasourceRegistry(config.datasources, {
    introspectionTtlMs: config.introspection.ttlMs,
    sampleBudgetMs: config.introspection.sampleBudgetMs,
    prepare: (datasource) => ensureEmbeddedFixture(datasource, (message) => logger.info(message, { datasource: datasource.id })),
  });
  return {
    config,
    logger,
    datasources,
    close: () => datasources.closeAll(),
  };
}
