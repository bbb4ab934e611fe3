import { createHash } from 'node:crypto';
import { DatasourceNotFoundError, DatasourceUnavailableError, InvalidInputError } from '../errors/index.ts';
import { datasourceConfigSchema, type DatasourceConfig } from './datasource-config.ts';
import { Datasource, type IntrospectionOptions } from './datasource.ts';
import { dialectForUrl, isDatasourceUrl } from './dialects.ts';
import { redactUrl } from './redact-url.ts';
import type { SchemaMeta } from './schema-meta.ts';

/** How long a schema whose fresh read failed is served before the next attempt (at most the TTL). */
const refreshRetryMs = 30_000;

export interface DatasourceRegistryOptions extends IntrospectionOptions {
  /**
   * How long an introspected `SchemaMeta` is served before it is read again. Once it has expired, the next
   * request still gets it while the catalog is read behind it (stale while revalidating); 0 reads the
   * catalog on every request.
   */
  introspectionTtlMs: number;
  /** Told when reading an expired schema again failed (the known one is kept and served meanwhile). */
  onRefreshError?: (datasourceId: string, error: unknown) => void;
  /** Runs once after a configured datasource is first opened (for example, to load its fixture). */
  prepare?: (datasource: Datasource) => Promise<void>;
  /**
   * A schema cache that outlives the process, for datasources whose catalog and data change only in known
   * ways (an embedded fixture): `read` returns a saved `SchemaMeta` still valid for the datasource, or
   * null; `write` saves a fresh one. Errors of either are ignored (introspection is the source of truth).
   */
  persistentSchemas?: {
    read(datasource: Datasource): Promise<SchemaMeta | null>;
    write(datasource: Datasource, meta: SchemaMeta): Promise<void>;
  };
}

/** A datasource as listed to callers: no credentials. */
export interface DatasourceSummary {
  id: string;
  url: string;
  description: string | null;
  dialect: 'postgres' | 'mysql';
  rowCap: number;
  statementTimeoutMs: number;
}

export interface ReferenceOptions {
  /** Accept a connection URL as well as a configured id. */
  allowUrl?: boolean;
}

/**
 * The named datasources from config, opened lazily and kept open, with a TTL cache of their
 * introspected schema. A reference that is a URL opens an ad-hoc datasource with default options.
 */
export class DatasourceRegistry {
  private readonly configs = new Map<string, DatasourceConfig>();
  private readonly open = new Map<string, Promise<Datasource>>();
  private readonly schemas = new Map<string, { meta: SchemaMeta; expiresAt: number }>();
  private readonly inflight = new Map<string, Promise<SchemaMeta>>();
  /** Datasources whose schema this process has read once: a persisted schema stands in only for that first read. */
  private readonly schemaRead = new Set<string>();
  /** How the last open of each configured datasource went, for readiness. */
  private readonly openStates = new Map<string, { state: 'opening' | 'open' | 'failed'; error: string | null }>();
  private closed = false;

  constructor(
    configs: readonly DatasourceConfig[],
    private readonly options: DatasourceRegistryOptions,
  ) {
    for (const config of configs) this.configs.set(config.id, config);
  }

  list(): DatasourceSummary[] {
    return [...this.configs.values()].map((config) => ({
      id: config.id,
      url: redactUrl(config.url),
      description: config.description ?? null,
      dialect: dialectForUrl(config.url).sqlDialect,
      rowCap: config.rowCap,
      statementTimeoutMs: config.statementTimeoutMs,
    }));
  }

  /**
   * The config for a reference: a configured id, or (only with `allowUrl`, as the CLI does) a URL.
   * Throws `DatasourceNotFoundError` naming the known ids. The HTTP API never allows URLs, so callers
   * cannot make the service connect to servers of their choosing.
   */
  resolve(reference: string, options: ReferenceOptions = {}): DatasourceConfig {
    const known = this.configs.get(reference);
    if (known) return known;
    if (options.allowUrl && isDatasourceUrl(reference)) {
      const id = `url-${createHash('sha256').update(reference).digest('hex').slice(0, 10)}`;
      const parsed = datasourceConfigSchema.safeParse({ id, url: reference });
      if (!parsed.success)
        throw new InvalidInputError(`The datasource URL is invalid: ${parsed.error.issues[0]?.message}`, { field: 'datasource' });
      return parsed.data;
    }
    const ids = [...this.configs.keys()];
    throw new DatasourceNotFoundError(`Unknown datasource "${reference}". Known datasources: ${ids.length ? ids.join(', ') : '(none)'}.`, {
      datasource: reference,
      known: ids,
    });
  }

