import { createHash } from 'node:crypto';
import { cp, readFile, rm } from 'node:fs/promises';
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
  const started = now();
  // Everything opened is closed in reverse order, whatever happens; closing the agent flushes its traces,
  // so Langfuse has them before the upload below points run items at them.
  const closers: Array<() => Promise<void>> = [];
  let plan: RunPlan;
  let finished: { report: EvalReport; directory: string };
  try {
    plan = await planRun(request, environment, closers);
    const { target, opener } = await prepareTarget(plan, environment, closers);
    const parameters = reportParameters(plan, target);
    const { store, manifest } =
      plan.resumed ??
      (await createRun(environment.config.evals.reportsDir, {
        runId: newRunId(started, plan.labels, plan.mode === 'score' ? `score-${plan.labels[0]}` : undefined),
        createdAt: started.toISOString(),
        mode: plan.mode,
        parameters: {
          ...parameters,
          datasourceUrls: Object.fromEntries(Object.entries(plan.datasourceUrls).map(([id, url]) => [id, redactUrl(url)])),
          predictions: plan.request.predictions,
          predictionsSha256: plan.request.predictions ? await sha256Of(plan.request.predictions) : null,
          server: plan.request.server,
        },
        datasets: plan.datasetSummaries,
      }));
    if (!plan.resumed) closers.push(() => store.release());
    const outcome = await runEval({
      runId: manifest.runId,
      cases: plan.cases,
      labels: plan.labels,
      repeat: plan.request.repeat,
      concurrency: plan.request.concurrency,
      itemTimeoutMs: plan.request.itemTimeoutMs,
      target,
      database: new EvalDatabase(opener),
      store,
      finished: plan.resumed?.items ?? [],
      onEvent: environment.onEvent,
      signal: environment.signal,
      now,
    });
    const finishedAt = now();
    const report = buildEvalReport({
      runId: manifest.runId,
      createdAt: manifest.createdAt,
      finishedAt: finishedAt.toISOString(),
      mode: plan.mode,
      parameters,
      datasets: plan.datasetSummaries,
      cases: plan.cases,
      golds: outcome.golds,
      items: outcome.items,
      complete: !outcome.interrupted,
      stoppedBy: outcome.fault,
      durationMs: finishedAt.getTime() - started.getTime(),
    });
    const rendered: Record<string, string> = { 'report.md': renderMarkdownReport(report) };
    if (environment.renderHtml) rendered['report.html'] = await environment.renderHtml(report);
    await store.writeReport(report, rendered);
    if (plan.request.publish && report.complete) await publishAsLatest(store.directory, environment.config.evals.reportsDir);
    finished = { report, directory: store.directory };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
  let langfuse: string | null = null;
  if (environment.langfuse && finished.report.complete) {
    langfuse = await environment.langfuse.publish(finished.report, plan.datasets).catch((error: unknown) => `Langfuse upload failed: ${(error as Error).message}`);
  }
  return { ...finished, langfuse };
}

/** What a run will do, settled before anything runs. */
interface RunPlan {
  /** The request in force (a resumed run's own, with what may change on resume). */
  request: EvalRunRequest;
  resumed: Awaited<ReturnType<typeof RunStore.open>> | null;
  datasets: EvalDataset[];
  datasetSummaries: RunManifest['datasets'];
  cases: EvalCase[];
  mode: EvalReport['mode'];
  labels: string[];
  datasourceUrls: Record<string, string>;
  /** The databases, resolved and validated. */
  datasources: DatasourceConfig[];
}

