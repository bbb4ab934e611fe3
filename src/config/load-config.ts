import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { z } from 'zod';
import { ConfigError } from '../errors/index.ts';
import { datasourceConfigSchema } from '../datasource/datasource-config.ts';
import { dialectForUrl, isDatasourceUrl } from '../datasource/dialects.ts';
import { configSchema, defaultDatasources, type Config } from './config-schema.ts';

export interface LoadConfigOptions {
  /** A JSON or YAML file; default `$SQLAGENT_CONFIG` when set. */
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Values that win over file and environment (for tests and CLI flags). */
  overrides?: Record<string, unknown>;
}

/**
 * Builds the one config object: defaults, then the config file, then the environment, then overrides.
 * Validated once with zod and frozen. Environment variables:
 * - `HOST`, `PORT`: the server address;
 * - `SQLAGENT_DATA_DIR`: the embedded state directory;
 * - `SQLAGENT_LOG_LEVEL`;
 * - `DATASOURCE_<ID>_URL`: adds datasource `<id>` (lower-cased), or replaces that datasource's URL;
 * - `PROMPT_SOURCE` (`local` | `langfuse`), `PROMPT_LABEL`, `PROMPTS_DIR`, `PROMPT_CACHE_TTL_SECONDS`, `SQLAGENT_TODAY`;
 * - `LANGFUSE_PUBLIC_KEY`, `LANGFUSE_SECRET_KEY`, `LANGFUSE_BASE_URL` (or the legacy `LANGFUSE_BASEURL`);
 * - `OPENAI_API_KEY`, `OPENAI_BASE_URL`, `OPENAI_ORG_ID`, `SQLAGENT_MODEL`, `LLM_PROVIDER` (`openai` | `offline`);
 * - `SQLAGENT_ADMIN_TOKEN`: the bearer token of the admin scope;
 * - `SQLAGENT_METRICS_TOKEN`: the bearer token `GET /metrics` asks for (open without it);
 * - `SQLAGENT_API_KEYS`: the API keys, a JSON array of `{id, sha256, scopes, datasources}`;
 * - `REDIS_URL`: the shared result cache;
 * - `APP_DATABASE_URL`: the app database (traces, feedback), `postgres://…` or `pglite:<dir>`;
 * - `SQLAGENT_LOCAL_TRACES` (`true` | `false`): keep spans in the app database;
 * - `SQLAGENT_ALERT_WEBHOOK_URL`: where alert transitions are POSTed;
 * - `SQLAGENT_EVAL_DATASETS_DIR`, `SQLAGENT_EVAL_REPORTS_DIR`: where evals read datasets and write runs.
 *
 * @throws ConfigError naming the first invalid field.
 */
