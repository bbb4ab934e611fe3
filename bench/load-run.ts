/**
 * A load run against the real service: `sqlagent serve` as a child process, an OpenAI-compatible model
 * on loopback that answers with the offline model after a fixed latency (so the real `openai` client, the
 * cascade, tracing and the database all take part), and `autocannon` sending questions over real HTTP.
 * The same client then drives a route that only waits as long as the model calls of a question took
 * (the floor: what the service would cost if its own work were free). The child's RSS is read every 5 s.
 *
 * Used by bench/load.ts (the benchmark) and test/solo/load-smoke.test.ts (a short run in CI that checks
 * behaviour, not speed).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { chatCompletionsHandler } from '../src/http/chat-completions-route.ts';
import type { ChatModel, GenerateRequest, GenerateResponse } from '../src/llm/index.ts';

const root = path.resolve(import.meta.dirname, '..');

export interface LoadOptions {
  /** `embedded` (the PGlite demo) or a datasource URL for `shop` (loaded with the shop fixture). */
  datasourceUrl: 'embedded' | string;
  clients: number;
  durationSeconds: number;
  /** What each model call takes, in milliseconds. */
  modelLatencyMs: number;
  /** Extra environment for the service (its pool size, for example). */
  env?: Record<string, string>;
  /** Node options for the service process, such as `--cpu-prof`. */
  nodeArgs?: string[];
  /** More arguments for `sqlagent serve`, such as `--workers 2`. */
  serveArgs?: string[];
  /** Whether to measure the floor after the service (default true; a behaviour test does without). */
  floor?: boolean;
  log?: (line: string) => void;
}

export interface LatencySummary {
  requestsPerSecond: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface LoadResult {
  service: LatencySummary & {
    statuses: Record<string, number>;
    errors: number;
    timeouts: number;
    requests: number;
    /** The service's CPU time (user + system) per request. */
    cpuMsPerRequest: number;
  };
  /** Model calls per answered question, as the model server counted them. */
  modelCallsPerQuestion: number;
  /** Null when the run was asked not to measure it. */
  floor: LatencySummary | null;
  /** The service's resident set size (with its workers), in MB, every 5 s (the first before the load). */
  rssMb: number[];
}

/** Questions of our own on the shop fixture (none comes from an eval dataset). */
const questions = [
  'How many customers are there?',
  'How many products are there?',
  'How many orders are there?',
  'How many regions are there?',
  'How many categories are there?',
];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The SQL of each load question: the scripted model runs it, then answers with it. */
const sqlFor: Record<string, string> = {
  'How many customers are there?': 'SELECT COUNT(*) AS customers FROM customers',
  'How many products are there?': 'SELECT COUNT(*) AS products FROM products',
  'How many orders are there?': 'SELECT COUNT(*) AS orders FROM orders',
  'How many regions are there?': 'SELECT COUNT(*) AS regions FROM regions',
  'How many categories are there?': 'SELECT COUNT(*) AS categories FROM categories',
};

/**
 * A model that waits `latencyMs`, then makes three turns as a real one would for these questions:
 * search the metadata, run the SQL, answer with it. Cheap to compute, so the load measures the service
 * and not the model's own work.
 */
class ScriptedSlowModel implements ChatModel {
  readonly provider = 'bench';
  readonly modelId = 'gpt-4o-mini';
  calls = 0;
  constructor(private readonly latencyMs: number) {}
  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    this.calls += 1;
    await sleep(this.latencyMs);
    const question = request.messages.find((message) => message.role === 'user')?.content ?? '';
    const sql = sqlFor[String(question).trim()] ?? 'SELECT COUNT(*) AS regions FROM regions';
    const turn = request.messages.filter((message) => message.role === 'assistant').length;
    const call = [
      { name: 'search_metadata', arguments: JSON.stringify({ query: String(question).slice(0, 100) }) },
      { name: 'execute_sql', arguments: JSON.stringify({ sql }) },
      { name: 'final_answer', arguments: JSON.stringify({ sql, answer: 'Counted.' }) },
    ][Math.min(turn, 2)];
    return {
      message: { role: 'assistant', content: null, toolCalls: [{ id: `call_${turn}`, ...call }] },
      usage: { inputTokens: 2000, outputTokens: 30, estimated: false },
      modelId: this.modelId,
      finishReason: 'tool_calls',
      latencyMs: this.latencyMs,
    };
  }
}

/** Listens on a free loopback port; returns it. */
export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

/** A loopback port free a moment ago. */
export async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function summary(result: autocannon.Result): LatencySummary {
  return {
    requestsPerSecond: Math.round(result.requests.average * 10) / 10,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
  };
}

/** A process and its children (a cluster's workers), from /proc (Linux). */
async function processTree(pid: number): Promise<number[]> {
  const children = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return [pid, ...children.trim().split(/\s+/).filter(Boolean).map(Number)];
}

/** User + system CPU time of a process and its children so far, in milliseconds. */
async function treeCpuMs(pid: number): Promise<number> {
  let total = 0;
  for (const member of await processTree(pid)) total += await cpuMsOf(member);
  return total;
}