/** Reads the datasets (or the resumed run), checks the request, and resolves the eval databases. */
async function planRun(request: EvalRunRequest, environment: EvalEnvironment, closers: Array<() => Promise<void>>): Promise<RunPlan> {
  const log = environment.log ?? (() => {});
  const { datasetsDir, reportsDir } = environment.config.evals;
  let resumed: RunPlan['resumed'] = null;
  let effective = request;
  let datasets: EvalDataset[];
  if (request.resume) {
    resumed = await RunStore.open(reportsDir, request.resume);
    const { store, manifest } = resumed;
    closers.push(() => store.release());
    effective = requestFromManifest(manifest, request, log);
    if (effective.predictions && manifest.parameters.predictionsSha256 && (await sha256Of(effective.predictions)) !== manifest.parameters.predictionsSha256) {
      throw new EvalDatasetError(`${effective.predictions} changed since run ${manifest.runId} started; a resumed run must score the same predictions. Start a new run instead.`, { file: effective.predictions });
    }
    datasets = await loadDatasets(manifest.datasets.map((dataset) => dataset.file), datasetsDir);
    for (const dataset of datasets) {
      const recorded = manifest.datasets.find((entry) => entry.file === dataset.file);
      if (recorded && recorded.sha256 !== dataset.sha256) {
        throw new EvalDatasetError(`${dataset.file} changed since run ${manifest.runId} started; a resumed run must score the same cases. Start a new run instead.`, { file: dataset.file });
      }
    }
  } else {
    datasets = await loadDatasets(request.datasets, datasetsDir);
  }
  validateRequest(effective);
  const cases = selectCases(datasets, effective);
  if (cases.length === 0) throw new InvalidInputError(`No case matches: the datasets have ${datasets.reduce((sum, dataset) => sum + dataset.cases.length, 0)} cases, none with the tags ${effective.tags.join(', ')}.`, { field: 'tag' });
  const datasourceIds = [...new Set(cases.map((evalCase) => evalCase.datasource))];
  const datasourceUrls = parseDatasourceUrls(effective.datasourceUrls, datasourceIds);
  const resolved = await resolveEvalDatasources({
    datasourceIds,
    configured: environment.config.datasources,
    dataDir: environment.config.dataDir,
    engine: effective.engine,
    datasourceUrls,
    separateFromService: effective.server !== null,
    serverUrls: environment.serverUrls ?? evalServerUrls(),
    log,
  });
  return {
    request: effective,
    resumed,
    datasets,
    datasetSummaries: datasets.map((dataset) => ({ name: dataset.name, file: dataset.file, sha256: dataset.sha256, cases: cases.filter((evalCase) => evalCase.dataset === dataset.name).length })),
    cases,
    mode: effective.predictions ? 'score' : 'run',
    labels: effective.predictions ? [path.basename(effective.predictions).replace(/\.jsonl?$/, '') || 'predictions'] : effective.labels,
    datasourceUrls,
    datasources: resolved.map((input) => datasourceConfigSchema.parse(input)),
  };
}

/**
 * The system under test and where its SQL runs: the agent in this process on the eval databases, or a
 * service over HTTP (checked first) or a predictions file, with the eval's own datasource registry.
 */
async function prepareTarget(plan: RunPlan, environment: EvalEnvironment, closers: Array<() => Promise<void>>): Promise<{ target: EvalTarget; opener: (id: string) => Promise<Datasource> }> {
  const log = environment.log ?? (() => {});
  if (plan.mode === 'run' && !plan.request.server) {
    const agent = await environment.createAgent(plan.datasources);
    closers.push(() => agent.close());
    for (const label of plan.labels) await agent.checkLabel(label);
    return { target: new InProcessTarget(agent.queries), opener: (id) => agent.datasource(id) };
  }
  const registry = new DatasourceRegistry(plan.datasources, {
    introspectionTtlMs: environment.config.introspection.ttlMs,
    sampleBudgetMs: environment.config.introspection.sampleBudgetMs,
    prepare: (datasource) => ensureEmbeddedFixture(datasource, log),
  });
  closers.push(() => registry.closeAll());
  const opener = (id: string) => registry.get(id);
  if (plan.request.predictions) {
    const predictions = await PredictionsTarget.load(plan.request.predictions, plan.cases);
    const unknown = predictions.unmatchedIds();
    if (unknown.length) log(`${unknown.length} prediction${unknown.length === 1 ? '' : 's'} match no selected case and are ignored: ${unknown.slice(0, 5).join(', ')}${unknown.length > 5 ? ', …' : ''}`);
    return { target: predictions, opener };
  }
  const http = new HttpTarget({ server: plan.request.server!, adminToken: environment.adminToken });
  await http.preflight();
  return { target: http, opener };
}

