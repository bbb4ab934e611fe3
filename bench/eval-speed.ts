/**
 * How long the full eval takes: every case of the committed datasets (shop and clinic) under two prompt
 * labels, with the offline model, in process, at the default concurrency of 4 — the command a prompt
 * engineer runs before moving a label. Fixtures are loaded into embedded PGlite before the clock starts
 * (a one-time cost, reported separately); each measured run is a complete `runEvalSession` with golds,
 * items, scoring and the three reports written.
 *
 * Run: npm run bench:evals  (writes bench/results/eval-speed.md)
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { createEvalAgent } from '../src/app.ts';
import { benchConfig } from './bench-support.ts';
import { DatasourceRegistry } from '../src/datasource/index.ts';
import { runEvalSession, type EvalRunRequest } from '../src/evals/index.ts';
import { renderHtmlReport } from '../src/evals/report/render-html-report.ts';
import { ensureEmbeddedFixture } from '../src/fixtures/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const runs = 3;

async function main() {
  const dataDir = path.join(root, '.data', 'bench-evals');
  const reports = await mkdtemp(path.join(tmpdir(), 'sqlagent-bench-evals-'));
  const config = benchConfig(dataDir, { evals: { datasetsDir: path.join(root, 'evals/datasets'), reportsDir: reports } });

  const loadStarted = performance.now();
  const registry = new DatasourceRegistry(config.datasources, {
    introspectionTtlMs: 60_000,
    sampleBudgetMs: 0,
    prepare: (datasource) => ensureEmbeddedFixture(datasource),
  });
  for (const { id } of registry.list()) await registry.get(id);
  await registry.closeAll();
  const loadMs = performance.now() - loadStarted;

  const request: EvalRunRequest = {
    datasets: ['shop', 'clinic'],
    labels: ['production', 'staging'],
    engine: null,
    datasourceUrls: [],
    server: null,
    predictions: null,
    concurrency: 4,
    limit: null,
    repeat: 1,
    tags: [],
    failUnder: null,
    itemTimeoutMs: 120_000,
    resume: null,
    publish: false,
  };
  const results: Array<{ wallMs: number; items: number; accuracy: string }> = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const { report } = await runEvalSession(request, {
      config,
      createAgent: async (datasources) => createEvalAgent(config, datasources),
      adminToken: null,
      langfuse: null,
      renderHtml: renderHtmlReport,
    });
    results.push({
      wallMs: performance.now() - started,
      items: report.items.length,
      accuracy: report.labels.map((label) => `${label.label} ${((label.overall.accuracy ?? 0) * 100).toFixed(1)}%`).join(', '),
    });
    process.stderr.write(`run ${run + 1}: ${(results[run].wallMs / 1000).toFixed(1)} s for ${results[run].items} items\n`);
  }
  await rm(reports, { recursive: true, force: true });

  const sorted = results.map((result) => result.wallMs).sort((left, right) => left - right);
  const median = sorted[Math.floor(sorted.length / 2)];
  const lines = [
    '# Eval speed: the full datasets under two labels, offline model',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}. Command: \`npm run bench:evals\`.`,
    '',
    `Every case of \`evals/datasets/shop.yaml\` and \`clinic.yaml\` under \`production\` and \`staging\`, in process, concurrency 4, embedded PGlite, cache bypassed; golds, items, scoring and report.json/md/html included. The goal is under 2 minutes.`,
    '',
    '| run | wall time | items | per item | accuracy |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(
      (result, index) =>
        `| ${index + 1} | ${(result.wallMs / 1000).toFixed(1)} s | ${result.items} | ${(result.wallMs / result.items).toFixed(1)} ms | ${result.accuracy} |`,
    ),
    '',
    `Median: **${(median / 1000).toFixed(1)} s** for ${results[0].items} items. One-time fixture load into embedded PGlite before the runs (not in the figures): ${(loadMs / 1000).toFixed(1)} s${loadMs < 3000 ? ' (already loaded)' : ''}.`,
    '',
  ];
  await mkdir(path.join(root, 'bench/results'), { recursive: true });
  await writeFile(path.join(root, 'bench/results/eval-speed.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

await main();
