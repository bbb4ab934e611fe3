import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config/index.ts';
import { DatasourceRegistry, datasourceConfigSchema, redactUrl, type Datasource, type DatasourceConfig } from '../datasource/index.ts';
import { EvalDatasetError, InvalidInputError } from '../errors/index.ts';
import { ensureEmbeddedFixture } from '../fixtures/index.ts';
import type { EvalCase, EvalDataset } from './dataset/eval-case.ts';
import { loadDatasets } from './dataset/load-dataset.ts';
import { buildEvalReport } from './report/build-report.ts';
import type { EvalReport } from './report/eval-report.ts';
import { renderMarkdownReport } from './report/render-markdown-report.ts';
import { EvalDatabase } from './run/eval-database.ts';
import { parseDatasourceUrls, resolveEvalDatasources, type EvalEngine } from './run/eval-databases.ts';
import { runEval, type RunEvent } from './run/eval-runner.ts';
import { InProcessTarget, type EvalTarget, type QueryAsker } from './run/eval-target.ts';
import { HttpTarget } from './run/http-target.ts';
import { PredictionsTarget } from './run/predictions-target.ts';
import { newRunId, RunStore, type RunManifest } from './run/run-store.ts';

/** The prompt an eval compares labels of. */
export const evalPromptName = 'agent/db_agent';

/** What `eval run` (and `eval score`) was asked to do. */
export interface EvalRunRequest {
  /** Dataset names (`shop`) or paths. */
  datasets: string[];
  /** Prompt labels to compare (ignored with predictions). */
  labels: string[];
  /** Put the fixtures on this engine (null: the configured datasources). */
  engine: EvalEngine | null;
  /** `--datasource-url` values: `id=url`, or one bare URL. */
  datasourceUrls: string[];
  /** A running service to ask over HTTP instead of the agent in this process. */
  server: string | null;
  /** Score SQL from this JSONL file (`{id, sql}` per line) instead of asking any agent. */
  predictions: string | null;
  concurrency: number;
  /** At most this many cases of each dataset (after `tags`). */
  limit: number | null;
  repeat: number;
  /** Only cases with at least one of these tags. */
  tags: string[];
  failUnder: number | null;
  itemTimeoutMs: number;
  /** Continue this earlier run: its options are reused and its finished items kept. */
  resume: string | null;
  /** Also copy the reports to `<reportsDir>/latest/`. */
  publish: boolean;
}

/** The agent in this process, as the composition root builds it for an eval's datasources. */
export interface InProcessAgent {
  queries: QueryAsker;
  datasource(id: string): Promise<Datasource>;
  /** Throws (`prompt_not_found`) when the prompt has no version with this label. */
  checkLabel(label: string): Promise<void>;
  close(): Promise<void>;
}

/** Sends a finished run to Langfuse as dataset runs with scores (see `LangfuseEvalReporter`). */
export interface EvalResultSink {
  publish(report: EvalReport, datasets: readonly EvalDataset[]): Promise<string>;
}

export interface EvalEnvironment {
  config: Readonly<Config>;
  createAgent(datasources: DatasourceConfig[]): Promise<InProcessAgent>;
  /** The admin token for `--server` (`SQLAGENT_ADMIN_TOKEN`). */
  adminToken: string | null;
  /** Langfuse, when configured. */
  langfuse: EvalResultSink | null;
  /** The HTML renderer (loaded lazily: it pulls in Vega). */
  renderHtml?: (report: EvalReport) => Promise<string>;
  serverUrls?: { postgres: string; mysql: string };
  onEvent?: (event: RunEvent) => void;
  log?: (message: string) => void;
  signal?: AbortSignal;
  now?: () => Date;
}

export interface EvalSessionResult {
  report: EvalReport;
  directory: string;
  /** What the Langfuse upload said (or why it failed); null when Langfuse is not configured. */
  langfuse: string | null;
}

/**
 * One eval run from start to report: datasets loaded and filtered, eval databases resolved (fixtures
 * loaded where needed), the target chosen (the agent in process, a service over HTTP, or predictions),
 * every item run and scored, and `report.json`, `report.md` and `report.html` written to the run folder.
 */
