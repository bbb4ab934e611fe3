import { Kysely, MysqlDialect } from 'kysely';
import mysql from 'mysql2';
import { DatasourceUnavailableError } from '../../errors/index.ts';
import { SessionDeadline, withBackstop } from '../backstop.ts';
import {
  approximateRowBytes,
  runOneByOne,
  type CappedResult,
  type DatasourceDriver,
  type DriverSession,
  type ResultField,
} from '../driver.ts';
import { mysqlAdapter, mysqlSessionSetup } from './mysql-adapter.ts';
import { toMysqlServiceError } from './mysql-errors.ts';
import { mysqlTypeName } from './mysql-types.ts';

export interface MysqlDriverOptions {
  datasourceId: string;
  url: string;
  poolSize: number;
  connectTimeoutMs: number;
}

/**
 * A bounded mysql2 pool, shared by sessions and kysely. Dates, big integers and decimals come back as
 * the server's text, which the executor turns into JSON-safe values by one rule for every engine.
 */
export async function createMysqlDriver(options: MysqlDriverOptions): Promise<DatasourceDriver> {
  const pool = mysql.createPool({
    uri: options.url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: options.poolSize,
    connectTimeout: options.connectTimeoutMs,
    dateStrings: true,
    supportBigNumbers: true,
    bigNumberStrings: true,
    decimalNumbers: false,
    multipleStatements: false,
    timezone: 'Z',
  });
  const toError = (error: unknown) => toMysqlServiceError(error, options.datasourceId);
  pool.on('connection', (connection) => {
    // A failure here surfaces on the connection's first real statement.
    connection.query(mysqlSessionSetup, () => {});
  });

  // A pooled connection whose server went away while it sat idle is dropped, and another is taken.
  const getConnection = async (): Promise<mysql.PoolConnection> => {
    for (let attempt = 0; attempt <= options.poolSize; attempt += 1) {
      const connection = await new Promise<mysql.PoolConnection>((resolve, reject) =>
        pool.getConnection((error, taken) => (error ? reject(toError(error)) : resolve(taken))),
      );
      const state = (connection as unknown as { state?: string }).state;
      if (state !== 'error' && state !== 'disconnected') return connection;
      connection.destroy();
    }
    throw toError(Object.assign(new Error('Every pooled connection was lost.'), { code: 'PROTOCOL_CONNECTION_LOST' }));
  };

  // Runs one statement, keeping at most maxRows rows and discarding the rest as they stream in.
  const run = (
    connection: mysql.PoolConnection,
    sql: string,
    params: readonly unknown[],
    maxRows: number,
    maxBytes = Number.MAX_SAFE_INTEGER,
  ) =>
    new Promise<CappedResult>((resolve, reject) => {
      let fields: ResultField[] = [];
      const rows: unknown[][] = [];
      let seen = 0;
      let bytes = 0;
      // mysql2 does not always fail a running query when the socket ends; this makes sure it does.
      const lost = () =>
        reject(
          toError(Object.assign(new Error('Connection lost: the server closed the connection.'), { code: 'PROTOCOL_CONNECTION_LOST' })),
        );
      connection.once('end', lost);
      const settle =
        <T>(finish: (value: T) => void) =>
        (value: T) => {
          connection.off('end', lost);
          finish(value);
        };
      const query = connection.query({ sql, values: params as unknown[], rowsAsArray: true });
      query.on('fields', (packets: mysql.FieldPacket[] | undefined) => {
        fields = (packets ?? []).map((packet) => ({ name: packet.name, dataType: mysqlTypeName(packet) }));
      });
      query.on('result', (row: unknown) => {
        seen += 1;
        if (!Array.isArray(row) || rows.length >= maxRows || bytes > maxBytes) return;
        bytes += approximateRowBytes(row);
        if (bytes <= maxBytes) rows.push(row);
      });
      query.on(
        'error',
        settle((error: unknown) => reject(toError(error))),
      );
      query.on(
        'end',
        settle(() => resolve({ fields, rows, complete: seen <= maxRows && bytes <= maxBytes, bytesExceeded: bytes > maxBytes })),
      );
    });

  let serverVersion: string;
  let engine: 'mysql' | 'mariadb';
  try {
    const connection = await getConnection();
    try {
      const result = await run(connection, 'SELECT VERSION()', [], 1);
      serverVersion = String(result.rows[0]?.[0] ?? '');
      engine = /mariadb/i.test(serverVersion) ? 'mariadb' : 'mysql';
    } finally {
      connection.release();
    }
  } catch (error) {
    await new Promise<void>((resolve) => pool.end(() => resolve()));
    throw toError(error);
  }

  const kysely = new Kysely<any>({ dialect: new MysqlDialect({ pool }) });

  return {
    adapter: mysqlAdapter(engine),
    serverVersion,
    kysely: async () => kysely,
    async withSession(work, sessionOptions = {}) {
      const connection = await getConnection();
      const deadline = new SessionDeadline(sessionOptions.timeoutMs);
      let destroy = false;
      const guarded = async <T>(running: () => Promise<T>): Promise<T> => {
        if (destroy) throw new DatasourceUnavailableError('The connection was dropped after an earlier statement overran its time.');
        try {
          return await withBackstop(running(), deadline.remainingMs(), () => (destroy = true));
        } catch (error) {
          const typed = toError(error);
          if (typed.code === 'datasource_unavailable') destroy = true;
          throw typed;
        }
      };
      const session: DriverSession = {
        query: (sql, params = []) => guarded(() => run(connection, sql, params, Number.MAX_SAFE_INTEGER)),
        queryCapped: (sql, maxRows, maxBytes) => guarded(() => run(connection, sql, [], maxRows, maxBytes)),
        runScript: (statements, options) => runOneByOne(session.query, statements, options),
      };
      try {
        return await work(session);
      } catch (error) {
        throw toError(error);
      } finally {
        if (destroy) connection.destroy();
        else connection.release();
      }
    },
    async close() {
      // Kysely ends the pool only if it ever used it; ending it twice is harmless here.
      await kysely.destroy().catch(() => {});
      await new Promise<void>((resolve) => {
        try {
          pool.end(() => resolve());
        } catch {
          resolve();
        }
      });
    },
  };
}