export function loadConfig(options: LoadConfigOptions = {}): Readonly<Config> {
  const env = options.env ?? process.env;
  const file = options.file ?? env.SQLAGENT_CONFIG;
  const raw: Record<string, any> = file ? readConfigFile(file) : {};

  if (env.HOST) raw.server = { ...raw.server, host: env.HOST };
  if (env.PORT) raw.server = { ...raw.server, port: parseInteger(env.PORT, 'PORT') };
  if (env.SQLAGENT_DATA_DIR) raw.dataDir = env.SQLAGENT_DATA_DIR;
  if (env.SQLAGENT_LOG_LEVEL) raw.logLevel = env.SQLAGENT_LOG_LEVEL;
  const prompts: Record<string, unknown> = { ...(raw.prompts ?? {}) };
  if (env.PROMPT_SOURCE) prompts.source = env.PROMPT_SOURCE;
  if (env.PROMPT_LABEL) prompts.defaultLabel = env.PROMPT_LABEL;
  if (env.PROMPTS_DIR) prompts.directory = env.PROMPTS_DIR;
  if (env.PROMPT_CACHE_TTL_SECONDS) prompts.cacheTtlSeconds = parseInteger(env.PROMPT_CACHE_TTL_SECONDS, 'PROMPT_CACHE_TTL_SECONDS');
  if (env.SQLAGENT_TODAY) prompts.today = env.SQLAGENT_TODAY;
  raw.prompts = prompts;
  const langfuse: Record<string, unknown> = { ...(raw.langfuse ?? {}) };
  if (env.LANGFUSE_PUBLIC_KEY) langfuse.publicKey = env.LANGFUSE_PUBLIC_KEY;
  if (env.LANGFUSE_SECRET_KEY) langfuse.secretKey = env.LANGFUSE_SECRET_KEY;
  const langfuseUrl = env.LANGFUSE_BASE_URL ?? env.LANGFUSE_BASEURL;
  if (langfuseUrl) langfuse.baseUrl = langfuseUrl;
  raw.langfuse = langfuse;
  const llm: Record<string, unknown> = { ...(raw.llm ?? {}) };
  if (env.OPENAI_API_KEY) llm.apiKey = env.OPENAI_API_KEY;
  if (env.OPENAI_BASE_URL) llm.baseUrl = env.OPENAI_BASE_URL;
  if (env.OPENAI_ORG_ID) llm.organization = env.OPENAI_ORG_ID;
  if (env.SQLAGENT_MODEL) llm.model = env.SQLAGENT_MODEL;
  if (env.LLM_PROVIDER) llm.provider = env.LLM_PROVIDER;
  raw.llm = llm;
  if (env.REDIS_URL) raw.cache = { ...raw.cache, redisUrl: env.REDIS_URL };
  if (env.SQLAGENT_ADMIN_TOKEN) raw.server = { ...raw.server, adminToken: env.SQLAGENT_ADMIN_TOKEN };
  if (env.SQLAGENT_METRICS_TOKEN) raw.server = { ...raw.server, metricsToken: env.SQLAGENT_METRICS_TOKEN };
  if (env.SQLAGENT_API_KEYS) {
    let keys: unknown;
    try {
      keys = JSON.parse(env.SQLAGENT_API_KEYS);
    } catch (error) {
      throw new ConfigError(
        `SQLAGENT_API_KEYS is not valid JSON (an array of {id, sha256, scopes, datasources}): ${(error as Error).message}`,
        {
          field: 'server.apiKeys',
        },
      );
    }
    raw.server = { ...raw.server, apiKeys: keys };
  }
  if (env.APP_DATABASE_URL) raw.appDatabase = { ...raw.appDatabase, url: env.APP_DATABASE_URL };
  if (env.SQLAGENT_ALERT_WEBHOOK_URL) {
    const alerts = (raw.alerts ?? {}) as Record<string, any>;
    raw.alerts = { ...alerts, webhook: { ...(alerts.webhook ?? {}), url: env.SQLAGENT_ALERT_WEBHOOK_URL } };
  }
  if (env.SQLAGENT_EVAL_DATASETS_DIR) raw.evals = { ...raw.evals, datasetsDir: env.SQLAGENT_EVAL_DATASETS_DIR };
  if (env.SQLAGENT_EVAL_REPORTS_DIR) raw.evals = { ...raw.evals, reportsDir: env.SQLAGENT_EVAL_REPORTS_DIR };
  if (env.SQLAGENT_LOCAL_TRACES)
    raw.tracing = { ...raw.tracing, localStore: parseBoolean(env.SQLAGENT_LOCAL_TRACES, 'SQLAGENT_LOCAL_TRACES') };
  Object.assign(raw, options.overrides ?? {});

  const dataDir = typeof raw.dataDir === 'string' ? raw.dataDir : '.data';
  const datasources: Array<Record<string, unknown>> = (raw.datasources ?? defaultDatasources(dataDir)).map(
    (entry: Record<string, unknown>) => ({ ...entry }),
  );
  for (const [name, value] of Object.entries(env)) {
    const match = /^DATASOURCE_([A-Z][A-Z0-9_]*)_URL$/.exec(name);
    if (!match || !value) continue;
    const id = match[1].toLowerCase();
    const existing = datasources.find((entry) => entry.id === id);
    if (existing) {
      existing.url = value;
      // A fixture auto-load only makes sense for embedded PGlite; a real server is loaded explicitly.
      if (!isDatasourceUrl(value) || !dialectForUrl(value).embedded) {
        delete existing.fixture;
        delete existing.description;
        delete existing.today;
      }
    } else datasources.push({ id, url: value });
  }
  raw.datasources = datasources;

  const parsed = configSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(`Invalid configuration: ${describeIssue(parsed.error)}`, {
      issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  const ids = new Set<string>();
  for (const datasource of parsed.data.datasources ?? []) {
    if (ids.has(datasource.id)) throw new ConfigError(`Invalid configuration: datasource id "${datasource.id}" appears twice.`);
    ids.add(datasource.id);
  }
  const hasLangfuseKeys = Boolean(parsed.data.langfuse.publicKey && parsed.data.langfuse.secretKey);
  const source = parsed.data.prompts.source ?? (hasLangfuseKeys ? 'langfuse' : 'local');
  if (source === 'langfuse' && !hasLangfuseKeys) {
    throw new ConfigError(
      'Invalid configuration: prompts.source is langfuse but LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY are not both set.',
    );
  }
  if (parsed.data.alerts.rules.length > 0 && !parsed.data.tracing.localStore) {
    throw new ConfigError(
      'Invalid configuration: alerts.rules need the local span store, but tracing.localStore is false (SQLAGENT_LOCAL_TRACES).',
    );
  }
  const llmProvider = parsed.data.llm.provider ?? (parsed.data.llm.apiKey || parsed.data.llm.baseUrl ? 'openai' : 'offline');
  const config: Config = {
    ...parsed.data,
    llm: { ...parsed.data.llm, provider: llmProvider },
    prompts: { ...parsed.data.prompts, source },
    appDatabase: { url: parsed.data.appDatabase.url ?? `pglite:${parsed.data.dataDir}/app` },
    datasources: (parsed.data.datasources ?? []).map((entry) => datasourceConfigSchema.parse(entry)),
  };
  return deepFreeze(config);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read the config file ${file}: ${(error as Error).message}`);
  }
  try {
    const value = /\.ya?ml$/i.test(file) ? parseYaml(text) : JSON.parse(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level must be an object');
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`The config file ${file} is not valid: ${(error as Error).message}`);
  }
}

function parseInteger(text: string, name: string): number {
  if (!/^\d+$/.test(text)) throw new ConfigError(`Invalid configuration: ${name} must be a whole number, got "${text}".`);
  return Number(text);
}

function parseBoolean(text: string, name: string): boolean {
  if (/^(true|1|yes|on)$/i.test(text)) return true;
  if (/^(false|0|no|off)$/i.test(text)) return false;
  throw new ConfigError(`Invalid configuration: ${name} must be true or false, got "${text}".`);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.join('.') : '(root)';
  return `${path}: ${issue?.message ?? 'invalid'}`;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** YAML config files only: the parser loads when one is read, not with every command. */
function parseYaml(text: string): unknown {
  return (createRequire(import.meta.url)('yaml') as { parse(source: string): unknown }).parse(text);
}
