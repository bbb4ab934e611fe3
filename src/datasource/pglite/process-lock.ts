import { randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import { isProcessAlive } from '../../process/index.ts';

/** The file operations the lock uses: Node's own, or a test's slower ones (a disk where content lands late). */
export interface LockFiles {
  writeFile: typeof writeFile;
  link: typeof link;
  readFile: typeof readFile;
  rm: typeof rm;
}

/** A held lock; `release` removes the lock file (once). */
export interface ProcessLock {
  readonly path: string;
  release(): Promise<void>;
}

/**
 * Takes an exclusive lock between processes: a file holding our pid. The pid is written to a file of our
 * own first and then linked into place (which fails if the lock exists), so the lock file never exists
 * without its pid: a process starting at the same moment cannot find it empty and take it over. A lock
 * left by a process that is gone is taken over. PGlite has one writer and no lock of its own, so two
 * processes opening the same directory would corrupt it; this makes the second one fail with a clear
 * message.
 *
 * @returns the lock, or the pid of the live process that holds it.
 */
export async function acquireProcessLock(
  path: string,
  files: LockFiles = { writeFile, link, readFile, rm },
): Promise<ProcessLock | { heldBy: number }> {
  const { writeFile, link, readFile, rm } = files;
  const staged = `${path}.${process.pid}-${randomBytes(4).toString('hex')}`;
  await writeFile(staged, String(process.pid), { flag: 'wx' });
  try {
    for (let attempt = 0; attempt < 3; attempt += 1) {
      try {
        await link(staged, path);
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
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isProcessAlive(holder)) return { heldBy: holder };
        if (holder === process.pid) return { heldBy: holder };
        // A stale lock (its process is gone, or the file is empty or unreadable): take it over.
        await rm(path, { force: true });
      }
    }
    throw new Error(`Could not take the lock ${path}.`);
  } finally {
    await rm(staged, { force: true });
  }
}
