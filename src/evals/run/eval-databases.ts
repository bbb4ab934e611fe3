import { Datasource, datasourceConfigSchema, dialectForUrl, redactUrl, type DatasourceConfig, type DatasourceConfigInput } from '../../datasource/index.ts';
import { DatasourceNotFoundError, InvalidInputError } from '../../errors/index.ts';
import { ensureDatabase, getFixture, listFixtures, loadFixture, physicalSchemas, tableChecksums } from '../../fixtures/index.ts';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** The engines an eval can run on without any setup (fixtures are loaded on first use). */
export const evalEngines = ['pglite', 'postgres', 'mysql'] as const;
export type EvalEngine = (typeof evalEngines)[number];

export interface EvalDatabaseChoice {
  /** The datasources the selected cases use. */
  datasourceIds: readonly string[];
  /** The service's configured datasources. */
  configured: readonly DatasourceConfig[];
  dataDir: string;
  /** Put fixtures on this engine; null: the configured datasources (or the embedded fixture). */
  engine: EvalEngine | null;
  /** Explicit databases by datasource id (`--datasource-url`); these are used as they are. */
  datasourceUrls: Readonly<Record<string, string>>;
  /**
   * The agent runs in another process (a server) that holds the embedded PGlite files, so the gold needs
   * its own copy: an in-memory PGlite loaded from the fixture.
   */
  separateFromService: boolean;
  /** Servers for `--engine postgres|mysql`; a database `sqlagent_eval_<fixture>` is made on them. */
  serverUrls: { postgres: string; mysql: string };
  log?: (message: string) => void;
}

/**
 * The datasource configs an eval runs on, by the rules the README states: an explicit URL wins; else
 * `--engine` puts the fixture of that name on that engine (a database created and loaded when missing
 * or stale); else the configured datasource; else the embedded fixture of that name.
 */
export async function resolveEvalDatasources(choice: EvalDatabaseChoice): Promise<DatasourceConfigInput[]> {
  const fixtureNames = new Set(listFixtures().map((fixture) => fixture.name));
  const resolved: DatasourceConfigInput[] = [];
  for (const id of choice.datasourceIds) {
    const configured = choice.configured.find((datasource) => datasource.id === id);
    const fixtureName = configured?.fixture ?? (fixtureNames.has(id) ? id : null);
    const fixture = fixtureName ? getFixture(fixtureName) : null;
    const base = { id, ...(configured?.rowCap ? { rowCap: configured.rowCap } : {}), today: configured?.today ?? fixture?.today };
    const explicit = choice.datasourceUrls[id];
    if (explicit) {
      resolved.push({ ...base, url: explicit });
      continue;
    }
    const engine = choice.engine ?? (configured ? null : fixture ? 'pglite' : null);
    if (engine === null) {
      if (!configured) throw new DatasourceNotFoundError(`The eval uses datasource "${id}", which is neither configured nor a fixture (${[...fixtureNames].join(', ')}). Configure it, or pass --datasource-url ${id}=<url>.`, { datasource: id });
      const embedded = dialectForUrl(configured.url).embedded && configured.fixture;
      resolved.push(embedded && choice.separateFromService ? { ...configured, url: 'pglite:memory' } : configured);
      continue;
    }
    if (!fixture) throw new InvalidInputError(`--engine ${engine} puts fixtures on ${engine}, but datasource "${id}" is not a fixture; pass --datasource-url ${id}=<url> for it.`, { datasource: id });
    if (engine === 'pglite') {
      const reuse = configured && dialectForUrl(configured.url).embedded && configured.fixture === fixture.name && !choice.separateFromService;
      const url = reuse ? configured.url : choice.separateFromService ? 'pglite:memory' : `pglite:${choice.dataDir}/eval-${fixture.name}`;
      resolved.push({ ...base, url, fixture: fixture.name });
      continue;
    }
    const url = databaseUrl(choice.serverUrls[engine], `sqlagent_eval_${fixture.name}`);
    await ensureFixtureOnServer(url, fixture.name, choice.log ?? (() => {}), path.join(choice.dataDir, 'eval-fixtures.json'));
    resolved.push({ ...base, url });
  }
  return resolved;
}

