// Keeps docker-compose.yml, Dockerfile, .dockerignore and docker/ correct without a Docker engine: parses
// them and checks them against the README's Docker Compose table (and docs/langfuse.md's for the
// `langfuse-*` services), the config loader and the repository.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { assertAuthFitsHost } from '../../src/http/request-helpers.ts';
import { loadConfig } from '../../src/config/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Service = Record<string, any>;
// `merge`: the Langfuse web and worker share their settings through a `<<: *langfuse-env` merge key.
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
};
const services = compose.services ?? {};

const readonlyRole = 'sqlagent_ro';
const adminPasswordVariables = ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'];

// ---------------------------------------------------------------------------------------------------
// The README's `| service | image | port |` table under "## Docker Compose", and the one in docs/langfuse.md
// for the Langfuse services (a port that is not a number there, such as `—`, means "not published").

interface ReadmeRow {
  service: string;
  image: string;
  port: number;
}

function composeTable(file: string, heading?: RegExp): ReadmeRow[] {
  const lines = read(file).split('\n');
  let section = lines;
  if (heading) {
    const start = lines.findIndex((line) => heading.test(line));
    if (start < 0) throw new Error(`${file} has no ${heading} section`);
    const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
    section = lines.slice(start + 1, end < 0 ? undefined : end);
  }
  const cells = (line: string) =>
    line
      .trim()
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split('|')
      .map((cell) => cell.trim().replace(/`/g, ''));
  const headerAt = section.findIndex((line) => line.trim().startsWith('|') && cells(line).includes('service'));
  if (headerAt < 0) throw new Error(`${file}: no | service | image | port | table${heading ? ` in the ${heading} section` : ''}`);
  const header = cells(section[headerAt]);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`${file}: the compose table has no "${name}" column`);
    return index;
  };
  const [serviceColumn, imageColumn, portColumn] = [column('service'), column('image'), column('port')];
  const rows: ReadmeRow[] = [];
  for (const line of section.slice(headerAt + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    rows.push({
      service: row[serviceColumn],
      image: row[imageColumn],
      port: /^\d+$/.test(row[portColumn]) ? Number(row[portColumn]) : Number.NaN,
    });
  }
  return rows;
}

function readmeComposeTable(): ReadmeRow[] {
  return composeTable('README.md', /^##\s+Docker Compose\s*$/);
}

const readme = readmeComposeTable();
const readmeRow = (service: string) => {
  const row = readme.find((entry) => entry.service === service);
  if (!row) throw new Error(`README.md's Docker Compose table has no row for ${service}`);
  return row;
};

/** The Langfuse services are documented in docs/langfuse.md (the README's table is for the core services). */
const isLangfuseService = (name: string) => name.startsWith('langfuse-');
const langfuseDocs = composeTable('docs/langfuse.md');
/** The row documenting a service: the README's, or docs/langfuse.md's for a `langfuse-*` service. */
const documentedRow = (service: string) => (isLangfuseService(service) ? langfuseDocs : readme).find((entry) => entry.service === service);

// ---------------------------------------------------------------------------------------------------
// Compose helpers: the short and long forms of ports, environment and depends_on; `${VAR:-default}`.

interface PublishedPort {
  host: number;
  container: number;
}

function publishedPorts(service: Service): PublishedPort[] {
  return (service.ports ?? []).map((entry: unknown) => {
    if (typeof entry === 'object' && entry !== null) {
      const long = entry as { target: number | string; published?: number | string };
      return { host: Number(long.published), container: Number(long.target) };
    }
    // [ip:]host:container[/protocol]; a bare container port publishes on a random host port (NaN here).
    const parts = String(entry)
      .replace(/\/(tcp|udp)$/, '')
      .split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length >= 2 ? Number(parts.at(-2)) : Number.NaN, container };
  });
}

function environmentOf(service: Service): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry: string) => {
        const at = entry.indexOf('=');
        return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependsOn(service: Service): Record<string, string> {
  const entries = service.depends_on ?? {};
  if (Array.isArray(entries)) return Object.fromEntries(entries.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(
    Object.entries(entries).map(([name, value]) => [name, (value as { condition?: string })?.condition ?? 'service_started']),
  );
}

/** Every `$` in a compose value: `$$` (a literal `$`) or `${NAME:-default}`. Anything else is an error. */
const substitution = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*):-([^${}]*)\})/g;

/** Compose's interpolation, for the forms this project allows: `${NAME:-default}` and `$$`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(substitution, (match, name: string | undefined, fallback: string | undefined) =>
    match === '$$' ? '$' : env[name!] || fallback!,
  );
}

function allStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => allStrings(item, into));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) allStrings(item, allStrings(key, into));
  return into;
}

const interpolatedEnvironment = (service: Service, env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(environmentOf(service)).map(([key, value]) => [key, interpolate(value, env)]));

const asArgv = (value: unknown): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value.map(String) : ['sh', '-c', String(value)];

// ---------------------------------------------------------------------------------------------------
// Dockerfile helpers.

interface Instruction {
  keyword: string;
  args: string;
}

function dockerfileInstructions(): Instruction[] {
  const logical = read('Dockerfile')
    .split('\n')
    .filter((line) => !/^\s*#/.test(line))
    .join('\n')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim());
  return logical.map((line) => {
    const match = /^\s*(\S+)\s*(.*)$/.exec(line)!;
    return { keyword: match[1].toUpperCase(), args: match[2].trim() };
  });
}

const instructions = dockerfileInstructions();
const instruction = (keyword: string) => instructions.filter((entry) => entry.keyword === keyword);

/** Sources of COPY/ADD instructions that come from the build context (not `--from=` stages). */
function copiedPaths(): string[] {
  const sources: string[] = [];
  for (const { args } of [...instruction('COPY'), ...instruction('ADD')]) {
    const words = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
    if (words.some((word) => word.startsWith('--from='))) continue;
    const paths = words.filter((word) => !word.startsWith('--'));
    sources.push(...paths.slice(0, -1));
  }
  return sources;
}

function dockerignorePatterns(): string[] {
  return read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
}

