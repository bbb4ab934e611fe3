import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { Datasource, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { copyTree } from '../../src/datasource/pglite/copy-tree.ts';
import { dropDatabase, ensureDatabase, getFixture, grantReadOnlyRole, loadFixture } from '../../src/fixtures/index.ts';
import { databaseUrl, isReachable, requireServers, serverUrls } from './servers.ts';
import type { TestEnvironment } from './test-environment.ts';

const root = path.resolve(import.meta.dirname, '../..');
export const readonlyRole = 'sqlagent_ro';
export const readonlyPassword = 'sqlagent_ro_test';

/** Hash of everything that decides a fixture's content, so the PGlite template is rebuilt only when it changes. */
async function fixtureSourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const folder of ['fixtures', 'src/fixtures', 'src/datasource']) {
    const entries = (await readdir(path.join(root, folder), { recursive: true })).filter((entry) => /\.(ts|mjs)$/.test(entry)).sort();
    for (const entry of entries) hash.update(entry).update(await readFile(path.join(root, folder, entry)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function loadInto(url: string, fixtureName: string): Promise<void> {
  await ensureDatabase(url);
  const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'setup', url, sampleValues: false, poolSize: 1 }));
  try {
    const result = await loadFixture(getFixture(fixtureName), datasource);
    await grantReadOnlyRole(datasource, readonlyRole, readonlyPassword, Object.values(result.schemas));
  } finally {
    await datasource.close();
  }
}

/**
 * Prepares every database the suite reads: a PGlite template per fixture (copied by each test file, since
 * PGlite is one process's), and per-run databases on the Postgres and MariaDB servers, loaded once and
 * shared read-only. With REQUIRE_SERVERS=1 a missing server fails the run here.
 */
export default async function setup(project: TestProject) {
  const runId = `${process.pid}`;
  const environment: TestEnvironment = { pgliteTemplates: {}, postgres: null, mysql: null, skipReasons: {} };

  const hash = await fixtureSourceHash();
  const templateRoot = path.join(root, '.data', 'test-templates', hash);
  for (const stale of await readdir(path.dirname(templateRoot)).catch(() => [] as string[])) {
    if (stale !== hash) await rm(path.join(path.dirname(templateRoot), stale), { recursive: true, force: true });
  }
  for (const fixture of ['shop', 'clinic']) {
    const dir = path.join(templateRoot, fixture);
    const ready = await stat(`${dir}.ready`).then(
      () => true,
      () => false,
    );
    if (!ready) {
      await rm(dir, { recursive: true, force: true });
      await mkdir(templateRoot, { recursive: true });
      const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'template', url: `pglite:${dir}`, sampleValues: false }));
      try {
        await loadFixture(getFixture(fixture), datasource);
      } finally {
        await datasource.close();
      }
      await writeFile(`${dir}.ready`, new Date().toISOString());
    }
    environment.pgliteTemplates[fixture] = dir;
  }

  const created: string[] = [];
  const prepareServer = async (kind: 'postgres' | 'mysql') => {
    const server = serverUrls[kind];
    if (!(await isReachable(server))) {
      environment.skipReasons[kind] = `no ${kind === 'postgres' ? 'Postgres' : 'MySQL/MariaDB'} server at ${server}`;
      return;
    }
    await dropLeftovers(server);
    const shop = databaseUrl(server, `sqlagent_t${runId}_shop`);
    const clinic = databaseUrl(server, `sqlagent_t${runId}_clinic`);
    created.push(shop, clinic);
    await loadInto(shop, 'shop');
    await loadInto(clinic, 'clinic');
    environment[kind] = { server, shop, clinic };
  };
  await Promise.all([prepareServer('postgres'), prepareServer('mysql')]);

  if (!(await isReachable(serverUrls.redis))) environment.skipReasons.redis = `no Redis server at ${serverUrls.redis}`;

  const missing = Object.entries(environment.skipReasons);
  if (missing.length > 0) {
    if (requireServers) throw new Error(`REQUIRE_SERVERS=1 but servers are missing: ${missing.map(([, reason]) => reason).join('; ')}`);
    for (const [, reason] of missing) console.warn(`[test setup] skipping tests that need it: ${reason}`);
  }

  project.provide('testEnvironment', environment);
  return async () => {
    for (const url of created) await dropDatabase(url).catch((error) => console.warn(`[test teardown] ${(error as Error).message}`));
  };
}

/** Drops test databases left by earlier runs whose process is gone (a run killed before its teardown). */
async function dropLeftovers(server: string): Promise<void> {
  const isMysql = server.startsWith('mysql');
  const admin = await Datasource.open(
    datasourceConfigSchema.parse({ id: 'cleanup', url: databaseUrl(server, isMysql ? '' : 'postgres'), sampleValues: false, poolSize: 1 }),
  );
  try {
    const names = await admin.driver.withSession(async (session) =>
      (await session.query(isMysql ? 'SELECT SCHEMA_NAME FROM information_schema.SCHEMATA' : 'SELECT datname FROM pg_database')).rows.map(
        (row) => String(row[0]),
      ),
    );
    for (const name of names) {
      const match = /^sqlagent_t(\d+)_[a-z0-9]+$/.exec(name);
      if (!match || isAlive(Number(match[1]))) continue;
      await dropDatabase(databaseUrl(server, name)).catch(() => {});
    }
  } finally {
    await admin.close();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A private copy of a loaded fixture template (`target` must not exist). */
export async function copyTemplate(template: string, target: string): Promise<void> {
  await copyTree(template, target);
}
