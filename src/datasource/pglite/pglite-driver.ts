import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { DatasourceUnavailableError } from '../../errors/index.ts';
import { runOneByOne, type DatasourceDriver, type DriverSession, type RawResult } from '../driver.ts';
import { postgresAdapter } from '../postgres/postgres-adapter.ts';
import { backstopGraceMs, SessionDeadline } from '../backstop.ts';
import { fetchThroughCursor } from '../postgres/postgres-cursor.ts';
import { toPostgresServiceError } from '../postgres/postgres-errors.ts';
import { postgresTypeName } from '../postgres/postgres-types.ts';
import { PgliteHost } from './pglite-host.ts';
import { emptyClusterTemplate, removeOtherVersions, seedEmptyCluster } from './empty-cluster.ts';
import { acquireProcessLock } from './process-lock.ts';

export interface PgliteDriverOptions {
  datasourceId: string;
  /** `pglite:memory` (a private temporary directory, removed on close) or `pglite:<directory>`. */
  url: string;
}

/** Resolves a `pglite:` URL to a data directory; `memory` gets a fresh temporary one. */
export async function pgliteDataDir(url: string): Promise<{ dataDir: string; temporary: boolean }> {
  const location = url.slice('pglite:'.length);
  if (location === 'memory' || location === '') {
    return { dataDir: await mkdtemp(path.join(tmpdir(), 'sqlagent-pglite-')), temporary: true };
  }
  const dataDir = path.resolve(location);
  await mkdir(path.dirname(dataDir), { recursive: true });
  return { dataDir, temporary: false };
}

/** PGlite's own initdb: opens PGlite on an empty directory and closes it. */
async function initdb(emptyDir: string): Promise<void> {
  const host = new PgliteHost(emptyDir);
  try {
    await host.start();
  } finally {
    // A cluster stopped in the middle of a checkpoint would be copied into every new database.
    if (!(await host.close())) throw new Error('PGlite did not close the new cluster cleanly');
  }
}

/**
 * Makes the empty cluster new PGlite directories are copied from, unless it exists, and removes other PGlite
 * versions' templates beside it; its folder, or null. Run at install (scripts/build.mjs).
 */
export async function prepareEmptyCluster(): Promise<string | null> {
  const template = await emptyClusterTemplate(initdb);
  if (template) await removeOtherVersions(template);
  return template;
}

/**
 * PGlite in a worker thread. It is one connection, so sessions take turns; the statement timeout is
 * enforced by the host, which stops the worker at the deadline.
 */
export async function createPgliteDriver(options: PgliteDriverOptions): Promise<DatasourceDriver & { host: PgliteHost; dataDir: string }> {
  const { dataDir, temporary } = await pgliteDataDir(options.url);
  // PGlite has one writer and no lock of its own: two processes on one directory would corrupt it.
  const lock = temporary ? null : await acquireProcessLock(`${dataDir}.lock`);
  if (lock && 'heldBy' in lock) {
    throw new DatasourceUnavailableError(
      `The PGlite database ${dataDir} is in use by process ${lock.heldBy} (an embedded database serves one process at a time). Stop that process, or use a Postgres server for both.`,
      { datasource: options.datasourceId, heldBy: lock.heldBy },
    );
  }
  const host = new PgliteHost(dataDir);
  const toError = (error: unknown) => toPostgresServiceError(error, options.datasourceId);
  let serverVersion: string;
  try {
    await seedEmptyCluster(dataDir, initdb);
    serverVersion = await host.start();
  } catch (error) {
    await host.close();
    await lock?.release();
    throw toError(error);
  }

  // Kysely (a few hundred modules) loads when something first reads the catalog or the app database.
  let kysely: Promise<Kysely<any>> | null = null;
  return {
    adapter: postgresAdapter('pglite'),
    serverVersion,
    maxSessions: 1,
    kysely: () =>
      (kysely ??= Promise.all([import('kysely'), import('./pglite-kysely-dialect.ts')]).then(
        ([{ Kysely }, { PgliteKyselyDialect }]) => new Kysely<any>({ dialect: new PgliteKyselyDialect(host) }),
      )),
    host,
    dataDir,
    async withSession(work, sessionOptions = {}) {
      const release = await host.acquire();
      const restartsAtStart = host.restarts;
      const deadline = new SessionDeadline(sessionOptions.timeoutMs);
      // One message to the worker, with what is left of the session's time (at least `floorMs`).
      const send = async <T>(message: (timeoutMs: number | undefined) => Promise<T>, floorMs = 1): Promise<T> => {
        // After a timeout stopped the worker, this session's transaction is gone: fail fast rather than
        // wait for a fresh worker just to roll back nothing.
        if (host.restarts !== restartsAtStart)
          throw new DatasourceUnavailableError('The PGlite session ended when its worker was restarted.');
        try {
          const remaining = deadline.remainingMs();
          return await message(remaining === undefined ? undefined : Math.max(floorMs, remaining));
        } catch (error) {
          throw toError(error);
        }
      };
      const query = async (sql: string, params: readonly unknown[] = []): Promise<RawResult> => {
        const result = await send((timeoutMs) => host.query(sql, params, { rowMode: 'array', timeoutMs }));
        return {
          fields: result.fields.map((field) => ({ name: field.name, dataType: postgresTypeName(field.dataTypeID) })),
          rows: result.rows as unknown[][],
        };
      };
      // A script in one message to the worker: each message costs about 0.6 ms here, and a read-only
      // statement's framing (begin with its settings, end with its cleanup) was six of them. A teardown
      // (ROLLBACK and the rest) gets the backstop's grace even at the deadline: stopping the worker for a
      // rollback that would take a millisecond costs a restart of half a second.
      const script = (statements: readonly string[], teardown: boolean): Promise<unknown> =>
        send((timeoutMs) => host.exec(statements.join(';\n'), { timeoutMs }), teardown ? backstopGraceMs : 1);
      const session: DriverSession = {
        query,
        queryCapped: (sql, maxRows, maxBytes) => fetchThroughCursor(query, sql, maxRows, maxBytes),
        runScript: async (statements, options) => {
          if (statements.length < 2) return runOneByOne(query, statements, options);
          try {
            await script(statements, options?.throughFailures === true);
          } catch (error) {
            // The script stops at its first failing statement: a teardown goes through the rest one by one.
            if (!options?.throughFailures || host.restarts !== restartsAtStart) throw error;
            await runOneByOne(query, statements, options);
          }
        },
      };
      try {
        return await work(session);
      } catch (error) {
        throw toError(error);
      } finally {
        release();
      }
    },
    async close() {
      try {
        await kysely?.then((opened) => opened.destroy()).catch(() => {});
        await host.close();
      } finally {
        await lock?.release();
      }
      if (temporary) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