function isDockerignored(file: string, patterns: string[]): boolean {
  const normalized = path.posix.normalize(file).replace(/^\.\//, '').replace(/\/$/, '');
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = raw.replace(/^!/, '').replace(/^\//, '').replace(/\/$/, '');
    const regex = new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*\*/g, '\u0000')
        .replace(/\*/g, '[^/]*')
        .replace(/\u0000/g, '.*')
        .replace(/\?/g, '[^/]')}(/.*)?$`,
    );
    if (regex.test(normalized)) ignored = !negated;
  }
  return ignored;
}

// ---------------------------------------------------------------------------------------------------

describe('docker-compose.yml', () => {
  it('has the database, cache, fixture-loader and service containers, and every README service', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'mysql', 'redis', 'fixtures', 'sqlagent']));
    expect(readme.map((row) => row.service)).toEqual(expect.arrayContaining(['postgres', 'mysql', 'redis', 'sqlagent']));
    for (const row of readme) expect(services, `README service ${row.service}`).toHaveProperty(row.service);
  });

  it('uses the images the README names: postgres:16, mysql:8, redis:7, and builds sqlagent from the Dockerfile', () => {
    expect(services.postgres.image).toBe('postgres:16');
    expect(services.mysql.image).toBe('mysql:8');
    expect(services.redis.image).toBe('redis:7');
    for (const row of readme) {
      const service = services[row.service];
      const built = /built from\s+(\S+)/.exec(row.image);
      if (built) {
        expect(service.build, `${row.service} is built`).toBeDefined();
        const build = typeof service.build === 'string' ? { context: service.build } : service.build;
        expect(path.join(build.context ?? '.', build.dockerfile ?? 'Dockerfile')).toBe(built[1]);
      } else {
        expect(service.image, `${row.service} image`).toBe(row.image);
      }
    }
  });

  it('publishes exactly the ports in the README table (or docs/langfuse.md for langfuse-*; host = container), and nothing for other services', () => {
    expect(readme.length).toBeGreaterThan(0);
    for (const row of readme) expect(Number.isInteger(row.port), `README port of ${row.service}: ${row.port}`).toBe(true);
    for (const row of readme) expect(isLangfuseService(row.service), `${row.service} belongs in docs/langfuse.md`).toBe(false);
    for (const row of langfuseDocs)
      expect(isLangfuseService(row.service), `docs/langfuse.md documents only langfuse-* services: ${row.service}`).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      const row = documentedRow(name);
      const port = row && Number.isInteger(row.port) ? row.port : undefined;
      expect(publishedPorts(service), `published ports of ${name}`).toEqual(port === undefined ? [] : [{ host: port, container: port }]);
    }
    // No two services claim the same host port.
    const hostPorts = Object.values(services).flatMap((service) => publishedPorts(service).map((entry) => entry.host));
    expect(new Set(hostPorts).size, `host ports ${hostPorts.join(', ')}`).toBe(hostPorts.length);
  });

  it('gives the three databases real healthchecks, and named volumes to the stateful services', () => {
    const healthcheck = (name: string) => {
      const check = services[name].healthcheck;
      expect(check?.disable, `${name} healthcheck disabled`).not.toBe(true);
      return asArgv(check?.test).join(' ');
    };
    expect(healthcheck('postgres')).toMatch(/\bpg_isready\b/);
    expect(healthcheck('mysql')).toMatch(/\bmysqladmin\b.*\bping\b/);
    expect(healthcheck('redis')).toMatch(/\bredis-cli\b.*\bping\b/);

    const namedVolumes = Object.keys(compose.volumes ?? {});
    const namedVolumeAt = (name: string, target: string) => {
      const mounts = (services[name].volumes ?? []).map((entry: unknown) =>
        typeof entry === 'string'
          ? { source: entry.split(':')[0], target: entry.split(':')[1] }
          : (entry as { source: string; target: string }),
      );
      const mount = mounts.find((entry: { target: string }) => entry.target === target);
      expect(mount, `${name} mounts a volume at ${target}`).toBeDefined();
      expect(namedVolumes, `${name}'s volume is a named volume`).toContain(mount.source);
    };
    namedVolumeAt('postgres', '/var/lib/postgresql/data');
    namedVolumeAt('mysql', '/var/lib/mysql');
    namedVolumeAt('sqlagent', '/app/.data');
  });

  it('only waits for healthy services that have a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, condition] of Object.entries(dependsOn(service))) {
        expect(services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
        if (condition === 'service_healthy')
          expect(services[dependency].healthcheck, `${dependency} healthcheck (needed by ${name})`).toBeDefined();
      }
    }
  });

  it('writes every substitution as ${VAR:-default} (or $$ for a literal $), with one default per variable', () => {
    const defaults = new Map<string, string>();
    for (const text of allStrings(compose)) {
      const leftover = text.replace(substitution, '');
      expect(leftover, `malformed substitution in ${JSON.stringify(text)}`).not.toContain('$');
      for (const match of text.matchAll(substitution)) {
        if (match[0] === '$$') continue;
        const [, name, fallback] = match;
        expect(fallback, `${name} has a default`).not.toBe('');
        if (defaults.has(name!)) expect(fallback, `the default of ${name} is the same everywhere`).toBe(defaults.get(name!));
        defaults.set(name!, fallback!);
      }
    }
    // The passwords are overridable: each one is a substitution, never a literal.
    expect(environmentOf(services.postgres).POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:-[^}]+\}$/);
    expect(environmentOf(services.mysql).MYSQL_ROOT_PASSWORD).toMatch(/^\$\{MYSQL_ROOT_PASSWORD:-[^}]+\}$/);
    expect(environmentOf(services.fixtures).SQLAGENT_READONLY_PASSWORD).toMatch(/^\$\{[A-Z_]+:-[^}]+\}$/);
  });
});

