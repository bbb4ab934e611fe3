import { useMemo } from 'preact/hooks';
import { queryString } from '../api/api-client.ts';
import type { Stats, StatsGrouping } from '../api/api-types.ts';
import { EChartView } from '../common/echart-view.tsx';
import type { EChartsOption } from '../common/echarts.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { formatCost, formatMs, formatNumber, formatPercent } from '../common/format.ts';
import { useApi } from '../common/use-api.ts';
import { routeLink } from '../common/use-route.ts';

const groupings: StatsGrouping[] = ['label', 'prompt_version', 'model', 'user', 'datasource'];
const windows = ['1h', '24h', '7d', '30d'];

/** Stats over a window, per label, prompt version, model, user or datasource: latency percentiles as a chart, everything as a table. */
export function StatsPage({ parameters }: { parameters: URLSearchParams }) {
  const since = parameters.get('since') ?? '24h';
  const by = (parameters.get('by') as StatsGrouping | null) ?? 'label';
  const stats = useApi<Stats>(`/v1/stats${queryString({ since, by })}`);
  const go = (next: { since?: string; by?: string }) => {
    location.hash = routeLink('stats', { since, by, ...next });
  };
  const groups = stats.state === 'ready' ? stats.value.groups : [];
  const option = useMemo(
    (): EChartsOption => ({
      animation: false,
      color: ['#2f6db5', '#e08a1e', '#a32121'],
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: groups.map((group) => group.key ?? '(none)') },
      yAxis: { type: 'value', name: 'latency (ms)', nameLocation: 'middle', nameGap: 52 },
      series: (['p50', 'p95', 'p99'] as const).map((percentile) => ({
        type: 'bar',
        name: percentile,
        data: groups.map((group) => Math.round(group.latencyMs[percentile])),
      })),
    }),
    [groups],
  );
  const rates = useMemo(
    (): EChartsOption => ({
      animation: false,
      color: ['#1d6b3a', '#e08a1e', '#7b4fc4'],
      tooltip: { trigger: 'axis', valueFormatter: (value: unknown) => `${String(value)}%` },
      legend: { top: 0 },
      grid: { left: 70, right: 20, top: 36, bottom: 40 },
      xAxis: { type: 'category', data: groups.map((group) => group.key ?? '(none)') },
      yAxis: { type: 'value', name: 'rate (%)', nameLocation: 'middle', nameGap: 52, max: 100 },
      series: (
        [
          ['success', 'successRate'],
          ['cache hits', 'cacheHitRate'],
          ['escalations', 'escalationRate'],
        ] as const
      ).map(([name, field]) => ({ type: 'bar', name, data: groups.map((group) => Math.round(group[field] * 1000) / 10) })),
    }),
    [groups],
  );
  return (
    <section class="page stats-page">
      <h1>Stats</h1>
      <div class="filters">
        <label class="field">
          <span>window</span>
          <select value={since} data-testid="stats-since" onChange={(event) => go({ since: (event.target as HTMLSelectElement).value })}>
            {(windows.includes(since) ? windows : [since, ...windows]).map((window) => (
              <option key={window} value={window}>
                last {window}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>per</span>
          <select value={by} data-testid="stats-by" onChange={(event) => go({ by: (event.target as HTMLSelectElement).value })}>
            {groupings.map((grouping) => (
              <option key={grouping} value={grouping}>
                {grouping.replace('_', ' ')}
              </option>
            ))}
          </select>
        </label>
      </div>
      {stats.state === 'loading' && <p class="muted">Loading…</p>}
      {stats.state === 'error' && <ErrorPanel error={stats.error} title="Could not load the stats" />}
      {stats.state === 'ready' && groups.length === 0 && <p class="muted">No requests in this window.</p>}
      {groups.length > 0 && (
        <>
          <div class="chart-pair">
            <EChartView option={option} kind="bar" height={280} />
            <EChartView option={rates} kind="bar" height={280} />
          </div>
          <div class="table-scroll">
            <table data-testid="stats-table">
              <thead>
                <tr>
                  <th>{by.replace('_', ' ')}</th>
                  <th class="numeric">requests</th>
                  <th class="numeric">success</th>
                  <th class="numeric">p50</th>
                  <th class="numeric">p95</th>
                  <th class="numeric">p99</th>
                  <th class="numeric">tokens in / out (mean)</th>
                  <th class="numeric">cost</th>
                  <th class="numeric">escalations</th>
                  <th class="numeric">cache hits</th>
                  <th class="numeric">feedback</th>
                </tr>
              </thead>
              <tbody>
                {groups.map((group) => (
                  <tr key={group.key ?? '(none)'}>
                    <td>{group.key ?? '(none)'}</td>
                    <td class="numeric">{formatNumber(group.count)}</td>
                    <td class="numeric">{formatPercent(group.successRate)}</td>
                    <td class="numeric">{formatMs(group.latencyMs.p50)}</td>
                    <td class="numeric">{formatMs(group.latencyMs.p95)}</td>
                    <td class="numeric">{formatMs(group.latencyMs.p99)}</td>
                    <td class="numeric">
                      {formatNumber(Math.round(group.meanInputTokens))} / {formatNumber(Math.round(group.meanOutputTokens))}
                    </td>
                    <td class="numeric">{formatCost(group.totalCostUsd)}</td>
                    <td class="numeric">{formatPercent(group.escalationRate)}</td>
                    <td class="numeric">{formatPercent(group.cacheHitRate)}</td>
                    <td class="numeric">{group.meanFeedbackScore === null ? '–' : group.meanFeedbackScore.toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
