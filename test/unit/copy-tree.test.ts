import { unlinkSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyTree } from '../../src/datasource/pglite/copy-tree.ts';

describe('copyTree (new PGlite clusters and test databases are copies of a template)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-copy-tree-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** A tree with nested folders, an empty folder, and more files than are copied at once. */
  async function makeSource(): Promise<string> {
    const source = path.join(dir, 'source');
    await mkdir(path.join(source, 'base/1/deeper'), { recursive: true });
    await mkdir(path.join(source, 'empty'));
    for (let index = 0; index < 40; index += 1) await writeFile(path.join(source, 'base/1', `file-${index}`), `content ${index}`);
    await writeFile(path.join(source, 'base/1/deeper/last'), 'deep');
    await writeFile(path.join(source, 'PG_VERSION'), '17');
    await writeFile(path.join(source, '.marker'), 'done');
    return source;
  }

  const listing = async (root: string) => (await readdir(root, { recursive: true })).sort();

  it('copies every folder and file with its content, making the parents, and leaves out skipped names', async () => {
    const source = await makeSource();
    const target = path.join(dir, 'not/yet/there');
    await copyTree(source, target, (name) => name === '.marker');
    expect(await listing(target)).toEqual((await listing(source)).filter((entry) => entry !== '.marker'));
    expect(await readFile(path.join(target, 'base/1/file-39'), 'utf8')).toBe('content 39');
    expect(await readFile(path.join(target, 'base/1/deeper/last'), 'utf8')).toBe('deep');
    expect(await readdir(path.join(target, 'empty'))).toEqual([]);
  });

  it('refuses a target that exists, and changes nothing in it', async () => {
    const source = await makeSource();
    const target = path.join(dir, 'target');
    await mkdir(target);
    await writeFile(path.join(target, 'PG_VERSION'), 'mine');
    await expect(copyTree(source, target)).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await listing(target)).toEqual(['PG_VERSION']);
    expect(await readFile(path.join(target, 'PG_VERSION'), 'utf8')).toBe('mine');
  });

  it('stops at a failed copy and settles only when nothing is being copied any more', async () => {
    const source = await makeSource();
    const target = path.join(dir, 'target');
    let removed = false;
    // A file of the listing disappears before it is copied, as a cache cleaner would make it.
    const removeOne = () => {
      if (!removed) unlinkSync(path.join(source, 'base/1/file-7'));
      removed = true;
      return false;
    };
    await expect(copyTree(source, target, removeOne)).rejects.toMatchObject({ code: 'ENOENT' });
    // The caller removes the half-made copy at once: nothing is still writing into it.
    await rm(target, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(stat(target)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('refuses a tree with anything but files and folders, before copying', async () => {
    const source = await makeSource();
    await symlink(path.join(source, 'PG_VERSION'), path.join(source, 'base/link'));
    await expect(copyTree(source, path.join(dir, 'target'))).rejects.toThrow(/files and directories only, and .*base\/link is neither/);
    await expect(stat(path.join(dir, 'target'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('fails when the source is missing', async () => {
    await expect(copyTree(path.join(dir, 'missing'), path.join(dir, 'target'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
