/**
 * A cache hit over HTTP against a bare express JSON route, same client, same run: the service
 * (`sqlagent serve`, embedded demo, a child process) answers one question again and again from its result
 * cache with the stored rows, and the ratio to a bare express route answering a small JSON object says
 * what the service adds on a hit. The goal is at least half the bare route's requests per second.
 *
 * With `--rerun`, every hit runs its cached SQL again (`cache.rowsTtlMs: 0`), as hits older than the rows'
 * TTL do; with `--engine postgres`, the shop datasource is the fixture on the Postgres server (loaded on first
 * use), the issue's setting for that figure (goal: at least a fifth of the bare route).
 *
 * Run: npm run bench:cache-hit-http [-- --label <text>] [-- --clients 20] [-- --duration 10] [-- --rerun]
 *      [-- --engine embedded|postgres]  (writes bench/results/cache-hit-http.json and prints a table).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import express from 'express';
import { benchShopUrl, ensureShop, keepRun, machine, root, runLabel } from './bench-support.ts';
import { freePort, listen, waitForReady } from './load-run.ts';

const argument = (name: string, fallback: string) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
};
const clients = Number(argument('clients', '20'));
const duration = Number(argument('duration', '10'));
const rerun = process.argv.includes('--rerun');
const engine = argument('engine', 'embedded');
if (engine !== 'embedded' && engine !== 'postgres') throw new Error(`--engine is embedded or postgres, not ${engine}`);
const question = { datasource: 'shop', question: 'How many regions are there?', userId: 'bench' };

async function main() {
  const bare = express();
  bare.use(express.json());
  bare.post('/v1/query', (_request, response) => {
    response.json({ answer: 'There are 12 regions.', rows: [[12]], cached: 'rows' });
  });
  const bareServer = createServer(bare);
  const barePort = await listen(bareServer);

  const port = await freePort();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'sqlagent-cache-http-'));
  if (engine === 'postgres') await ensureShop(benchShopUrl);
  const configFile = path.join(dataDir, 'bench.yaml');
  await writeFile(configFile, `cache:\n  rowsTtlMs: ${rerun ? 0 : 60_000}\n`);
  const child = spawn(process.execPath, [path.join(root, 'bin/sqlagent.mjs'), 'serve', '--port', String(port)], {
    cwd: root,
    env: {
      ...process.env,
      SQLAGENT_DATA_DIR: dataDir,
      SQLAGENT_CONFIG: configFile,
      SQLAGENT_LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      ...(engine === 'postgres' ? { DATASOURCE_SHOP_URL: benchShopUrl } : {}),
    },
    stdio: 'ignore',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForReady(base, child, 180_000);
    const first = await fetch(`${base}/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(question),
    });
    if (first.status !== 200) throw new Error(`the question answered ${first.status}`);
    const hit = (await (
      await fetch(`${base}/v1/query`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(question) })
    ).json()) as {
      cached: unknown;
    };
    const expected = rerun ? 'sql' : 'rows';
    if (hit.cached !== expected) throw new Error(`expected a hit served as ${expected}, got cached=${String(hit.cached)}`);
    const drive = (url: string) =>
      autocannon({
        url,
        method: 'POST',
        connections: clients,
        duration,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(question),
      });
    const service = await drive(`${base}/v1/query`);
    const bareRun = await drive(`http://127.0.0.1:${barePort}/v1/query`);
    const figure = (result: autocannon.Result) => ({
      requestsPerSecond: Math.round(result.requests.average),
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    });
    const entry = {
      label: runLabel(),
      hit: rerun ? 'sql re-run' : 'stored rows',
      engine,
      measuredAt: new Date().toISOString(),
      machine: machine(),
      clients,
      duration,
      service: figure(service),
      bareExpress: figure(bareRun),
      ratio: Math.round((service.requests.average / bareRun.requests.average) * 1000) / 1000,
    };
    const runs = await keepRun(path.join(root, 'bench/results/cache-hit-http.json'), { question: question.question }, entry);
    console.log('| run | hit | engine | clients | service req/s | p99 ms | bare express req/s | p99 ms | ratio | load average |');
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
    for (const run of runs)
      console.log(
        `| ${run.label} | ${run.hit ?? 'stored rows'} | ${run.engine ?? 'embedded'} | ${run.clients} | ${run.service.requestsPerSecond} | ${run.service.p99} | ${run.bareExpress.requestsPerSecond} | ${run.bareExpress.p99} | ${run.ratio} | ${run.machine.loadAverage.join(' ')} |`,
      );
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    bareServer.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
