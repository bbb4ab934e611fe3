import { constants } from 'node:fs';
import { copyFile, mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';

/** Files copied at once: a few more than libuv's four threads, so none waits for work (more gained nothing). */
const filesAtOnce = 8;

/**
 * Copies the directory tree `source` to `target` (which must not exist yet; its parents are made): every directory first, then
 * the files, several at a time. A PGlite cluster is about 2,000 small files, and `fs.cp` copies them one
 * after another with several system calls each: 1.0–1.3 s for a 40 MB cluster here, where this takes a
 * fifth of that. Regular files and directories only (a cluster has nothing else); `skip` names files left
 * out by their base name. Fails if a file exists at the target, as `cp` with `errorOnExist` does.
 */
export async function copyTree(source: string, target: string, skip: (name: string) => boolean = () => false): Promise<void> {
  const entries = await readdir(source, { recursive: true, withFileTypes: true });
  await mkdir(path.dirname(target), { recursive: true });
  await mkdir(target);
  const relative = (entry: { parentPath: string; name: string }) => path.relative(source, path.join(entry.parentPath, entry.name));
  // Parents before children: a recursive listing may give a file of a folder before the folder itself.
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map(relative)
    .sort((left, right) => left.length - right.length);
  for (const folder of folders) await mkdir(path.join(target, folder), { recursive: true });
  const files = entries.filter((entry) => entry.isFile() && !skip(entry.name)).map(relative);
  let next = 0;
  const copyNext = async (): Promise<void> => {
    for (let index = next++; index < files.length; index = next++)
      await copyFile(path.join(source, files[index]), path.join(target, files[index]), constants.COPYFILE_EXCL);
  };
  await Promise.all(Array.from({ length: Math.min(filesAtOnce, files.length) }, copyNext));
}