export async function runEvalSession(request: EvalRunRequest, environment: EvalEnvironment): Promise<EvalSessionResult> {
  const now = environment.now ?? (() => new Date());
  const log = environment.log ?? (() => {});
  const reportsDirectory = environment.config.evals.reportsDir;
  const started = now();

  let resumed: Awaited<ReturnType<typeof RunStore.open>> | null = null;
  let effective = request;
  let datasets: EvalDataset[];
  if (request.resume) {
    resumed = await RunStore.open(reportsDirectory, request.resume);
    effective = requestFromManifest(resumed.manifest, request);
    datasets = await loadDatasets(resumed.manifest.datasets.map((dataset) => dataset.file), environment.config.evals.datasetsDir);
    for (const dataset of datasets) {
      const recorded = resumed.manifest.datasets.find((entry) => entry.file === dataset.file);
      if (recorded && recorded.sha256 !== dataset.sha256) {
        throw new EvalDatasetError(`${dataset.file} changed since run ${resumed.manifest.runId} started; a resumed run must score the same cases. Start a new run instead.`, { file: dataset.file });
      }
    }
  } else {
    datasets = await loadDatasets(request.datasets, environment.config.evals.datasetsDir);
  }
  validateRequest(effective);

  const cases = selectCases(datasets, effective);
  if (cases.length === 0) throw new InvalidInputError(`No case matches: the datasets have ${datasets.reduce((sum, dataset) => sum + dataset.cases.length, 0)} cases, none with the tags ${effective.tags.join(', ')}.`, { field: 'tag' });
  const datasourceIds = [...new Set(cases.map((evalCase) => evalCase.datasource))];
  const mode: EvalReport['mode'] = effective.predictions ? 'score' : 'run';
  const labels = effective.predictions ? [path.basename(effective.predictions).replace(/\.jsonl?$/, '') || 'predictions'] : effective.labels;

  const resolved = (
    await resolveEvalDatasources({
      datasourceIds,
      configured: environment.config.datasources,
      dataDir: environment.config.dataDir,
      engine: effective.engine,
      datasourceUrls: parseDatasourceUrls(effective.datasourceUrls, datasourceIds),
      separateFromService: effective.server !== null,
      serverUrls: environment.serverUrls ?? evalServerUrls(),
      log,
    })
  ).map((input) => datasourceConfigSchema.parse(input));

  const closers: Array<() => Promise<void>> = [];
  let finished: { report: EvalReport; directory: string };
  try {
    let target: EvalTarget;
    let opener: (id: string) => Promise<Datasource>;
    if (mode === 'run' && !effective.server) {
      const agent = await environment.createAgent(resolved);
      closers.push(() => agent.close());
      for (const label of labels) await agent.checkLabel(label);
      target = new InProcessTarget(agent.queries);
      opener = (id) => agent.datasource(id);
    } else {
      const registry = new DatasourceRegistry(resolved, {
        introspectionTtlMs: environment.config.introspection.ttlMs,
        sampleBudgetMs: environment.config.introspection.sampleBudgetMs,
        prepare: (datasource) => ensureEmbeddedFixture(datasource, log),
      });
      closers.push(() => registry.closeAll());
      opener = (id) => registry.get(id);
      target = effective.predictions ? await PredictionsTarget.load(effective.predictions) : new HttpTarget({ server: effective.server!, adminToken: environment.adminToken });
      if (target instanceof PredictionsTarget) {
        const known = new Set(cases.flatMap((evalCase) => [evalCase.id, `${evalCase.dataset}/${evalCase.id}`]));
        const unknown = target.ids().filter((id) => !known.has(id));
        if (unknown.length) log(`${unknown.length} prediction${unknown.length === 1 ? '' : 's'} match no selected case and are ignored: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
      }
    }
    closers.push(() => target.close());

    const parameters: EvalReport['parameters'] = {
      datasets: datasets.map((dataset) => dataset.name),
      labels,
      prompt: evalPromptName,
      target: target.description,
      engine: effective.engine,
      databases: Object.fromEntries(resolved.map((datasource) => [datasource.id, redactUrl(datasource.url)])),
      concurrency: effective.concurrency,
      repeat: effective.repeat,
      limit: effective.limit,
      tags: effective.tags,
      failUnder: effective.failUnder,
      itemTimeoutMs: effective.itemTimeoutMs,
    };
    const datasetSummaries = datasets.map((dataset) => ({ name: dataset.name, file: dataset.file, sha256: dataset.sha256, cases: cases.filter((evalCase) => evalCase.dataset === dataset.name).length }));
    const { store, manifest } = resumed ?? (await createRun(reportsDirectory, {
      runId: newRunId(started, labels, mode === 'score' ? `score-${labels[0]}` : undefined),
      createdAt: started.toISOString(),
      mode,
      parameters: { ...parameters, datasourceUrls: Object.fromEntries(Object.entries(parseDatasourceUrls(effective.datasourceUrls, datasourceIds)).map(([id, url]) => [id, redactUrl(url)])), predictions: effective.predictions, server: effective.server },
      datasets: datasetSummaries,
    }));

    const database = new EvalDatabase(opener);
    const outcome = await runEval({
      runId: manifest.runId,
      cases,
      labels,
      repeat: effective.repeat,
      concurrency: effective.concurrency,
      itemTimeoutMs: effective.itemTimeoutMs,
      target,
      database,
      store,
      finished: resumed?.items ?? [],
      onEvent: environment.onEvent,
      signal: environment.signal,
      now,
    });
    const finishedAt = now();
    const report = buildEvalReport({
      runId: manifest.runId,
      createdAt: manifest.createdAt,
      finishedAt: finishedAt.toISOString(),
      mode,
      parameters,
      datasets: datasetSummaries,
      cases,
      golds: outcome.golds,
      items: outcome.items,
      complete: !outcome.interrupted,
      durationMs: finishedAt.getTime() - started.getTime(),
    });
    const rendered: Record<string, string> = { 'report.md': renderMarkdownReport(report) };
    if (environment.renderHtml) rendered['report.html'] = await environment.renderHtml(report);
    await store.writeReport(report, rendered);
    if (effective.publish && report.complete) await publishAsLatest(store.directory, reportsDirectory);

    finished = { report, directory: store.directory };
  } finally {
    // Closing the agent flushes its traces, so Langfuse has them before run items point at them.
    for (const close of closers.reverse()) await close().catch(() => {});
  }
  let langfuse: string | null = null;
  if (environment.langfuse && finished.report.complete) {
    langfuse = await environment.langfuse.publish(finished.report, datasets).catch((error: unknown) => `Langfuse upload failed: ${(error as Error).message}`);
  }
  return { ...finished, langfuse };
}

/** Creates the run folder; a second run started in the same second with the same labels gets `-2`, `-3`… */
async function createRun(reportsDirectory: string, manifest: RunManifest): Promise<{ store: RunStore; manifest: RunManifest }> {
  for (let attempt = 1; ; attempt += 1) {
    const candidate = attempt === 1 ? manifest : { ...manifest, runId: `${manifest.runId}-${attempt}` };
    const store = await RunStore.create(reportsDirectory, candidate).catch((error: unknown) => {
      if (attempt < 50 && error instanceof InvalidInputError && /already exists/.test(error.message)) return null;
      throw error;
    });
    if (store) return { store, manifest: candidate };
  }
}

/**
 * Copies a finished run's reports to `<reportsDir>/latest/` (the folder the README and the console point
 * at); `items.jsonl` stays behind, since `report.json` holds every item and a finished run needs no resume.
 */
async function publishAsLatest(runDirectory: string, reportsDirectory: string): Promise<void> {
  const latest = path.join(reportsDirectory, 'latest');
  await rm(latest, { recursive: true, force: true });
  await cp(runDirectory, latest, { recursive: true, filter: (source) => path.basename(source) !== 'items.jsonl' });
}

/** The cases a run asks: the datasets' cases with one of the tags, the first `limit` of each dataset. */
export function selectCases(datasets: readonly EvalDataset[], request: Pick<EvalRunRequest, 'tags' | 'limit'>): EvalCase[] {
  return datasets.flatMap((dataset) => {
    const tagged = request.tags.length ? dataset.cases.filter((evalCase) => evalCase.tags.some((tag) => request.tags.includes(tag))) : dataset.cases;
    return request.limit === null ? tagged : tagged.slice(0, request.limit);
  });
}

function validateRequest(request: EvalRunRequest): void {
  const positive = (value: number, name: string, max: number) => {
    if (!Number.isInteger(value) || value < 1 || value > max) throw new InvalidInputError(`--${name} must be a whole number from 1 to ${max}; got ${value}.`, { field: name });
  };
  positive(request.concurrency, 'concurrency', 64);
  positive(request.repeat, 'repeat', 100);
  if (request.limit !== null) positive(request.limit, 'limit', 1_000_000);
  positive(request.itemTimeoutMs, 'item-timeout', 3_600_000);
  if (request.failUnder !== null && !(request.failUnder >= 0 && request.failUnder <= 1)) throw new InvalidInputError(`--fail-under is an accuracy from 0 to 1 (e.g. 0.7); got ${request.failUnder}.`, { field: 'fail-under' });
  if (request.datasets.length === 0) throw new InvalidInputError('Name at least one dataset with --dataset (e.g. --dataset shop,clinic).', { field: 'dataset' });
  if (!request.predictions) {
    if (request.labels.length === 0) throw new InvalidInputError('Name at least one prompt label with --labels (e.g. --labels production,staging).', { field: 'labels' });
    for (const label of request.labels) {
      if (!/^[a-z][a-z0-9_-]{0,35}$/.test(label)) throw new InvalidInputError(`"${label}" is not a prompt label: labels use lower-case letters, digits, _ and -.`, { field: 'labels' });
    }
    if (new Set(request.labels).size !== request.labels.length) throw new InvalidInputError(`A label is given twice in --labels ${request.labels.join(',')}.`, { field: 'labels' });
  }
  if (request.server) {
    try {
      const url = new URL(request.server);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new InvalidInputError(`--server ${request.server} is not an http(s) URL (e.g. http://127.0.0.1:8080).`, { field: 'server' });
    }
  }
}

/** The original request of a run being resumed; only the concurrency, the gate and publishing may change. */
function requestFromManifest(manifest: RunManifest, given: EvalRunRequest): EvalRunRequest {
  const recorded = manifest.parameters;
  const urls = Object.entries(recorded.datasourceUrls ?? {}).map(([id, url]) => `${id}=${url}`);
  const regiven = given.datasourceUrls;
  const masked = urls.filter((entry) => entry.includes(':***@')).map((entry) => entry.split('=')[0]);
  const missing = masked.filter((id) => !regiven.some((entry) => entry.startsWith(`${id}=`)));
  if (missing.length) throw new InvalidInputError(`Run ${manifest.runId} used a database with a password, which is not stored: give it again with --datasource-url ${missing.map((id) => `${id}=<url>`).join(' ')}.`, { field: 'datasource-url' });
  return {
    datasets: manifest.datasets.map((dataset) => dataset.file),
    labels: manifest.mode === 'score' ? [] : recorded.labels,
    engine: (recorded.engine as EvalEngine | null) ?? null,
    datasourceUrls: [...urls.filter((entry) => !entry.includes(':***@')), ...regiven],
    server: recorded.server ?? null,
    predictions: recorded.predictions ?? null,
    concurrency: given.concurrency,
    limit: recorded.limit,
    repeat: recorded.repeat,
    tags: recorded.tags,
    failUnder: given.failUnder ?? recorded.failUnder,
    itemTimeoutMs: recorded.itemTimeoutMs,
    resume: manifest.runId,
    publish: given.publish,
  };
}

/** Servers `--engine postgres|mysql` uses (`SQLAGENT_EVAL_POSTGRES_URL`, `SQLAGENT_EVAL_MYSQL_URL`). */
export function evalServerUrls(env: NodeJS.ProcessEnv = process.env): { postgres: string; mysql: string } {
  return {
    postgres: env.SQLAGENT_EVAL_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
    mysql: env.SQLAGENT_EVAL_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  };
}
