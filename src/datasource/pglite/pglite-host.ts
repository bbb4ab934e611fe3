import { Worker } from 'node:worker_threads';
import { DatasourceUnavailableError, SqlExecutionError, SqlTimeoutError } from '../../errors/index.ts';
import { takePgliteStandby } from './pglite-standby.ts';

/** A compiled WebAssembly module (the `lib` this project compiles against has no WebAssembly types). */
type WasmModule = object;

/**
 * PGlite's WebAssembly, compiled once per process and shared by every worker (each would otherwise compile
 * its own). The first worker compiles it itself, so it starts at once rather than after a compile that
 * waits for this thread, and sends it back; a worker that starts meanwhile waits for it.
 */
let sharedModule: Promise<WasmModule | null> | null = null;

/**
 * The module a new worker starts with: one an earlier worker compiled (waiting while one compiles), or
 * null: this worker compiles it, and `share` is then called with what it sent back (null if it failed).
 */
async function moduleForWorker(): Promise<{ module: WasmModule | null; share: ((module: WasmModule | null) => void) | null }> {
  if (sharedModule) {
    const module = await sharedModule;
    if (module) return { module, share: null };
  }
  let resolveShared!: (module: WasmModule | null) => void;
  const shared = new Promise<WasmModule | null>((resolve) => (resolveShared = resolve));
  sharedModule = shared;
  let settled = false;
  const share = (module: WasmModule | null) => {
    if (settled) return;
    settled = true;
    // A worker that stopped before it compiled leaves the next one to try.
    if (!module && sharedModule === shared) sharedModule = null;
    resolveShared(module);
  };
  return { module: null, share };
}

interface WorkerField {
  name: string;
  dataTypeID: number;
}

export interface HostResult {
  rows: unknown[];
  fields: WorkerField[];
  affectedRows: number;
}

interface Pending {
  resolve: (result: HostResult) => void;
  reject: (error: Error) => void;
}

type WorkerMessage =
  | { type: 'compiled'; pgliteWasmModule: WasmModule | null }
  | { type: 'ready'; serverVersion: string }
  | { type: 'fatal'; message: string }
  | { type: 'closed'; clean?: boolean }
  | ({ type: 'result'; id: number } & HostResult)
  | { type: 'error'; id: number; error: { message: string; code: string | null } };

/**
 * Owns the worker thread that runs one PGlite database directory.
 *
 * PGlite is a single connection, so the host serializes sessions with a lock. PGlite cannot honour
 * `statement_timeout` (it has no timer signals), so a statement past its deadline is stopped by
 * terminating the worker; the host then starts a fresh worker on the same directory. Reads leave the
 * directory intact, so the restart loses nothing.
 */
export class PgliteHost {
  private worker: Worker | null = null;
  private starting: Promise<string> | null = null;
  /** A stopped worker still shutting down; a new one waits for it, so two never open the directory. */
  private terminating: Promise<unknown> = Promise.resolve();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private lockTail: Promise<void> = Promise.resolve();
  private closed = false;
  /** How many times a worker was stopped for overrunning a timeout; for tests and metrics. */
  restarts = 0;

  constructor(private readonly dataDir: string) {}

  /** The thread id of the running worker, or null (for tests and diagnostics). */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  /** Starts the worker if it is not running; resolves to the server version. */
  start(): Promise<string> {
    if (this.closed) return Promise.reject(new DatasourceUnavailableError('The PGlite datasource is closed.'));
    this.starting ??= this.terminating.then(() => this.spawn());
    return this.starting;
  }

