import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isProcessAlive } from '../../process/index.ts';
import { copyTree } from './copy-tree.ts';

/**
 * A new PGlite directory starts as a copy of an empty cluster rather than from PGlite's own initdb.
 *
 * Measured on this project's 2-core machine: initdb in WebAssembly takes 3.6–5 s a directory, copying the
 * 38 MB of an empty cluster and opening it about 1.1 s. The demo opens three new directories on first start
 * (shop, clinic and the app database), and tests open dozens (every `pglite:memory`). The empty cluster is
 * made once per installed PGlite by PGlite itself (so it matches the WebAssembly that will open it), kept in
 * `node_modules/.cache/sqlagent/`, and never written to after: each copy is a directory of its own.
 *
 * Anything that goes wrong here (no writable cache, a half-copied template) falls back to PGlite's initdb,
 * which is only slower.
 */

/** Opens PGlite on an empty directory (which runs initdb there) and closes it again. */
export type InitialiseCluster = (dataDir: string) => Promise<void>;

/** Where the empty cluster of the installed PGlite is kept: a cache folder beside it, or null where there is none. */
export async function defaultTemplateLocation(): Promise<string | null> {
  const entry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const marker = `${path.sep}node_modules${path.sep}`;
  const at = entry.lastIndexOf(marker);
  if (at < 0) return null;
  const nodeModules = entry.slice(0, at + marker.length - 1);
  const manifest = JSON.parse(await readFile(path.join(nodeModules, '@electric-sql', 'pglite', 'package.json'), 'utf8')) as {
    version?: string;
  };
  if (!manifest.version) return null;
  return path.join(nodeModules, '.cache', 'sqlagent', `pglite-${manifest.version}-empty-cluster`);
}

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

let defaultLocation: Promise<string | null> | null = null;

/** Per process and location: the template's path once it is ready (null when it cannot be made), made at most once. */
const templates = new Map<string, Promise<string | null>>();

/**
 * Written into the staged template last, after PGlite closed it cleanly: a template without it (a
 * cleaner that removed files, a half-made one) is not used. Not copied into the databases.
 */
const completeMarker = '.sqlagent-empty-cluster';

/** The process that makes a `<name>.<pid>-…` folder, from the part after the name; null when it names none. */
function makerOf(suffix: string): number | null {
  const pid = Number(/^\.(\d+)-/.exec(suffix)?.[1]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Removes `<base>.<pid>-…` folders beside `base` left by processes that are gone (killed while making one). */
async function removeLeftovers(base: string): Promise<void> {
  const folder = path.dirname(base);
  const name = path.basename(base);
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    if (!entry.startsWith(`${name}.`)) continue;
    const pid = makerOf(entry.slice(name.length));
    if (pid !== null && pid !== process.pid && !isProcessAlive(pid)) await rm(path.join(folder, entry), { recursive: true, force: true });
  }
}

/** How the templates of the installed PGlite versions are named (`defaultTemplateLocation`). */
const versionedTemplate = /^pglite-(.+)-empty-cluster$/;

/**
 * Removes the templates of other PGlite versions beside `location` (left by an earlier install of the same
 * node_modules, about 40 MB each), and their dead processes' leftovers. Only at install
 * (`prepareEmptyCluster`), never when a server opens a database: a server of the old version still running
 * through the install may copy its template yet (it would fall back to initdb). Only folders named as
 * `defaultTemplateLocation` names them.
 */
export async function removeOtherVersions(location: string): Promise<void> {
  if (!versionedTemplate.test(path.basename(location))) return;
  const folder = path.dirname(location);
  for (const entry of await readdir(folder).catch(() => [] as string[])) {
    const template = /^(pglite-.+-empty-cluster)(\..*)?$/.exec(entry);
    if (!template || template[1] === path.basename(location)) continue;
    // A folder a live process is making (`<template>.<pid>-…`) is its own: left alone.
    const pid = makerOf(template[2] ?? '');
    if (pid !== null && isProcessAlive(pid)) continue;
    await rm(path.join(folder, entry), { recursive: true, force: true }).catch(() => {});
  }
}

async function readyTemplate(location: string, initialise: InitialiseCluster): Promise<string | null> {
  // The template is put in place whole, by a rename, with its marker: where the marker is, it is complete.
  if (await exists(path.join(location, completeMarker))) return location;
  await mkdir(path.dirname(location), { recursive: true });
  await removeLeftovers(location);
  const staging = `${location}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await initialise(staging);
    await writeFile(path.join(staging, completeMarker), `${new Date().toISOString()}\n`);
    try {
      await rename(staging, location);
    } catch (error) {
      // Another process put its own in place meanwhile: theirs is as good, keep it.
      if (await exists(path.join(location, completeMarker))) return location;
      // A damaged template (no marker) is moved aside and replaced.
      const damaged = `${location}.${process.pid}-damaged`;
      await rename(location, damaged).catch(() => {
        throw error;
      });
      await rm(damaged, { recursive: true, force: true });
      await rename(staging, location);
    }
    return location;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
}

/**
 * The template's folder, made now (by `initialise`) if there is none yet; null where none can be made.
 * `npm install` makes it (scripts/build.mjs), so that even a fresh clone's first start only copies it.
 */
export async function emptyClusterTemplate(initialise: InitialiseCluster, location?: string): Promise<string | null> {
  const templateDir = location ?? (await (defaultLocation ??= defaultTemplateLocation().catch(() => null)));
  if (!templateDir) return null;
  let template = templates.get(templateDir);
  if (!template) {
    template = readyTemplate(templateDir, initialise).catch(() => null);
    templates.set(templateDir, template);
  }
  const source = await template;
  // Look again next time: what failed (a full disk, say) may have passed.
  if (!source) forget(templateDir, template);
  return source;
}

function forget(templateDir: string, template: Promise<string | null>): void {
  if (templates.get(templateDir) === template) templates.delete(templateDir);
}

/**
 * Fills `dataDir` with an empty cluster when it holds none yet (missing, or an empty folder). A directory
 * with anything in it is left to PGlite as it is. The copy is made beside it and renamed into place, so a
 * process killed while copying leaves the directory as it was (its half-made copy is removed the next
 * time); the caller holds the directory's lock, so no one else is copying into it.
 *
 * @param location where the template is kept; by default beside the installed PGlite.
 * @returns whether the directory was seeded from the template.
 */
export async function seedEmptyCluster(dataDir: string, initialise: InitialiseCluster, location?: string): Promise<boolean> {
  const entries = await readdir(dataDir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? [] : null));
  if (entries === null || entries.length > 0) return false;
  const templateDir = location ?? (await (defaultLocation ??= defaultTemplateLocation().catch(() => null)));
  if (!templateDir) return false;
  const source = await emptyClusterTemplate(initialise, templateDir);
  if (!source) return false;
  await removeLeftovers(dataDir);
  const staging = `${dataDir}.${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await copyTree(source, staging, (name) => name === completeMarker);
    // The template may have lost files while it was copied (a cache cleaner): check the copy is whole.
    if (!(await exists(path.join(source, completeMarker))) || !(await exists(path.join(staging, 'PG_VERSION'))))
      throw new Error('the template changed while it was copied');
    // Over the empty directory (rename replaces an empty one), or where there was none.
    await rename(staging, dataDir);
    return true;
  } catch {
    // The template is looked at again by the next open; this one is left to initdb.
    const template = templates.get(templateDir);
    if (template) forget(templateDir, template);
    return false;
  } finally {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
  }
}
