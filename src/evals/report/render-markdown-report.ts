import type { AccuracyCell, EvalReport, FlippedItem, LabelSummary } from './eval-report.ts';

/** Flipped items listed per direction in the Markdown report (all of them are in `report.json`). */
const maxFlipsShown = 25;

/** The report as Markdown, for a pull request: summary table, the verdicts, flips, tags and reasons. */
export function renderMarkdownReport(report: EvalReport): string {
  const lines: string[] = [];
  const { parameters } = report;
  lines.push(`# Eval run \`${report.runId}\``, '');
  lines.push(
    `${report.createdAt} · ${report.mode === 'score' ? 'scored predictions' : 'agent run'} · target: ${parameters.target} · engine: ${parameters.engine ?? 'configured datasources'} · ` +
      `datasets: ${report.datasets.map((dataset) => `${dataset.name} (${dataset.cases} cases)`).join(', ')} · repeat ${parameters.repeat} · ${formatDuration(report.durationMs)}` +
      (report.complete ? '' : ' · **incomplete**'),
    '',
  );
  for (const note of report.notes) lines.push(`> **Note.** ${escapeInline(note)}`, '>');
  if (report.notes.length) lines.splice(lines.length - 1, 1, '');

  lines.push('## Accuracy', '');
  lines.push(table(
    ['label', 'prompt', 'accuracy (95% CI)', 'simple', 'medium', 'hard', 'p50 latency', 'p95 latency', 'tokens in / out', 'cost mean / total', 'steps', 'escalated', 'correct / wrong / declined / error'],
    report.labels.map((label) => [
      `\`${label.label}\``,
      label.promptVersions.map((version) => `v${version}`).join(', ') || '—',
      accuracyWithInterval(label.overall),
      shortAccuracy(label.byDifficulty.simple),
      shortAccuracy(label.byDifficulty.medium),
      shortAccuracy(label.byDifficulty.hard),
      milliseconds(label.latencyMs.p50),
      milliseconds(label.latencyMs.p95),
      `${round(label.tokens.meanInput)} / ${round(label.tokens.meanOutput)}`,
      `${usd(label.cost.meanUsd)} / ${usd(label.cost.totalUsd)}${label.cost.unpricedItems ? ` (${label.cost.unpricedItems} unpriced)` : ''}`,
      label.meanSteps === null ? '—' : label.meanSteps.toFixed(1),
      label.escalationRate === null ? '—' : `${(label.escalationRate * 100).toFixed(0)}%`,
      `${label.outcomes.correct} / ${label.outcomes.wrong} / ${label.outcomes.declined} / ${label.outcomes.error}`,
    ]),
  ));
  const spreads = report.labels.filter((label) => label.repeats);
  if (spreads.length) {
    lines.push('', `Repeats: ${spreads.map((label) => `\`${label.label}\` ${label.repeats!.accuracies.map(percent).join(', ')} (mean ${percent(label.repeats!.mean)}, sd ${(label.repeats!.standardDeviation * 100).toFixed(1)} points; ${label.repeats!.inconsistentCases.length} inconsistent cases)`).join('; ')}. A case counts as correct when most of its repeats were.`);
  }
  if (report.gate) lines.push('', `Gate: accuracy ≥ ${percent(report.gate.threshold)} — **${report.gate.passed ? 'passed' : `failed (${report.gate.failing.join(', ')})`}**.`);

  if (report.comparisons.length) {
    lines.push('', '## Label comparisons', '');
    for (const comparison of report.comparisons) {
      lines.push(`**\`${comparison.second}\` vs \`${comparison.first}\`.** ${escapeInline(comparison.sentence)}`, '');
      lines.push(table(['', `${comparison.second} correct`, `${comparison.second} wrong`], [
        [`**${comparison.first} correct**`, String(comparison.bothCorrect), String(comparison.onlyFirst)],
        [`**${comparison.first} wrong**`, String(comparison.onlySecond), String(comparison.bothWrong)],
      ]), '');
      lines.push(...flips(`Improvements (${comparison.second} right, ${comparison.first} wrong)`, comparison.improvements, comparison.first, comparison.second));
      lines.push(...flips(`Regressions (${comparison.first} right, ${comparison.second} wrong)`, comparison.regressions, comparison.first, comparison.second));
    }
  }

  const tags = [...new Set(report.labels.flatMap((label) => Object.keys(label.byTag)))].sort();
  if (tags.length) {
    lines.push('', '## Accuracy by tag', '');
    lines.push(table(['tag', 'cases', ...report.labels.map((label) => `\`${label.label}\``)], tags.map((tag) => [tag, String(Math.max(...report.labels.map((label) => label.byTag[tag]?.items ?? 0))), ...report.labels.map((label) => shortAccuracy(label.byTag[tag]))])));
  }
  const datasets = [...new Set(report.labels.flatMap((label) => Object.keys(label.byDataset)))].sort();
  if (datasets.length > 1) {
    lines.push('', '## Accuracy by dataset', '');
    lines.push(table(['dataset', ...report.labels.map((label) => `\`${label.label}\``)], datasets.map((dataset) => [dataset, ...report.labels.map((label) => accuracyWithInterval(label.byDataset[dataset]))])));
  }
  const reasons = report.labels.flatMap((label) => label.reasons.map((reason) => [`\`${label.label}\``, reason.outcome, escapeCell(reason.reason), String(reason.count)]));
  if (reasons.length) {
    lines.push('', '## What went wrong', '');
    lines.push(table(['label', 'outcome', 'reason', 'items'], reasons));
  }
  lines.push('', `Every item, with both SQLs, verdicts, reasons, latency, tokens, cost and trace ids, is in \`report.json\`; charts are in \`report.html\`.`, '');
  return lines.join('\n');
}