  private async spawn(): Promise<string> {
    // Closed while an earlier worker was stopping: no worker may start after the close.
    if (this.closed) throw new DatasourceUnavailableError('The PGlite datasource is closed.');
    // A worker a one-shot command started before it knew this directory (pglite-standby.ts) has been
    // compiling meanwhile; unless a module was compiled already, the later workers take what it compiles.
    const standby = takePgliteStandby();
    if (standby && !sharedModule) sharedModule = standby.compiled;
    const { module, share } = standby ? { module: null, share: null } : await moduleForWorker();
    return new Promise<string>((resolve, reject) => {
      const worker =
        standby?.worker ??
        new Worker(new URL('./pglite-worker.mjs', import.meta.url), {
          workerData: { dataDir: this.dataDir, pgliteWasmModule: module },
        });
      this.worker = worker;
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'compiled') share?.(message.pgliteWasmModule);
        else if (message.type === 'ready') resolve(message.serverVersion);
        else if (message.type === 'fatal') {
          share?.(null);
          reject(new DatasourceUnavailableError(`PGlite failed to open its data directory: ${message.message}`));
        } else if (message.type === 'result' || message.type === 'error') this.settle(message);
      });
      worker.on('error', (error) => {
        share?.(null);
        reject(new DatasourceUnavailableError(`PGlite worker failed: ${error.message}`, {}, { cause: error }));
        this.failAll(new DatasourceUnavailableError(`PGlite worker failed: ${error.message}`));
      });
      worker.on('exit', () => {
        share?.(null);
        // Stopped before it was ready (a no-op once it was): the start fails instead of waiting for ever.
        reject(new DatasourceUnavailableError('The PGlite worker stopped before it was ready.'));
        if (this.worker === worker) {
          this.worker = null;
          this.starting = null;
          this.failAll(new DatasourceUnavailableError('The PGlite worker stopped.'));
        }
      });
      standby?.worker.postMessage({ type: 'open', dataDir: this.dataDir });
    });
  }

  /**
   * Runs one statement. With `timeoutMs`, a statement still running at the deadline is stopped by
   * restarting the worker, and the promise rejects with `SqlTimeoutError`.
   */
  query(
    sql: string,
    params: readonly unknown[] = [],
    options: { rowMode?: 'array' | 'object'; timeoutMs?: number } = {},
  ): Promise<HostResult> {
    return this.send({ type: 'query', sql, params, rowMode: options.rowMode ?? 'array' }, options.timeoutMs);
  }

  /**
   * Runs a script of statements (no parameters) in one message to the worker, as one simple-protocol query:
   * it stops at the first failing statement, and resolves to the last statement's result. The timeout is
   * `query`'s.
   */
  exec(sql: string, options: { rowMode?: 'array' | 'object'; timeoutMs?: number } = {}): Promise<HostResult> {
    return this.send({ type: 'exec', sql, rowMode: options.rowMode ?? 'array' }, options.timeoutMs);
  }

  private async send(
    message: { type: 'query' | 'exec'; sql: string; params?: readonly unknown[]; rowMode: 'array' | 'object' },
    timeoutMs: number | undefined,
  ): Promise<HostResult> {
    await this.start();
    const worker = this.worker;
    if (!worker) throw new DatasourceUnavailableError('The PGlite worker is not running.');
    const id = this.nextId++;
    return new Promise<HostResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const done =
        <T>(settle: (value: T) => void) =>
        (value: T) => {
          if (timer) clearTimeout(timer);
          settle(value);
        };
      this.pending.set(id, { resolve: done(resolve), reject: done(reject) });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new SqlTimeoutError(`The statement ran longer than ${timeoutMs} ms and was stopped.`, { timeoutMs }));
          void this.restart();
        }, timeoutMs);
      }
      worker.postMessage({ ...message, id });
    });
  }

  /** Takes the single connection; other sessions wait until the returned release is called. */
  async acquire(): Promise<() => void> {
    const previous = this.lockTail;
    let release!: () => void;
    this.lockTail = new Promise<void>((resolve) => (release = resolve));
    await previous;
    return release;
  }

  /**
   * Closes the database and stops the worker. Resolves to whether PGlite closed cleanly (within 5 s, and
   * without an error); the worker is stopped either way.
   */
  async close(): Promise<boolean> {
    if (this.closed) return false;
    this.closed = true;
    const worker = this.worker;
    if (!worker) return false;
    const clean = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 5000);
      worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'closed') {
          clearTimeout(timer);
          resolve(message.clean !== false);
        }
      });
      worker.postMessage({ type: 'close' });
    });
    this.worker = null;
    await worker.terminate();
    // A statement still running when the close gave up waiting would otherwise never settle.
    this.failAll(new DatasourceUnavailableError('The PGlite datasource was closed while the statement ran.'));
    return clean;
  }

  private async restart(): Promise<void> {
    this.restarts += 1;
    const worker = this.worker;
    this.worker = null;
    this.starting = null;
    this.failAll(new DatasourceUnavailableError('The PGlite worker was restarted after a timeout.'));
    this.terminating = worker ? worker.terminate() : Promise.resolve();
    await this.terminating;
  }

  private settle(message: Extract<WorkerMessage, { type: 'result' | 'error' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.type === 'result') pending.resolve({ rows: message.rows, fields: message.fields, affectedRows: message.affectedRows });
    else pending.reject(new SqlExecutionError(message.error.message, message.error.code));
  }

  private failAll(error: Error): void {
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
