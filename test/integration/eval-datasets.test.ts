import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { listDatasetFiles, loadDatasets, validateDatasets, type EvalDataset } from '../../src/evals/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { requireServers } from '../support/servers.ts';

const repository = path.resolve(import.meta.dirname, '../..');
const environment = inject('testEnvironment');
const serversMissing = !environment.postgres || !environment.mysql;

describe('the committed eval datasets', () => {
  let datasets: EvalDataset[];
  beforeAll(async () => {
    const files = await listDatasetFiles(path.join(repository, 'evals/datasets'));
    datasets = await loadDatasets(
      files.map((entry) => entry.file),
      path.join(repository, 'evals/datasets'),
    );
  });

  it('have at least 150 cases: 100 or more on shop and 50 or more on clinic, every difficulty, unique ids', () => {
    const cases = datasets.flatMap((dataset) => dataset.cases);
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((evalCase) => evalCase.datasource === 'shop').length).toBeGreaterThanOrEqual(100);
    expect(cases.filter((evalCase) => evalCase.datasource === 'clinic').length).toBeGreaterThanOrEqual(50);
    for (const difficulty of ['simple', 'medium', 'hard'] as const)
      expect(cases.some((evalCase) => evalCase.difficulty === difficulty)).toBe(true);
    expect(new Set(cases.map((evalCase) => `${evalCase.dataset}/${evalCase.id}`)).size).toBe(cases.length);
  });

  it('do not reuse the questions of the offline model tests or of the prompts', async () => {
    const { readFile, readdir } = await import('node:fs/promises');
    const sources = await Promise.all(
      ['test/integration/offline-model.test.ts', 'test/integration/offline-question-set.test.ts', 'test/unit/offline-planner.test.ts'].map(
        (file) => readFile(path.join(repository, file), 'utf8'),
      ),
    );
    for (const file of await readdir(path.join(repository, 'prompts/agent/db_agent')))
      sources.push(await readFile(path.join(repository, 'prompts/agent/db_agent', file), 'utf8'));
    const normalized = (text: string) =>
      text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, ' ')
        .trim();
    const haystack = normalized(sources.join('\n'));
    const reused = datasets.flatMap((dataset) => dataset.cases).filter((evalCase) => haystack.includes(normalized(evalCase.question)));
    expect(reused.map((evalCase) => evalCase.question)).toEqual([]);
  });

  describe.skipIf(serversMissing && !requireServers)('gold SQL on PGlite, Postgres and MariaDB', () => {
    let work: string;
    beforeAll(async () => {
      work = await mkdtemp(path.join(tmpdir(), 'sqlagent-eval-validate-'));
      for (const fixture of ['shop', 'clinic'] as const) await copyTemplate(environment.pgliteTemplates[fixture], path.join(work, fixture));
    });
    afterAll(async () => {
      if (work) await rm(work, { recursive: true, force: true });
    });

    it('every case runs, returns rows (or is expected empty), and agrees across the three engines', async () => {
      const config = loadConfig({ env: {}, overrides: { dataDir: work, logLevel: 'silent' } });
      const result = await validateDatasets({
        config,
        datasets,
        engines: ['pglite', 'postgres', 'mysql'],
        serverUrls: { postgres: environment.postgres!.server, mysql: environment.mysql!.server },
        databases: {
          pglite: { shop: `pglite:${path.join(work, 'shop')}`, clinic: `pglite:${path.join(work, 'clinic')}` },
          postgres: { shop: environment.postgres!.shop, clinic: environment.postgres!.clinic },
          mysql: { shop: environment.mysql!.shop, clinic: environment.mysql!.clinic },
        },
      });
      const failures = result.cases
        .filter((validation) => validation.problems.length)
        .map((validation) => `${validation.dataset}/${validation.caseId}: ${validation.problems.join('; ')}`);
      expect(failures).toEqual([]);
      expect(result.cases.length).toBe(datasets.reduce((sum, dataset) => sum + dataset.cases.length, 0));
      expect(
        result.cases.every(
          (validation) =>
            typeof validation.rows.pglite === 'number' &&
            validation.rows.pglite === validation.rows.postgres &&
            validation.rows.postgres === validation.rows.mysql,
        ),
      ).toBe(true);
    }, 300_000);
  });
});
