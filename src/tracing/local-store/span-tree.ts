import type { SpanRecord } from './span-record.ts';

/** A span with its children, ordered by start time (ties by span id). */
export interface SpanNode {
  span: SpanRecord;
  children: SpanNode[];
}

/** One trace as a tree, plus its spans as a flat list (ordered by start time). */
export interface TraceTree {
  traceId: string;
  root: SpanNode;
  spans: SpanRecord[];
}

/** An ISO 8601 instant in microseconds since the epoch (Date.parse stops at milliseconds). */
function microsecondsOf(iso: string): number {
  const fraction = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';
  const beyondMilliseconds = Number(fraction.slice(3, 6).padEnd(3, '0'));
  return Date.parse(iso) * 1000 + beyondMilliseconds;
}

const byStart = (left: SpanRecord, right: SpanRecord) =>
  microsecondsOf(left.startTime) - microsecondsOf(right.startTime) ||
  (left.spanId < right.spanId ? -1 : left.spanId > right.spanId ? 1 : 0);

/**
 * Builds the tree of one trace's spans, or null when there are none.
 *
 * The root is the `trace` span; without one, the earliest span with no parent (or, failing that, the
 * earliest span). A span whose parent is not in the list (it was dropped, or has not arrived yet) hangs
 * under the root, so no span is lost from the view.
 */
export function buildSpanTree(spans: readonly SpanRecord[]): TraceTree | null {
  if (spans.length === 0) return null;
  const ordered = [...spans].sort(byStart);
  const rootSpan = ordered.find((span) => span.kind === 'trace') ?? ordered.find((span) => span.parentSpanId === null) ?? ordered[0];
  const nodes = new Map<string, SpanNode>(ordered.map((span) => [span.spanId, { span, children: [] }]));
  const root = nodes.get(rootSpan.spanId)!;
  for (const span of ordered) {
    if (span === rootSpan) continue;
    const parent = (span.parentSpanId !== null && span.parentSpanId !== span.spanId ? nodes.get(span.parentSpanId) : undefined) ?? root;
    parent.children.push(nodes.get(span.spanId)!);
  }
  return { traceId: rootSpan.traceId, root, spans: ordered };
}
