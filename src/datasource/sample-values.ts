import type { DatasourceDriver, DriverSession } from './driver.ts';
import type { ColumnMeta, SchemaInfo, TableMeta } from './schema-meta.ts';

export interface SampleOptions {
  /** Stop sampling once this much time has been spent; later tables get no samples. */
  budgetMs: number;
  /** Timeout of each sampling statement. */
  statementTimeoutMs: number;
  /** Sessions that sample at once (the pool's size at most). Default 1. */
  concurrency?: number;
}

const rowsScanned = 10_000;
const maxDistinct = 50;
const keep = 5;

/**
 * One statement that samples every text column of a table: for each, among the table's first 10 000 rows,
 * its distinct values with their frequencies, most frequent first, at most 51 (one more than a
 * low-cardinality column may have). Rows are `[column index, value, frequency]`.
 */
function tableSampleStatement(driver: DatasourceDriver, table: TableMeta, columns: readonly ColumnMeta[]): string {
  const quote = driver.adapter.quoteIdentifier;
  const relation = `${quote(table.schema)}.${quote(table.name)}`;
  const asText = driver.adapter.dialect === 'mysql' ? 'CHAR' : 'TEXT';
  return columns
    .map((column, index) => {
      const name = quote(column.name);
      return (
        `(SELECT ${index} AS column_index, CAST(sample_value AS ${asText}) AS sample_value, COUNT(*) AS frequency ` +
        `FROM (SELECT ${name} AS sample_value FROM ${relation} LIMIT ${rowsScanned}) scanned ` +
        `WHERE sample_value IS NOT NULL GROUP BY scanned.sample_value ORDER BY frequency DESC, scanned.sample_value LIMIT ${maxDistinct + 1})`
      );
    })
    .join('\nUNION ALL\n');
}

/**
 * Adds `sampleValues` to low-cardinality text columns: among the first 10 000 rows, a column with at most
 * 50 distinct values gets its 5 most frequent ones. One statement per table covers all its text columns;
 * `concurrency` sessions work through the tables at once, each in one read-only transaction (begun again
 * after a failed statement, which Postgres would otherwise refuse to continue). Every statement has a
 * timeout, and no table is started once the time budget is spent, so introspection time stays bounded on
 * any database.
 */
export async function collectSampleValues(driver: DatasourceDriver, schemas: SchemaInfo[], options: SampleOptions): Promise<void> {
  const deadline = Date.now() + options.budgetMs;
  const queue = schemas.flatMap((schema) =>
    schema.tables
      .filter((table) => table.kind === 'table')
      .map((table) => ({ table, columns: table.columns.filter((column) => column.typeFamily === 'text') }))
      .filter((target) => target.columns.length > 0),
  );
  if (queue.length === 0) return;
  const { beginReadOnly, endReadOnly } = driver.adapter;

  const sampleTables = async (session: DriverSession) => {
    await session.runScript(beginReadOnly(options.statementTimeoutMs));
    try {
      for (let target = queue.shift(); target && Date.now() <= deadline; target = queue.shift()) {
        const result = await session.query(tableSampleStatement(driver, target.table, target.columns)).catch(async () => {
          // A failed statement ends the transaction's usefulness on Postgres: start a fresh one.
          await session.runScript(endReadOnly(), { throughFailures: true }).catch(() => {});
          await session.runScript(beginReadOnly(options.statementTimeoutMs));
          return null;
        });
        if (!result) continue;
        // UNION ALL keeps no order across its parts: sort each column's values by frequency again (a
        // stable sort keeps the part's own order, by value, among equals).
        const values = target.columns.map(() => [] as Array<{ value: string; frequency: number }>);
        for (const [index, value, frequency] of result.rows)
          values[Number(index)]?.push({ value: String(value), frequency: Number(frequency) });
        target.columns.forEach((column, index) => {
          const found = values[index].sort((left, right) => right.frequency - left.frequency);
          if (found.length > 0 && found.length <= maxDistinct) column.sampleValues = found.slice(0, keep).map((entry) => entry.value);
        });
      }
    } finally {
      await session.runScript(endReadOnly(), { throughFailures: true }).catch(() => {});
    }
  };

  const sessions = Math.max(1, Math.min(options.concurrency ?? 1, queue.length));
  // Each session's budget covers every table it may take; each statement also has its own timeout.
  // Best effort: a session that cannot be had (the pool busy past its wait) leaves its tables to the
  // others, or unsampled; it never fails the introspection.
  await Promise.allSettled(
    Array.from({ length: sessions }, () => driver.withSession(sampleTables, { timeoutMs: options.budgetMs + options.statementTimeoutMs })),
  );
}
