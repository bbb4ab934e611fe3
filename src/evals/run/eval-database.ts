import type { Datasource, ReadOnlyResult } from '../../datasource/index.ts';
import { ServiceError } from '../../errors/index.ts';
import type { EvalCase } from '../dataset/eval-case.ts';

/** Opens the datasource an eval case runs on (the app's registry, or the eval's own). */
export type DatasourceOpener = (id: string) => Promise<Datasource>;

/** A case's gold result on the eval database, or why there is none. */
export interface GoldResult {
  sql: string;
  rows: unknown[][];
  orderMatters: boolean;
  /** The dialect it ran on (MySQL's arithmetic needs a looser numeric tolerance). */
  dialect: 'postgres' | 'mysql';
  /** Set when the gold failed (an error, or cut by the row cap): the case cannot be scored. */
  error: string | null;
}

/**
 * Runs gold and predicted SQL on the eval databases through the guard and the read-only executor (the
 * same path the agent's SQL takes). Gold SQL may write `{{schema:analytics}}` for a fixture schema; it
 * becomes the physical name (`analytics` on Postgres, the sibling database `<db>_analytics` on MySQL).
 */
export class EvalDatabase {
  private readonly golds = new Map<string, Promise<GoldResult>>();

  constructor(private readonly open: DatasourceOpener) {}

  /** The gold result of a case, computed once per run. */
  gold(evalCase: EvalCase): Promise<GoldResult> {
    const key = `${evalCase.dataset}/${evalCase.id}`;
    let result = this.golds.get(key);
    if (!result) {
      result = this.computeGold(evalCase);
      this.golds.set(key, result);
    }
    return result;
  }

  /** Runs any statement on a case's datasource (a prediction that came without rows). */
  async run(datasourceId: string, sql: string): Promise<ReadOnlyResult> {
    return (await this.open(datasourceId)).executeReadOnly(sql);
  }

  /** The gold SQL of a case for this datasource's dialect, placeholders resolved. */
  async goldSql(evalCase: EvalCase): Promise<string> {
    const datasource = await this.open(evalCase.datasource);
    const sql = evalCase.gold[datasource.adapter.dialect];
    if (!sql) throw new Error(`case ${evalCase.id} has no gold SQL for ${datasource.adapter.dialect}`);
    return resolveSchemaPlaceholders(sql, datasource);
  }

  private async computeGold(evalCase: EvalCase): Promise<GoldResult> {
    let sql = evalCase.gold.postgres ?? evalCase.gold.mysql ?? '';
    let dialect: GoldResult['dialect'] = 'postgres';
    try {
      sql = await this.goldSql(evalCase);
      const datasource = await this.open(evalCase.datasource);
      dialect = datasource.adapter.dialect;
      const orderMatters = evalCase.orderMatters ?? (await datasource.guard(sql)).hasTopLevelOrderBy;
      const result = await datasource.executeReadOnly(sql);
      if (result.truncated) return { sql, rows: [], orderMatters, dialect, error: `the gold result was cut at ${result.rowCap} rows (${result.truncatedBy === 'bytes' ? 'the byte budget' : 'the row cap'})` };
      if (result.rows.length === 0 && !evalCase.expectEmpty) return { sql, rows: [], orderMatters, dialect, error: 'the gold result is empty (mark the case expect_empty if that is intended)' };
      return { sql, rows: result.rows, orderMatters, dialect, error: null };
    } catch (error) {
      // A datasource that cannot be opened at all is a system fault; a failing gold is a dataset fault.
      if (error instanceof ServiceError && (error.code === 'datasource_unavailable' || error.code === 'datasource_not_found')) throw error;
      return { sql, rows: [], orderMatters: false, dialect, error: error instanceof ServiceError ? `${error.code}: ${error.message}` : (error as Error).message };
    }
  }
}

/** Replaces `{{schema:NAME}}` by the quoted physical schema of a fixture schema on this datasource. */
export function resolveSchemaPlaceholders(sql: string, datasource: Datasource): string {
  if (!sql.includes('{{schema:')) return sql;
  const quote = datasource.adapter.quoteIdentifier;
  const database = datasource.adapter.schemasAreDatabases ? decodeURIComponent(new URL(datasource.config.url).pathname.replace(/^\//, '')) : null;
  return sql.replace(/\{\{\s*schema:([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_, schema: string) => {
    if (database === null) return quote(schema);
    return quote(schema === 'public' ? database : `${database}_${schema}`);
  });
}
