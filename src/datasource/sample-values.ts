import type { DatasourceDriver } from './driver.ts';
import type { SchemaInfo } from './schema-meta.ts';

export interface SampleOptions {
  /** Stop sampling once this much time has been spent; later columns get no samples. */
  budgetMs: number;
  /** Timeout of each sampling statement. */
  statementTimeoutMs: number;
}

const rowsScanned = 10_000;
const maxDistinct = 50;
const keep = 5;

/**
 * Adds `sampleValues` to low-cardinality text columns: among the first 10 000 rows, a column with at most
 * 50 distinct values gets its 5 most frequent ones. Each statement runs read-only with a timeout, and
 * the whole pass stops at the time budget, so introspection time stays bounded on any database.
 */
export async function collectSampleValues(driver: DatasourceDriver, schemas: SchemaInfo[], options: SampleOptions): Promise<void> {
  const deadline = Date.now() + options.budgetMs;
  const quote = driver.adapter.quoteIdentifier;
  const targets = schemas.flatMap((schema) =>
    schema.tables
      .filter((table) => table.kind === 'table')
      .flatMap((table) => table.columns.filter((column) => column.typeFamily === 'text').map((column) => ({ table, column }))),
  );
  if (targets.length === 0) return;
  await driver.withSession(
    async (session) => {
      for (const { table, column } of targets) {
        if (Date.now() > deadline) break;
        const relation = `${quote(table.schema)}.${quote(table.name)}`;
        const name = quote(column.name);
        // One short read-only transaction per column, so a failure cannot poison the next one.
        for (const statement of driver.adapter.beginReadOnly(options.statementTimeoutMs)) await session.query(statement);
        try {
          const result = await session
            .query(
              `SELECT sample_value, COUNT(*) AS frequency FROM (SELECT ${name} AS sample_value FROM ${relation} LIMIT ${rowsScanned}) scanned ` +
                `WHERE sample_value IS NOT NULL GROUP BY sample_value ORDER BY frequency DESC, sample_value LIMIT ${maxDistinct + 1}`,
            )
            .catch(() => null);
          if (result && result.rows.length > 0 && result.rows.length <= maxDistinct) {
            column.sampleValues = result.rows.slice(0, keep).map((row) => String(row[0]));
          }
        } finally {
          for (const statement of driver.adapter.endReadOnly()) await session.query(statement).catch(() => {});
        }
      }
    },
    // The session's budget covers every column; each statement also has its own timeout.
    { timeoutMs: options.budgetMs + options.statementTimeoutMs },
  );
}
