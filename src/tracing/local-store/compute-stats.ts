import { sql, type RawBuilder } from 'kysely';
import { InvalidInputError } from '../../errors/index.ts';
import { toIso, type LocalSpanStore } from './local-span-store.ts';
import type { StatsGrouping } from './stats-grouping.ts';

export type { StatsGrouping } from './stats-grouping.ts';

/** Options of {@link computeStats}. */
export interface StatsOptions {
  /** Only traces whose root started at or after this instant; all when left out. */
  since?: Date | string;
  by: StatsGrouping;
}

/** Latency percentiles of root spans, in milliseconds. */
export interface LatencyPercentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** The statistics of one group of traces. */
export interface StatsGroup {
  /** The group's value as text (`prompt_version` too); null for traces without one. */
  key: string | null;
  /** Number of traces (root spans). */
  count: number;
  /** Share of roots with level DEFAULT (WARNING and ERROR count as not successful). */
  successRate: number;
  /** Nearest-rank percentiles of the roots' `durationMs`. */
  latencyMs: LatencyPercentiles;
  /** Mean over traces of the trace's summed input tokens (a trace without any counts as 0). */
  meanInputTokens: number;
  /** Mean over traces of the trace's summed output tokens (a trace without any counts as 0). */
  meanOutputTokens: number;
  /** Sum of `costUsd` over all spans of the group's traces. */
  totalCostUsd: number;
  /** `totalCostUsd / count`. */
  meanCostUsd: number;
  /**
   * Count of failed traces by root `attributes.errorType`: roots with level ERROR or an `errorType`;
   * an ERROR root without `errorType` counts as `unknown`.
   */
  errorTypes: Record<string, number>;
  /** Share of roots with `attributes.escalated` true. */
  escalationRate: number;
  /** Share of roots with `attributes.cacheStatus` `sql` or `rows`. */
  cacheHitRate: number;
  /** Mean of every feedback score given to the group's traces (each entry counts once); null with none. */
  meanFeedbackScore: number | null;
}

/**
 * The column a grouping reads. `prompt_version`, `model` and `datasource` take the root's value, else
 * that of the latest-starting span of the trace that has one (for `model`: the model that answered
 * last, after any escalation); `label` and `user` are the root's.
 */
const groupColumns: Record<StatsGrouping, string> = {
  label: 'label',
  prompt_version: 'prompt_version',
  model: 'model',
  user: 'user_id',
  datasource: 'datasource',
};

const latestInTrace = (column: string) =>
  sql.raw(
    `COALESCE(r.${column}, (SELECT s.${column} FROM spans s WHERE s.trace_id = r.trace_id AND s.${column} IS NOT NULL ORDER BY s.start_time DESC LIMIT 1))`,
  );

/**
 * Per-group statistics over the traces in the store, largest group first (then by key).
 *
 * Percentiles use the NEAREST-RANK method: with the group's n root durations sorted ascending, the
 * p-th percentile is the value at 1-based rank ⌈p·n⌉. That is Postgres's
 * `percentile_disc(p) WITHIN GROUP (ORDER BY duration_ms)` (the first value whose cumulative share
 * reaches p), so it is computed in SQL, identically on Postgres and PGlite, and is always an observed
 * duration (no interpolation).
 */
export async function computeStats(store: LocalSpanStore, options: StatsOptions): Promise<StatsGroup[]> {
  const column = groupColumns[options.by];
  if (column === undefined) throw new InvalidInputError(`Cannot group stats by "${String(options.by)}".`, { field: 'by' });
  const since: RawBuilder<unknown> =
    options.since === undefined ? sql`TRUE` : sql`r.start_time >= ${toIso(options.since, 'since')}::timestamptz`;
  const keyExpression = column === 'label' || column === 'user_id' ? sql.raw(`r.${column}`) : latestInTrace(column);
  const roots = sql`
    roots AS (
      SELECT r.trace_id, r.duration_ms, r.level, r.attributes, (${keyExpression})::text AS group_key
      FROM spans r WHERE r.kind = 'trace' AND ${since}
    )`;

  const summary = await sql<Record<string, unknown>>`
    WITH ${roots},
    usage AS (
      SELECT s.trace_id, COALESCE(sum(s.input_tokens), 0) AS input_tokens, COALESCE(sum(s.output_tokens), 0) AS output_tokens,
        COALESCE(sum(s.cost_usd), 0) AS cost_usd
      FROM spans s WHERE s.trace_id IN (SELECT trace_id FROM roots) GROUP BY s.trace_id
    )
    SELECT g.group_key, count(*) AS trace_count,
      avg(CASE WHEN g.level = 'DEFAULT' THEN 1 ELSE 0 END) AS success_rate,
      percentile_disc(0.5) WITHIN GROUP (ORDER BY g.duration_ms) AS p50,
      percentile_disc(0.95) WITHIN GROUP (ORDER BY g.duration_ms) AS p95,
      percentile_disc(0.99) WITHIN GROUP (ORDER BY g.duration_ms) AS p99,
      avg(u.input_tokens) AS mean_input_tokens, avg(u.output_tokens) AS mean_output_tokens,
      sum(u.cost_usd) AS total_cost, avg(u.cost_usd) AS mean_cost,
      avg(CASE WHEN g.attributes->>'escalated' = 'true' THEN 1 ELSE 0 END) AS escalation_rate,
      avg(CASE WHEN g.attributes->>'cacheStatus' IN ('sql', 'rows') THEN 1 ELSE 0 END) AS cache_hit_rate,
      (SELECT avg(f.score) FROM feedback f JOIN roots g2 ON g2.trace_id = f.trace_id WHERE g2.group_key IS NOT DISTINCT FROM g.group_key) AS mean_feedback
    FROM roots g JOIN usage u ON u.trace_id = g.trace_id
    GROUP BY g.group_key
    ORDER BY count(*) DESC, g.group_key NULLS LAST`.execute(store.db);

  const errors = await sql<Record<string, unknown>>`
    WITH ${roots}
    SELECT group_key, COALESCE(attributes->>'errorType', 'unknown') AS error_type, count(*) AS error_count
    FROM roots WHERE level = 'ERROR' OR attributes->>'errorType' IS NOT NULL
    GROUP BY 1, 2`.execute(store.db);
  const errorTypes = new Map<string | null, Record<string, number>>();
  for (const row of errors.rows) {
    const key = (row.group_key as string | null) ?? null;
    const counts = errorTypes.get(key) ?? {};
    counts[String(row.error_type)] = Number(row.error_count);
    errorTypes.set(key, counts);
  }

  return summary.rows.map((row) => {
    const key = (row.group_key as string | null) ?? null;
    return {
      key,
      count: Number(row.trace_count),
      successRate: Number(row.success_rate),
      latencyMs: { p50: Number(row.p50), p95: Number(row.p95), p99: Number(row.p99) },
      meanInputTokens: Number(row.mean_input_tokens),
      meanOutputTokens: Number(row.mean_output_tokens),
      totalCostUsd: Number(row.total_cost),
      meanCostUsd: Number(row.mean_cost),
      errorTypes: errorTypes.get(key) ?? {},
      escalationRate: Number(row.escalation_rate),
      cacheHitRate: Number(row.cache_hit_rate),
      meanFeedbackScore: row.mean_feedback === null || row.mean_feedback === undefined ? null : Number(row.mean_feedback),
    };
  });
}
