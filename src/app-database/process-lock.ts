import { open, readFile, rm } from 'node:fs/promises';

/** A held lock; `release` removes the lock file (once). */
export interface ProcessLock {
  readonly path: string;
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes an exclusive lock between processes: a file holding our pid, created with `wx`. A lock left by a
 * process that is gone is taken over. PGlite has one writer and no lock of its own, so two processes
 * opening the same directory would corrupt it; this makes the second one fail with a clear message.
 *
 * @returns the lock, or the pid of the live process that holds it.
 */
export async function acquireProcessLock(path: string): Promise<ProcessLock | { heldBy: number }> {
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          await rm(path, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) return { heldBy: holder };
      if (holder === process.pid) return { heldBy: holder };
      // A stale lock (its process is gone, or the file is empty from a crash mid-write): take it over.
      await rm(path, { force: true });
    }
  }
  throw new Error(`Could not take the lock ${path}.`);
}
