import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { PgliteHost } from '../../src/datasource/pglite/pglite-host.ts';
import { defaultTemplateLocation, removeOtherVersions, seedEmptyCluster } from '../../src/datasource/pglite/empty-cluster.ts';

/** PGlite's own initdb, counted: the template must be made by it once, and then copied. */
function countingInitdb() {
  const made: string[] = [];
  return {
    made,
    initialise: async (dir: string) => {
      made.push(dir);
      const host = new PgliteHost(dir);
      try {
        await host.start();
      } finally {
        await host.close();
      }
    },
  };
}

/** Runs the statements in order on the directory; returns the last one's rows. */
async function query(dataDir: string, ...statements: string[]): Promise<unknown[][]> {
  const driver = await createPgliteDriver({ datasourceId: 'test', url: `pglite:${dataDir}` });
  try {
    return await driver.withSession(async (session) => {
      let rows: unknown[][] = [];
      for (const sql of statements) rows = (await session.query(sql)).rows;
      return rows;
    });
  } finally {
    await driver.close();
  }
}

describe('a new PGlite directory starts as a copy of an empty cluster (issue 14)', { timeout: 120_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-empty-cluster-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('makes the template once with initdb, then copies it: each copy is a database of its own', async () => {
    const template = path.join(dir, 'template');
    const initdb = countingInitdb();
    const [first, second] = await Promise.all([
      seedEmptyCluster(path.join(dir, 'one'), initdb.initialise, template),
      seedEmptyCluster(path.join(dir, 'two'), initdb.initialise, template),
    ]);
    expect([first, second]).toEqual([true, true]);
    // Two directories at once still make one template, staged beside it and renamed into place.
    expect(initdb.made).toHaveLength(1);
    expect(path.dirname(initdb.made[0]!)).toBe(dir);
    expect((await readdir(dir)).sort()).toEqual(['one', 'template', 'two']);

    await query(path.join(dir, 'one'), 'CREATE TABLE only_in_one (id int)', 'INSERT INTO only_in_one VALUES (1)');
    expect(await query(path.join(dir, 'one'), 'SELECT count(*)::int FROM only_in_one')).toEqual([[1]]);
    expect(await query(path.join(dir, 'two'), "SELECT count(*)::int FROM pg_class WHERE relname = 'only_in_one'")).toEqual([[0]]);
    // The template itself is never opened after it is made: the table is not in it either.
    expect(await seedEmptyCluster(path.join(dir, 'three'), initdb.initialise, template)).toBe(true);
    expect(await query(path.join(dir, 'three'), "SELECT count(*)::int FROM pg_class WHERE relname = 'only_in_one'")).toEqual([[0]]);
    expect(initdb.made).toHaveLength(1);
  });

  it('leaves a directory that holds anything to PGlite as it is', async () => {
    const existing = path.join(dir, 'one');
    expect(await seedEmptyCluster(existing, countingInitdb().initialise, path.join(dir, 'template'))).toBe(false);
    expect(await query(existing, 'SELECT count(*)::int FROM only_in_one')).toEqual([[1]]);

    const stray = path.join(dir, 'stray');
    await mkdir(stray);
    await writeFile(path.join(stray, 'notes.txt'), 'not a cluster');
    expect(await seedEmptyCluster(stray, countingInitdb().initialise, path.join(dir, 'template'))).toBe(false);
    expect(await readdir(stray)).toEqual(['notes.txt']);
  });

  it('falls back to initdb when no template can be made, and tries again next time', async () => {
    const template = path.join(dir, 'unmakeable');
    const failing = async () => {
      throw new Error('disk full');
    };
    const target = path.join(dir, 'fallback');
    await mkdir(target);
    expect(await seedEmptyCluster(target, failing, template)).toBe(false);
    expect(await readdir(target)).toEqual([]);
    expect((await readdir(dir)).filter((name) => name.startsWith('unmakeable'))).toEqual([]);

    // A failure is not remembered: the next new directory tries again (here with a copy of the first
    // test's template standing in for initdb, which that test already timed).
    const made: string[] = [];
    const copyOfFirst = async (staging: string) => {
      made.push(staging);
      await cp(path.join(dir, 'template'), staging, { recursive: true });
    };
    expect(await seedEmptyCluster(path.join(dir, 'later'), copyOfFirst, template)).toBe(true);
    expect(made).toHaveLength(1);
    expect(await query(path.join(dir, 'later'), 'SELECT 1')).toEqual([[1]]);
  });

  it('replaces a template without its completion marker, and removes what a killed process left beside a directory', async () => {
    // A cleaner left a template folder without its marker: it is made again, not copied from.
    const template = path.join(dir, 'damaged');
    await mkdir(template);
    await writeFile(path.join(template, 'PG_VERSION'), '17\n');
    const made: string[] = [];
    const copyOfFirst = async (staging: string) => {
      made.push(staging);
      await cp(path.join(dir, 'template'), staging, { recursive: true });
    };
    // A copy a killed process (a pid no process has) left beside the next directory.
    const target = path.join(dir, 'fresh');
    await mkdir(`${target}.999999999-dead`);
    await writeFile(path.join(`${target}.999999999-dead`, 'PG_VERSION'), '17\n');

    expect(await seedEmptyCluster(target, copyOfFirst, template)).toBe(true);
    expect(made).toHaveLength(1);
    expect((await readdir(template)).length).toBeGreaterThan(10);
    expect((await readdir(dir)).filter((name) => name.startsWith('fresh') || name.startsWith('damaged')).sort()).toEqual([
      'damaged',
      'fresh',
    ]);
    // The marker stays with the template; the database is a plain cluster.
    expect(await readdir(target)).not.toContain('.sqlagent-empty-cluster');
    expect(await readdir(template)).toContain('.sqlagent-empty-cluster');
    expect(await query(target, 'SELECT 1')).toEqual([[1]]);
  });

  it("removes other PGlite versions' templates at install, and nothing else; opening a database removes none", async () => {
    const cache = path.join(dir, 'cache');
    const location = path.join(cache, 'pglite-9.9.9-empty-cluster');
    for (const folder of ['pglite-0.4.1-empty-cluster', 'pglite-0.3.0-empty-cluster.999999999-dead', 'other-cache', 'pglite-notes']) {
      await mkdir(path.join(cache, folder), { recursive: true });
      await writeFile(path.join(cache, folder, 'PG_VERSION'), '17\n');
    }
    // Being made by this (live) process: not another version's leftover to remove.
    await mkdir(path.join(cache, `pglite-0.4.2-empty-cluster.${process.pid}-abcd`));
    const fakeInitdb = async (staging: string) => {
      await mkdir(staging);
      await writeFile(path.join(staging, 'PG_VERSION'), '17\n');
    };
    expect(await seedEmptyCluster(path.join(dir, 'versions-db'), fakeInitdb, location)).toBe(true);
    // A server opening a database leaves them: one of the old version may still be running.
    expect(await readdir(cache)).toContain('pglite-0.4.1-empty-cluster');
    // The install's prepare step (prepareEmptyCluster) removes them.
    await removeOtherVersions(location);
    expect((await readdir(cache)).sort()).toEqual(
      ['other-cache', `pglite-0.4.2-empty-cluster.${process.pid}-abcd`, 'pglite-9.9.9-empty-cluster', 'pglite-notes'].sort(),
    );
  });

  it('keeps the default template beside the installed PGlite, named by its version', async () => {
    const location = await defaultTemplateLocation();
    expect(location).toMatch(/node_modules\/\.cache\/sqlagent\/pglite-0\.4\.\d+-empty-cluster$/);
  });
});
