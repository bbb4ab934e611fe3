import type { TopLevelSpec } from 'vega-lite';
import { difficulties } from '../dataset/eval-case.ts';
import type { EvalReport, LabelSummary } from './eval-report.ts';

/**
 * The charts of an eval report as Vega-Lite specs. Each spec carries its data inline and has a fixed
 * width, so the same report always renders to the same SVG and nothing is fetched. Importing this file
 * loads no Vega code: the specs are plain objects, compiled by whoever renders them.
 */

/** The width of every chart's plot area, in pixels. */
export const chartWidth = 520;

/** A chart of the report: a stable id for the page, its title, and its spec. */
export interface ReportChart {
  /** A stable, URL-safe id, e.g. `accuracy`; the HTML report uses it as the figure's anchor. */
  id: 'accuracy' | 'accuracy-by-difficulty' | 'latency' | 'cost-accuracy';
  /** The title the chart draws at its top. */
  title: string;
  /** The Vega-Lite spec, its data inline. */
  spec: TopLevelSpec;
}

/** The titles the charts draw, so a page or a test can find them. */
export const chartTitles = {
  accuracy: 'Accuracy per label',
  accuracyByDifficulty: 'Accuracy by difficulty',
  latency: 'Latency per label',
  costAccuracy: 'Cost against accuracy',
} as const;

const fontStack = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

const chartConfig = {
  font: fontStack,
  background: '#ffffff',
  padding: 12,
  view: { stroke: null },
  title: { anchor: 'start', fontSize: 15, fontWeight: 600, subtitleFontSize: 12, subtitleColor: '#57606a', offset: 22 },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: 500, titleColor: '#24292f', labelColor: '#24292f', gridColor: '#eaeef2', domainColor: '#8c959f', tickColor: '#8c959f' },
  legend: { labelFontSize: 12, symbolType: 'square', orient: 'top', title: null },
} satisfies TopLevelSpec['config'];

/**
 * Vega measures text in Node by estimate (0.8 em a character, without a canvas), and a line wider than the
 * plot widens the whole SVG; so subtitles are broken into lines that the estimate fits into the plot.
 */
const subtitleLineLength = Math.floor(chartWidth / (0.8 * chartConfig.title.subtitleFontSize));

function subtitleLines(...sentences: string[]): string[] {
  const lines: string[] = [];
  for (const sentence of sentences) {
    let line = '';
    for (const word of sentence.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > subtitleLineLength) {
        lines.push(line);
        line = word;
      } else {
        line = line === '' ? word : `${line} ${word}`;
      }
    }
    if (line !== '') lines.push(line);
  }
  return lines;
}

const percentAxis = { format: '.0%', title: 'Accuracy', tickCount: 5 };

/** The labels in the order the run listed them: every chart uses it, so a label keeps its place and colour. */
function labelOrder(report: EvalReport): string[] {
  const listed = report.parameters.labels.filter((label) => report.labels.some((summary) => summary.label === label));
  const unlisted = report.labels.map((summary) => summary.label).filter((label) => !listed.includes(label));
  return [...listed, ...unlisted];
}

function labelColor(report: EvalReport, legend: boolean) {
  return {
    field: 'label',
    type: 'nominal' as const,
    sort: labelOrder(report),
    scale: { domain: labelOrder(report), scheme: 'tableau10' },
    legend: legend ? { title: null } : null,
  };
}

function measuredLabels(report: EvalReport): Array<LabelSummary & { overall: { accuracy: number } }> {
  return report.labels.filter((summary): summary is LabelSummary & { overall: { accuracy: number } } => summary.overall.accuracy !== null);
}

