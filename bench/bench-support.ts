/** What the benchmarks share: the embedded shop agent, and how a run's figures are kept and printed. */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { DbAgent } from '../src/agent/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../src/datasource/index.ts';
import { ensureEmbeddedFixture } from '../src/fixtures/index.ts';
import { singleModelTiers, defaultModelPrices, type ChatModel, type GenerateRequest, type GenerateResponse } from '../src/llm/index.ts';
import { LocalPromptStore, PromptService } from '../src/prompts/index.ts';
import { loadConfig, type LoadConfigOptions } from '../src/config/index.ts';

export const root = path.resolve(import.meta.dirname, '..');

/** The shop fixture on the Postgres server, for benchmarks on Postgres (loaded on first use by `ensureShop`). */
export const benchShopUrl = 'postgres://postgres@127.0.0.1:5432/sqlagent_bench_shop';

/** Loads the shop fixture into the bench database at `url` unless it is there already. */
export async function ensureShop(url: string = benchShopUrl): Promise<void> {
  const { default: pg } = await import('pg');
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/]+$/, '/postgres') });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount === 1;
  await admin.end();
  if (exists) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const loaded = (await client.query("SELECT to_regclass('public.orders') IS NOT NULL AS loaded")).rows[0].loaded as boolean;
    await client.end();
    if (loaded) return;
  }
  execFileSync(process.execPath, [path.join(root, 'bin/sqlagent.mjs'), 'fixtures', 'load', 'shop', '--url', url], { stdio: 'inherit' });
}

/** The real agent over the embedded shop fixture (in `.data/bench`) and the committed prompts, with `model`. */
export function embeddedShopAgent(model: () => ChatModel): { agent: DbAgent; registry: DatasourceRegistry } {
  const dataDir = path.join(root, '.data', 'bench');
  const registry = new DatasourceRegistry(
    [datasourceConfigSchema.parse({ id: 'shop', url: `pglite:${path.join(dataDir, 'shop')}`, fixture: 'shop', today: '2025-07-01' })],
    { introspectionTtlMs: 3_600_000, sampleBudgetMs: 0, prepare: (datasource) => ensureEmbeddedFixture(datasource) },
  );
  const prompts = new PromptService(new LocalPromptStore({ directory: path.join(root, 'prompts') }), {
    experiments: [],
    defaultLabel: 'production',
  });
  const agent = new DbAgent({
    datasources: registry,
    prompts,
    tiers: singleModelTiers(model),
    limits: {
      maxSteps: 4,
      maxQuestionChars: 2000,
      maxToolOutputChars: 8000,
      maxTotalTokens: 60_000,
      rowsShownToModel: 20,
      defaultRowLimit: 100,
    },
    prices: defaultModelPrices,
  });
  return { agent, registry };
}

export const median = (values: number[]) => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)];

/** `--label <text>` from the command line, or `current`. */
export function runLabel(): string {
  const index = process.argv.indexOf('--label');
  return index > 0 ? process.argv[index + 1] : 'current';
}

/** The machine a figure was measured on. */
export function machine() {
  return {
    cores: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

/**
 * Adds a labelled run to a result file (replacing an earlier run of the same label) and returns every run
 * kept, so before/after figures of a change sit side by side with the load they were measured under.
 */
export async function keepRun<Run extends { label: string }>(file: string, header: Record<string, unknown>, run: Run): Promise<Run[]> {
  const previous = await readFile(file, 'utf8')
    .then((text) => JSON.parse(text) as { runs: Run[] })
    .catch(() => ({ runs: [] as Run[] }));
  const runs = [...previous.runs.filter((kept) => kept.label !== run.label), run];
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify({ ...header, runs }, null, 2)}\n`);
  return runs;
}

/** A model that makes the given tool calls in turn (the last one from then on), with fixed usage and no latency. */
export class ScriptedTurns implements ChatModel {
  readonly provider = 'bench';
  readonly modelId = 'gpt-4o-mini';
  constructor(private readonly calls: ReadonlyArray<{ name: string; arguments: string }>) {}
  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const call = this.calls[Math.min(turn, this.calls.length - 1)];
    return {
      message: { role: 'assistant', content: null, toolCalls: [{ id: `call_${turn}`, ...call }] },
      usage: { inputTokens: 1500, outputTokens: 20, estimated: false },
      modelId: this.modelId,
      finishReason: 'tool_calls',
      latencyMs: 0,
    };
  }
}

/** The service's config for a benchmark: no environment, silent, no local trace store, then `overrides`. */
export function benchConfig(dataDir: string, overrides: NonNullable<LoadConfigOptions['overrides']> = {}) {
  return loadConfig({ env: {}, overrides: { dataDir, logLevel: 'silent', tracing: { localStore: false }, ...overrides } });
}
