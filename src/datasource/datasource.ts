import { assembleSchemas, type Introspector } from './catalog.ts';
import type { DatasourceConfig } from './datasource-config.ts';
import type { DatasourceDriver, DialectAdapter } from './driver.ts';
import { MysqlIntrospector } from './mysql/mysql-introspector.ts';
import { createMysqlDriver } from './mysql/mysql-driver.ts';
import { createPgliteDriver } from './pglite/pglite-driver.ts';
import { createPostgresDriver } from './postgres/postgres-driver.ts';
import { PostgresIntrospector } from './postgres/postgres-introspector.ts';
import { redactUrl } from './redact-url.ts';
import { collectSampleValues } from './sample-values.ts';
import type { SchemaMeta } from './schema-meta.ts';
import { computeSchemaVersion } from './schema-version.ts';
import { toPostgresServiceError } from './postgres/postgres-errors.ts';
import { toMysqlServiceError } from './mysql/mysql-errors.ts';

/** Options for introspection that are not per datasource. */
export interface IntrospectionOptions {
  /** Time budget for collecting sample values. */
  sampleBudgetMs: number;
  /** Injected clock, for deterministic `introspectedAt` in tests. */
  now?: () => Date;
}

/**
 * One open datasource: the dialect's driver (connection role), its introspector, and its config.
 * Open with `Datasource.open(config)`; the URL's scheme picks the dialect.
 */
export class Datasource {
  private constructor(
    readonly config: Readonly<DatasourceConfig>,
    readonly driver: DatasourceDriver,
    private readonly introspector: Introspector,
    private readonly toServiceError: (error: unknown) => Error,
  ) {}

  static async open(config: DatasourceConfig): Promise<Datasource> {
    const common = { datasourceId: config.id, url: config.url, poolSize: config.poolSize, connectTimeoutMs: config.connectTimeoutMs };
    if (config.url.startsWith('pglite:')) {
      const driver = await createPgliteDriver(common);
      return new Datasource(config, driver, new PostgresIntrospector(driver.kysely), (error) => toPostgresServiceError(error, config.id));
    }
    if (/^(mysql|mariadb):/.test(config.url)) {
      const driver = await createMysqlDriver(common);
      return new Datasource(config, driver, new MysqlIntrospector(driver.kysely), (error) => toMysqlServiceError(error, config.id));
    }
    const driver = await createPostgresDriver(common);
    return new Datasource(config, driver, new PostgresIntrospector(driver.kysely), (error) => toPostgresServiceError(error, config.id));
  }

  get id(): string {
    return this.config.id;
  }

  get adapter(): DialectAdapter {
    return this.driver.adapter;
  }

  /** The URL with its password masked. */
  get displayUrl(): string {
    return redactUrl(this.config.url);
  }

  /** Reads the live catalog (uncached; see `DatasourceRegistry.schema` for the cached path). */
  async introspect(options: IntrospectionOptions): Promise<SchemaMeta> {
    try {
      const schemaNames = this.config.schemas ?? (await this.introspector.defaultSchemas());
      const catalog = await this.introspector.readCatalog(schemaNames);
      const schemas = assembleSchemas(catalog, schemaNames);
      if (this.config.sampleValues) {
        await collectSampleValues(this.driver, schemas, {
          budgetMs: options.sampleBudgetMs,
          statementTimeoutMs: Math.min(this.config.statementTimeoutMs, 2000),
        });
      }
      return {
        datasource: this.id,
        dialect: this.adapter.dialect,
        engine: this.adapter.engine,
        serverVersion: this.driver.serverVersion,
        schemaVersion: computeSchemaVersion(schemas),
        introspectedAt: (options.now?.() ?? new Date()).toISOString(),
        schemas,
      };
    } catch (error) {
      throw this.toServiceError(error);
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}