/** One bar per label at its overall accuracy, with a whisker over its 95% Wilson interval. */
export function accuracyChart(report: EvalReport): ReportChart {
  const values = measuredLabels(report).map((summary) => ({
    label: summary.label,
    accuracy: summary.overall.accuracy,
    low: summary.overall.interval.low,
    high: summary.overall.interval.high,
    correct: summary.overall.correct,
    items: summary.overall.items,
  }));
  const spec: TopLevelSpec = {
    title: { text: chartTitles.accuracy, subtitle: subtitleLines('Share of cases answered correctly.', 'The whisker is the 95% Wilson interval.') },
    width: chartWidth,
    height: 280,
    config: chartConfig,
    data: { values },
    encoding: { x: { field: 'label', type: 'nominal', sort: labelOrder(report), axis: { labelAngle: 0, labelLimit: 160, title: null } } },
    layer: [
      {
        mark: { type: 'bar', width: { band: 0.55 }, opacity: 0.85 },
        encoding: { y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: percentAxis }, color: labelColor(report, false) },
      },
      {
        mark: { type: 'errorbar', ticks: { size: 14 }, thickness: 1.5, color: '#24292f' },
        encoding: { y: { field: 'low', type: 'quantitative', title: 'Accuracy' }, y2: { field: 'high' } },
      },
      {
        mark: { type: 'text', dy: -8, baseline: 'bottom', fontSize: 12, fontWeight: 600, color: '#24292f' },
        encoding: { y: { field: 'high', type: 'quantitative' }, text: { field: 'accuracy', type: 'quantitative', format: '.1%' } },
      },
    ],
  };
  return { id: 'accuracy', title: chartTitles.accuracy, spec };
}

/** Accuracy per difficulty, a bar per label in each; a label or difficulty without items is left out. */
export function accuracyByDifficultyChart(report: EvalReport): ReportChart {
  const values = difficulties.flatMap((difficulty) =>
    report.labels
      .filter((summary) => summary.byDifficulty[difficulty].items > 0 && summary.byDifficulty[difficulty].accuracy !== null)
      .map((summary) => {
        const cell = summary.byDifficulty[difficulty];
        return { label: summary.label, difficulty, accuracy: cell.accuracy, low: cell.interval.low, high: cell.interval.high, correct: cell.correct, items: cell.items };
      }),
  );
  const present = difficulties.filter((difficulty) => values.some((value) => value.difficulty === difficulty));
  const caseCounts = present.map((difficulty) => `${difficulty} ${Math.max(...values.filter((value) => value.difficulty === difficulty).map((value) => value.items))}`);
  const spec: TopLevelSpec = {
    title: {
      text: chartTitles.accuracyByDifficulty,
      subtitle: subtitleLines(`Items per label: ${caseCounts.join(', ') || 'none'}.`, 'The whisker is the 95% Wilson interval.'),
    },
    width: chartWidth,
    height: 280,
    config: chartConfig,
    data: { values },
    encoding: {
      x: { field: 'difficulty', type: 'nominal', sort: present, scale: { paddingInner: 0.25 }, axis: { labelAngle: 0, title: null, labelFontSize: 12 } },
      xOffset: { field: 'label', type: 'nominal', sort: labelOrder(report), scale: { domain: labelOrder(report), paddingInner: 0.08 } },
    },
    layer: [
      {
        mark: { type: 'bar', opacity: 0.85 },
        encoding: { y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: percentAxis }, color: labelColor(report, true) },
      },
      {
        mark: { type: 'rule', strokeWidth: 1.5, color: '#24292f' },
        encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } },
      },
    ],
  };
  return { id: 'accuracy-by-difficulty', title: chartTitles.accuracyByDifficulty, spec };
}

/** Spreads wider than this factor between the fastest and the slowest item get a log scale. */
const logScaleSpread = 20;

/** Ticks at 1, 2 and 5 of each power of ten over the range: a log axis's default grid marks every integer. */
function logTicks(min: number, max: number): number[] {
  const ticks: number[] = [];
  for (let exponent = Math.floor(Math.log10(min)); exponent <= Math.ceil(Math.log10(max)); exponent += 1) {
    for (const step of [1, 2, 5]) ticks.push(Number((step * 10 ** exponent).toPrecision(1)));
  }
  const lowest = 10 ** Math.floor(Math.log10(min));
  const highest = 10 ** Math.ceil(Math.log10(max));
  return ticks.filter((tick) => tick >= lowest && tick <= highest);
}