describe.each([
  ['the default passwords', {}],
  ['overridden passwords', { POSTGRES_PASSWORD: 'pg-override', MYSQL_ROOT_PASSWORD: 'my-override', SQLAGENT_RO_PASSWORD: 'ro-override' }],
] as Array<[string, Record<string, string>]>)('with %s', (_label, hostEnv) => {
  const postgresPassword = interpolatedEnvironment(services.postgres, hostEnv).POSTGRES_PASSWORD;
  const mysqlPassword = interpolatedEnvironment(services.mysql, hostEnv).MYSQL_ROOT_PASSWORD;
  const readonlyPassword = interpolatedEnvironment(services.fixtures, hostEnv).SQLAGENT_READONLY_PASSWORD;

  it('the overrides reach every service', () => {
    if (hostEnv.POSTGRES_PASSWORD) expect(postgresPassword).toBe(hostEnv.POSTGRES_PASSWORD);
    if (hostEnv.MYSQL_ROOT_PASSWORD) expect(mysqlPassword).toBe(hostEnv.MYSQL_ROOT_PASSWORD);
    if (hostEnv.SQLAGENT_RO_PASSWORD) expect(readonlyPassword).toBe(hostEnv.SQLAGENT_RO_PASSWORD);
    expect(new Set([postgresPassword, mysqlPassword, readonlyPassword]).size, 'three distinct passwords').toBe(3);
  });

  it('fixtures: waits for healthy databases, then loads shop and clinic into Postgres and shop into MySQL with the read-only role', () => {
    const fixtures = services.fixtures;
    expect(fixtures.build, 'fixtures is built from the same Dockerfile').toEqual(services.sqlagent.build);
    expect(dependsOn(fixtures)).toMatchObject({ postgres: 'service_healthy', mysql: 'service_healthy' });
    expect([undefined, 'no', false]).toContain(fixtures.restart);
    expect(publishedPorts(fixtures)).toEqual([]);

    // Run the service's command with a stub `node` that records each CLI invocation and its environment.
    const argv = [...asArgv(fixtures.entrypoint), ...asArgv(fixtures.command)].map((word) => interpolate(word, hostEnv));
    expect(argv.length, 'fixtures has a command').toBeGreaterThan(0);
    const script = argv.find((word) => /\.sh$/.test(word));
    if (script) {
      expect(existsSync(path.join(root, script)), `${script} exists`).toBe(true);
      expect(
        copiedPaths().some((source) => script.startsWith(`${source.replace(/^\.\//, '').replace(/\/$/, '')}/`)),
        `the Dockerfile copies ${script}`,
      ).toBe(true);
    }
    const stubDir = mkdtempSync(path.join(tmpdir(), 'sqlagent-compose-'));
    try {
      const log = path.join(stubDir, 'calls.jsonl');
      writeFileSync(
        path.join(stubDir, 'node'),
        `#!/bin/sh\nexec "${process.execPath}" -e 'require("fs").appendFileSync(process.env.STUB_LOG, JSON.stringify({ argv: process.argv.slice(1), password: process.env.SQLAGENT_READONLY_PASSWORD }) + "\\n")' -- "$@"\n`,
      );
      chmodSync(path.join(stubDir, 'node'), 0o755);
      execFileSync(argv[0], argv.slice(1), {
        cwd: root,
        env: { PATH: `${stubDir}:${process.env.PATH}`, STUB_LOG: log, ...interpolatedEnvironment(fixtures, hostEnv) },
        stdio: 'pipe',
      });
      const calls = readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { argv: string[]; password?: string });
      const loads = calls.map(({ argv: words, password }) => {
        expect(words[0]).toBe('bin/sqlagent.mjs');
        expect(words.slice(1, 3)).toEqual(['fixtures', 'load']);
        const option = (name: string) => {
          const at = words.indexOf(name);
          return at < 0 ? undefined : words[at + 1];
        };
        const url = new URL(option('--url')!);
        return { fixture: words[3], url, role: option('--readonly-role'), password: option('--readonly-password') ?? password };
      });
      expect(loads.map(({ fixture, url }) => `${fixture} -> ${url.hostname}/${url.pathname.slice(1)}`).sort()).toEqual([
        'clinic -> postgres/clinic',
        'shop -> mysql/shop',
        'shop -> postgres/shop',
      ]);
      for (const load of loads) {
        expect(load.role).toBe(readonlyRole);
        expect(load.password, 'the read-only password').toBe(readonlyPassword);
        const server = load.url.hostname;
        expect(load.url.protocol).toBe(`${server}:`);
        expect(Number(load.url.port)).toBe(readmeRow(server).port);
        expect(decodeURIComponent(load.url.password), `admin password of ${server}`).toBe(
          server === 'postgres' ? postgresPassword : mysqlPassword,
        );
      }
    } finally {
      rmSync(stubDir, { recursive: true, force: true });
    }
  });

  it('sqlagent: starts after the fixtures, and connects only as the read-only role to the compose hosts', () => {
    const sqlagent = services.sqlagent;
    expect(dependsOn(sqlagent)).toMatchObject({ fixtures: 'service_completed_successfully', redis: 'service_healthy' });
    expect(sqlagent.env_file, 'no env_file (it could carry admin passwords)').toBeUndefined();

    const rawEnv = environmentOf(sqlagent);
    const env = interpolatedEnvironment(sqlagent, hostEnv);
    for (const key of Object.keys(rawEnv))
      expect(adminPasswordVariables.concat(['POSTGRES_ADMIN_URL', 'MYSQL_ADMIN_URL']), 'no admin variable').not.toContain(key);
    for (const [key, value] of Object.entries(rawEnv)) {
      for (const variable of adminPasswordVariables) expect(value, `${key} uses ${variable}`).not.toContain(`\${${variable}`);
    }
    for (const [key, value] of Object.entries(env)) {
      expect(value, key).not.toMatch(/\broot@|\/\/root:|\/\/postgres:/);
      expect(value, `${key} holds the Postgres admin password`).not.toContain(postgresPassword);
      expect(value, `${key} holds the MySQL root password`).not.toContain(mysqlPassword);
    }

    const urls = Object.entries(env).filter(([key]) => /^DATASOURCE_[A-Z0-9_]+_URL$/.test(key));
    expect(urls.map(([key]) => key).sort()).toEqual(['DATASOURCE_CLINIC_URL', 'DATASOURCE_SHOP_MYSQL_URL', 'DATASOURCE_SHOP_URL']);
    const expected: Record<string, [string, string]> = {
      DATASOURCE_SHOP_URL: ['postgres', 'shop'],
      DATASOURCE_CLINIC_URL: ['postgres', 'clinic'],
      DATASOURCE_SHOP_MYSQL_URL: ['mysql', 'shop'],
    };
    for (const [key, value] of urls) {
      const url = new URL(value);
      const [server, database] = expected[key];
      expect(url.protocol, key).toBe(`${server}:`);
      expect(url.username, key).toBe(readonlyRole);
      expect(decodeURIComponent(url.password), `${key}: the password the fixtures gave ${readonlyRole}`).toBe(readonlyPassword);
      expect(url.hostname, key).toBe(server);
      expect(services, `${key} points at a compose service`).toHaveProperty(url.hostname);
      expect(Number(url.port), key).toBe(readmeRow(server).port);
      expect(url.pathname, key).toBe(`/${database}`);
    }
  });

  it('sqlagent: the config it loads listens where the container port is published, and the healthcheck asks /healthz there', () => {
    const sqlagent = services.sqlagent;
    const config = loadConfig({ env: interpolatedEnvironment(sqlagent, hostEnv) });
    const [published] = publishedPorts(sqlagent);
    expect(config.server.port).toBe(published.container);
    expect(config.server.host).toBe('0.0.0.0');
    // Listening on 0.0.0.0 needs an API key: the service would refuse to start without one.
    expect(config.server.apiKeys.map((key) => [key.id, key.scopes])).toEqual([['demo', ['query', 'read', 'feedback']]]);
    expect(assertAuthFitsHost(config.server.apiKeys, config.server.host)).toBeNull();
    expect(() => assertAuthFitsHost([], config.server.host)).toThrow(/Auth is off .* listen on 0\.0\.0\.0/);
    expect(config.datasources.map((entry) => [entry.id, new URL(entry.url).hostname, entry.fixture])).toEqual([
      ['shop', 'postgres', undefined],
      ['clinic', 'postgres', undefined],
      ['shop_mysql', 'mysql', undefined],
    ]);
    // The result cache is the compose Redis, shared by replicas.
    expect(new URL(config.cache.redisUrl!).hostname).toBe('redis');
    expect(Object.keys(services)).toContain('redis');
    const check = asArgv(sqlagent.healthcheck?.test).join(' ');
    const target = /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/healthz\b/.exec(check);
    expect(target, `healthcheck ${check}`).not.toBeNull();
    expect(Number(target![1])).toBe(published.container);
    expect(check).toMatch(/^(CMD|CMD-SHELL) node\b/);
  });
});

