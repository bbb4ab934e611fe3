import { useState } from 'preact/hooks';
import { queryString } from '../api/api-client.ts';
import type { TraceSummary } from '../api/api-types.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { formatCost, formatMs, formatNumber, formatTime } from '../common/format.ts';
import { useApi } from '../common/use-api.ts';
import { routeLink } from '../common/use-route.ts';

/** Recent traces, newest first, filtered by user, label and since (kept in the address, so a view can be shared). */
export function TracesPage({ parameters }: { parameters: URLSearchParams }) {
  const filters = { user: parameters.get('user') ?? '', label: parameters.get('label') ?? '', since: parameters.get('since') ?? '24h' };
  const [draft, setDraft] = useState(filters);
  const [reload, setReload] = useState(0);
  const traces = useApi<{ traces: TraceSummary[] }>(`/v1/traces${queryString({ ...filters, limit: 100 })}`, reload);
  const apply = (event: Event) => {
    event.preventDefault();
    location.hash = routeLink('traces', draft);
  };
  const field = (name: keyof typeof draft, placeholder: string) => (
    <label class="field">
      <span>{name}</span>
      <input
        type="text"
        value={draft[name]}
        placeholder={placeholder}
        data-testid={`filter-${name}`}
        onInput={(event) => setDraft({ ...draft, [name]: (event.target as HTMLInputElement).value })}
      />
    </label>
  );
  const [traceId, setTraceId] = useState('');
  const open = (event: Event) => {
    event.preventDefault();
    if (traceId.trim()) location.hash = routeLink(`traces/${traceId.trim().toLowerCase()}`);
  };
  return (
    <section class="page traces-page">
      <h1>Recent traces</h1>
      <form class="filters" onSubmit={open}>
        <label class="field grow">
          <span>trace id</span>
          <input
            type="text"
            value={traceId}
            placeholder="32 hexadecimal characters, from an answer or an X-Trace-Id header"
            data-testid="trace-id"
            onInput={(event) => setTraceId((event.target as HTMLInputElement).value)}
          />
        </label>
        <button type="submit">Open</button>
      </form>
      <form class="filters" onSubmit={apply}>
        {field('user', 'any user')}
        {field('label', 'any label')}
        {field('since', '30m, 24h, 7d or an ISO date')}
        <button type="submit" data-testid="apply-filters">
          Filter
        </button>
        <button type="button" onClick={() => setReload(reload + 1)}>
          Reload
        </button>
      </form>
      {traces.state === 'loading' && <p class="muted">Loading…</p>}
      {traces.state === 'error' && <ErrorPanel error={traces.error} title="Could not list the traces" />}
      {traces.state === 'ready' &&
        (traces.value.traces.length === 0 ? (
          <p class="muted">No traces match.</p>
        ) : (
          <div class="table-scroll">
            <table class="traces" data-testid="trace-list">
              <thead>
                <tr>
                  <th>started</th>
                  <th>name</th>
                  <th>user</th>
                  <th>label</th>
                  <th>model</th>
                  <th class="numeric">duration</th>
                  <th class="numeric">tokens</th>
                  <th class="numeric">cost</th>
                  <th>status</th>
                </tr>
              </thead>
              <tbody>
                {traces.value.traces.map((trace) => (
                  <tr key={trace.traceId} data-testid="trace-row">
                    <td>
                      <a href={routeLink(`traces/${trace.traceId}`)}>{formatTime(trace.startTime)}</a>
                    </td>
                    <td>{trace.name}</td>
                    <td>{trace.userId ?? '–'}</td>
                    <td>
                      {trace.label ?? '–'}
                      {trace.promptVersion !== null ? ` v${trace.promptVersion}` : ''}
                    </td>
                    <td>{trace.model ?? '–'}</td>
                    <td class="numeric">{formatMs(trace.durationMs)}</td>
                    <td class="numeric">{formatNumber(trace.totalTokens)}</td>
                    <td class="numeric">{formatCost(trace.totalCostUsd)}</td>
                    <td>
                      {trace.failed ? (
                        <span class="status-failed">✗ failed</span>
                      ) : trace.hasError ? (
                        <span class="status-warning">~ recovered</span>
                      ) : (
                        '✓'
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}
