import { queryString } from '../api/api-client.ts';
import type { EvalFlip, EvalReport, EvalRunSummary } from '../api/api-types.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { formatPercent, formatTime } from '../common/format.ts';
import { useApi } from '../common/use-api.ts';
import { routeLink } from '../common/use-route.ts';

/** Evals: the list of runs, and one run's (by default the newest with a report) accuracy, verdicts and flipped questions. */
export function EvalsPage({ runId }: { runId: string | null }) {
  const runs = useApi<{ runs: EvalRunSummary[] }>('/v1/evals/runs');
  if (runs.state === 'loading') return <p class="muted">Loading eval runs…</p>;
  if (runs.state === 'error') return <ErrorPanel error={runs.error} title="Could not list the eval runs" />;
  const list = runs.value.runs;
  const chosen = runId ?? list.find((run) => run.hasReport && run.comparisons.length > 0)?.runId ?? list.find((run) => run.hasReport)?.runId ?? null;
  return (
    <section class="page evals-page">
      <h1>Evals</h1>
      {list.length === 0 && <p class="muted">No eval runs yet: run `sqlagent eval run`.</p>}
      {chosen && <EvalRunView key={chosen} runId={chosen} />}
      <h2>Runs</h2>
      <table data-testid="eval-runs">
        <thead>
          <tr>
            <th>run</th>
            <th>created</th>
            <th>datasets</th>
            <th>labels (accuracy)</th>
            <th>verdicts</th>
          </tr>
        </thead>
        <tbody>
          {list.map((run) => (
            <tr key={run.runId} class={run.runId === chosen ? 'selected' : ''}>
              <td>{run.hasReport ? <a href={routeLink(`evals/${encodeURIComponent(run.runId)}`)}>{run.runId}</a> : run.runId}</td>
              <td>
                {formatTime(run.createdAt)}
                {run.complete ? '' : ' (incomplete)'}
              </td>
              <td>{run.datasets.join(', ')}</td>
              <td>{run.labels.map((label) => `${label.label} ${formatPercent(label.accuracy)}`).join(', ')}</td>
              <td>{run.comparisons.map((comparison) => `${comparison.second} vs ${comparison.first}: ${comparison.verdict}`).join('; ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function EvalRunView({ runId }: { runId: string }) {
  const report = useApi<EvalReport>(`/v1/evals/runs/${encodeURIComponent(runId)}${queryString({ items: 'false' })}`);
  if (report.state === 'loading') return <p class="muted">Loading run {runId}…</p>;
  if (report.state === 'error') return <ErrorPanel error={report.error} title={`Could not load run ${runId}`} />;
  const run = report.value;
  return (
    <div class="eval-run" data-testid="eval-run">
      <h2>
        Run <code>{run.runId}</code> <span class="muted">{formatTime(run.createdAt)}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>label</th>
            <th>prompt versions</th>
            <th class="numeric">accuracy</th>
            <th>95% interval</th>
            <th class="numeric">correct / items</th>
          </tr>
        </thead>
        <tbody>
          {run.labels.map((label) => (
            <tr key={label.label}>
              <td>{label.label}</td>
              <td>{label.promptVersions.map((version) => `v${version}`).join(', ')}</td>
              <td class="numeric">{formatPercent(label.overall.accuracy)}</td>
              <td>
                <IntervalBar interval={label.overall.interval} accuracy={label.overall.accuracy} />
              </td>
              <td class="numeric">
                {label.overall.correct} / {label.overall.items}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {run.comparisons.map((comparison) => (
        <div key={`${comparison.first}-${comparison.second}`} class="comparison">
          <p class={`verdict verdict-${comparison.verdict}`} data-testid="verdict">
            <strong>{comparison.verdict.replace(/_/g, ' ')}</strong>: {comparison.sentence}
          </p>
          <Flips title={`Improved with ${comparison.second}`} flips={comparison.improvements ?? []} first={comparison.first} second={comparison.second} />
          <Flips title={`Regressed with ${comparison.second}`} flips={comparison.regressions ?? []} first={comparison.first} second={comparison.second} />
        </div>
      ))}
      {run.notes.length > 0 && (
        <ul class="notes">
          {run.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function IntervalBar({ interval, accuracy }: { interval?: { low: number; high: number }; accuracy: number | null }) {
  if (!interval || accuracy === null) return <span class="muted">–</span>;
  return (
    <span class="interval" title={`${formatPercent(interval.low)} to ${formatPercent(interval.high)}`}>
      <span class="interval-range" style={{ left: `${interval.low * 100}%`, width: `${(interval.high - interval.low) * 100}%` }} />
      <span class="interval-point" style={{ left: `${accuracy * 100}%` }} />
      <span class="interval-text">
        {formatPercent(interval.low)}–{formatPercent(interval.high)}
      </span>
    </span>
  );
}

function Flips({ title, flips, first, second }: { title: string; flips: EvalFlip[]; first: string; second: string }) {
  if (flips.length === 0) return null;
  const side = (label: string, value: EvalFlip['first']) => (
    <td>
      <div>
        <strong>{label}</strong>: {value.outcome}
        {value.traceId && (
          <>
            {' '}
            · <a href={routeLink(`traces/${value.traceId}`)}>trace</a>
          </>
        )}
      </div>
      {value.sql ? <pre class="sql small">{value.sql}</pre> : <p class="muted small">{value.reason ?? 'no SQL'}</p>}
    </td>
  );
  return (
    <details class="flips" open>
      <summary>
        {title} ({flips.length})
      </summary>
      <table data-testid="flips">
        <tbody>
          {flips.map((flip) => (
            <tr key={flip.caseId}>
              <td>
                <code>{flip.caseId}</code> {flip.question}
              </td>
              {side(first, flip.first)}
              {side(second, flip.second)}
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