  /** Opens (once) and returns the datasource; after `closeAll` it refuses rather than open it again. */
  get(reference: string, options: ReferenceOptions = {}): Promise<Datasource> {
    const config = this.resolve(reference, options);
    if (this.closed)
      return Promise.reject(
        new DatasourceUnavailableError(`The datasource "${config.id}" is closed: its registry was shut down.`, { datasource: config.id }),
      );
    const key = this.configs.has(reference) ? reference : `url:${reference}`;
    let opening = this.open.get(key);
    if (!opening) {
      opening = (async () => {
        const datasource = await Datasource.open(config);
        try {
          if (this.options.prepare) await this.options.prepare(datasource);
        } catch (error) {
          await datasource.close();
          throw error;
        }
        return datasource;
      })();
      // A failed open is not cached: the next call tries again (the server may be back).
      this.openStates.set(key, { state: 'opening', error: null });
      opening.then(
        () => this.openStates.set(key, { state: 'open', error: null }),
        (error: unknown) => {
          this.open.delete(key);
          this.openStates.set(key, { state: 'failed', error: error instanceof Error ? error.message : String(error) });
        },
      );
      this.open.set(key, opening);
    }
    return opening;
  }

  /**
   * Where a configured datasource stands without waiting for it: never asked for, opening (an embedded
   * fixture may be loading), open, or failed at its last open (with why).
   */
  openState(id: string): { state: 'closed' | 'opening' | 'open' | 'failed'; error: string | null } {
    return this.openStates.get(id) ?? { state: 'closed', error: null };
  }

  /**
   * Starts, without waiting, what a first question on a datasource waits for: opening it, reading its
   * schema, then a first statement that warms the engine's caches. A one-shot command calls it before its
   * own modules load, so it pays for the slower of the two, not both. Never throws: an error surfaces
   * again, with its context, when the datasource is used.
   */
  warm(reference: string, options: ReferenceOptions = {}): void {
    let opening: Promise<Datasource>;
    try {
      opening = this.get(reference, options);
    } catch {
      return;
    }
    this.schema(reference, options).catch(() => undefined);
    opening.then((datasource) => datasource.executeReadOnly('SELECT 1')).catch(() => undefined);
  }

  /**
   * Loads the parser of a datasource's SQL grammar (Postgres's is WebAssembly) without opening it, so that
   * it loads while the database opens rather than after. Called once the opening has started: loading it
   * first would delay that. Never throws.
   */
  loadGuard(reference: string, options: ReferenceOptions = {}): void {
    let dialect;
    try {
      dialect = dialectForUrl(this.resolve(reference, options).url);
    } catch {
      return;
    }
    dialect.guard('SELECT 1', dialect.sqlDialect, { schemas: [], defaultSchema: null }).catch(() => undefined);
  }

  /**
   * The introspected schema, cached for `introspectionTtlMs`; `refresh` reads it again now. An expired
   * schema is still answered at once while one read of the catalog runs behind it, so no request (a cache
   * hit least of all) waits for an introspection, which on an embedded database also queues behind the
   * statements running there. The request after that read gets the new schema.
   */
  async schema(reference: string, options: ReferenceOptions & { refresh?: boolean } = {}): Promise<SchemaMeta> {
    const datasource = await this.get(reference, options);
    const cached = this.schemas.get(datasource.id);
    if (!options.refresh && cached) {
      if (cached.expiresAt > this.now()) return cached.meta;
      if (this.options.introspectionTtlMs > 0) {
        // A failed read keeps serving what is known (the request's own SQL meets a database that is down),
        // and is tried again after a pause rather than by every request behind it.
        this.readSchema(datasource, false).catch((error: unknown) => {
          const kept = this.schemas.get(datasource.id);
          if (kept === cached) kept.expiresAt = this.now() + Math.min(this.options.introspectionTtlMs, refreshRetryMs);
          this.options.onRefreshError?.(datasource.id, error);
        });
        return cached.meta;
      }
    }
    return this.readSchema(datasource, options.refresh ?? false);
  }

  /** Reads the schema (one read per datasource at a time) and caches it. */
  private readSchema(datasource: Datasource, refresh: boolean): Promise<SchemaMeta> {
    let running = this.inflight.get(datasource.id);
    if (!running) {
      // A persisted schema stands in for the first read of a process only: once it expires, the catalog is read.
      const persistent = this.schemaRead.has(datasource.id) ? undefined : this.options.persistentSchemas;
      this.schemaRead.add(datasource.id);
      running = (async () => {
        const saved = refresh || !persistent ? null : await persistent.read(datasource).catch(() => null);
        const meta = saved ?? (await datasource.introspect(this.options));
        if (!saved) await this.options.persistentSchemas?.write(datasource, meta).catch(() => undefined);
        this.schemas.set(datasource.id, { meta, expiresAt: this.now() + this.options.introspectionTtlMs });
        return meta;
      })();
      running.finally(() => this.inflight.delete(datasource.id)).catch(() => {});
      this.inflight.set(datasource.id, running);
    }
    return running;
  }

  /** The clock introspection stamps schemas with (`now`, which tests move), in epoch milliseconds. */
  private now(): number {
    return (this.options.now?.() ?? new Date()).getTime();
  }

  /** Drops the cached schema, so the next `schema()` reads the catalog. */
  invalidate(reference: string, options: ReferenceOptions = {}): void {
    this.schemas.delete(this.resolve(reference, options).id);
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const opened = [...this.open.values()];
    this.open.clear();
    await Promise.all(opened.map(async (opening) => (await opening.catch(() => null))?.close()));
  }
}
