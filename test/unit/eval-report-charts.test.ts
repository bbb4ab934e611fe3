import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src/evals/report/eval-report.ts';
import {
  accuracyByDifficultyChart,
  accuracyChart,
  chartTitles,
  chartWidth,
  costAccuracyChart,
  latencyChart,
  reportCharts,
} from '../../src/evals/report/report-charts.ts';
import { renderHtmlReport } from '../../src/evals/report/render-html-report.ts';
import { buildEvalReportSample } from '../support/eval-report-sample.ts';

type Logger = NonNullable<vega.ViewOptions['logger']>;
type Row = Record<string, unknown>;

/** A logger that keeps Vega's and Vega-Lite's warnings and errors, so a test can insist there are none. */
function recordingLogger(): { logger: Logger; messages: string[] } {
  const messages: string[] = [];
  let level = vega.Warn;
  const logger: Logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: readonly unknown[]) => (messages.push(`error: ${args.join(' ')}`), logger),
    warn: (...args: readonly unknown[]) => (messages.push(`warn: ${args.join(' ')}`), logger),
    info: () => logger,
    debug: () => logger,
  } as Logger;
  return { logger, messages };
}

async function renderSvg(spec: TopLevelSpec): Promise<{ svg: string; messages: string[] }> {
  const { logger, messages } = recordingLogger();
  const view = new vega.View(vega.parse(compile(spec, { logger }).spec), { renderer: 'none', logger });
  try {
    return { svg: await view.toSVG(), messages };
  } finally {
    view.finalize();
  }
}

/** The inline rows of a spec, or of one of its layers when a layer has its own data. */
function rows(spec: TopLevelSpec, layer?: number): Row[] {
  const source = (layer === undefined ? spec : (spec as { layer: TopLevelSpec[] }).layer[layer]) as { data?: { values?: Row[] } };
  if (!source.data?.values) throw new Error(`no inline data${layer === undefined ? '' : ` in layer ${layer}`}`);
  return source.data.values;
}

function subtitle(spec: TopLevelSpec): string {
  const title = spec.title as { subtitle?: string | string[] };
  return ([] as string[]).concat(title.subtitle ?? []).join(' ');
}

function withoutHard(report: EvalReport, labels: string[]): EvalReport {
  for (const summary of report.labels) {
    if (labels.includes(summary.label)) summary.byDifficulty.hard = { items: 0, correct: 0, accuracy: null, interval: { low: 0, high: 1 } };
  }
  return report;
}

