import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import type { App } from '../app.ts';
import type { StatsGroup, StatsGrouping } from '../tracing/local-store/index.ts';
import { parseStatsGrouping, statsGroupings } from '../tracing/local-store/stats-grouping.ts';
import { parseSince } from '../tracing/local-store/parse-since.ts';
import { renderTable } from './render-table.ts';
import { requireTraceStore } from './require-trace-store.ts';

const defaultSince = '24h';

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
const dollars = (amount: number) => `$${amount.toFixed(4)}`;
const wholeNumber = (value: number) => Math.round(value).toLocaleString('en-US');

/** `sql_error:2, model_unavailable:1`: most frequent first, then by name. */
function formatErrorTypes(errorTypes: Record<string, number>): string {
  return Object.entries(errorTypes)
    .sort(([leftType, leftCount], [rightType, rightCount]) => rightCount - leftCount || leftType.localeCompare(rightType))
    .map(([type, count]) => `${type}:${count}`)
    .join(', ');
}

/** One row of the `stats` table. */
function groupRow(group: StatsGroup, grouping: StatsGrouping, formatDuration: (ms: number) => string): string[] {
  const key = group.key === null ? '(none)' : grouping === 'prompt_version' ? `v${group.key}` : group.key;
  return [
    key,
    String(group.count),
    percent(group.successRate),
    formatDuration(group.latencyMs.p50),
    formatDuration(group.latencyMs.p95),
    formatDuration(group.latencyMs.p99),
    `${wholeNumber(group.meanInputTokens)}→${wholeNumber(group.meanOutputTokens)}`,
    dollars(group.totalCostUsd),
    dollars(group.meanCostUsd),
    percent(group.escalationRate),
    percent(group.cacheHitRate),
    group.meanFeedbackScore === null ? '-' : group.meanFeedbackScore.toFixed(2),
    formatErrorTypes(group.errorTypes),
  ];
}

/** The `stats` command: per-group statistics over the traces in the local span store. */
export function registerStatsCommand(program: Command, context: CliContext): void {
  const { print, withApp } = context;
  program
    .command('stats')
    .description(
      'per-group statistics of recent traces: count, success, latency percentiles, tokens, cost, escalations, cache hits, feedback, errors',
    )
    .option(
      '--since <when>',
      'traces started since then: a duration back from now (30m, 24h, 7d) or an ISO date/time (UTC unless it has a zone)',
      defaultSince,
    )
    .option('--by <grouping>', `group by ${statsGroupings.join(' | ')}`, 'label')
    .option('--json', 'print { since, by, groups } as JSON (groups: the statistics, rates as shares from 0 to 1, latencies in ms)')
    .action(async (options: { since: string; by: string; json?: boolean }) => {
      // Bad options fail before the app database is opened.
      const since = parseSince(options.since, { name: '--since' });
      const by = parseStatsGrouping(options.by, '--by');
      await withApp(async (app) => {
        const store = await requireTraceStore(app);
        const { computeStats, formatDuration } = await import('../tracing/local-store/index.ts');
        const groups = await computeStats(store, { since, by });
        if (options.json) {
          print(JSON.stringify({ since: since.toISOString(), by, groups }, null, 2));
          return;
        }
        print(`Traces since ${since.toISOString()} (${options.since}) by ${by}; percentiles are nearest-rank.`);
        if (groups.length === 0) {
          print('No traces in that window.');
          return;
        }
        const headers = [
          by,
          'count',
          'success',
          'p50',
          'p95',
          'p99',
          'mean tokens in→out',
          'total cost',
          'mean cost',
          'escalated',
          'cache hits',
          'feedback',
          'errors',
        ];
        print(
          renderTable(
            headers,
            groups.map((group) => groupRow(group, by, formatDuration)),
            60,
          ),
        );
      });
    });
}
