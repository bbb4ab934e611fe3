import { sql, type Kysely } from 'kysely';
import { spanKinds, spanLevels } from './span-record.ts';

/** One step of the store's schema. Versions are positive integers applied in ascending order, once each. */
export interface SchemaMigration {
  version: number;
  /** A short description, recorded next to the version. */
  name: string;
  /** Run in order inside one transaction; one statement per entry (PGlite runs one per call). */
  statements: readonly string[];
}

const quotedList = (values: readonly string[]) => values.map((value) => `'${value}'`).join(', ');

/** The store's schema, oldest first. Append new versions; never edit an applied one. */
export const spanStoreMigrations: readonly SchemaMigration[] = [
  {
    version: 1,
    name: 'create spans',
    statements: [
      `CREATE TABLE spans (
        trace_id text NOT NULL,
        span_id text NOT NULL,
        parent_span_id text,
        name text NOT NULL,
        kind text NOT NULL CHECK (kind IN (${quotedList(spanKinds)})),
        start_time timestamptz NOT NULL,
        end_time timestamptz NOT NULL,
        duration_ms double precision NOT NULL,
        level text NOT NULL CHECK (level IN (${quotedList(spanLevels)})),
        status_message text,
        user_id text,
        session_id text,
        datasource text,
        label text,
        prompt_name text,
        prompt_version integer,
        model text,
        input_tokens integer,
        output_tokens integer,
        cost_usd double precision,
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        -- Also the index on trace_id: it leads the key.
        PRIMARY KEY (trace_id, span_id)
      )`,
      'CREATE INDEX spans_start_time_index ON spans (start_time)',
      'CREATE INDEX spans_user_id_index ON spans (user_id)',
      'CREATE INDEX spans_label_index ON spans (label)',
    ],
  },
  {
    version: 2,
    name: 'create feedback',
    statements: [
      `CREATE TABLE feedback (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        trace_id text NOT NULL,
        score numeric NOT NULL CHECK (score BETWEEN -1 AND 1),
        comment text,
        created_at timestamptz NOT NULL
      )`,
      'CREATE INDEX feedback_trace_id_index ON feedback (trace_id)',
    ],
  },
];

/** Key of the advisory lock that serializes migrations across processes sharing one database. */
const migrationLockKey = 7_263_511;

/**
 * Applies the pending migrations up to `toVersion` (default: all), each in its own transaction that
 * also records its version in `schema_migrations`. Safe to re-run (applied versions are skipped) and to
 * run from several processes at once (an advisory lock serializes them; each re-checks under the lock).
 * Resolves to the versions this call applied.
 */
export async function applyMigrations(
  db: Kysely<any>,
  migrations: readonly SchemaMigration[],
  options: { toVersion?: number } = {},
): Promise<number[]> {
  checkMigrationList(migrations);
  await db.transaction().execute(async (transaction) => {
    await sql`SELECT pg_advisory_xact_lock(${sql.lit(migrationLockKey)})`.execute(transaction);
    await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`.execute(transaction);
  });
  const applied: number[] = [];
  for (const migration of migrations) {
    if (options.toVersion !== undefined && migration.version > options.toVersion) break;
    const ran = await db.transaction().execute(async (transaction) => {
      await sql`SELECT pg_advisory_xact_lock(${sql.lit(migrationLockKey)})`.execute(transaction);
      const existing = await sql`SELECT 1 FROM schema_migrations WHERE version = ${migration.version}`.execute(transaction);
      if (existing.rows.length > 0) return false;
      for (const statement of migration.statements) await sql.raw(statement).execute(transaction);
      await sql`INSERT INTO schema_migrations (version, name) VALUES (${migration.version}, ${migration.name})`.execute(transaction);
      return true;
    });
    if (ran) applied.push(migration.version);
  }
  return applied;
}

/** The versions recorded in `schema_migrations`, ascending; empty before the first migration. */
export async function appliedMigrationVersions(db: Kysely<any>): Promise<number[]> {
  const exists = await sql<{ present: boolean }>`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`.execute(db);
  if (!exists.rows[0]?.present) return [];
  const result = await sql<{ version: number }>`SELECT version FROM schema_migrations ORDER BY version`.execute(db);
  return result.rows.map((row) => Number(row.version));
}

function checkMigrationList(migrations: readonly SchemaMigration[]): void {
  let previous = 0;
  for (const migration of migrations) {
    if (!Number.isInteger(migration.version) || migration.version <= previous) {
      throw new Error(`Migration versions must be positive integers in ascending order; found ${migration.version} after ${previous}.`);
    }
    previous = migration.version;
  }
}