function flips(title: string, list: FlippedItem[], first: string, second: string): string[] {
  if (list.length === 0) return [`*${title}: none.*`, ''];
  const shown = list.slice(0, maxFlipsShown);
  return [
    `<details><summary>${title}: ${list.length}</summary>`,
    '',
    table(['case', 'question', `${first} SQL`, `${second} SQL`, 'why the wrong one is wrong'], shown.map((flip) => {
      const wrong = flip.first.outcome === 'correct' ? flip.second : flip.first;
      return [`\`${flip.caseId}\``, escapeCell(flip.question), code(flip.first.sql), code(flip.second.sql), escapeCell(`${wrong.outcome}: ${wrong.reason ?? ''}${wrong.traceId ? ` (trace ${wrong.traceId})` : ''}`)];
    })),
    list.length > shown.length ? `\n…and ${list.length - shown.length} more in report.json.` : '',
    '</details>',
    '',
  ];
}

function table(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

function code(sql: string | null): string {
  if (sql === null) return '—';
  return `\`${sql.replace(/\s+/g, ' ').replace(/`/g, "'").replace(/\|/g, '\\|')}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function escapeInline(text: string): string {
  return text.replace(/</g, '&lt;');
}

export function percent(value: number | null): string {
  return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
}

function accuracyWithInterval(cellValue: AccuracyCell | undefined): string {
  if (!cellValue || cellValue.accuracy === null) return '—';
  return `${percent(cellValue.accuracy)} (${percent(cellValue.interval.low)}–${percent(cellValue.interval.high)}), ${cellValue.correct}/${cellValue.items}`;
}

function shortAccuracy(cellValue: AccuracyCell | undefined): string {
  if (!cellValue || cellValue.accuracy === null) return '—';
  return `${percent(cellValue.accuracy)} (${cellValue.correct}/${cellValue.items})`;
}

function milliseconds(value: number | null): string {
  return value === null ? '—' : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function round(value: number | null): string {
  return value === null ? '—' : Math.round(value).toLocaleString('en-US');
}

function usd(value: number | null): string {
  return value === null ? '—' : `$${value.toFixed(value !== 0 && value < 0.01 ? 5 : 2)}`;
}

function formatDuration(ms: number): string {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** The label summaries as rows for a terminal table (the CLI prints them with its table renderer). */
export function labelRows(labels: readonly LabelSummary[]): { header: string[]; rows: string[][] } {
  return {
    header: ['label', 'prompt', 'accuracy', '95% CI', 'simple', 'medium', 'hard', 'p50', 'p95', 'tokens in/out', 'cost', 'steps', 'esc.', 'declined', 'errors'],
    rows: labels.map((label) => [
      label.label,
      label.promptVersions.map((version) => `v${version}`).join(',') || '-',
      `${percent(label.overall.accuracy)} (${label.overall.correct}/${label.overall.items})`,
      `${percent(label.overall.interval.low)}–${percent(label.overall.interval.high)}`,
      percent(label.byDifficulty.simple.accuracy),
      percent(label.byDifficulty.medium.accuracy),
      percent(label.byDifficulty.hard.accuracy),
      milliseconds(label.latencyMs.p50),
      milliseconds(label.latencyMs.p95),
      `${round(label.tokens.meanInput)}/${round(label.tokens.meanOutput)}`,
      usd(label.cost.totalUsd),
      label.meanSteps === null ? '-' : label.meanSteps.toFixed(1),
      label.escalationRate === null ? '-' : `${(label.escalationRate * 100).toFixed(0)}%`,
      String(label.outcomes.declined),
      String(label.outcomes.error),
    ]),
  };
}
