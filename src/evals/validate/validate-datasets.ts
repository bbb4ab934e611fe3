import type { Config } from '../../config/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../datasource/index.ts';
import { ensureEmbeddedFixture } from '../../fixtures/index.ts';
import { compareResults, mysqlArithmeticTolerance } from '../compare/compare-results.ts';
import type { EvalCase, EvalDataset } from '../dataset/eval-case.ts';
import { EvalDatabase, type GoldResult } from '../run/eval-database.ts';
import { resolveEvalDatasources, type EvalEngine } from '../run/eval-databases.ts';
import { caseKey } from '../run/eval-runner.ts';

/** Cross-engine checks allow what MySQL's arithmetic loses (see `mysqlArithmeticTolerance`). */
export const crossEngineAbsoluteTolerance = mysqlArithmeticTolerance;

export interface CaseValidation {
  caseId: string;
  dataset: string;
  question: string;
  /** Row count on each engine (null where the gold failed). */
  rows: Partial<Record<EvalEngine, number | null>>;
  problems: string[];
  /** Not failures, but worth a look (e.g. more rows than the prompt's default row limit). */
  warnings: string[];
}

export interface DatasetValidation {
  engines: EvalEngine[];
  cases: CaseValidation[];
  failed: number;
  warned: number;
}

export interface ValidateOptions {
  config: Readonly<Config>;
  datasets: readonly EvalDataset[];
  engines: readonly EvalEngine[];
  serverUrls: { postgres: string; mysql: string };
  /** Databases to use instead, by engine and datasource id (already loaded; nothing is loaded into them). */
  databases?: Partial<Record<EvalEngine, Record<string, string>>>;
  /** Rows above which a gold gets a warning (the prompt asks for at most this many). Default 100. */
  rowLimit?: number;
  log?: (message: string) => void;
  onCase?: (validation: CaseValidation) => void;
}

/**
 * Runs every gold query on every engine (PGlite, Postgres, MariaDB/MySQL by default) and fails a case
 * whose gold errors, returns no rows without `expect_empty`, is cut by the row cap, or gives different
 * results on different engines by the comparator (with the cross-engine numeric tolerance).
 */
export async function validateDatasets(options: ValidateOptions): Promise<DatasetValidation> {
  const cases = options.datasets.flatMap((dataset) => dataset.cases);
  const datasourceIds = [...new Set(cases.map((evalCase) => evalCase.datasource))];
  const rowLimit = options.rowLimit ?? 100;
  const golds = new Map<EvalEngine, Map<string, GoldResult>>();
  for (const engine of options.engines) {
    const resolved = await resolveEvalDatasources({
      datasourceIds,
      configured: options.config.datasources,
      dataDir: options.config.dataDir,
      engine,
      datasourceUrls: options.databases?.[engine] ?? {},
      // A private PGlite copy, so validation works while the service holds the embedded files.
      separateFromService: true,
      serverUrls: options.serverUrls,
      log: options.log,
    });
    const registry = new DatasourceRegistry(resolved.map((input) => datasourceConfigSchema.parse(input)), {
      introspectionTtlMs: options.config.introspection.ttlMs,
      sampleBudgetMs: 0,
      prepare: (datasource) => ensureEmbeddedFixture(datasource, options.log),
    });
    try {
      const database = new EvalDatabase((id) => registry.get(id));
      const results = new Map<string, GoldResult>();
      for (const evalCase of cases) results.set(caseKey(evalCase), await database.gold(evalCase));
      golds.set(engine, results);
    } finally {
      await registry.closeAll();
    }
  }
  const validations = cases.map((evalCase) => {
    const validation = validateCase(evalCase, options.engines, golds, rowLimit);
    options.onCase?.(validation);
    return validation;
  });
  return {
    engines: [...options.engines],
    cases: validations,
    failed: validations.filter((validation) => validation.problems.length > 0).length,
    warned: validations.filter((validation) => validation.warnings.length > 0).length,
  };
}

function validateCase(evalCase: EvalCase, engines: readonly EvalEngine[], golds: Map<EvalEngine, Map<string, GoldResult>>, rowLimit: number): CaseValidation {
  const problems: string[] = [];
  const warnings: string[] = [];
  const rows: CaseValidation['rows'] = {};
  let reference: { engine: EvalEngine; gold: GoldResult } | null = null;
  for (const engine of engines) {
    const gold = golds.get(engine)!.get(caseKey(evalCase))!;
    rows[engine] = gold.error ? null : gold.rows.length;
    if (gold.error) {
      problems.push(`${engine}: ${gold.error}`);
      continue;
    }
    if (evalCase.expectEmpty && gold.rows.length > 0) problems.push(`${engine}: the case expects an empty result, but the gold has ${gold.rows.length} rows`);
    if (gold.rows.length > rowLimit) warnings.push(`${engine}: the gold has ${gold.rows.length} rows, more than the prompt's default row limit of ${rowLimit}`);
    if (!reference) {
      reference = { engine, gold };
      continue;
    }
    const verdict = compareResults(reference.gold.rows, gold.rows, { orderMatters: reference.gold.orderMatters, absoluteTolerance: crossEngineAbsoluteTolerance });
    if (!verdict.equal) problems.push(`${engine} differs from ${reference.engine}: ${verdict.reason}`);
  }
  return { caseId: evalCase.id, dataset: evalCase.dataset, question: evalCase.question, rows, problems, warnings: [...new Set(warnings)] };
}
