import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { DatasourceUnavailableError } from '../../errors/index.ts';
import { SessionDeadline, withBackstop } from '../backstop.ts';
import { runOneByOne, type DatasourceDriver, type DriverSession, type RawResult } from '../driver.ts';
import { postgresAdapter } from './postgres-adapter.ts';
import { fetchThroughCursor, tightenedTimeout } from './postgres-cursor.ts';
import { toPostgresServiceError } from './postgres-errors.ts';
import { postgresTypeName, rawTextTypeOids } from './postgres-types.ts';

export interface PostgresDriverOptions {
  datasourceId: string;
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
}

const rawText = new Set<number>(rawTextTypeOids);
const typeParsers = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    rawText.has(oid) ? (value: string) => value : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/** A bounded node-postgres pool, shared by sessions and kysely. */
export async function createPostgresDriver(options: PostgresDriverOptions): Promise<DatasourceDriver> {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.poolSize,
    connectionTimeoutMillis: options.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    types: typeParsers,
  });
  // An idle client losing its server must not crash the process; the next checkout reports it.
  pool.on('error', () => {});
  const toError = (error: unknown) => toPostgresServiceError(error, options.datasourceId);

  let serverVersion: string;
  try {
    const result = await pool.query('SHOW server_version');
    serverVersion = String(result.rows[0].server_version);
  } catch (error) {
    await pool.end().catch(() => {});
    throw toError(error);
  }

  const adapter = postgresAdapter('postgres');
  const kysely = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });

  return {
    adapter,
    serverVersion,
    kysely: async () => kysely,
    async withSession(work, sessionOptions = {}) {
      let client: pg.PoolClient;
      try {
        client = await pool.connect();
      } catch (error) {
        throw toError(error);
      }
      const deadline = new SessionDeadline(sessionOptions.timeoutMs);
      let destroy = false;
      // A checked-out client whose server goes away emits 'error'; without a listener that would crash the process.
      const onClientError = () => (destroy = true);
      client.on('error', onClientError);
      const query = async (sql: string, params: readonly unknown[] = []): Promise<RawResult> => {
        if (destroy) throw new DatasourceUnavailableError('The connection was dropped after an earlier statement overran its time.');
        try {
          // The extended protocol runs exactly one statement per call, whatever the text contains.
          const running = client.query({
            text: sql,
            values: params as unknown[],
            rowMode: 'array',
            queryMode: 'extended',
          } as pg.QueryArrayConfig);
          const result = await withBackstop(running, deadline.remainingMs(), () => (destroy = true));
          return {
            fields: (result.fields ?? []).map((field) => ({ name: field.name, dataType: postgresTypeName(field.dataTypeID) })),
            rows: (result.rows ?? []) as unknown[][],
          };
        } catch (error) {
          const typed = toError(error);
          if (typed.code === 'datasource_unavailable') destroy = true;
          throw typed;
        }
      };
      /**
       * Several statements of our own in one round trip: the simple protocol runs them in order and
       * answers with a result each (the last one returned). Never used with a model's text, which goes
       * through `query`, one statement per call.
       */
      const script = async (statements: readonly string[]): Promise<RawResult> => {
        if (destroy) throw new DatasourceUnavailableError('The connection was dropped after an earlier statement overran its time.');
        try {
          const running = client.query({ text: statements.join(';\n'), rowMode: 'array' } as pg.QueryArrayConfig);
          const results = (await withBackstop(running, deadline.remainingMs(), () => (destroy = true))) as
            pg.QueryArrayResult | pg.QueryArrayResult[];
          const last = Array.isArray(results) ? results.at(-1) : results;
          return {
            fields: (last?.fields ?? []).map((field) => ({ name: field.name, dataType: postgresTypeName(field.dataTypeID) })),
            rows: (last?.rows ?? []) as unknown[][],
          };
        } catch (error) {
          const typed = toError(error);
          if (typed.code === 'datasource_unavailable') destroy = true;
          throw typed;
        }
      };
      const session: DriverSession = {
        query,
        // The first fetch carries the statement timeout cut to what is left (planning took some), in one round trip.
        queryCapped: (sql, maxRows, maxBytes) =>
          fetchThroughCursor(query, sql, maxRows, maxBytes, (fetch) => script([...tightenedTimeout(deadline), fetch])),
        runScript: async (statements, options) => {
          try {
            await script(statements);
          } catch (error) {
            // The server stops a script at its first failing statement: go through the rest one by one.
            if (!options?.throughFailures || destroy) throw error;
            await runOneByOne(query, statements, options);
          }
        },
      };
      try {
        return await work(session);
      } catch (error) {
        throw toError(error);
      } finally {
        client.off('error', onClientError);
        client.release(destroy ? true : undefined);
      }
    },
    async close() {
      // Kysely ends the pool only if it ever used it.
      await kysely.destroy().catch(() => {});
      if (!pool.ended) await pool.end().catch(() => {});
    },
  };
}