describe('the eval report charts', () => {
  it('compile with Vega-Lite and render to SVG with their titles, without warnings', async () => {
    for (const variant of [
      buildEvalReportSample(),
      buildEvalReportSample({ zeroCost: true, labels: ['production', 'candidate', 'experimental'] }),
    ]) {
      const charts = reportCharts(variant);
      expect(charts.map((chart) => chart.id)).toEqual(['accuracy', 'accuracy-by-difficulty', 'latency', 'cost-accuracy']);
      for (const chart of charts) {
        const { svg, messages } = await renderSvg(chart.spec);
        expect(messages, chart.id).toEqual([]);
        expect(svg).toMatch(/^<svg [^>]*class="marks"/);
        expect(svg).toContain(`>${chart.title}</text>`);
        expect(svg).toMatch(/class="mark-(rect|symbol|rule|text) role-mark/);
        expect((chart.spec as { width?: unknown }).width).toBe(chartWidth);
        expect(JSON.stringify(chart.spec)).not.toMatch(/"url"\s*:/);
      }
    }
  });

  it('plot each label at its overall accuracy, with its Wilson interval', () => {
    const report = buildEvalReportSample({ labels: ['production', 'candidate', 'experimental'] });
    const plotted = rows(accuracyChart(report).spec);
    expect(plotted.map((row) => row.label)).toEqual(['production', 'candidate', 'experimental']);
    for (const summary of report.labels) {
      const row = plotted.find((entry) => entry.label === summary.label) as Row;
      expect(row.accuracy).toBe(summary.overall.accuracy);
      expect(row.low).toBe(summary.overall.interval.low);
      expect(row.high).toBe(summary.overall.interval.high);
      expect(row.low as number).toBeLessThanOrEqual(row.accuracy as number);
      expect(row.high as number).toBeGreaterThanOrEqual(row.accuracy as number);
    }
  });

  it('break accuracy down by difficulty per label, in the order simple, medium, hard', () => {
    const report = buildEvalReportSample();
    const plotted = rows(accuracyByDifficultyChart(report).spec);
    expect([...new Set(plotted.map((row) => row.difficulty))]).toEqual(['simple', 'medium', 'hard']);
    for (const summary of report.labels) {
      for (const difficulty of ['simple', 'medium', 'hard'] as const) {
        const row = plotted.find((entry) => entry.label === summary.label && entry.difficulty === difficulty) as Row;
        expect(row.accuracy).toBe(summary.byDifficulty[difficulty].accuracy);
        expect([row.low, row.high]).toEqual([
          summary.byDifficulty[difficulty].interval.low,
          summary.byDifficulty[difficulty].interval.high,
        ]);
      }
    }
  });

  it('skip a difficulty group without items, for one label or for all', async () => {
    const oneLabel = rows(accuracyByDifficultyChart(withoutHard(buildEvalReportSample(), ['candidate'])).spec);
    expect(oneLabel.filter((row) => row.difficulty === 'hard').map((row) => row.label)).toEqual(['production']);

    const chart = accuracyByDifficultyChart(withoutHard(buildEvalReportSample(), ['production', 'candidate']));
    expect(rows(chart.spec).some((row) => row.difficulty === 'hard')).toBe(false);
    expect((chart.spec as { encoding: { x: { sort: string[] } } }).encoding.x.sort).toEqual(['simple', 'medium']);
    const { svg, messages } = await renderSvg(chart.spec);
    expect(messages).toEqual([]);
    expect(svg).not.toContain('>hard</text>');
    expect(svg).toContain('>medium</text>');
  });

  it('show every timed item on its label row, and the label medians', () => {
    const report = buildEvalReportSample();
    const chart = latencyChart(report);
    const ticks = rows(chart.spec, 0);
    expect(ticks).toHaveLength(report.items.length);
    expect(ticks.map((row) => row.seconds).sort()).toEqual(report.items.map((item) => item.latencyMs / 1000).sort());
    expect(rows(chart.spec, 1)).toEqual(
      report.labels.map((summary) => ({ label: summary.label, seconds: (summary.latencyMs.p50 as number) / 1000 })),
    );
    // The sample spans 0.4 s to the 60 s timeouts: a log scale.
    expect(subtitle(chart.spec)).toContain('log scale');
  });

  it('leave out items without a latency, and say so', () => {
    const report = buildEvalReportSample();
    report.items[0].latencyMs = 0;
    report.items[1].latencyMs = 0;
    const chart = latencyChart(report);
    expect(rows(chart.spec, 0)).toHaveLength(report.items.length - 2);
    expect(subtitle(chart.spec)).toContain('2 items without a latency left out');
  });

  it('place each label at its mean cost and accuracy', () => {
    const report = buildEvalReportSample();
    const chart = costAccuracyChart(report);
    expect(rows(chart.spec)).toEqual(
      report.labels.map((summary) => ({ label: summary.label, costUsd: summary.cost.meanUsd, accuracy: summary.overall.accuracy })),
    );
    expect(subtitle(chart.spec)).not.toContain('all zero');
  });

  it('still draw cost against accuracy when every cost is zero, and say the costs are all zero', async () => {
    const report = buildEvalReportSample({ zeroCost: true });
    const chart = costAccuracyChart(report);
    expect(chart.title).toBe(chartTitles.costAccuracy);
    expect(rows(chart.spec).map((row) => row.costUsd)).toEqual([0, 0]);
    expect(subtitle(chart.spec)).toMatch(/Costs are all zero/);
    const { svg, messages } = await renderSvg(chart.spec);
    expect(messages).toEqual([]);
    expect(svg.match(/<path [^>]*aria-roledescription="point"/g)).toHaveLength(2);
    expect(svg).toContain('Costs are all zero');
  });

  it('escape label names with markup in the SVG', async () => {
    const report = buildEvalReportSample({ labels: ['<script>alert(1)</script>', 'a & b "quoted"'] });
    for (const chart of reportCharts(report)) {
      const { svg } = await renderSvg(chart.spec);
      expect(svg).not.toContain('<script');
      expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(svg).toContain('a &amp; b');
      expect(svg).not.toMatch(/="[^"]*a &amp; b "/);
    }
  });
});

describe('renderHtmlReport', () => {
  it('renders the same report to the same page every time', async () => {
    const report = buildEvalReportSample();
    const first = await renderHtmlReport(report);
    expect(await renderHtmlReport(buildEvalReportSample())).toBe(first);
    expect(first.match(/<svg /g)).toHaveLength(4);
    expect(first).not.toMatch(/<script|<link|<img|@import|url\(/i);
  });
});
