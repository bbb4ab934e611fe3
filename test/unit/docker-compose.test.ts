// Keeps docker-compose.yml, Dockerfile, .dockerignore and docker/ correct without a Docker engine: parses
// them and checks them against the README's Docker Compose table, the config loader and the repository.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../src/config/index.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

type Service = Record<string, any>;
const compose = parse(read('docker-compose.yml')) as { services: Record<string, Service>; volumes?: Record<string, unknown> };
const services = compose.services ?? {};

const readonlyRole = 'sqlagent_ro';
const adminPasswordVariables = ['POSTGRES_PASSWORD', 'MYSQL_ROOT_PASSWORD', 'MYSQL_PASSWORD'];

// ---------------------------------------------------------------------------------------------------
// The README's `| service | image | port |` table under "## Docker Compose".

interface ReadmeRow {
  service: string;
  image: string;
  port: number;
}

function readmeComposeTable(): ReadmeRow[] {
  const lines = read('README.md').split('\n');
  const start = lines.findIndex((line) => /^##\s+Docker Compose\s*$/.test(line));
  if (start < 0) throw new Error('README.md has no "## Docker Compose" section');
  const end = lines.findIndex((line, index) => index > start && /^##\s/.test(line));
  const section = lines.slice(start + 1, end < 0 ? undefined : end);
  const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((cell) => cell.trim().replace(/`/g, ''));
  const headerAt = section.findIndex((line) => line.trim().startsWith('|') && cells(line).includes('service'));
  if (headerAt < 0) throw new Error('README.md: no | service | image | port | table in the Docker Compose section');
  const header = cells(section[headerAt]);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`README.md: the Docker Compose table has no "${name}" column`);
    return index;
  };
  const [serviceColumn, imageColumn, portColumn] = [column('service'), column('image'), column('port')];
  const rows: ReadmeRow[] = [];
  for (const line of section.slice(headerAt + 2)) {
    if (!line.trim().startsWith('|')) break;
    const row = cells(line);
    rows.push({ service: row[serviceColumn], image: row[imageColumn], port: Number(row[portColumn]) });
  }
  return rows;
}

const readme = readmeComposeTable();
const readmeRow = (service: string) => {
  const row = readme.find((entry) => entry.service === service);
  if (!row) throw new Error(`README.md's Docker Compose table has no row for ${service}`);
  return row;
};

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
    const parts = String(entry).replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    return { host: parts.length >= 2 ? Number(parts.at(-2)) : Number.NaN, container };
  });
}

function environmentOf(service: Service): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(environment.map((entry: string) => {
      const at = entry.indexOf('=');
      return at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)];
    }));
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependsOn(service: Service): Record<string, string> {
  const entries = service.depends_on ?? {};
  if (Array.isArray(entries)) return Object.fromEntries(entries.map((name: string) => [name, 'service_started']));
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, (value as { condition?: string })?.condition ?? 'service_started']));
}

/** Every `$` in a compose value: `$$` (a literal `$`) or `${NAME:-default}`. Anything else is an error. */
const substitution = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*):-([^${}]*)\})/g;

