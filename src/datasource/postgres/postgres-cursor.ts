import type { SessionDeadline } from '../backstop.ts';
import { approximateRowBytes, type CappedResult, type RawResult } from '../driver.ts';

/**
 * Fetches at most `maxRows` rows and about `maxBytes` of a read through a server-side cursor, so the
 * server never sends more than asked for. Batches start small and grow while rows are small, so one
 * fetch cannot pull a huge amount at once. Must run inside a transaction, whose end closes the cursor
 * (no CLOSE round trip). `firstFetch` runs the first FETCH and may send more with it, such as the
 * statement timeout cut to what is left of the request's budget (declaring the cursor plans the query,
 * which can itself take time).
 */
export async function fetchThroughCursor(
  query: (sql: string) => Promise<RawResult>,
  statement: string,
  maxRows: number,
  maxBytes: number,
  firstFetch: (fetch: string) => Promise<RawResult> = query,
): Promise<CappedResult> {
  await query(`DECLARE sqlagent_cursor NO SCROLL CURSOR FOR ${statement}\n`);
  const rows: unknown[][] = [];
  let fields: RawResult['fields'] = [];
  let bytes = 0;
  let batch = 10;
  let complete = false;
  let bytesExceeded = false;
  let first = true;
  // A row that would take the result over the byte budget is left out, like every row after it.
  while (rows.length < maxRows && !bytesExceeded) {
    const size = Math.min(batch, maxRows - rows.length);
    const fetch = `FETCH FORWARD ${size} FROM sqlagent_cursor`;
    const result = await (first ? firstFetch(fetch) : query(fetch));
    first = false;
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
  return { fields, rows, complete, bytesExceeded };
}

/** The statement that sets the timeout to what is left of the session's budget (none without one). */
export function tightenedTimeout(deadline: SessionDeadline): string[] {
  const remaining = deadline.remainingMs();
  return remaining === undefined ? [] : [`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(remaining))}`];
}