// ---------------------------------------------------------------------------------------------------
// The self-hosted Langfuse v4 stack (docs/langfuse.md) and the sqlagent service's wiring to it.

const langfuseServices = [
  'langfuse-web',
  'langfuse-worker',
  'langfuse-postgres',
  'langfuse-clickhouse',
  'langfuse-redis',
  'langfuse-minio',
];

/** Settings that langfuse-web and langfuse-worker must agree on. */
const sharedLangfuseKeys = [
  'DATABASE_URL',
  'SALT',
  'ENCRYPTION_KEY',
  'NEXTAUTH_URL',
  'NEXTAUTH_SECRET',
  'CLICKHOUSE_URL',
  'CLICKHOUSE_MIGRATION_URL',
  'CLICKHOUSE_USER',
  'CLICKHOUSE_PASSWORD',
  'CLICKHOUSE_CLUSTER_ENABLED',
  'REDIS_HOST',
  'REDIS_PORT',
  'REDIS_AUTH',
  'LANGFUSE_S3_EVENT_UPLOAD_BUCKET',
  'LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT',
  'LANGFUSE_S3_EVENT_UPLOAD_REGION',
  'LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID',
  'LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY',
  'LANGFUSE_S3_EVENT_UPLOAD_FORCE_PATH_STYLE',
];

/** Every `${NAME:-…}` variable a Langfuse secret or key is read from. */
const langfuseVariables = [
  'LANGFUSE_POSTGRES_PASSWORD',
  'LANGFUSE_SALT',
  'LANGFUSE_ENCRYPTION_KEY',
  'LANGFUSE_NEXTAUTH_SECRET',
  'LANGFUSE_CLICKHOUSE_PASSWORD',
  'LANGFUSE_REDIS_PASSWORD',
  'LANGFUSE_MINIO_PASSWORD',
  'LANGFUSE_PUBLIC_KEY',
  'LANGFUSE_SECRET_KEY',
  'LANGFUSE_INIT_USER_EMAIL',
  'LANGFUSE_INIT_USER_PASSWORD',
];

/** `image:tag` → [major, minor] of a numeric tag, or undefined. */
function imageVersion(image: string, repository: string): [number, number] | undefined {
  const match = new RegExp(
    `^(?:docker\\.io/)?${repository.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:(\\d+)(?:\\.(\\d+))?(?:[.-]\\S*)?$`,
  ).exec(image);
  return match ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

/** Compose durations such as `300s`, `5m`, `1m30s`, in seconds. */
function durationSeconds(value: unknown): number {
  const text = String(value ?? '0s');
  let seconds = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms|us|ns)/g)) {
    seconds += Number(amount) * { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, ns: 1e-9 }[unit as 'h' | 'm' | 's' | 'ms' | 'us' | 'ns'];
  }
  return seconds;
}

/** Every service `name` waits for, directly or through its dependencies. */
function transitiveDependencies(name: string, seen = new Set<string>()): Set<string> {
  for (const dependency of Object.keys(dependsOn(services[name] ?? {}))) {
    if (seen.has(dependency)) continue;
    seen.add(dependency);
    transitiveDependencies(dependency, seen);
  }
  return seen;
}

/** The value following `flag` in the service's command (list or string form). */
function commandOption(service: Service, flag: string): string | undefined {
  const words = Array.isArray(service.command) ? service.command.map(String) : String(service.command ?? '').split(/\s+/);
  const at = words.indexOf(flag);
  return at < 0 ? undefined : words[at + 1];
}

