import { sql, type RawBuilder } from 'kysely';
import type { LocalSpanStore } from '../../tracing/local-store/index.ts';
import { alertRuleThreshold, type AlertRule } from './alert-rule.ts';

/** What one rule measured over its window. */
export interface AlertMeasurement {
  /** See `AlertTransition.value`; null when nothing could be measured (no request in the window). */
  value: number | null;
  /** Requests the value was computed over (for `cache_hit_rate`: cache lookups). */
  requestCount: number;
  /** Whether the rule's condition holds: enough requests and the value past the threshold. */
  breached: boolean;
}

/** Drivers return numeric and int8 as text; null stays null. */
const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));

/**
 * The requests a rule looks at: root spans (kind `trace`, as in `computeStats`) that started in
 * `(now - windowMs, now]` and match the rule's filters. The label is the root's; the datasource is the
 * root's, else that of the latest-starting span of the trace that has one (as `computeStats` does).
 */
function rootsInWindow(rule: AlertRule, now: Date): RawBuilder<unknown> {
  const from = new Date(now.getTime() - rule.windowMs).toISOString();
  const conditions: RawBuilder<unknown>[] = [
    sql`r.kind = 'trace'`,
    sql`r.start_time > ${from}::timestamptz`,
    sql`r.start_time <= ${now.toISOString()}::timestamptz`,
  ];
  if (rule.label !== undefined) conditions.push(sql`r.label = ${rule.label}`);
  if (rule.datasource !== undefined) {
    conditions.push(
      sql`COALESCE(r.datasource, (SELECT s.datasource FROM spans s WHERE s.trace_id = r.trace_id AND s.datasource IS NOT NULL ORDER BY s.start_time DESC LIMIT 1)) = ${rule.datasource}`,
    );
  }
  return sql`roots AS (
    SELECT r.trace_id, r.duration_ms, r.level, r.attributes FROM spans r WHERE ${sql.join(conditions, sql` AND `)}
  )`;
}

/** One row `request_count`, `value` for the rule, computed in SQL (Postgres and PGlite alike). */
function measurementQuery(rule: AlertRule, now: Date): RawBuilder<{ request_count: unknown; value: unknown }> {
  const roots = rootsInWindow(rule, now);
  switch (rule.kind) {
    case 'latency':
      // Nearest rank, as in computeStats: the value at rank ⌈0.95·n⌉, always an observed duration.
      return rule.statistic === 'p95'
        ? sql`WITH ${roots} SELECT count(*) AS request_count, percentile_disc(0.95) WITHIN GROUP (ORDER BY duration_ms) AS value FROM roots`
        : sql`WITH ${roots} SELECT count(*) AS request_count, avg(duration_ms) AS value FROM roots`;
    case 'error_rate':
      return sql`WITH ${roots} SELECT count(*) AS request_count, avg(CASE WHEN level = 'ERROR' THEN 1.0 ELSE 0.0 END) AS value FROM roots`;
    case 'daily_cost':
      return sql`WITH ${roots} SELECT
        (SELECT count(*) FROM roots) AS request_count,
        (SELECT COALESCE(sum(s.cost_usd), 0) FROM spans s WHERE s.trace_id IN (SELECT trace_id FROM roots)) AS value`;
    case 'cache_hit_rate':
      return sql`WITH ${roots} SELECT count(*) AS request_count,
        avg(CASE WHEN attributes->>'cacheStatus' IN ('sql', 'rows') THEN 1.0 ELSE 0.0 END) AS value
        FROM roots WHERE attributes->>'cacheStatus' IN ('miss', 'sql', 'rows', 'shared')`;
    case 'fallback_prompt':
      return sql`WITH ${roots} SELECT count(*) AS request_count,
        count(*) FILTER (WHERE attributes->>'promptIsFallback' = 'true') AS value FROM roots`;
  }
}

/**
 * Measures one rule over the local span store at `now`, in one SQL query, and says whether it is
 * breached. With fewer requests than the rule's `minRequests` (latency, error rate, cache hit rate) the
 * value is still reported but the rule is not breached; a `daily_cost` rule compares the sum whatever the
 * count (no traffic costs 0), a `fallback_prompt` rule is breached by one request.
 *
 * Comparisons are strict: latency, error rate and cost breach when the value is ABOVE the threshold,
 * cache hit rate when BELOW it.
 *
 * @throws whatever the database throws (the caller keeps the rule's previous state).
 */
export async function measureAlertRule(store: LocalSpanStore, rule: AlertRule, now: Date): Promise<AlertMeasurement> {
  const result = await measurementQuery(rule, now).execute(store.db);
  const row = result.rows[0];
  const requestCount = Number(row?.request_count ?? 0);
  const value = toNumber(row?.value);
  const threshold = alertRuleThreshold(rule);
  let breached: boolean;
  switch (rule.kind) {
    case 'latency':
    case 'error_rate':
      breached = value !== null && requestCount >= rule.minRequests && value > threshold;
      break;
    case 'cache_hit_rate':
      breached = value !== null && requestCount >= rule.minRequests && value < threshold;
      break;
    case 'daily_cost':
    case 'fallback_prompt':
      breached = value !== null && value > threshold;
      break;
  }
  return { value, requestCount, breached };
}
