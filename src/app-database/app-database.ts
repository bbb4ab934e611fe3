import type { Kysely } from 'kysely';
import { dialectForUrl, redactUrl } from '../datasource/index.ts';
import { AppDatabaseUnavailableError, ServiceError } from '../errors/index.ts';

/** The service's own database: traces, feedback (and later API keys). */
export interface AppDatabase {
  readonly kysely: Kysely<any>;
  readonly engine: 'pglite' | 'postgres';
  /** The URL without its password, for messages. */
  readonly location: string;
  close(): Promise<void>;
}

/**
 * Opens the app database: `pglite:<dir>` (embedded, one process at a time: a second process gets a clear
 * error instead of a corrupted directory) or `postgres://…` (shared by replicas).
 *
 * @throws AppDatabaseUnavailableError naming the database (never its password) and the cause.
 */
export async function openAppDatabase(url: string): Promise<AppDatabase> {
  const location = redactUrl(url);
  const dialect = dialectForUrl(url);
  if (!dialect.embedded && dialect.sqlDialect !== 'postgres')
    throw new AppDatabaseUnavailableError(`The app database must be Postgres or embedded PGlite, not ${location}.`);
  try {
    const { driver } = await dialect.connect({ datasourceId: 'app', url, poolSize: 4, connectTimeoutMs: 5000 });
    return { kysely: await driver.kysely(), engine: dialect.embedded ? 'pglite' : 'postgres', location, close: () => driver.close() };
  } catch (error) {
    const heldBy = error instanceof ServiceError ? error.details.heldBy : undefined;
    if (dialect.embedded && typeof heldBy === 'number') {
      throw new AppDatabaseUnavailableError(
        `The app database ${location} is in use by process ${heldBy} (an embedded PGlite database serves one process). Stop that process, or set APP_DATABASE_URL to a Postgres database shared by both.`,
        { heldBy },
      );
    }
    throw unavailable(location, error);
  }
}

function unavailable(location: string, error: unknown): AppDatabaseUnavailableError {
  const message = error instanceof ServiceError || error instanceof Error ? error.message : String(error);
  return new AppDatabaseUnavailableError(`Cannot open the app database ${location}: ${message}`, {}, { cause: error });
}
