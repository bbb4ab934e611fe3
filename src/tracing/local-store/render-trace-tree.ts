import type { SpanRecord } from './span-record.ts';
import type { SpanNode, TraceTree } from './span-tree.ts';

/** Gap between the widest label and the duration column, and between later columns. */
const columnGap = '   ';
const partGap = '  ';

/**
 * A duration for people: whole milliseconds below one second (`3ms`), else seconds with one decimal
 * (`2.3s`). A value that rounds to 1000 ms is shown as `1.0s`.
 */
export function formatDuration(durationMs: number): string {
  const milliseconds = Math.round(durationMs);
  return milliseconds < 1000 ? `${milliseconds}ms` : `${(durationMs / 1000).toFixed(1)}s`;
}

/** A cost in US dollars with three decimals: `$0.055`. */
export function formatCost(costUsd: number): string {
  return `$${costUsd.toFixed(3)}`;
}

/** Token usage as `1,234→210 tok`; a missing side reads as 0. */
export function formatTokens(inputTokens: number | null, outputTokens: number | null): string {
  const format = (value: number | null) => (value ?? 0).toLocaleString('en-US');
  return `${format(inputTokens)}→${format(outputTokens)} tok`;
}

/**
 * The label a span shows in the tree:
 * - `prompt` spans: `prompt <promptName> v<promptVersion> (<label>)`, leaving out the parts that are null;
 * - names with a `prefix:rest` form: `prefix rest` (`tier:gpt-4o-mini` → `tier gpt-4o-mini`,
 *   `tool:execute_sql` → `tool execute_sql`);
 * - `generation` spans with a model and a plain name: `<name> <model>` (`generation gpt-4o-mini`);
 * - anything else: its name.
 */
export function spanDisplayName(span: SpanRecord): string {
  if (span.name === 'prompt') {
    return [
      'prompt',
      span.promptName,
      span.promptVersion === null ? null : `v${span.promptVersion}`,
      span.label === null ? null : `(${span.label})`,
    ]
      .filter((part) => part !== null)
      .join(' ');
  }
  const colon = span.name.indexOf(':');
  if (colon > 0) return `${span.name.slice(0, colon)} ${span.name.slice(colon + 1)}`;
  if (span.kind === 'generation' && span.model !== null) return `${span.name} ${span.model}`;
  return span.name;
}

/** The cost of a span and everything under it; null when none of them carries a cost. */
export function subtreeCost(node: SpanNode): number | null {
  let total: number | null = node.span.costUsd;
  for (const child of node.children) {
    const childCost = subtreeCost(child);
    if (childCost !== null) total = (total ?? 0) + childCost;
  }
  return total;
}

/** The notes after the cost: own tokens, the escalation reason, an error or warning message. */
function notes(span: SpanRecord): string[] {
  const parts: string[] = [];
  if (span.inputTokens !== null || span.outputTokens !== null) parts.push(formatTokens(span.inputTokens, span.outputTokens));
  const reason = span.attributes.escalationReason;
  if (typeof reason === 'string' && reason !== '') parts.push(`escalated: ${reason}`);
  const message = span.statusMessage ?? (typeof span.attributes.errorType === 'string' ? span.attributes.errorType : null);
  if (span.level === 'ERROR') parts.push(`error: ${message ?? 'unknown'}`);
  else if (span.level === 'WARNING' && message !== null) parts.push(`warning: ${message}`);
  return parts;
}

/**
 * The text view of a trace:
 *
 * ```
 * Trace: query 7f3a…  5.9s  $0.055
 * ├─ prompt agent/db_agent v3 (production)   3ms
 * ├─ tier gpt-4o-mini                        2.3s  $0.020  escalated: sql_error
 * │  ├─ generation gpt-4o-mini               1.8s  $0.015  1,234→210 tok
 * │  └─ tool execute_sql                     0.5s  error: column "x" does not exist
 * └─ tier gpt-4o                             3.6s  $0.035
 * ```
 *
 * The header names the root span and the first four characters of the trace id. Each line below shows
 * the tree branch and the span's label ({@link spanDisplayName}), padded so durations start in one
 * column three spaces after the widest label; then come, two spaces apart: the duration
 * ({@link formatDuration}), the cost of the span's subtree (when any span in it has a cost), the span's
 * own tokens, `escalated: <attributes.escalationReason>`, and `error: <statusMessage>` for ERROR spans
 * (`warning: …` for WARNING spans with a message). The header carries the root's duration, the whole
 * trace's cost and the same notes for the root. Lines are joined with `\n` (no final newline).
 *
 * Note: a 500 ms span reads `500ms` by the duration rule, where the design sketch above shows `0.5s`.
 */
export function renderTraceTree(trace: TraceTree): string {
  const rows: { prefix: string; node: SpanNode }[] = [];
  const walk = (node: SpanNode, indent: string) => {
    node.children.forEach((child, index) => {
      const last = index === node.children.length - 1;
      rows.push({ prefix: `${indent}${last ? '└─ ' : '├─ '}`, node: child });
      walk(child, `${indent}${last ? '   ' : '│  '}`);
    });
  };
  walk(trace.root, '');

  const rootSpan = trace.root.span;
  const rootCost = subtreeCost(trace.root);
  const header = [
    `Trace: ${rootSpan.name} ${trace.traceId.slice(0, 4)}…`,
    formatDuration(rootSpan.durationMs),
    ...(rootCost === null ? [] : [formatCost(rootCost)]),
    ...notes(rootSpan),
  ].join(partGap);

  const labels = rows.map((row) => `${row.prefix}${spanDisplayName(row.node.span)}`);
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  const lines = rows.map((row, index) => {
    const cost = subtreeCost(row.node);
    const parts = [formatDuration(row.node.span.durationMs), ...(cost === null ? [] : [formatCost(cost)]), ...notes(row.node.span)];
    return `${labels[index].padEnd(labelWidth)}${columnGap}${parts.join(partGap)}`;
  });
  return [header, ...lines].join('\n');
}
