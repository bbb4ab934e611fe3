import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadDatasetFile, type EvalReport } from '../../src/evals/index.ts';
import { runCliInProcess } from '../support/cli-runner.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { promptsWithProductionAt } from '../support/pinned-prompts.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

/** Runs the CLI in this process (not a TTY: plain progress lines), returning exit code, stdout and stderr. */
const cli = (args: string[], env: Record<string, string>) => runCliInProcess(args, env);

/** Cases of our own for the CLI (never the committed eval questions). */
const miniDataset = `description: CLI test cases
cases:
  - { id: c-1, datasource: shop, question: "How many sales regions do we have?", sql: "SELECT COUNT(*) FROM regions", difficulty: simple, tags: [count] }
  - { id: c-2, datasource: shop, question: "Which continents do our regions lie on?", sql: "SELECT DISTINCT continent FROM regions", difficulty: simple, tags: [distinct] }
  - { id: c-3, datasource: shop, question: "Estimate the carbon footprint of last year's shipping in tonnes.", sql: "SELECT COUNT(*) FROM orders WHERE order_date >= '2024-01-01' AND order_date < '2025-01-01'", difficulty: hard, tags: [unanswerable] }
`;

describe('the eval CLI', { timeout: 300_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  const reports = () => path.join(dir, 'reports');
  const runIds = async () => (await readdir(reports())).filter((name) => name !== 'latest').sort();

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-cli-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    await mkdir(path.join(dir, 'datasets'));
    await writeFile(path.join(dir, 'datasets', 'mini.yaml'), miniDataset);
    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        dataDir: path.join(dir, 'data'),
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        tracing: { localStore: false },
        evals: { datasetsDir: path.join(dir, 'datasets'), reportsDir: reports() },
        prompts: { directory: await promptsWithProductionAt(dir, 2), source: 'local' },
      }),
    );
    env = { SQLAGENT_CONFIG: config };
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('run: progress lines, the label table and the verdict; --fail-under exits 23 as a CI gate; --publish writes latest/', async () => {
    const gated = await cli(
      ['eval', 'run', '--dataset', 'mini', '--labels', 'production,staging', '--fail-under', '0.99', '--publish'],
      env,
    );
    expect(gated.code, gated.stderr).toBe(23);
    expect(gated.stderr).toMatch(/gold results ready for 3 cases; 6 items to score/);
    expect(gated.stderr).toMatch(/\[6\/6\] production \d+\.\d% {2}staging \d+\.\d%/);
    expect(gated.stdout).toMatch(/^label\s+\| prompt \| accuracy/m);
    expect(gated.stdout).toMatch(/^production\s+\| v2 /m);
    expect(gated.stdout).toMatch(new RegExp(`• staging \\(v${shippedLabels.staging}\\) (is .*|and) production \\(v2\\)`));
    expect(gated.stdout).toMatch(/Gate \(accuracy ≥ 99\.0%\): FAILED for production, staging/);
    const [runId] = await runIds();
    for (const file of ['run.json', 'items.jsonl', 'report.json', 'report.md', 'report.html'])
      await readFile(path.join(reports(), runId, file));
    const latest = JSON.parse(await readFile(path.join(reports(), 'latest', 'report.json'), 'utf8')) as EvalReport;
    expect((await readdir(path.join(reports(), 'latest'))).sort()).toEqual(['report.html', 'report.json', 'report.md', 'run.json']);
    expect(latest.runId).toBe(runId);
    expect(latest.items.every((item) => item.model === 'offline')).toBe(true);
    expect(latest.items.find((item) => item.caseId === 'c-3')?.outcome).not.toBe('correct');

    const passed = await cli(
      ['eval', 'run', '--dataset', 'mini', '--labels', 'staging', '--fail-under', '0', '--json', '--tag', 'count'],
      env,
    );
    expect(passed.code, passed.stderr).toBe(0);
    const report = JSON.parse(passed.stdout) as EvalReport;
    expect(report.items.map((item) => item.caseId)).toEqual(['c-1']);
    expect(report.gate).toEqual({ threshold: 0, passed: true, failing: [] });
  });

  it("score and compare: another system's SQL scored by the same comparator, and the changes between two runs", async () => {
    const predictions = path.join(dir, 'vendor.jsonl');
    await writeFile(
      predictions,
      [
        JSON.stringify({ id: 'c-1', sql: 'SELECT COUNT(*) FROM regions' }),
        JSON.stringify({ id: 'c-2', sql: 'SELECT continent FROM regions' }),
        JSON.stringify({ id: 'c-3', sql: null }),
      ].join('\n'),
    );
    const scored = await cli(['eval', 'score', '--dataset', 'mini', '--predictions', predictions], env);
    expect(scored.code, scored.stderr).toBe(0);
    expect(scored.stdout).toMatch(/^vendor\s+\| -\s+\| 33\.3% \(1\/3\)/m);

    const better = path.join(dir, 'vendor-2.jsonl');
    await writeFile(
      better,
      [
        JSON.stringify({ id: 'c-1', sql: 'SELECT 11' }),
        JSON.stringify({ id: 'c-2', sql: 'SELECT DISTINCT continent FROM regions' }),
        JSON.stringify({ id: 'c-3', sql: null }),
      ].join('\n'),
    );
    expect((await cli(['eval', 'score', '--dataset', 'mini', '--predictions', better], env)).code).toBe(0);
    const scoreRuns = (await runIds()).filter((id) => id.includes('score-vendor'));
    expect(scoreRuns).toHaveLength(2);
    const compared = await cli(['eval', 'compare', scoreRuns[0], scoreRuns[1], '--label', 'vendor:vendor-2', '--json'], env);
    expect(compared.code, compared.stderr).toBe(0);
    const comparison = JSON.parse(compared.stdout);
    expect(comparison.labels[0]).toMatchObject({ cases: 3, accuracy: { before: 1 / 3, after: 1 / 3 } });
    expect(comparison.labels[0].regressions.map((change: { caseId: string }) => change.caseId)).toEqual(['c-1']);
    expect(comparison.labels[0].improvements.map((change: { caseId: string }) => change.caseId)).toEqual(['c-2']);
    const text = await cli(['eval', 'compare', scoreRuns[0], scoreRuns[1], '--label', 'vendor:vendor-2'], env);
    expect(text.stdout).toMatch(
      /vendor → vendor-2 did not change distinguishably: 33\.3% → 33\.3% on 3 shared cases, 1 improved and 1 regressed/,
    );

    const listed = await cli(['eval', 'list', '--json'], env);
    expect(JSON.parse(listed.stdout).length).toBeGreaterThanOrEqual(4);
  });

  it('import: Spider and BIRD files become datasets that load; unmapped databases are named', async () => {
    const spider = path.join(dir, 'spider.json');
    await writeFile(
      spider,
      JSON.stringify([
        { db_id: 'retail', question: 'How many regions are there?', query: 'SELECT count(*) FROM regions;' },
        {
          db_id: 'retail',
          question: 'List region names with their number of customers.',
          query: 'SELECT r.name, count(*) FROM regions r JOIN customers c ON c.region_id = r.id GROUP BY r.name',
        },
      ]),
    );
    const imported = await cli(
      ['eval', 'import', spider, '--format', 'spider', '--name', 'spider-mini', '--datasource-map', 'retail=shop'],
      env,
    );
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/Wrote .*spider-mini\.yaml: 2 cases \(retail → shop: 2\)/);
    const dataset = await loadDatasetFile(path.join(dir, 'datasets', 'spider-mini.yaml'));
    expect(
      dataset.cases.map((evalCase) => [evalCase.id, evalCase.datasource, evalCase.difficulty, evalCase.gold.postgres, evalCase.tags]),
    ).toEqual([
      ['spider-mini-0001', 'shop', 'simple', 'SELECT count(*) FROM regions', ['spider', 'retail']],
      [
        'spider-mini-0002',
        'shop',
        'medium',
        'SELECT r.name, count(*) FROM regions r JOIN customers c ON c.region_id = r.id GROUP BY r.name',
        ['spider', 'retail'],
      ],
    ]);
    expect(
      (await cli(['eval', 'import', spider, '--format', 'spider', '--name', 'spider-mini', '--datasource-map', 'retail=shop'], env)).stderr,
    ).toMatch(/exists; pass --force/);

    const bird = path.join(dir, 'bird.jsonl');
    await writeFile(
      bird,
      [
        JSON.stringify({
          db_id: 'retail',
          question: 'How many German regions?',
          evidence: "German refers to country = 'Germany'",
          SQL: "SELECT COUNT(*) FROM regions WHERE country = 'Germany'",
          difficulty: 'moderate',
        }),
        JSON.stringify({ db_id: 'hospital', question: 'Count doctors', SQL: 'SELECT COUNT(*) FROM doctors', difficulty: 'simple' }),
      ].join('\n'),
    );
    const unmapped = await cli(['eval', 'import', bird, '--format', 'bird', '--name', 'bird-mini', '--datasource-map', 'retail=shop'], env);
    expect(unmapped.code).toBe(2);
    expect(unmapped.stderr).toMatch(/these db_id values have no --datasource-map entry: hospital/);
    expect(
      (
        await cli(
          ['eval', 'import', bird, '--format', 'bird', '--name', 'bird-mini', '--datasource-map', 'retail=shop,hospital=clinic'],
          env,
        )
      ).code,
    ).toBe(0);
    const birdCases = (await loadDatasetFile(path.join(dir, 'datasets', 'bird-mini.yaml'))).cases;
    expect(birdCases[0]).toMatchObject({
      question: "How many German regions? (Hint: German refers to country = 'Germany')",
      difficulty: 'medium',
      datasource: 'shop',
    });
    expect(birdCases[1]).toMatchObject({ difficulty: 'simple', datasource: 'clinic' });
  });

  it('validate: a passing dataset on PGlite, and a failing gold named with its problem', async () => {
    await writeFile(
      path.join(dir, 'datasets', 'broken.yaml'),
      '- { id: b-1, datasource: shop, question: "Broken gold", sql: "SELECT nope FROM regions", difficulty: simple }\n- { id: b-2, datasource: shop, question: "No rows", sql: "SELECT id FROM regions WHERE id < 0", difficulty: simple }\n',
    );
    const good = await cli(['eval', 'validate', '--dataset', 'mini', '--engines', 'pglite'], env);
    expect(good.code, good.stderr).toBe(0);
    expect(good.stdout).toMatch(/3 cases in mini checked on pglite: 3 passed, 0 failed\./);
    const bad = await cli(['eval', 'validate', '--dataset', 'broken', '--engines', 'pglite'], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/FAIL broken\/b-1: pglite: sql_error: .*nope/);
    expect(bad.stdout).toMatch(/FAIL broken\/b-2: pglite: the gold result is empty/);
  });

  it.each([
    [['eval', 'run', '--dataset', 'mini'], 2, /Name at least one prompt label with --labels/],
    [['eval', 'run', '--dataset', 'nothing', '--labels', 'production'], 21, /No dataset "nothing" in .*\(there are: /],
    [
      ['eval', 'run', '--dataset', 'mini', '--labels', 'production', '--concurrency', 'many'],
      2,
      /--concurrency must be a whole number; got "many"/,
    ],
    [['eval', 'run', '--dataset', 'mini', '--labels', 'production', '--fail-under', '70'], 2, /--fail-under is an accuracy from 0 to 1/],
    [['eval', 'run', '--dataset', 'mini', '--labels', 'Production!'], 2, /"Production!" is not a prompt label/],
    [['eval', 'run', '--resume', '20990101-000000-nothing'], 22, /No run 20990101-000000-nothing/],
    [['eval', 'compare', 'a', 'b'], 22, /No run a in /],
  ])('%j exits %i naming the problem', async (args, code, message) => {
    const result = await cli(args, env);
    expect(result.code, result.stderr).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
