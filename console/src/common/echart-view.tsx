import { useEffect, useRef } from 'preact/hooks';
import { echarts, type EChartsOption } from './echarts.ts';

/** One ECharts chart in a div; `kind` is written on the div (`data-chart`) for people and tests alike. */
export function EChartView({ option, kind, height = 320 }: { option: EChartsOption; kind: string; height?: number }) {
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const chart = echarts.init(element.current, undefined, { renderer: 'canvas' });
    chart.setOption(option);
    const resize = () => chart.resize();
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      chart.dispose();
    };
  }, [option]);
  return <div class="chart" data-chart={kind} ref={element} style={{ height: `${height}px` }} />;
}
