import { Worker } from 'node:worker_threads';

// Imports nothing of the project: bin/sqlagent.mjs loads this module before the CLI, so that a one-shot
// command's PGlite worker starts while the CLI, the config and the app's modules load.

/** A PGlite worker that has started (and compiles PGlite's WebAssembly) but opens no directory yet. */
export interface PgliteStandby {
  worker: Worker;
  /** The WebAssembly module it compiled, for the workers after it; null if it failed or stopped. */
  compiled: Promise<object | null>;
}

let standby: (PgliteStandby & { alive: boolean }) | null = null;

/**
 * Starts a worker that loads PGlite and compiles its WebAssembly (about 0.3 s of a worker's 0.9 s start),
 * then waits for a directory to open. A command that does not open an embedded database never takes it;
 * it does not keep the process alive, and stops with it. Returns the worker's thread id (for tests).
 */
export function startPgliteStandby(): number {
  if (standby) return standby.worker.threadId;
  const worker = new Worker(new URL('./pglite-worker.mjs', import.meta.url), { workerData: { standby: true } });
  const entry = { worker, alive: true, compiled: Promise.resolve<object | null>(null) };
  entry.compiled = new Promise<object | null>((resolve) => {
    const stopped = () => {
      entry.alive = false;
      if (standby === entry) standby = null;
      resolve(null);
    };
    worker.on('message', (message: { type: string; pgliteWasmModule?: object }) => {
      if (message.type === 'compiled') resolve(message.pgliteWasmModule ?? null);
    });
    // A standby that fails is simply not used: the host starts a worker of its own and reports its errors.
    worker.on('error', stopped);
    worker.on('exit', stopped);
  });
  // After the listeners: adding a 'message' listener refs the worker again.
  worker.unref();
  standby = entry;
  return worker.threadId;
}

/**
 * The standby worker, if one is waiting and alive, now held by the caller (it keeps the process alive
 * again); null otherwise. The caller sends it `{ type: 'open', dataDir }`.
 */
export function takePgliteStandby(): PgliteStandby | null {
  const entry = standby;
  standby = null;
  if (!entry?.alive) return null;
  entry.worker.ref();
  return { worker: entry.worker, compiled: entry.compiled };
}