/** Every item's latency as a tick on its label's row, with the label's median marked. */
export function latencyChart(report: EvalReport): ReportChart {
  const timed = report.items.filter((item) => item.latencyMs > 0);
  const seconds = timed.map((item) => item.latencyMs / 1000);
  const logScale = seconds.length > 0 && Math.max(...seconds) / Math.min(...seconds) >= logScaleSpread;
  const sentences = [`One tick per item; the dark tick is the median (p50)${logScale ? '; log scale' : ''}.`];
  const untimed = report.items.length - timed.length;
  if (timed.length === 0) sentences.push('No item recorded a latency (scored predictions take none).');
  else if (untimed > 0) sentences.push(`${untimed} item${untimed === 1 ? '' : 's'} without a latency left out.`);
  const medians = report.labels
    .filter((summary) => summary.latencyMs.p50 !== null && summary.latencyMs.p50 > 0)
    .map((summary) => ({ label: summary.label, seconds: (summary.latencyMs.p50 as number) / 1000 }));
  const x = {
    field: 'seconds',
    type: 'quantitative' as const,
    scale: logScale ? { type: 'log' as const, nice: true } : { zero: true },
    axis: { title: 'Latency (seconds)', format: '~g', grid: true, ...(logScale ? { values: logTicks(Math.min(...seconds), Math.max(...seconds)) } : {}) },
  };
  const y = { field: 'label', type: 'nominal' as const, sort: labelOrder(report), scale: { domain: labelOrder(report) }, axis: { title: null, labelLimit: 160, labelFontSize: 12 } };
  const spec: TopLevelSpec = {
    title: { text: chartTitles.latency, subtitle: subtitleLines(...sentences) },
    width: chartWidth,
    height: { step: 46 },
    config: chartConfig,
    layer: [
      {
        data: { values: timed.map((item, index) => ({ label: item.label, seconds: seconds[index] })) },
        mark: { type: 'tick', opacity: 0.55, thickness: 1.5, bandSize: 26 },
        encoding: { x, y, color: labelColor(report, false) },
      },
      {
        data: { values: medians },
        mark: { type: 'tick', color: '#1f2328', thickness: 3.5, bandSize: 36 },
        encoding: { x, y },
      },
    ],
  };
  return { id: 'latency', title: chartTitles.latency, spec };
}

/** One point per label: its mean cost per item against its accuracy. */
export function costAccuracyChart(report: EvalReport): ReportChart {
  const priced = measuredLabels(report).filter((summary) => summary.cost.meanUsd !== null);
  const values = priced.map((summary) => ({ label: summary.label, costUsd: summary.cost.meanUsd as number, accuracy: summary.overall.accuracy }));
  const unpriced = report.labels.filter((summary) => summary.cost.meanUsd === null).map((summary) => summary.label);
  const allZero = values.length > 0 && values.every((value) => value.costUsd === 0);
  const sentences = [allZero ? 'Costs are all zero: the models of this run cost nothing (the offline model has no price).' : 'One point per label; x is the mean cost of an item in US dollars.'];
  if (unpriced.length > 0) sentences.push(`Left out, no known price: ${unpriced.join(', ')}.`);
  const maxCost = Math.max(0, ...values.map((value) => value.costUsd));
  // Labels on the very same spot (all free, and equally accurate) share one caption instead of overprinting.
  const captions = new Map<string, { costUsd: number; accuracy: number; names: string }>();
  for (const value of values) {
    const key = `${value.costUsd}|${value.accuracy}`;
    const caption = captions.get(key);
    if (caption) caption.names = `${caption.names}, ${value.label}`;
    else captions.set(key, { costUsd: value.costUsd, accuracy: value.accuracy, names: value.label });
  }
  const spec: TopLevelSpec = {
    title: { text: chartTitles.costAccuracy, subtitle: subtitleLines(...sentences) },
    width: chartWidth,
    height: 280,
    config: chartConfig,
    data: { values },
    encoding: {
      // A zero-width domain has no scale; the headroom keeps the rightmost label's name inside the plot.
      x: {
        field: 'costUsd',
        type: 'quantitative',
        scale: { domain: [0, maxCost > 0 ? maxCost * 1.3 : 1] },
        axis: { title: 'Mean cost per item (USD)', format: '$.2~r', tickCount: 6, ...(maxCost > 0 ? {} : { values: [0] }) },
      },
      y: { field: 'accuracy', type: 'quantitative', scale: { domain: [0, 1] }, axis: percentAxis },
    },
    layer: [
      { mark: { type: 'point', filled: true, size: 140, opacity: 0.95 }, encoding: { color: labelColor(report, false) } },
      {
        data: { values: [...captions.values()] },
        mark: { type: 'text', align: 'left', dx: 10, fontSize: 12, color: '#24292f' },
        encoding: { text: { field: 'names', type: 'nominal' } },
      },
    ],
  };
  return { id: 'cost-accuracy', title: chartTitles.costAccuracy, spec };
}

/** The report's four charts, in the order the page shows them. */
export function reportCharts(report: EvalReport): ReportChart[] {
  return [accuracyChart(report), accuracyByDifficultyChart(report), latencyChart(report), costAccuracyChart(report)];
}
