import { z } from 'zod';
import { isDatasourceUrl } from './dialects.ts';

/** How a datasource is declared in config. Every option has a default. */
export const datasourceConfigSchema = z
  .object({
    /** The name callers use (`shop`); letters, digits, `_` and `-`. */
    id: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'an id starts with a letter and uses letters, digits, _ and -'),
    /** `postgres://…`, `postgresql://…`, `mysql://…`, `mariadb://…`, `pglite:memory` or `pglite:<directory>`. */
    url: z.string().refine(isDatasourceUrl, 'the url must start with postgres://, mysql://, mariadb:// or pglite:'),
    /**
     * Schemas to introspect and the only ones a statement may read (the guard refuses the rest); default:
     * every user schema (Postgres) or the database and its `<db>_*` siblings (MySQL, where a schema is a
     * database). System catalogs are refused either way. Postgres reads unqualified names in `public`
     * when it is allowed, else in the first schema listed.
     */
    schemas: z.array(z.string().min(1)).optional(),
    /**
     * When set, the only tables and views a statement may read (and introspection shows):
     * `schema.table`, or `table` for the default schema (Postgres `public`, MySQL the URL's database).
     */
    tables: z.array(z.string().min(1)).optional(),
    /**
     * Functions a statement may call on top of the guard's allow-list (docs/sql-guard.md): `name`, or
     * `schema.name` for a qualified call. Deny-listed functions stay refused.
     */
    allowFunctions: z.array(z.string().regex(/^[^\s()]+$/, 'a function name, without parentheses')).optional(),
    /** Most rows a statement returns; one more is fetched so `truncated` is exact. Default 1000. */
    rowCap: z.number().int().min(1).max(100_000).default(1000),
    /** Most bytes of values a statement returns (roughly; the row cap still applies). Default 8 MiB. */
    maxResultBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 * 1024 * 1024)
      .default(8 * 1024 * 1024),
    /** Statement timeout in milliseconds, for the whole request (planning and fetching). Default 10 000. */
    statementTimeoutMs: z.number().int().min(10).max(600_000).default(10_000),
    /** Whether introspection collects up to five sample values of low-cardinality text columns. Default true. */
    sampleValues: z.boolean().default(true),
    /** Most open connections in the pool (PGlite is always one). Default 5. */
    poolSize: z.number().int().min(1).max(100).default(5),
    /** Connection timeout in milliseconds. Default 5000. */
    connectTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
    /**
     * Longest wait for a free session (all `poolSize` in use) before `datasource_busy` (503, `Retry-After`);
     * a request's deadline shortens it. Default 30 000.
     */
    sessionWaitMs: z.number().int().min(0).max(600_000).default(30_000),
    /**
     * Agent runs at once on this datasource; more wait in a queue of `maxQueuedRuns`, and beyond that are
     * refused at once with `datasource_busy`. Default 256 (or twice `poolSize` if more): a run mostly waits for the
     * model, and holds a session only while its SQL runs.
     */
    maxConcurrentRuns: z.number().int().min(1).max(1000).optional(),
    /** Agent runs that may wait for a place (see `maxConcurrentRuns`). Default 100. */
    maxQueuedRuns: z.number().int().min(0).max(100_000).default(100),
    /** A fixture to load on first use when the database has not been loaded yet (embedded PGlite only). */
    fixture: z.string().optional(),
    /** Pinned "today" (`YYYY-MM-DD`) for relative dates on this datasource, such as a fixture's; default: the real date. */
    today: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
      .optional(),
    /** A human description shown in listings. */
    description: z.string().optional(),
    /** This datasource's knowledge file; default `<knowledge.directory>/<id>.yaml` (or its fixture's, when it has none). */
    knowledge: z.string().min(1).optional(),
  })
  .strict();

export type DatasourceConfig = z.infer<typeof datasourceConfigSchema>;
export type DatasourceConfigInput = z.input<typeof datasourceConfigSchema>;
