import type { RawResult } from '../driver.ts';

/**
 * Fetches at most `maxRows` rows of a read through a server-side cursor, so the server never sends
 * more than asked for. Must run inside a transaction. `complete` is true when the cursor ran dry, which
 * makes the caller's `truncated` exact.
 */
export async function fetchThroughCursor(
  query: (sql: string) => Promise<RawResult>,
  statement: string,
  maxRows: number,
): Promise<RawResult & { complete: boolean }> {
  await query(`DECLARE sqlagent_cursor NO SCROLL CURSOR FOR ${statement}\n`);
  const result = await query(`FETCH FORWARD ${maxRows} FROM sqlagent_cursor`);
  await query('CLOSE sqlagent_cursor');
  return { ...result, complete: result.rows.length < maxRows };
}
