import { useMemo } from 'preact/hooks';
import type { ResultColumn } from '../api/api-types.ts';
import { EChartView } from '../common/echart-view.tsx';
import type { EChartsOption } from '../common/echarts.ts';
import { chooseChart, numberOf } from './chart-rules.ts';
import { formatNumber } from '../common/format.ts';

/** At most this many points are drawn (the table has them all). */
const maxPoints = 500;

/** The chart the result's shape calls for (see chart-rules.ts), or nothing. */
export function ResultChart({ columns, rows }: { columns: ResultColumn[]; rows: unknown[][] }) {
  const choice = useMemo(() => chooseChart(columns, rows), [columns, rows]);
  const option = useMemo((): EChartsOption | null => {
    if (choice.kind === 'none' || choice.kind === 'figure') return null;
    const points = rows.slice(0, maxPoints);
    const xName = columns[choice.x].name;
    const yName = columns[choice.y].name;
    const base = {
      animation: false,
      tooltip: { trigger: choice.kind === 'scatter' ? 'item' : 'axis' },
      grid: { left: 80, right: 24, top: 24, bottom: choice.kind === 'bar' ? 90 : 48 },
      yAxis: { type: 'value', name: yName, nameLocation: 'middle', nameGap: 60 },
    } as const;
    if (choice.kind === 'scatter')
      return {
        ...base,
        xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 28, scale: true },
        series: [{ type: 'scatter', name: yName, data: points.map((row) => [numberOf(row[choice.x]), numberOf(row[choice.y])]) }],
      };
    const ordered =
      choice.kind === 'line' ? [...points].sort((left, right) => String(left[choice.x]).localeCompare(String(right[choice.x]))) : points;
    return {
      ...base,
      xAxis: {
        type: 'category',
        name: xName,
        nameLocation: 'middle',
        nameGap: choice.kind === 'bar' ? 72 : 28,
        data: ordered.map((row) => String(row[choice.x] ?? '∅')),
        axisLabel: choice.kind === 'bar' ? { rotate: 30, interval: 0, width: 110, overflow: 'truncate' } : {},
      },
      series: [
        {
          type: choice.kind,
          name: yName,
          data: ordered.map((row) => numberOf(row[choice.y])),
          ...(choice.kind === 'bar'
            ? { itemStyle: { color: '#2f6db5' } }
            : { itemStyle: { color: '#b5502f' }, showSymbol: ordered.length <= 60 }),
        },
      ],
    };
  }, [choice, columns, rows]);

  if (choice.kind === 'figure')
    return (
      <div class="big-figure" data-chart="figure">
        <div class="big-figure-value">{formatNumber(choice.value)}</div>
        <div class="big-figure-label">{columns[choice.column].name}</div>
      </div>
    );
  if (!option)
    return (
      <p class="muted chart-none" data-chart="none">
        No chart for this result ({choice.kind === 'none' ? choice.reason : ''}).
      </p>
    );
  return <EChartView option={option} kind={choice.kind} />;
}