function reportParameters(plan: RunPlan, target: EvalTarget): EvalReport['parameters'] {
  const { request } = plan;
  return {
    datasets: plan.datasets.map((dataset) => dataset.name),
    labels: plan.labels,
    prompt: evalPromptName,
    target: target.description,
    engine: request.engine,
    databases: Object.fromEntries(plan.datasources.map((datasource) => [datasource.id, redactUrl(datasource.url)])),
    concurrency: request.concurrency,
    repeat: request.repeat,
    limit: request.limit,
    tags: request.tags,
    failUnder: request.failUnder,
    itemTimeoutMs: request.itemTimeoutMs,
  };
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
 * at); `items.jsonl` and the lock stay behind: `report.json` holds every item, and a finished run needs no resume.
 */
async function publishAsLatest(runDirectory: string, reportsDirectory: string): Promise<void> {
  const latest = path.join(reportsDirectory, 'latest');
  await rm(latest, { recursive: true, force: true });
  await cp(runDirectory, latest, { recursive: true, filter: (source) => !['items.jsonl', 'run.lock'].includes(path.basename(source)) });
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
  if (request.resume === null && request.datasets.length === 0) throw new InvalidInputError('Name at least one dataset with --dataset (e.g. --dataset shop,clinic).', { field: 'dataset' });
  if (!request.predictions) {
    if (request.labels.length === 0) throw new InvalidInputError('Name at least one prompt label with --labels (e.g. --labels production,staging).', { field: 'labels' });
    for (const label of request.labels) {
      if (!/^[a-z][a-z0-9_-]{0,35}$/.test(label)) throw new InvalidInputError(`"${label}" is not a prompt label: labels use lower-case letters, digits, _ and -.`, { field: 'labels' });
    }
    if (new Set(request.labels).size !== request.labels.length) throw new InvalidInputError(`A label is given twice in --labels ${request.labels.join(',')}.`, { field: 'labels' });
  }
  if (request.server) {
    let url: URL;
    try {
      url = new URL(request.server);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    } catch {
      throw new InvalidInputError(`--server ${redactUrl(request.server)} is not an http(s) URL (e.g. http://127.0.0.1:8080).`, { field: 'server' });
    }
    // Run folders are shared and served over HTTP: no credentials may ride along in the URL.
    if (url.username || url.password || url.search) {
      throw new InvalidInputError('--server takes the service address only (http://host:port), without a user, password or query: the admin token comes from SQLAGENT_ADMIN_TOKEN.', { field: 'server' });
    }
  }
}

/** The original request of a run being resumed; only the concurrency, the gate and publishing may change. */
function requestFromManifest(manifest: RunManifest, given: EvalRunRequest, log: (message: string) => void): EvalRunRequest {
  const ignored = [
    given.datasets.length ? '--dataset' : null,
    given.labels.length ? '--labels' : null,
    given.engine ? '--engine' : null,
    given.server ? '--server' : null,
    given.predictions ? '--predictions' : null,
    given.limit !== null ? '--limit' : null,
    given.tags.length ? '--tag' : null,
    given.repeat !== 1 ? '--repeat' : null,
  ].filter(Boolean);
  if (ignored.length) log(`--resume ${manifest.runId} continues the run as it was started; ${ignored.join(', ')} ${ignored.length === 1 ? 'is' : 'are'} ignored.`);
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

async function sha256Of(file: string): Promise<string | null> {
  return readFile(file).then((bytes) => createHash('sha256').update(bytes).digest('hex'), () => null);
}

/** Servers `--engine postgres|mysql` uses (`SQLAGENT_EVAL_POSTGRES_URL`, `SQLAGENT_EVAL_MYSQL_URL`). */
export function evalServerUrls(env: NodeJS.ProcessEnv = process.env): { postgres: string; mysql: string } {
  return {
    postgres: env.SQLAGENT_EVAL_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432',
    mysql: env.SQLAGENT_EVAL_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306',
  };
}
