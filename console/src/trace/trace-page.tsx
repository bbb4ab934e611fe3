import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { callApi } from '../api/api-client.ts';
import type { Span, TraceTree } from '../api/api-types.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { formatCost, formatMs, formatNumber, formatTime } from '../common/format.ts';
import { waterfallRows } from './waterfall-rows.ts';

type Loaded = { state: 'loading' } | { state: 'error'; error: ApiError } | { state: 'ready'; tree: TraceTree };

/** Spans reach the local store in batches: a trace asked for right after its answer may need a moment. */
const notYetRetries = 6;

/** One trace: the span tree as a waterfall on a shared time axis, a span's details on click, and its feedback. */
export function TracePage({ traceId }: { traceId: string }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    setLoaded({ state: 'loading' });
    setSelected(null);
    const load = async (attempt: number): Promise<void> => {
      try {
        const tree = await callApi<TraceTree>(`/v1/traces/${encodeURIComponent(traceId)}`);
        if (!cancelled) setLoaded({ state: 'ready', tree });
      } catch (error) {
        const failure = ApiError.from(error);
        if (failure.body.code === 'trace_not_found' && attempt < notYetRetries && !cancelled) {
          await new Promise((resolve) => setTimeout(resolve, 1000));
          return load(attempt + 1);
        }
        if (!cancelled) setLoaded({ state: 'error', error: failure });
      }
    };
    void load(0);
    return () => {
      cancelled = true;
    };
  }, [traceId]);

  if (loaded.state === 'loading') return <p class="muted">Loading trace {traceId}…</p>;
  if (loaded.state === 'error') return <ErrorPanel error={loaded.error} title="Could not load the trace" />;
  const { tree } = loaded;
  const root = tree.root.span;
  const { rows, totalMs } = waterfallRows(tree.root);
  const chosen = tree.spans.find((span) => span.spanId === selected) ?? null;
  const tokens = tree.spans
    .filter((span) => span.kind === 'generation')
    .reduce((sum, span) => sum + (span.inputTokens ?? 0) + (span.outputTokens ?? 0), 0);
  const cost = tree.spans.filter((span) => span.kind === 'generation').reduce((sum, span) => sum + (span.costUsd ?? 0), 0);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  return (
    <section class="page trace-page">
      <h1>
        Trace <code>{tree.traceId}</code>
      </h1>
      <p class="muted">
        {root.name} · {formatTime(root.startTime)} · {formatMs(root.durationMs)} · user {root.userId ?? '–'} · label {root.label ?? '–'}
        {root.promptVersion !== null ? ` v${root.promptVersion}` : ''} · {formatNumber(tokens)} tokens · {formatCost(cost)} ·{' '}
        {tree.spans.length} spans
      </p>
      {tree.feedback.length > 0 && (
        <div class="trace-feedback" data-testid="trace-feedback">
          <strong>Feedback:</strong>
          <ul>
            {tree.feedback.map((entry) => (
              <li key={entry.id}>
                {entry.score > 0 ? 'thumbs up' : entry.score < 0 ? 'thumbs down' : 'neutral'} ({entry.score})
                {entry.comment ? ` “${entry.comment}”` : ''} <span class="muted">({formatTime(entry.createdAt)})</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="waterfall-legend">
        {['trace', 'schema', 'prompt', 'cache', 'tier', 'generation', 'tool', 'other'].map((group) => (
          <span key={group} class={`legend legend-${group}`}>
            {group}
          </span>
        ))}
      </div>
      <div class="waterfall" data-testid="waterfall">
        <div class="waterfall-axis">
          <div class="waterfall-name" />
          <div class="waterfall-track">
            {ticks.map((tick) => (
              <span key={tick} class={tick === 1 ? 'tick tick-last' : 'tick'} style={{ left: `${tick * 100}%` }}>
                {formatMs(tick * totalMs)}
              </span>
            ))}
          </div>
        </div>
        {rows.map((row) => (
          <button
            type="button"
            key={row.span.spanId}
            class={`waterfall-row${row.span.spanId === selected ? ' selected' : ''}${row.span.level !== 'DEFAULT' ? ` level-${row.span.level.toLowerCase()}` : ''}`}
            data-testid="span-row"
            data-span-name={row.span.name}
            onClick={() => setSelected(row.span.spanId === selected ? null : row.span.spanId)}
          >
            <div class="waterfall-name" style={{ paddingLeft: `${row.depth * 14 + 4}px` }} title={row.span.name}>
              {row.span.level === 'ERROR' ? '✗ ' : row.span.level === 'WARNING' ? '⚠ ' : ''}
              {row.span.name}
            </div>
            <div class="waterfall-track">
              <div class={`bar group-${row.group}`} style={{ left: `${row.offsetPercent}%`, width: `${row.widthPercent}%` }} />
              <span class="bar-label" style={{ left: `${row.offsetPercent + row.widthPercent}%` }}>
                {formatMs(row.span.durationMs)}
                {row.span.inputTokens !== null ? ` · ${formatNumber((row.span.inputTokens ?? 0) + (row.span.outputTokens ?? 0))} tok` : ''}
                {row.span.costUsd ? ` · ${formatCost(row.span.costUsd)}` : ''}
              </span>
            </div>
          </button>
        ))}
      </div>
      {chosen ? <SpanDetails span={chosen} /> : <p class="muted">Click a span for its input, output, error and attributes.</p>}
    </section>
  );
}

const inputKey = 'langfuse.observation.input';
const outputKey = 'langfuse.observation.output';

/** A JSON string pretty-printed; anything else as text. */
function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return JSON.stringify(value, null, 2) ?? '';
}

function SpanDetails({ span }: { span: Span }) {
  const { [inputKey]: input, [outputKey]: output, ...attributes } = span.attributes;
  return (
    <div class="span-details" data-testid="span-details">
      <h2>
        {span.name} <span class="muted">({span.kind})</span>
      </h2>
      <p class="muted">
        {formatTime(span.startTime)} · {formatMs(span.durationMs)}
        {span.model ? ` · ${span.model}` : ''}
        {span.inputTokens !== null ? ` · ${span.inputTokens} in / ${span.outputTokens ?? 0} out tokens` : ''}
        {span.costUsd !== null ? ` · ${formatCost(span.costUsd)}` : ''}
      </p>
      {span.statusMessage && (
        <div class={span.level === 'ERROR' ? 'error-panel' : 'warning-panel'}>
          <strong>{span.level === 'ERROR' ? 'Error' : 'Warning'}:</strong> {span.statusMessage}
        </div>
      )}
      {input !== undefined && (
        <>
          <h3>Input</h3>
          <pre class="json">{pretty(input)}</pre>
        </>
      )}
      {output !== undefined && (
        <>
          <h3>Output</h3>
          <pre class="json">{pretty(output)}</pre>
        </>
      )}
      <h3>Attributes</h3>
      <table class="attributes">
        <tbody>
          {Object.entries(attributes)
            .sort(([left], [right]) => left.localeCompare(right))
            .map(([name, value]) => (
              <tr key={name}>
                <th>{name}</th>
                <td>
                  <pre>{pretty(value)}</pre>
                </td>
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}
