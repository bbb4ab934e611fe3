import { constants } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Files copied at once: a few more than libuv's four threads, so none waits for work (more gained nothing). */
const filesAtOnce = 8;

/**
 * Copies the directory tree `source` to `target` (which must not exist yet; its parents are made): every
 * directory first, then the files, several at a time. An empty PGlite cluster is about 970 small files, and
 * `fs.cp` copies them one after another with several system calls each: 0.5–1.3 s for the 40 MB fixture
 * clusters here, where this took 0.3–0.4 s (side by side, on a busy machine). Regular files and directories
 * only, which is all a cluster holds: anything else (a symbolic link) is refused rather than left out.
 * `skip` names files left out by their base name. Fails if a file exists at the target, as `cp` with
 * `errorOnExist` does. When a copy fails, no further one starts, and the promise settles only once those
 * under way have ended: the caller may remove the target at once.
 */
export async function copyTree(source: string, target: string, skip: (name: string) => boolean = () => false): Promise<void> {
  const entries = await readdir(source, { recursive: true, withFileTypes: true });
  const relative = (entry: { parentPath: string; name: string }) => path.relative(source, path.join(entry.parentPath, entry.name));
  const other = entries.find((entry) => !entry.isDirectory() && !entry.isFile());
  if (other) throw new Error(`copyTree copies files and directories only, and ${path.join(source, relative(other))} is neither`);
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(target);
  // Parents before children: a recursive listing may give a file of a folder before the folder itself.
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map(relative)
    .sort((left, right) => left.length - right.length);
  for (const folder of folders) await mkdir(path.join(target, folder), { recursive: true });
  const files = entries.filter((entry) => entry.isFile() && !skip(entry.name)).map(relative);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const copyNext = async (): Promise<void> => {
    for (let index = next++; index < files.length && !failure; index = next++) {
      try {
        await copyFile(path.join(source, files[index]), path.join(target, files[index]), constants.COPYFILE_EXCL);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(filesAtOnce, files.length) }, copyNext));
  if (failure) throw (failure as { error: unknown }).error;
}
