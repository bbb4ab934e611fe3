// Runs one PGlite instance off the main thread, so a long statement never blocks the service and a
// statement that overruns its timeout can be stopped by terminating this worker.
// Plain JavaScript on purpose: worker threads do not inherit the TypeScript loader.
import { readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

// Return int8, numeric, date, timestamp and timestamptz as the server's text; the service turns them
// into JSON-safe values by one rule for every engine.
const identity = (value) => value;
const parsers = { 20: identity, 1700: identity, 1082: identity, 1114: identity, 1184: identity };

// Postgres zeroes its shared buffers at start, in WebAssembly: the cluster's default 128 MB took about 0.5 s
// of the 1 s a worker needed to start, and as much memory. 32 MB starts in about 0.5 s and still holds the
// demo databases' working set (their ~110 gold queries ran as fast within the noise, measured side by side);
// a larger embedded database reads the rest through the operating system's file cache.
const startParams = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

let database;

/** PGlite's WebAssembly: compiled by an earlier worker of this process, or here and sent to the host. */
async function compiledModule() {
  if (workerData.pgliteWasmModule) return workerData.pgliteWasmModule;
  try {
    const pgliteWasmModule = await WebAssembly.compile(await readFile(new URL('pglite.wasm', import.meta.resolve('@electric-sql/pglite'))));
    parentPort.postMessage({ type: 'compiled', pgliteWasmModule });
    return pgliteWasmModule;
  } catch (error) {
    // The host's workers after this one compile their own (null releases any that wait for this one).
    parentPort.postMessage({ type: 'compiled', pgliteWasmModule: null });
    throw error;
  }
}

async function open(dataDir, modulePromise) {
  try {
    database = await PGlite.create(dataDir, { parsers, pgliteWasmModule: await modulePromise, startParams });
    parentPort.postMessage({ type: 'ready', serverVersion: (await database.query('SHOW server_version')).rows[0].server_version });
  } catch (error) {
    parentPort.postMessage({ type: 'fatal', message: String(error?.message ?? error) });
  }
}

// A standby worker (pglite-standby.ts) compiles at once and opens the directory the host names later; the
// others open theirs at once. A failed compile is reported when a directory is to be opened. A directory is
// opened once, and a close waits for the opening (a standby listens while it opens).
const wasmModule = compiledModule();
wasmModule.catch(() => {});
let opening = workerData.standby ? null : open(workerData.dataDir, wasmModule);
await opening;

parentPort.on('message', async (message) => {
  if (message.type === 'open') {
    opening ??= open(message.dataDir, wasmModule);
    return;
  }
  if (message.type === 'close') {
    await opening;
    const clean = database
      ? await database.close().then(
          () => true,
          () => false,
        )
      : false;
    parentPort.postMessage({ type: 'closed', clean });
    return;
  }
  try {
    // `exec` runs a script of several statements in one message (the simple protocol) and answers with the
    // last statement's result; `query` runs one statement with its parameters.
    const result =
      message.type === 'exec'
        ? ((await database.exec(message.sql, { rowMode: message.rowMode })).at(-1) ?? { rows: [], fields: [] })
        : await database.query(message.sql, message.params ?? [], { rowMode: message.rowMode });
    parentPort.postMessage({
      type: 'result',
      id: message.id,
      rows: result.rows,
      fields: result.fields.map((field) => ({ name: field.name, dataTypeID: field.dataTypeID })),
      affectedRows: result.affectedRows ?? 0,
    });
  } catch (error) {
    parentPort.postMessage({
      type: 'error',
      id: message.id,
      error: { message: String(error?.message ?? error), code: error?.code ?? null },
    });
  }
});
