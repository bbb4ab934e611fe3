/** A trace's span tree laid out as waterfall rows on one time axis (pure, so it is tested without a browser). */

export interface WaterfallSpan {
  spanId: string;
  name: string;
  kind: string;
  startTime: string;
  durationMs: number;
}

export interface WaterfallNode<S extends WaterfallSpan> {
  span: S;
  children: WaterfallNode<S>[];
}

export interface WaterfallRow<S extends WaterfallSpan> {
  span: S;
  depth: number;
  /** Where the bar starts and how wide it is, in percent of the trace's whole time. */
  offsetPercent: number;
  widthPercent: number;
  /** The colour group: generation, tool, cache, prompt, schema, tier, trace or other. */
  group: string;
}

/** The colour group of a span, by its kind and then its name (the tree in docs/architecture.md). */
export function groupOf(span: WaterfallSpan): string {
  if (span.kind === 'generation' || span.kind === 'tool' || span.kind === 'trace') return span.kind;
  if (span.name === 'cache' || span.name === 'prompt' || span.name === 'schema') return span.name;
  if (span.name.startsWith('tier:')) return 'tier';
  return 'other';
}

export function waterfallRows<S extends WaterfallSpan>(root: WaterfallNode<S>): { rows: WaterfallRow<S>[]; totalMs: number } {
  const flat: Array<{ span: S; depth: number }> = [];
  const visit = (node: WaterfallNode<S>, depth: number) => {
    flat.push({ span: node.span, depth });
    for (const child of node.children) visit(child, depth + 1);
  };
  visit(root, 0);
  const startOf = (span: S) => Date.parse(span.startTime);
  const start = Math.min(...flat.map(({ span }) => startOf(span)));
  const end = Math.max(...flat.map(({ span }) => startOf(span) + span.durationMs));
  const totalMs = Math.max(end - start, 0.001);
  const rows = flat.map(({ span, depth }) => {
    const offsetPercent = ((startOf(span) - start) / totalMs) * 100;
    return {
      span,
      depth,
      offsetPercent,
      // A span too short to see still gets a sliver.
      widthPercent: Math.max(Math.min((span.durationMs / totalMs) * 100, 100 - offsetPercent), 0.3),
      group: groupOf(span),
    };
  });
  return { rows, totalMs };
}
