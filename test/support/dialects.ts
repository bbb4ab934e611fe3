import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { Datasource, datasourceConfigSchema, type DatasourceConfigInput } from '../../src/datasource/index.ts';
import { copyTemplate } from './global-setup.ts';

export type TargetName = 'pglite' | 'postgres' | 'mariadb';

export interface OpenedTarget {
  datasource: Datasource;
  url: string;
  close(): Promise<void>;
}

/** One engine every SQL test runs on (the kysely `for (const dialect of DIALECTS)` pattern). */
export interface DialectTarget {
  name: TargetName;
  dialect: 'postgres' | 'mysql';
  /** Why this engine is skipped here; null when it runs. Never set under REQUIRE_SERVERS=1. */
  skipReason: string | null;
  /** Opens the shared, already loaded fixture database (PGlite: a private copy of the template). */
  open(fixture?: 'shop' | 'clinic', options?: Partial<DatasourceConfigInput>): Promise<OpenedTarget>;
  /**
   * The URL of the loaded fixture database without opening it (PGlite: a private copy of the template, which
   * `remove` deletes; the servers' shared databases stay). For code that opens its own connections.
   */
  locate(fixture?: 'shop' | 'clinic'): Promise<LocatedTarget>;
}

export interface LocatedTarget {
  url: string;
  remove(): Promise<void>;
}

export function dialectTargets(): DialectTarget[] {
  const environment = inject('testEnvironment');
  const openUrl = async (
    url: string,
    options: Partial<DatasourceConfigInput> = {},
    cleanup?: () => Promise<void>,
  ): Promise<OpenedTarget> => {
    const datasource = await Datasource.open(datasourceConfigSchema.parse({ id: 'test', url, sampleValues: false, ...options }));
    return {
      datasource,
      url,
      close: async () => {
        await datasource.close();
        await cleanup?.();
      },
    };
  };
  return [
    {
      name: 'pglite',
      dialect: 'postgres',
      skipReason: null,
      async open(fixture = 'shop', options = {}) {
        const copy = await this.locate(fixture);
        return openUrl(copy.url, options, copy.remove);
      },
      async locate(fixture = 'shop') {
        const dir = await mkdtemp(path.join(tmpdir(), `sqlagent-test-${fixture}-`));
        await rm(dir, { recursive: true });
        await copyTemplate(environment.pgliteTemplates[fixture], dir);
        return { url: `pglite:${dir}`, remove: () => rm(dir, { recursive: true, force: true }) };
      },
    },
    {
      name: 'postgres',
      dialect: 'postgres',
      skipReason: environment.postgres ? null : (environment.skipReasons.postgres ?? 'no Postgres'),
      open: (fixture = 'shop', options = {}) => openUrl(environment.postgres![fixture], options),
      locate: async (fixture = 'shop') => ({ url: environment.postgres![fixture], remove: async () => {} }),
    },
    {
      name: 'mariadb',
      dialect: 'mysql',
      skipReason: environment.mysql ? null : (environment.skipReasons.mysql ?? 'no MariaDB'),
      open: (fixture = 'shop', options = {}) => openUrl(environment.mysql![fixture], options),
      locate: async (fixture = 'shop') => ({ url: environment.mysql![fixture], remove: async () => {} }),
    },
  ];
}

/**
 * One engine per SQL dialect, for tests whose subject is the SQL written (the offline model's question sets):
 * Postgres, or PGlite where no Postgres server runs, and MariaDB/MySQL. PGlite and Postgres share the
 * dialect, the introspector and the fixtures' data, so a question set gives the same answers on both
 * (measured: the same counts on all three engines, set after set); PGlite's own paths are covered by the
 * tests that run on every engine.
 */
export function oneTargetPerDialect(): DialectTarget[] {
  const targets = dialectTargets();
  const byName = (name: TargetName) => targets.find((target) => target.name === name)!;
  const postgres = byName('postgres');
  return [postgres.skipReason === null ? postgres : byName('pglite'), byName('mariadb')];
}

/**
 * The logical schema name of a physical one: on MySQL the fixture's `public` is the database itself and
 * `analytics` is the sibling `<database>_analytics`.
 */
export function logicalSchemaName(physical: string, database: string | null): string {
  if (database === null) return physical;
  if (physical === database) return 'public';
  return physical.startsWith(`${database}_`) ? physical.slice(database.length + 1) : physical;
}
