import type { SessionDeadline } from '../backstop.ts';
import { approximateRowBytes, type CappedResult, type RawResult } from '../driver.ts';

/**
 * Fetches at most `maxRows` rows and about `maxBytes` of a read through a server-side cursor, so the
 * server never sends more than asked for. Batches start small and grow while rows are small, so one
 * fetch cannot pull a huge amount at once. Must run inside a transaction. Before the first fetch,
 * `beforeFetch` may tighten the statement timeout to what is left of the request's budget (declaring
 * the cursor plans the query, which can itself take time).
 */
export async function fetchThroughCursor(
  query: (sql: string) => Promise<RawResult>,
  statement: string,
  maxRows: number,
  maxBytes: number,
  beforeFetch: () => Promise<void> = async () => {},
): Promise<CappedResult> {
  await query(`DECLARE sqlagent_cursor NO SCROLL CURSOR FOR ${statement}\n`);
  await beforeFetch();
  const rows: unknown[][] = [];
  let fields: RawResult['fields'] = [];
  let bytes = 0;
  let batch = 10;
  let complete = false;
  let bytesExceeded = false;
  // A row that would take the result over the byte budget is left out, like every row after it.
  while (rows.length < maxRows && !bytesExceeded) {
    const size = Math.min(batch, maxRows - rows.length);
    const result = await query(`FETCH FORWARD ${size} FROM sqlagent_cursor`);
    fields = result.fields;
    for (const row of result.rows) {
      const rowBytes = approximateRowBytes(row);
      if (bytes + rowBytes > maxBytes) {
        bytesExceeded = true;
        break;
      }
      rows.push(row);
      bytes += rowBytes;
    }
    if (bytesExceeded) break;
    if (result.rows.length < size) {
      complete = true;
      break;
    }
    const average = bytes / Math.max(rows.length, 1);
    batch = Math.max(1, Math.min(1000, Math.floor((maxBytes - bytes) / Math.max(average, 1))));
  }
  await query('CLOSE sqlagent_cursor');
  return { fields, rows, complete, bytesExceeded };
}

/** Sets the statement timeout to what is left of the session's budget, so planning time is not free. */
export async function tightenTimeout(query: (sql: string) => Promise<RawResult>, deadline: SessionDeadline): Promise<void> {
  const remaining = deadline.remainingMs();
  if (remaining !== undefined) await query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(remaining))}`);
}
