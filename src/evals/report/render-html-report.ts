import { difficulties } from '../dataset/eval-case.ts';
import type { EvalItemResult, ItemOutcome } from '../run/eval-item.ts';
import type { Interval } from '../statistics/wilson-interval.ts';
import type { AccuracyCell, EvalReport, FlippedItem, LabelComparison, LabelSummary } from './eval-report.ts';
import { reportCharts, type ReportChart } from './report-charts.ts';

/**
 * Renders an eval report as one self-contained HTML page: the charts are inline SVG drawn here in Node,
 * the styles are inline, and the page loads nothing (its Content-Security-Policy forbids it), so a
 * reviewer without network access sees all of it. Every string from the report is escaped.
 *
 * Vega is loaded on the first call, not on import, so commands that never render stay quick to start.
 *
 * @example
 * await writeFile('report.html', await renderHtmlReport(report));
 */
export async function renderHtmlReport(report: EvalReport): Promise<string> {
  const charts = reportCharts(report);
  const svgs = await renderChartSvgs(charts);
  return page(report, charts, svgs).text;
}

async function renderChartSvgs(charts: ReportChart[]): Promise<string[]> {
  const [vega, vegaLite] = await Promise.all([import('vega'), import('vega-lite')]);
  const svgs: string[] = [];
  for (const chart of charts) {
    const view = new vega.View(vega.parse(vegaLite.compile(chart.spec).spec), { renderer: 'none' });
    try {
      svgs.push(await view.toSVG());
    } finally {
      view.finalize();
    }
  }
  return svgs;
}

/** Markup that is safe to insert as it is: built by `html`, or SVG that Vega escaped itself. */
class Markup {
  constructor(readonly text: string) {}
}

type Fragment = Markup | string | number | boolean | null | undefined | Fragment[];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character] as string);
}

function fragmentText(fragment: Fragment): string {
  if (fragment instanceof Markup) return fragment.text;
  if (Array.isArray(fragment)) return fragment.map(fragmentText).join('');
  if (fragment === null || fragment === undefined || fragment === false) return '';
  return escapeHtml(String(fragment));
}

/** A template tag that escapes every interpolated value unless it is already `Markup`. */
function html(strings: TemplateStringsArray, ...values: Fragment[]): Markup {
  return new Markup(strings.reduce((text, part, index) => text + part + (index < values.length ? fragmentText(values[index]) : ''), ''));
}

const dash = '—';
const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 });

function formatPercent(value: number | null, digits = 1): string {
  return value === null ? dash : `${(value * 100).toFixed(digits)}%`;
}

function formatInterval(interval: Interval): string {
  return `${(interval.low * 100).toFixed(1)}–${(interval.high * 100).toFixed(1)}%`;
}

function formatNumber(value: number | null): string {
  return value === null ? dash : numberFormat.format(value);
}

function formatLatency(milliseconds: number | null): string {
  if (milliseconds === null) return dash;
  if (milliseconds < 1000) return `${Math.round(milliseconds)} ms`;
  return `${(milliseconds / 1000).toFixed(milliseconds < 10_000 ? 2 : 1)} s`;
}

function formatUsd(value: number | null): string {
  if (value === null) return dash;
  if (value === 0) return '$0';
  return `$${value.toFixed(value >= 1 ? 2 : value >= 0.01 ? 4 : 6)}`;
}

function formatPValue(value: number): string {
  return value < 0.001 ? '< 0.001' : value.toFixed(3);
}