describe('docker-compose.yml: the Langfuse v4 stack', () => {
  it('has the six langfuse-* services with the images Langfuse v4 needs, as docs/langfuse.md lists them', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(langfuseServices));
    expect(Object.keys(services).filter(isLangfuseService).sort()).toEqual([...langfuseServices].sort());
    expect(services['langfuse-web'].image).toBe('langfuse/langfuse:4');
    expect(services['langfuse-worker'].image).toBe('langfuse/langfuse-worker:4');
    const postgres = imageVersion(services['langfuse-postgres'].image, 'postgres');
    expect(postgres, `langfuse-postgres image ${services['langfuse-postgres'].image}`).toBeDefined();
    expect(postgres![0], 'Postgres >= 15').toBeGreaterThanOrEqual(15);
    const clickhouse = imageVersion(services['langfuse-clickhouse'].image, 'clickhouse/clickhouse-server');
    expect(clickhouse, `langfuse-clickhouse image ${services['langfuse-clickhouse'].image}`).toBeDefined();
    expect(clickhouse![0] * 100 + clickhouse![1], 'ClickHouse >= 25.12').toBeGreaterThanOrEqual(2512);
    expect(services['langfuse-redis'].image).toBe('redis:7');
    expect(services['langfuse-minio'].image).toMatch(/(^|\/)minio(:[^/]+)?$/);

    // docs/langfuse.md's table: one row per langfuse-* service, with its compose image.
    expect(langfuseDocs.map((row) => row.service).sort()).toEqual([...langfuseServices].sort());
    for (const row of langfuseDocs) expect(services[row.service].image, `docs/langfuse.md image of ${row.service}`).toBe(row.image);
  });

  it('keeps Langfuse off the fixture Postgres and the result-cache Redis, and publishes only the web UI', () => {
    for (const name of langfuseServices) {
      if (name !== 'langfuse-web') expect(publishedPorts(services[name]), `${name} stays internal`).toEqual([]);
      for (const dependency of Object.keys(dependsOn(services[name])))
        expect(isLangfuseService(dependency), `${name} depends on ${dependency}`).toBe(true);
    }
    for (const name of ['langfuse-web', 'langfuse-worker']) {
      const env = interpolatedEnvironment(services[name]);
      expect(new URL(env.DATABASE_URL).hostname, `${name} DATABASE_URL`).toBe('langfuse-postgres');
      expect(env.REDIS_HOST, `${name} REDIS_HOST`).toBe('langfuse-redis');
    }
    const [web] = publishedPorts(services['langfuse-web']);
    expect(web).toEqual({ host: 3000, container: 3000 });
  });

  it('gives web and worker the same value for every shared setting', () => {
    const web = environmentOf(services['langfuse-web']);
    const worker = environmentOf(services['langfuse-worker']);
    const s3Keys = [...Object.keys(web), ...Object.keys(worker)].filter((key) => key.startsWith('LANGFUSE_S3_'));
    for (const key of new Set([...sharedLangfuseKeys, ...s3Keys])) {
      expect(web[key], `langfuse-web ${key}`).toBeDefined();
      expect(web[key], `langfuse-web ${key}`).not.toBe('');
      expect(worker[key], `langfuse-worker ${key} (same as langfuse-web)`).toBe(web[key]);
    }
    // The init project belongs to the web container alone.
    for (const key of Object.keys(worker)) expect(key, 'worker settings').not.toMatch(/^LANGFUSE_INIT_/);
  });

  it('reads every Langfuse secret from a ${LANGFUSE_…:-default} variable, and the web healthcheck allows a slow first start', () => {
    const web = environmentOf(services['langfuse-web']);
    const overridable: Record<string, string> = {
      DATABASE_URL: 'LANGFUSE_POSTGRES_PASSWORD',
      SALT: 'LANGFUSE_SALT',
      ENCRYPTION_KEY: 'LANGFUSE_ENCRYPTION_KEY',
      NEXTAUTH_SECRET: 'LANGFUSE_NEXTAUTH_SECRET',
      CLICKHOUSE_PASSWORD: 'LANGFUSE_CLICKHOUSE_PASSWORD',
      REDIS_AUTH: 'LANGFUSE_REDIS_PASSWORD',
      LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY: 'LANGFUSE_MINIO_PASSWORD',
      LANGFUSE_INIT_PROJECT_PUBLIC_KEY: 'LANGFUSE_PUBLIC_KEY',
      LANGFUSE_INIT_PROJECT_SECRET_KEY: 'LANGFUSE_SECRET_KEY',
      LANGFUSE_INIT_USER_PASSWORD: 'LANGFUSE_INIT_USER_PASSWORD',
    };
    for (const [key, variable] of Object.entries(overridable)) expect(web[key], `langfuse-web ${key}`).toContain(`\${${variable}:-`);
    expect(interpolatedEnvironment(services['langfuse-web']).ENCRYPTION_KEY, 'ENCRYPTION_KEY: 64 hex characters').toMatch(
      /^[0-9a-f]{64}$/i,
    );

    const check = services['langfuse-web'].healthcheck;
    expect(check?.disable).not.toBe(true);
    expect(asArgv(check?.test).join(' ')).toMatch(/https?:\/\/(?:127\.0\.0\.1|localhost):3000\/api\/public\/health\b/);
    expect(durationSeconds(check?.start_period), 'langfuse-web start_period').toBeGreaterThanOrEqual(120);
    for (const name of ['langfuse-postgres', 'langfuse-clickhouse', 'langfuse-redis', 'langfuse-minio']) {
      expect(services[name].healthcheck?.test, `${name} healthcheck`).toBeDefined();
      expect(dependsOn(services['langfuse-web'])[name], `langfuse-web waits for ${name}`).toBe('service_healthy');
      expect(dependsOn(services['langfuse-worker'])[name], `langfuse-worker waits for ${name}`).toBe('service_healthy');
    }
    for (const [name, target] of [
      ['langfuse-postgres', '/var/lib/postgresql/data'],
      ['langfuse-clickhouse', '/var/lib/clickhouse'],
      ['langfuse-minio', '/data'],
    ]) {
      const mount = (services[name].volumes ?? []).map(String).find((entry: string) => entry.split(':')[1] === target);
      expect(mount, `${name} keeps ${target} in a volume`).toBeDefined();
      expect(Object.keys(compose.volumes ?? {}), `${name}'s volume is a named volume`).toContain(mount!.split(':')[0]);
    }
  });

  it('sqlagent never waits for Langfuse', () => {
    const waits = [...transitiveDependencies('sqlagent')];
    expect(waits.filter(isLangfuseService), 'Langfuse services sqlagent waits for (tracing must not block it)').toEqual([]);
  });
});