/** Resident memory of a process and its children, in MB. */
async function treeRssMb(pid: number): Promise<number> {
  let total = 0;
  for (const member of await processTree(pid)) total += await rssMbOf(member);
  return total;
}

/** User + system CPU time of a process so far, in milliseconds (Linux). */
async function cpuMsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line (12 and 13 after the command), in clock ticks (100 Hz).
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
}

async function rssMbOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

/** Waits until the service's `/readyz` answers 200; fails if it exits first or takes longer than `timeoutMs`. */
export async function waitForReady(base: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} before it was ready`);
    const ready = await fetch(`${base}/readyz`)
      .then((response) => response.status === 200)
      .catch(() => false);
    if (ready) return;
    await sleep(250);
  }
  throw new Error(`the service was not ready within ${timeoutMs} ms`);
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const log = options.log ?? (() => {});
  const model = new ScriptedSlowModel(options.modelLatencyMs);
  const modelApp = express();
  modelApp.use(express.json({ limit: '20mb' }));
  modelApp.post('/v1/chat/completions', chatCompletionsHandler(model));
  // The floor: the same client and connections, and only the waiting a question's model calls take.
  let floorCalls = 3;
  modelApp.post('/floor', async (_request, response) => {
    await sleep(floorCalls * options.modelLatencyMs);
    response.json({ ok: true });
  });
  modelApp.use((error: unknown, _request: express.Request, response: express.Response, _next: express.NextFunction) => {
    response.status(500).json({ error: { message: String((error as Error)?.message ?? error), type: 'server_error' } });
  });
  const modelServer = createServer(modelApp);
  const modelPort = await listen(modelServer);

  const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-load-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? []), path.join(root, 'bin/sqlagent.mjs'), 'serve', ...(options.serveArgs ?? [])],
    {
      cwd: root,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        SQLAGENT_DATA_DIR: dataDir,
        SQLAGENT_LOG_LEVEL: 'warn',
        OPENAI_API_KEY: 'sk-load-test',
        OPENAI_BASE_URL: `http://127.0.0.1:${modelPort}/v1`,
        SQLAGENT_MODEL: 'gpt-4o-mini',
        ...(options.datasourceUrl === 'embedded' ? {} : { DATASOURCE_SHOP_URL: options.datasourceUrl }),
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const rssMb: number[] = [];
  let sampler: NodeJS.Timeout | undefined;
  try {
    await waitForReady(base, child, 180_000);
    // One question first: it opens the pool, reads the schema and warms every path.
    for (const question of questions) {
      const response = await fetch(`${base}/v1/query`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ datasource: 'shop', question, cache: 'bypass' }),
      });
      if (response.status !== 200) throw new Error(`warm-up question "${question}" answered ${response.status}: ${await response.text()}`);
    }
    rssMb.push(await treeRssMb(child.pid!));
    sampler = setInterval(() => void treeRssMb(child.pid!).then((value) => rssMb.push(value)), 5000);
    const callsBefore = model.calls;
    const cpuBefore = await treeCpuMs(child.pid!);
    const statuses: Record<string, number> = {};
    log(`service: ${options.clients} clients for ${options.durationSeconds} s, the model taking ${options.modelLatencyMs} ms per call`);
    const serviceRun = await autocannon({
      url: `${base}/v1/query`,
      connections: options.clients,
      duration: options.durationSeconds,
      timeout: 120,
      requests: questions.map((question) => ({
        method: 'POST' as const,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ datasource: 'shop', question, cache: 'bypass', userId: 'load' }),
      })),
    }).then((result) => result);
    clearInterval(sampler);
    const cpuMs = (await treeCpuMs(child.pid!)) - cpuBefore;
    rssMb.push(await treeRssMb(child.pid!));
    for (const [code, count] of Object.entries(serviceRun.statusCodeStats ?? {})) statuses[code] = (count as { count: number }).count;
    const answered = statuses['200'] ?? 0;
    const modelCallsPerQuestion = answered > 0 ? Math.round(((model.calls - callsBefore) / answered) * 100) / 100 : 0;
    floorCalls = Math.max(1, Math.round(modelCallsPerQuestion));
    log(`floor: the same client, ${floorCalls} × ${options.modelLatencyMs} ms per request`);
    const floorRun =
      options.floor === false
        ? null
        : await autocannon({
            url: `http://127.0.0.1:${modelPort}/floor`,
            method: 'POST',
            connections: options.clients,
            duration: options.durationSeconds,
            timeout: 120,
          });
    return {
      service: {
        ...summary(serviceRun),
        statuses,
        errors: serviceRun.errors,
        timeouts: serviceRun.timeouts,
        requests: serviceRun.requests.total,
        cpuMsPerRequest: serviceRun.requests.total > 0 ? Math.round((cpuMs / serviceRun.requests.total) * 10) / 10 : 0,
      },
      modelCallsPerQuestion,
      floor: floorRun ? summary(floorRun) : null,
      rssMb,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\nservice stderr:\n${stderr}`);
  } finally {
    clearInterval(sampler);
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await new Promise<void>((resolve) => modelServer.close(() => resolve()));
    modelServer.closeAllConnections();
    await rm(dataDir, { recursive: true, force: true });
  }
}