function formatDuration(milliseconds: number): string {
  const seconds = Math.round(milliseconds / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const outcomeOrder: ItemOutcome[] = ['correct', 'wrong', 'declined', 'error'];

function outcomeBadge(outcome: ItemOutcome): Markup {
  return html`<span class="badge outcome-${outcome}">${outcome}</span>`;
}

function accuracyText(cell: AccuracyCell): Markup {
  if (cell.items === 0) return html`<span class="muted">${dash}</span>`;
  return html`<strong>${formatPercent(cell.accuracy)}</strong> <span class="muted">${cell.correct}/${cell.items}</span>`;
}

function section(id: string, title: string, body: Fragment): Markup {
  return html`<section id="${id}"><h2>${title}</h2>${body}</section>`;
}

function table(headers: Fragment[], rows: Fragment[][], className = ''): Markup {
  return html`<div class="table-wrap"><table class="${className}"><thead><tr>${headers.map((header) => html`<th scope="col">${header}</th>`)}</tr></thead><tbody>${rows.map((row) => html`<tr>${row.map((value) => html`<td>${value}</td>`)}</tr>`)}</tbody></table></div>`;
}

function sqlBlock(sql: string | null): Markup {
  return sql === null ? html`<div class="muted">no SQL</div>` : html`<pre><code>${sql}</code></pre>`;
}

function traceText(traceId: string | null): Markup {
  return traceId === null ? html`<span class="muted">${dash}</span>` : html`<code class="trace">${traceId}</code>`;
}

function header(report: EvalReport): Markup {
  const parameters = report.parameters;
  const sameDay = report.createdAt.slice(0, 10) === report.finishedAt.slice(0, 10);
  const finished = sameDay ? formatDate(report.finishedAt).slice(11) : formatDate(report.finishedAt);
  const facts: Array<[string, Fragment]> = [
    ['Date', `${formatDate(report.createdAt).replace(' UTC', '')} → ${finished} (${formatDuration(report.durationMs)})`],
    ['Mode', report.mode === 'run' ? 'run: the agent answered' : 'score: predictions from a file were scored'],
    ['Target', html`<code>${parameters.target}</code>`],
    ['Datasets', report.datasets.map((dataset, index) => html`${index > 0 ? ', ' : ''}<strong>${dataset.name}</strong> <span class="muted">(${dataset.cases} cases, <code title="${`sha256 ${dataset.sha256} of ${dataset.file}`}">${dataset.sha256.slice(0, 12)}</code>)</span>`)],
    ['Labels', html`${parameters.labels.join(', ')} <span class="muted">· prompt <code>${parameters.prompt}</code></span>`],
    ['Settings', `engine ${parameters.engine ?? 'per datasource'} · repeat ${parameters.repeat} · concurrency ${parameters.concurrency} · item timeout ${formatLatency(parameters.itemTimeoutMs)}${parameters.limit === null ? '' : ` · limit ${parameters.limit}`}${parameters.tags.length > 0 ? ` · tags ${parameters.tags.join(', ')}` : ''}`],
    ['Status', report.complete ? html`<span class="badge badge-good">complete</span>` : html`<span class="badge badge-bad">interrupted</span> resume with <code>eval run --resume ${report.runId}</code>`],
  ];
  if (report.gate) facts.push(['Gate', gateBadge(report.gate)]);
  return html`<header class="page-header"><p class="eyebrow">Text-to-SQL eval report</p><h1>Run <code>${report.runId}</code></h1><dl class="facts">${facts.map(([name, value]) => html`<div><dt>${name}</dt><dd>${value}</dd></div>`)}</dl></header>`;
}

function gateBadge(gate: NonNullable<EvalReport['gate']>): Markup {
  return gate.passed
    ? html`<span class="badge badge-good">passed</span> every label reached ${formatPercent(gate.threshold)}`
    : html`<span class="badge badge-bad">failed</span> below ${formatPercent(gate.threshold)}: ${gate.failing.join(', ')}`;
}

function notesSection(report: EvalReport): Markup {
  if (report.notes.length === 0) return html``;
  return html`<section id="notes" class="notes" aria-label="Notes"><h2>Read this first</h2><ul>${report.notes.map((note) => html`<li>${note}</li>`)}</ul></section>`;
}

function outcomesText(summary: LabelSummary): Markup {
  return html`<span class="outcomes">${outcomeOrder.map((outcome) => html`<span class="badge outcome-${outcome}" title="${outcome}">${summary.outcomes[outcome] ?? 0} ${outcome}</span>`)}</span>`;
}

function summarySection(report: EvalReport): Markup {
  const rows = report.labels.map((summary) => [
    html`<strong>${summary.label}</strong>${summary.promptVersions.length > 0 ? html`<div class="muted small">v${summary.promptVersions.join(', v')}</div>` : ''}`,
    html`${accuracyText(summary.overall)}<div class="muted small">95% CI ${formatInterval(summary.overall.interval)}</div>`,
    formatLatency(summary.latencyMs.p50),
    formatLatency(summary.latencyMs.p95),
    `${formatNumber(summary.tokens.meanInput)} / ${formatNumber(summary.tokens.meanOutput)}`,
    html`${formatUsd(summary.cost.meanUsd)}${summary.cost.unpricedItems > 0 ? html`<div class="muted small">${summary.cost.unpricedItems} unpriced</div>` : ''}`,
    formatUsd(summary.cost.totalUsd),
    formatNumber(summary.meanSteps),
    formatPercent(summary.escalationRate),
    outcomesText(summary),
  ]);
  const headers = ['Label', 'Accuracy', 'p50 latency', 'p95 latency', 'Tokens in / out (mean)', 'Mean cost', 'Total cost', 'Mean steps', 'Escalated', 'Outcomes'];
  return section('summary', 'Summary per label', [table(headers, rows, 'summary numeric'), repeatsTable(report)]);
}

function repeatsTable(report: EvalReport): Markup {
  const repeated = report.labels.filter((summary) => summary.repeats !== null);
  if (repeated.length === 0) return html``;
  const rows = repeated.map((summary) => {
    const spread = summary.repeats as NonNullable<LabelSummary['repeats']>;
    return [
      html`<strong>${summary.label}</strong>`,
      spread.count,
      spread.accuracies.map((accuracy) => formatPercent(accuracy)).join(', '),
      `${formatPercent(spread.mean)} ± ${(spread.standardDeviation * 100).toFixed(1)}`,
      `${formatPercent(spread.min)}–${formatPercent(spread.max)}`,
      spread.inconsistentCases.length === 0 ? dash : spread.inconsistentCases.join(', '),
    ];
  });
  return html`<h3>Repeats</h3>${table(['Label', 'Repeats', 'Accuracy per repeat', 'Mean ± sd (points)', 'Range', 'Inconsistent cases'], rows)}`;
}

function chartsSection(charts: ReportChart[], svgs: string[]): Markup {
  return section('charts', 'Charts', html`<div class="charts">${charts.map((chart, index) => html`<figure class="chart" id="chart-${chart.id}" aria-label="${chart.title}">${new Markup(svgs[index])}</figure>`)}</div>`);
}

function flipSide(side: FlippedItem['first']): Markup {
  return html`<div class="side">${outcomeBadge(side.outcome)}${side.reason === null ? '' : html` <span class="reason">${side.reason}</span>`}${sqlBlock(side.sql)}<div class="small">trace ${traceText(side.traceId)}</div></div>`;
}

function flipsTable(comparison: LabelComparison, flips: FlippedItem[], title: string): Markup {
  if (flips.length === 0) return html`<h4>${title} (0)</h4><p class="muted">None.</p>`;
  const rows = flips.map((flip) => [html`<div class="case-id">${flip.dataset}/${flip.caseId}</div><div class="question">${flip.question}</div>`, flipSide(flip.first), flipSide(flip.second)]);
  return html`<h4>${title} (${flips.length})</h4>${table(['Case', comparison.first, comparison.second], rows, 'flips')}`;
}

function comparisonArticle(comparison: LabelComparison): Markup {
  const verdictClass = comparison.verdict === 'better' ? 'badge-good' : comparison.verdict === 'worse' ? 'badge-bad' : 'badge-neutral';
  const verdictText = comparison.verdict === 'not_distinguishable' ? 'not distinguishable' : `${comparison.second} is ${comparison.verdict}`;
  const difference = comparison.accuracyDifference * 100;
  const counts = table(
    ['Cases', 'Both correct', `Only ${comparison.first}`, `Only ${comparison.second}`, 'Both wrong', 'Accuracy difference', 'p-value (exact McNemar)', 'Identical SQL'],
    [[comparison.cases, comparison.bothCorrect, comparison.onlyFirst, comparison.onlySecond, comparison.bothWrong, `${difference >= 0 ? '+' : '−'}${Math.abs(difference).toFixed(1)} points`, formatPValue(comparison.pValue), comparison.identicalSql]],
    'numeric counts',
  );
  return html`<article class="comparison"><h3>${comparison.first} → ${comparison.second} <span class="badge ${verdictClass}">${verdictText}</span></h3><p class="sentence">${comparison.sentence}</p>${comparison.identicalVerdicts ? html`<p class="muted">Both labels gave the same verdict on every case.</p>` : ''}${counts}${flipsTable(comparison, comparison.improvements, `Improvements: ${comparison.second} right, ${comparison.first} not`)}${flipsTable(comparison, comparison.regressions, `Regressions: ${comparison.first} right, ${comparison.second} not`)}</article>`;
}

function comparisonsSection(report: EvalReport): Markup {
  if (report.comparisons.length === 0) return section('comparisons', 'Comparisons', html`<p class="muted">One label only: nothing to compare.</p>`);
  return section('comparisons', 'Comparisons', report.comparisons.map(comparisonArticle));
}

function breakdownTable(report: EvalReport, title: string, column: string, cells: (summary: LabelSummary) => Record<string, AccuracyCell>, order?: readonly string[]): Markup {
  const names = order ?? [...new Set(report.labels.flatMap((summary) => Object.keys(cells(summary))))].sort((a, b) => a.localeCompare(b));
  const empty: AccuracyCell = { items: 0, correct: 0, accuracy: null, interval: { low: 0, high: 1 } };
  const rows = names.map((name) => [html`<strong>${name}</strong>`, ...report.labels.map((summary) => {
    const cell = cells(summary)[name] ?? empty;
    return html`${accuracyText(cell)}${cell.items > 0 ? html`<div class="muted small">${formatInterval(cell.interval)}</div>` : ''}`;
  })]);
  if (rows.length === 0) return html`<h3>${title}</h3><p class="muted">None.</p>`;
  return html`<h3>${title}</h3>${table([column, ...report.labels.map((summary) => summary.label)], rows, 'numeric breakdown')}`;
}

function breakdownSection(report: EvalReport): Markup {
  return section('breakdown', 'Accuracy by tag, dataset and difficulty', [
    breakdownTable(report, 'By tag', 'Tag', (summary) => summary.byTag),
    breakdownTable(report, 'By dataset', 'Dataset', (summary) => summary.byDataset, report.datasets.map((dataset) => dataset.name)),
    breakdownTable(report, 'By difficulty', 'Difficulty', (summary) => summary.byDifficulty, difficulties),
  ]);
}

function reasonsSection(report: EvalReport): Markup {
  return section(
    'reasons',
    'Why items were not correct',
    html`<div class="reasons">${report.labels.map((summary) => html`<div><h3>${summary.label}</h3>${summary.reasons.length === 0 ? html`<p class="muted">Every item was correct.</p>` : table(['Outcome', 'Reason', 'Items'], summary.reasons.map((entry) => [outcomeBadge(entry.outcome), html`<span class="reason">${entry.reason}</span>`, entry.count]))}</div>`)}</div>`,
  );
}

function gateSection(report: EvalReport): Markup {
  if (!report.gate) return html``;
  return section('gate', 'Gate', html`<p>${gateBadge(report.gate)}</p>`);
}

function itemsSection(report: EvalReport): Markup {
  const caseRank = new Map(report.cases.map((reportCase, index) => [`${reportCase.dataset}/${reportCase.id}`, index]));
  const labelRank = new Map(report.labels.map((summary, index) => [summary.label, index]));
  const rank = (item: EvalItemResult) => [caseRank.get(`${item.dataset}/${item.caseId}`) ?? Number.MAX_SAFE_INTEGER, labelRank.get(item.label) ?? Number.MAX_SAFE_INTEGER, item.repeat];
  const items = [...report.items].sort((a, b) => {
    const [left, right] = [rank(a), rank(b)];
    return left[0] - right[0] || left[1] - right[1] || left[2] - right[2];
  });
  const rows = items.map((item) => [
    html`<span class="case-id">${item.dataset}/${item.caseId}</span>`,
    item.label,
    item.repeat,
    outcomeBadge(item.outcome),
    item.reason === null ? '' : html`<span class="reason">${item.reason}</span>`,
    sqlBlock(item.sql),
    formatLatency(item.latencyMs),
    `${formatNumber(item.inputTokens)} / ${formatNumber(item.outputTokens)}`,
    formatUsd(item.costUsd),
    traceText(item.traceId),
  ]);
  return section(
    'items',
    'Every item',
    html`<details><summary>Show all ${report.items.length} items</summary>${table(['Case', 'Label', 'Repeat', 'Outcome', 'Reason', 'SQL', 'Latency', 'Tokens in / out', 'Cost', 'Trace'], rows, 'items')}</details>`,
  );
}

const styles = `
:root { color-scheme: light; --text: #1f2328; --muted: #59636e; --line: #d1d9e0; --soft: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; background: #ffffff; color: var(--text); font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1280px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 26px; margin: 4px 0 16px; font-weight: 600; }
h1 code { font-size: 0.8em; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 1px solid var(--line); font-weight: 600; }
h3 { font-size: 16px; margin: 24px 0 8px; font-weight: 600; }
h4 { font-size: 14px; margin: 20px 0 8px; font-weight: 600; }
code, pre { font-family: ui-monospace, SFMono-Regular, "SF Mono", Menlo, Consolas, "Liberation Mono", monospace; font-size: 12.5px; }
pre { margin: 6px 0 0; padding: 8px 10px; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; white-space: pre-wrap; word-break: break-word; max-width: 560px; }
.eyebrow { margin: 0; color: var(--muted); text-transform: uppercase; letter-spacing: 0.06em; font-size: 12px; font-weight: 600; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 8px 24px; margin: 0; }
.facts div { display: flex; gap: 10px; }
.facts dt { flex: 0 0 72px; color: var(--muted); }
.facts dd { margin: 0; }
.notes { margin-top: 24px; padding: 14px 20px; background: #fff8c5; border: 1px solid #d4a72c; border-left-width: 6px; border-radius: 6px; }
.notes h2 { margin: 0 0 6px; border: 0; padding: 0; font-size: 16px; }
.notes ul { margin: 0; padding-left: 20px; font-size: 15px; }
.table-wrap { overflow-x: auto; margin: 8px 0 16px; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 7px 10px; text-align: left; vertical-align: top; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; font-size: 13px; white-space: nowrap; }
tbody tr:last-child td { border-bottom: 0; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
table.numeric td { white-space: nowrap; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; line-height: 18px; border: 1px solid transparent; white-space: nowrap; }
.outcomes { display: flex; flex-wrap: wrap; gap: 4px; }
.outcome-correct, .badge-good { background: #dafbe1; color: #116329; border-color: #aceebb; }
.outcome-wrong, .badge-bad { background: #ffebe9; color: #a40e26; border-color: #ffcecb; }
.outcome-declined { background: #fff8c5; color: #7d4e00; border-color: #eed888; }
.outcome-error { background: #eaeef2; color: #424a53; border-color: #d1d9e0; }
.badge-neutral { background: #ddf4ff; color: #0a3069; border-color: #b6e3ff; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 16px; align-items: start; }
.chart { margin: 0; padding: 8px; border: 1px solid var(--line); border-radius: 8px; background: #ffffff; overflow-x: auto; }
.chart svg { display: block; max-width: 100%; height: auto; }
.comparison { margin: 16px 0 32px; }
.comparison h3 { display: flex; align-items: center; gap: 10px; }
.sentence { font-size: 16px; margin: 8px 0 12px; padding: 10px 14px; background: var(--soft); border-left: 4px solid var(--accent); border-radius: 4px; }
.case-id { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; color: var(--muted); white-space: nowrap; }
.question { margin-top: 4px; max-width: 360px; }
.reason { color: var(--muted); }
.side { min-width: 280px; }
.trace { font-size: 11.5px; }
.reasons { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 0 24px; }
details > summary { cursor: pointer; font-weight: 600; color: var(--accent); padding: 6px 0; }
table.items th { white-space: normal; }
table.items td { font-size: 13px; padding: 6px 8px; }
table.items pre { margin-top: 0; min-width: 280px; max-width: 480px; }
table.items .reason { display: inline-block; min-width: 160px; max-width: 280px; }
table.items .trace { display: inline-block; width: 124px; word-break: break-all; }
footer { margin-top: 48px; color: var(--muted); font-size: 12px; }
@media print { details { display: block; } .chart { break-inside: avoid; } }
`;

/** The page forbids every fetch and script: what it shows is in the file, and nothing in it can run. */
const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

function page(report: EvalReport, charts: ReportChart[], svgs: string[]): Markup {
  const title = `Eval report ${report.runId}`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<style>${new Markup(styles)}</style>
</head>
<body>
<main>
${header(report)}
${notesSection(report)}
${summarySection(report)}
${chartsSection(charts, svgs)}
${comparisonsSection(report)}
${breakdownSection(report)}
${reasonsSection(report)}
${gateSection(report)}
${itemsSection(report)}
<footer>Report format ${report.format} · ${report.items.length} items · ${report.cases.length} cases · generated from the run's report.json</footer>
</main>
</body>
</html>
`;
}