/**
 * Creates the database and loads the fixture unless it is already there unchanged: every table holds the
 * fixture's row count and the tables' checksums equal the ones recorded (in `recordFile`, by URL) right
 * after this machine last loaded it. A database loaded elsewhere, or changed since, is loaded again.
 */
export async function ensureFixtureOnServer(url: string, fixtureName: string, log: (message: string) => void, recordFile: string): Promise<void> {
  const fixture = getFixture(fixtureName);
  await ensureDatabase(url);
  const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'eval-fixture', url, sampleValues: false, poolSize: 1 }));
  const key = `${redactUrl(url)} ${fixtureName}`;
  try {
    const data = fixture.generate();
    const countsMatch = await datasource.driver.withSession(async (session) => {
      const schemas = await physicalSchemas(fixture, datasource, session);
      const quote = datasource.adapter.quoteIdentifier;
      for (const table of fixture.tables) {
        const expected = data[`${table.schema}.${table.name}`]?.length ?? 0;
        const counted = await session.query(`SELECT COUNT(*) FROM ${quote(schemas[table.schema] ?? table.schema)}.${quote(table.name)}`).then(
          (result) => Number(result.rows[0]?.[0]),
          () => -1,
        );
        if (counted !== expected) return false;
      }
      return true;
    });
    const records = await readRecords(recordFile);
    if (countsMatch && records[key] && sameChecksums(records[key], await checksumsOf(datasource))) return;
    log(`Loading fixture "${fixtureName}" into ${datasource.displayUrl} for the eval…`);
    await loadFixture(fixture, datasource);
    const loaded = await readRecords(recordFile);
    loaded[key] = await checksumsOf(datasource);
    await mkdir(path.dirname(recordFile), { recursive: true });
    await writeFile(recordFile, `${JSON.stringify(loaded, null, 2)}\n`);
  } finally {
    await datasource.close();
  }
}

async function checksumsOf(datasource: Datasource): Promise<Record<string, string>> {
  return tableChecksums(datasource, await datasource.introspect({ sampleBudgetMs: 0 }));
}

async function readRecords(file: string): Promise<Record<string, Record<string, string>>> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return {};
  try {
    return JSON.parse(text) as Record<string, Record<string, string>>;
  } catch {
    return {};
  }
}

function sameChecksums(left: Record<string, string>, right: Record<string, string>): boolean {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

/** A URL for database `name` on the server at `serverUrl`. */
export function databaseUrl(serverUrl: string, name: string): string {
  const parsed = new URL(serverUrl);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Parses `--datasource-url` values: `id=url`, or a bare URL when the cases use one datasource. */
export function parseDatasourceUrls(values: readonly string[], datasourceIds: readonly string[]): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const value of values) {
    const match = /^([A-Za-z][A-Za-z0-9_-]{0,62})=(.+)$/.exec(value);
    if (match && !/^[a-z]+:\/\//.test(value)) {
      urls[match[1]] = match[2];
      continue;
    }
    if (datasourceIds.length !== 1) {
      throw new InvalidInputError(`--datasource-url ${redact(value)}: the cases use ${datasourceIds.length} datasources (${datasourceIds.join(', ')}); say which with <datasource>=<url>.`, { field: 'datasource-url' });
    }
    urls[datasourceIds[0]] = value;
  }
  for (const [id, url] of Object.entries(urls)) {
    if (!datasourceConfigSchema.shape.url.safeParse(url).success) throw new InvalidInputError(`--datasource-url ${id}=${redact(url)}: the url must start with postgres://, mysql://, mariadb:// or pglite:.`, { field: 'datasource-url' });
  }
  return urls;
}

function redact(value: string): string {
  return redactUrl(value.replace(/^[A-Za-z][A-Za-z0-9_-]{0,62}=/, ''));
}
