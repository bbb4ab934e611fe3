import type { GuardedStatement, GuardPolicy } from '../sql/index.ts';
import { assembleSchemas, onlyTables, type Introspector } from './catalog.ts';
import type { DatasourceConfig } from './datasource-config.ts';
import type { Dialect } from './dialect.ts';
import { dialectForUrl } from './dialects.ts';
import type { DatasourceDriver, DialectAdapter } from './driver.ts';
import { gateSessions } from './session-gate.ts';
import { guardPolicyOf } from './guard-policy-of.ts';
import { executeReadOnly, type ExecuteOptions, type ReadOnlyResult } from './read-only-executor.ts';
import { redactUrl } from './redact-url.ts';
import { collectSampleValues } from './sample-values.ts';
import type { SchemaMeta } from './schema-meta.ts';
import { computeSchemaVersion } from './schema-version.ts';

/** Options for introspection that are not per datasource. */
export interface IntrospectionOptions {
  /** Time budget for collecting sample values. */
  sampleBudgetMs: number;
  /** Injected clock, for deterministic `introspectedAt` in tests. */
  now?: () => Date;
}

/**
 * One open datasource: its engine's dialect, the driver (connection role) and introspector it opened, and
 * its config. Open with `Datasource.open(config)`; the URL picks the dialect.
 */
export class Datasource {
  /** What the guard lets this datasource's statements read (schemas, tables, functions); see `guardPolicyOf`. */
  readonly guardPolicy: GuardPolicy;

  private constructor(
    readonly config: Readonly<DatasourceConfig>,
    /** The engine: capability flags, the guard's grammar, error mapping. */
    readonly dialect: Dialect,
    readonly driver: DatasourceDriver,
    private readonly introspector: Introspector,
  ) {
    this.guardPolicy = guardPolicyOf(config, driver.adapter);
  }

  static async open(config: DatasourceConfig): Promise<Datasource> {
    const dialect = dialectForUrl(config.url);
    const { driver, introspector } = await dialect.connect({
      datasourceId: config.id,
      url: config.url,
      poolSize: config.poolSize,
      connectTimeoutMs: config.connectTimeoutMs,
    });
    const gated = gateSessions(driver, {
      datasourceId: config.id,
      capacity: sessionCapacityOf(config, driver),
      maxWaitMs: config.sessionWaitMs,
    });
    return new Datasource(config, dialect, gated, introspector);
  }

  /**
   * Runs one statement safely: the guard in this engine's grammar first, then a read-only transaction
   * that is always rolled back, with the statement timeout, the row cap and the byte budget (see
   * `executeReadOnly`). Throws `SqlRejectedError`, `SqlTimeoutError`, `SqlExecutionError` or
   * `DatasourceUnavailableError`.
   */
  executeReadOnly(sql: string, options: ExecuteOptions = {}): Promise<ReadOnlyResult> {
    return executeReadOnly(this, sql, options);
  }

  /** The guard alone, as `executeReadOnly` applies it: this engine's grammar and this datasource's policy. */
  guard(sql: string): Promise<GuardedStatement> {
    return this.dialect.guard(sql, this.adapter.engine, this.guardPolicy);
  }

  get id(): string {
    return this.config.id;
  }

  /** Sessions it holds at once: the pool's size, or fewer where the engine has fewer (PGlite: one). */
  get sessionCapacity(): number {
    return sessionCapacityOf(this.config, this.driver);
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
      const read = await this.introspector.readCatalog(schemaNames);
      const catalog = this.guardPolicy.tables ? onlyTables(read, this.guardPolicy.tables, this.guardPolicy.defaultSchema) : read;
      const schemas = assembleSchemas(catalog, schemaNames);
      if (this.config.sampleValues) {
        await collectSampleValues(this.driver, schemas, {
          budgetMs: options.sampleBudgetMs,
          statementTimeoutMs: Math.min(this.config.statementTimeoutMs, 2000),
          concurrency: Math.min(this.sessionCapacity, 4),
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
      throw this.dialect.toServiceError(error, this.id);
    }
  }

  async close(): Promise<void> {
    await this.driver.close();
  }
}

/** The pool's size, or fewer where the driver holds fewer sessions at once (PGlite: one). */
function sessionCapacityOf(config: Pick<DatasourceConfig, 'poolSize'>, driver: Pick<DatasourceDriver, 'maxSessions'>): number {
  return Math.min(config.poolSize, driver.maxSessions ?? config.poolSize);
}