describe.each([
  ['the default Langfuse secrets', {}],
  [
    'overridden Langfuse secrets',
    Object.fromEntries(
      langfuseVariables.map((name) => [
        name,
        name === 'LANGFUSE_ENCRYPTION_KEY'
          ? 'ab'.repeat(32)
          : name === 'LANGFUSE_PUBLIC_KEY'
            ? 'pk-lf-override'
            : name === 'LANGFUSE_SECRET_KEY'
              ? 'sk-lf-override'
              : name === 'LANGFUSE_INIT_USER_EMAIL'
                ? 'someone@example.org'
                : `${name.toLowerCase().replace(/_/g, '-')}-override`,
      ]),
    ),
  ],
] as Array<[string, Record<string, string>]>)('Langfuse with %s', (_label, hostEnv) => {
  const web = interpolatedEnvironment(services['langfuse-web'], hostEnv);
  const worker = interpolatedEnvironment(services['langfuse-worker'], hostEnv);

  it('the overrides reach web and worker', () => {
    for (const key of sharedLangfuseKeys) expect(worker[key], key).toBe(web[key]);
    if (hostEnv.LANGFUSE_SALT) expect(web.SALT).toBe(hostEnv.LANGFUSE_SALT);
    if (hostEnv.LANGFUSE_ENCRYPTION_KEY) expect(web.ENCRYPTION_KEY).toBe(hostEnv.LANGFUSE_ENCRYPTION_KEY);
    if (hostEnv.LANGFUSE_NEXTAUTH_SECRET) expect(web.NEXTAUTH_SECRET).toBe(hostEnv.LANGFUSE_NEXTAUTH_SECRET);
    expect(web.ENCRYPTION_KEY).toMatch(/^[0-9a-f]{64}$/i);
    // The browser-facing URL is the published port of the web UI.
    const nextauth = new URL(web.NEXTAUTH_URL);
    expect(Number(nextauth.port || (nextauth.protocol === 'https:' ? 443 : 80))).toBe(publishedPorts(services['langfuse-web'])[0].host);
  });

  it("web and worker reach Langfuse's Postgres, ClickHouse, Redis and MinIO with those servers' credentials", () => {
    // Postgres.
    const postgres = interpolatedEnvironment(services['langfuse-postgres'], hostEnv);
    const database = new URL(web.DATABASE_URL);
    expect(database.protocol).toMatch(/^postgres(ql)?:$/);
    expect(database.hostname).toBe('langfuse-postgres');
    expect(Number(database.port || 5432)).toBe(5432);
    expect(decodeURIComponent(database.username)).toBe(postgres.POSTGRES_USER || 'postgres');
    expect(decodeURIComponent(database.password), 'the Langfuse Postgres password').toBe(postgres.POSTGRES_PASSWORD);
    expect(database.pathname.slice(1)).toBe(postgres.POSTGRES_DB || postgres.POSTGRES_USER || 'postgres');
    if (hostEnv.LANGFUSE_POSTGRES_PASSWORD) expect(postgres.POSTGRES_PASSWORD).toBe(hostEnv.LANGFUSE_POSTGRES_PASSWORD);
    // A password distinct from the fixture Postgres's.
    expect(postgres.POSTGRES_PASSWORD).not.toBe(interpolatedEnvironment(services.postgres, hostEnv).POSTGRES_PASSWORD);

    // ClickHouse: HTTP 8123, native 9000, the server's user and password, no cluster.
    const clickhouse = interpolatedEnvironment(services['langfuse-clickhouse'], hostEnv);
    const http = new URL(web.CLICKHOUSE_URL);
    const migration = new URL(web.CLICKHOUSE_MIGRATION_URL);
    expect([http.protocol, http.hostname, http.port]).toEqual(['http:', 'langfuse-clickhouse', '8123']);
    expect([migration.protocol, migration.hostname, migration.port]).toEqual(['clickhouse:', 'langfuse-clickhouse', '9000']);
    expect(web.CLICKHOUSE_USER).toBe(clickhouse.CLICKHOUSE_USER);
    expect(web.CLICKHOUSE_PASSWORD).toBe(clickhouse.CLICKHOUSE_PASSWORD);
    expect(web.CLICKHOUSE_CLUSTER_ENABLED).toBe('false');

    // Redis: password-protected, noeviction, and the healthcheck authenticates.
    const redis = services['langfuse-redis'];
    const requirepass = commandOption(redis, '--requirepass');
    expect(requirepass, 'langfuse-redis --requirepass').toBeDefined();
    const password = interpolate(requirepass!, hostEnv);
    expect(password).not.toBe('');
    expect(commandOption(redis, '--maxmemory-policy'), 'langfuse-redis --maxmemory-policy').toBe('noeviction');
    expect(web.REDIS_AUTH, 'REDIS_AUTH is the langfuse-redis password').toBe(password);
    expect(web.REDIS_HOST).toBe('langfuse-redis');
    expect(web.REDIS_PORT).toBe('6379');
    const healthcheck = asArgv(redis.healthcheck?.test).join(' ');
    expect(healthcheck).toMatch(/\bredis-cli\b.*\bping\b/);
    if (!/\s-a\s/.test(healthcheck))
      expect(interpolatedEnvironment(redis, hostEnv).REDISCLI_AUTH, 'the healthcheck authenticates (REDISCLI_AUTH)').toBe(password);
    expect(redis.ports ?? [], 'langfuse-redis is not the result cache and stays internal').toEqual([]);

    // MinIO: the endpoint, the root credentials, path-style, and the bucket it creates at start.
    const minio = services['langfuse-minio'];
    const minioEnv = interpolatedEnvironment(minio, hostEnv);
    const endpoint = new URL(web.LANGFUSE_S3_EVENT_UPLOAD_ENDPOINT);
    expect([endpoint.hostname, endpoint.port]).toEqual(['langfuse-minio', '9000']);
    expect(web.LANGFUSE_S3_EVENT_UPLOAD_ACCESS_KEY_ID).toBe(minioEnv.MINIO_ROOT_USER);
    expect(web.LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY).toBe(minioEnv.MINIO_ROOT_PASSWORD);
    expect(minioEnv.MINIO_ROOT_PASSWORD.length, 'MinIO wants a password of 8+ characters').toBeGreaterThanOrEqual(8);
    expect(web.LANGFUSE_S3_EVENT_UPLOAD_FORCE_PATH_STYLE).toBe('true');
    const startup = [...asArgv(minio.entrypoint), ...asArgv(minio.command)].join(' ');
    expect(startup, 'langfuse-minio creates the bucket').toContain(`mkdir -p /data/${web.LANGFUSE_S3_EVENT_UPLOAD_BUCKET}`);
    expect(startup).toMatch(/\bminio server\b.*--address :9000\b.*\/data\b/);
  });

  it("the init project's keys are the keys sqlagent uses, and sqlagent points at the web service's container port", () => {
    const rawWeb = environmentOf(services['langfuse-web']);
    const rawSqlagent = environmentOf(services.sqlagent);
    // The same substitution, so the two cannot drift.
    expect(rawSqlagent.LANGFUSE_PUBLIC_KEY).toBe(rawWeb.LANGFUSE_INIT_PROJECT_PUBLIC_KEY);
    expect(rawSqlagent.LANGFUSE_SECRET_KEY).toBe(rawWeb.LANGFUSE_INIT_PROJECT_SECRET_KEY);
    for (const key of [
      'LANGFUSE_INIT_ORG_ID',
      'LANGFUSE_INIT_PROJECT_ID',
      'LANGFUSE_INIT_PROJECT_PUBLIC_KEY',
      'LANGFUSE_INIT_PROJECT_SECRET_KEY',
      'LANGFUSE_INIT_USER_EMAIL',
      'LANGFUSE_INIT_USER_PASSWORD',
    ]) {
      expect(web[key], `langfuse-web ${key}`).toBeTruthy();
    }
    expect(web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY).toMatch(/^pk-lf-/);
    expect(web.LANGFUSE_INIT_PROJECT_SECRET_KEY).toMatch(/^sk-lf-/);
    expect(web.LANGFUSE_INIT_USER_EMAIL).toMatch(/^[^@\s]+@[^@\s]+\.[^@\s]+$/);
    expect(web.LANGFUSE_INIT_USER_PASSWORD.length, 'init user password: 8+ characters').toBeGreaterThanOrEqual(8);
    if (hostEnv.LANGFUSE_PUBLIC_KEY) expect(web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY).toBe(hostEnv.LANGFUSE_PUBLIC_KEY);

    const sqlagentEnv = interpolatedEnvironment(services.sqlagent, hostEnv);
    const config = loadConfig({ env: sqlagentEnv });
    expect(config.langfuse.publicKey).toBe(web.LANGFUSE_INIT_PROJECT_PUBLIC_KEY);
    expect(config.langfuse.secretKey).toBe(web.LANGFUSE_INIT_PROJECT_SECRET_KEY);
    const baseUrl = new URL(config.langfuse.baseUrl);
    expect(baseUrl.protocol).toBe('http:');
    expect(baseUrl.hostname, 'LANGFUSE_BASE_URL host').toBe('langfuse-web');
    expect(Number(baseUrl.port), 'LANGFUSE_BASE_URL port: the web container port').toBe(
      publishedPorts(services['langfuse-web'])[0].container,
    );
    // A fresh Langfuse has no prompts: the compose default reads the local files.
    expect(sqlagentEnv.PROMPT_SOURCE).toBe('local');
    expect(config.prompts.source).toBe('local');
    // sqlagent gets the project keys only, none of Langfuse's server secrets.
    const serverSecrets = [
      'DATABASE_URL',
      'SALT',
      'ENCRYPTION_KEY',
      'NEXTAUTH_SECRET',
      'CLICKHOUSE_PASSWORD',
      'REDIS_AUTH',
      'LANGFUSE_S3_EVENT_UPLOAD_SECRET_ACCESS_KEY',
      'LANGFUSE_INIT_USER_PASSWORD',
    ];
    for (const key of serverSecrets) {
      expect(web[key], `langfuse-web ${key}`).toBeTruthy();
      for (const [name, value] of Object.entries(sqlagentEnv))
        expect(value, `sqlagent ${name} holds langfuse-web's ${key}`).not.toContain(web[key]);
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  it('builds on Node 20 and runs `serve --host 0.0.0.0` as the node user, exposing the published port', () => {
    const from = instruction('FROM');
    expect(from.at(-1)?.args).toMatch(/^node:20(?:[.-]\S*)?$/);
    const cmd = instruction('CMD').at(-1);
    expect(cmd, 'a CMD').toBeDefined();
    const words = JSON.parse(cmd!.args) as string[];
    expect(words.slice(0, 3)).toEqual(['node', 'bin/sqlagent.mjs', 'serve']);
    expect(words[words.indexOf('--host') + 1]).toBe('0.0.0.0');
    expect(instruction('USER').at(-1)?.args).toBe('node');
    expect(instruction('WORKDIR').at(-1)?.args).toBe('/app');
    expect(
      instruction('RUN')
        .map((entry) => entry.args)
        .join('\n'),
    ).toMatch(/npm ci\b[^\n]*--omit=dev/);

    const containerPort = publishedPorts(services.sqlagent)[0].container;
    expect(
      instruction('EXPOSE')
        .flatMap((entry) => entry.args.split(/\s+/))
        .map((port) => Number(port.replace(/\/tcp$/, ''))),
    ).toContain(containerPort);
    const port = /(?:^|\s)PORT=(\d+)/.exec(
      instruction('ENV')
        .map((entry) => entry.args)
        .join(' '),
    );
    if (port) expect(Number(port[1]), 'ENV PORT').toBe(containerPort);
  });

  it('copies only paths that exist and that .dockerignore keeps, including everything the CLI runs', () => {
    const patterns = dockerignorePatterns();
    const sources = copiedPaths();
    // A directory must hold a file: git keeps no empty directory, so a fresh clone would not have it.
    const holdsFile = (dir: string): boolean =>
      readdirSync(dir, { withFileTypes: true }).some((entry) => (entry.isDirectory() ? holdsFile(path.join(dir, entry.name)) : true));
    for (const source of sources) {
      const full = path.join(root, source);
      expect(existsSync(full), `COPY ${source}: missing from the repository`).toBe(true);
      if (statSync(full).isDirectory()) expect(holdsFile(full), `COPY ${source}: an empty directory is not in a clone`).toBe(true);
      expect(isDockerignored(source, patterns), `COPY ${source}: excluded by .dockerignore`).toBe(false);
    }
    const copied = sources.map((source) => source.replace(/^\.\//, '').replace(/\/$/, ''));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src', 'fixtures']));
    // prompts/ is empty today; once it holds files the service will read them, so the image must too.
    const prompts = path.join(root, 'prompts');
    if (existsSync(prompts) && readdirSync(prompts).some((entry) => entry !== '.gitkeep')) expect(copied).toContain('prompts');
  });

  it('compiles dist/ in a build stage and copies it into the final image; no install runs `prepare` before the sources are there', () => {
    // Stages in order, each with its instructions.
    const stages: { name: string | null; instructions: Instruction[] }[] = [];
    for (const entry of instructions) {
      if (entry.keyword === 'FROM') stages.push({ name: /\bAS\s+(\S+)$/i.exec(entry.args)?.[1] ?? null, instructions: [] });
      else stages.at(-1)?.instructions.push(entry);
    }
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const builder = stages.find((stage) =>
      stage.instructions.some((entry) => entry.keyword === 'RUN' && /node scripts\/build\.mjs/.test(entry.args)),
    );
    expect(builder?.name, 'a named stage runs scripts/build.mjs').toBeTruthy();
    const buildAt = builder!.instructions.findIndex((entry) => entry.keyword === 'RUN' && /node scripts\/build\.mjs/.test(entry.args));
    const copiedBefore = builder!.instructions
      .slice(0, buildAt)
      .filter((entry) => entry.keyword === 'COPY')
      .flatMap((entry) => entry.args.split(/\s+/).slice(0, -1));
    expect(copiedBefore).toEqual(expect.arrayContaining(['tsconfig.json', 'tsconfig.build.json', 'scripts', 'src', 'fixtures']));
    const final = stages.at(-1)!;
    const finalCopies = final.instructions.filter((entry) => entry.keyword === 'COPY').map((entry) => entry.args);
    expect(finalCopies).toContain(`--from=${builder!.name} /app/dist ./dist`);
    // The empty PGlite cluster the build made (scripts/build.mjs), after the final stage's own install.
    const cacheCopy = finalCopies.indexOf(`--from=${builder!.name} /app/node_modules/.cache/sqlagent ./node_modules/.cache/sqlagent`);
    expect(cacheCopy, 'the final stage copies the empty PGlite cluster').toBeGreaterThanOrEqual(0);
    expect(builder!.instructions[buildAt]!.args).toMatch(/mkdir -p node_modules\/\.cache\/sqlagent/);
    const finalInstall = final.instructions.findIndex((entry) => entry.keyword === 'RUN' && /\bnpm ci\b/.test(entry.args));
    const cacheCopyAt = final.instructions.findIndex((entry) => entry.keyword === 'COPY' && entry.args.includes('.cache/sqlagent'));
    expect(cacheCopyAt).toBeGreaterThan(finalInstall);
    for (const entry of instructions.filter((candidate) => candidate.keyword === 'RUN' && /\bnpm ci\b/.test(candidate.args)))
      expect(entry.args, 'npm ci runs `prepare` (the build) unless told not to').toMatch(/--ignore-scripts/);
    expect(isDockerignored('dist', dockerignorePatterns()), 'a local dist/ stays out of the context').toBe(true);
  });

  it('.dockerignore keeps local state, dependencies and secrets out of the build context', () => {
    const patterns = dockerignorePatterns();
    for (const entry of ['node_modules', '.data', '.git', 'scratch', 'coverage'])
      expect(isDockerignored(entry, patterns), entry).toBe(true);
  });

  it('installs every package the runtime code imports with `npm ci --omit=dev`', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies?: Record<string, string> };
    const runtime = new Set(Object.keys(pkg.dependencies ?? {}));
    const builtins = new Set(builtinModules);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of readdirSync(path.join(root, dir))) {
        const relative = path.join(dir, entry);
        if (statSync(path.join(root, relative)).isDirectory()) walk(relative);
        else if (/\.(ts|mts|mjs|js)$/.test(entry) && !/\.test\.[mc]?[jt]s$/.test(entry)) files.push(relative);
      }
    };
    for (const dir of ['bin', 'src', 'fixtures']) walk(dir);
    expect(files.length).toBeGreaterThan(10);

    const missing: string[] = [];
    for (const file of files) {
      const text = read(file);
      const specifiers = [
        ...[...text.matchAll(/(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?[^'";]*?\sfrom\s+['"]([^'"]+)['"]/g)]
          .filter((match) => !match[1])
          .map((match) => match[2]),
        ...[...text.matchAll(/(?:^|[\n;])\s*import\s+['"]([^'"]+)['"]/g)].map((match) => match[1]),
        ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]),
      ];
      for (const specifier of specifiers) {
        if (
          specifier.startsWith('.') ||
          specifier.startsWith('/') ||
          specifier.startsWith('node:') ||
          builtins.has(specifier.split('/')[0])
        )
          continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!runtime.has(name)) missing.push(`${file}: ${specifier}`);
      }
    }
    expect(missing, 'imported at run time but not in "dependencies"').toEqual([]);
  });
});