/** Compose's interpolation, for the forms this project allows: `${NAME:-default}` and `$$`. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(substitution, (match, name: string | undefined, fallback: string | undefined) => (match === '$$' ? '$' : env[name!] || fallback!));
}

function allStrings(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) value.forEach((item) => allStrings(item, into));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) allStrings(item, allStrings(key, into));
  return into;
}

const interpolatedEnvironment = (service: Service, env: Record<string, string> = {}) =>
  Object.fromEntries(Object.entries(environmentOf(service)).map(([key, value]) => [key, interpolate(value, env)]));

const asArgv = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value.map(String) : ['sh', '-c', String(value)]);

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
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*').replace(/\?/g, '[^/]')}(/.*)?$`);
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

  it('publishes exactly the ports in the README table (host = container), and nothing for other services', () => {
    expect(readme.length).toBeGreaterThan(0);
    for (const row of readme) expect(Number.isInteger(row.port), `README port of ${row.service}: ${row.port}`).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      const row = readme.find((entry) => entry.service === name);
      expect(publishedPorts(service), `published ports of ${name}`).toEqual(row ? [{ host: row.port, container: row.port }] : []);
    }
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
        typeof entry === 'string' ? { source: entry.split(':')[0], target: entry.split(':')[1] } : (entry as { source: string; target: string }),
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
        if (condition === 'service_healthy') expect(services[dependency].healthcheck, `${dependency} healthcheck (needed by ${name})`).toBeDefined();
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
      expect(copiedPaths().some((source) => script.startsWith(`${source.replace(/^\.\//, '').replace(/\/$/, '')}/`)), `the Dockerfile copies ${script}`).toBe(true);
    }
    const stubDir = mkdtempSync(path.join(tmpdir(), 'sqlagent-compose-'));
    try {
      const log = path.join(stubDir, 'calls.jsonl');
      writeFileSync(path.join(stubDir, 'node'), `#!/bin/sh\nexec "${process.execPath}" -e 'require("fs").appendFileSync(process.env.STUB_LOG, JSON.stringify({ argv: process.argv.slice(1), password: process.env.SQLAGENT_READONLY_PASSWORD }) + "\\n")' -- "$@"\n`);
      chmodSync(path.join(stubDir, 'node'), 0o755);
      execFileSync(argv[0], argv.slice(1), {
        cwd: root,
        env: { PATH: `${stubDir}:${process.env.PATH}`, STUB_LOG: log, ...interpolatedEnvironment(fixtures, hostEnv) },
        stdio: 'pipe',
      });
      const calls = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { argv: string[]; password?: string });
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
      expect(loads.map(({ fixture, url }) => `${fixture} -> ${url.hostname}/${url.pathname.slice(1)}`).sort()).toEqual(['clinic -> postgres/clinic', 'shop -> mysql/shop', 'shop -> postgres/shop']);
      for (const load of loads) {
        expect(load.role).toBe(readonlyRole);
        expect(load.password, 'the read-only password').toBe(readonlyPassword);
        const server = load.url.hostname;
        expect(load.url.protocol).toBe(`${server}:`);
        expect(Number(load.url.port)).toBe(readmeRow(server).port);
        expect(decodeURIComponent(load.url.password), `admin password of ${server}`).toBe(server === 'postgres' ? postgresPassword : mysqlPassword);
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
    for (const key of Object.keys(rawEnv)) expect(adminPasswordVariables.concat(['POSTGRES_ADMIN_URL', 'MYSQL_ADMIN_URL']), 'no admin variable').not.toContain(key);
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
    expect(instruction('RUN').map((entry) => entry.args).join('\n')).toMatch(/npm ci\b[^\n]*--omit=dev/);

    const containerPort = publishedPorts(services.sqlagent)[0].container;
    expect(instruction('EXPOSE').flatMap((entry) => entry.args.split(/\s+/)).map((port) => Number(port.replace(/\/tcp$/, '')))).toContain(containerPort);
    const port = /(?:^|\s)PORT=(\d+)/.exec(instruction('ENV').map((entry) => entry.args).join(' '));
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

  it('.dockerignore keeps local state, dependencies and secrets out of the build context', () => {
    const patterns = dockerignorePatterns();
    for (const entry of ['node_modules', '.data', '.git', 'scratch', 'coverage']) expect(isDockerignored(entry, patterns), entry).toBe(true);
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
        ...[...text.matchAll(/(?:^|[\n;])\s*(?:import|export)\s+(type\s+)?[^'";]*?\sfrom\s+['"]([^'"]+)['"]/g)].filter((match) => !match[1]).map((match) => match[2]),
        ...[...text.matchAll(/(?:^|[\n;])\s*import\s+['"]([^'"]+)['"]/g)].map((match) => match[1]),
        ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((match) => match[1]),
      ];
      for (const specifier of specifiers) {
        if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:') || builtins.has(specifier.split('/')[0])) continue;
        const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
        if (!runtime.has(name)) missing.push(`${file}: ${specifier}`);
      }
    }
    expect(missing, 'imported at run time but not in "dependencies"').toEqual([]);
  });
});
