import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { callApi, promptPath, queryString } from '../api/api-client.ts';
import type { Datasource, LabelMoved, PromptDetail, PromptDiff, PromptList, RenderedPrompt } from '../api/api-types.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { formatNumber, formatTime } from '../common/format.ts';
import { useApi } from '../common/use-api.ts';
import { routeLink } from '../common/use-route.ts';
import { sideBySide } from './side-by-side.ts';

/** Prompts: versions and labels, a side-by-side diff, the compiled prompt with its token count, and label moves (admin). */
export function PromptsPage({ name }: { name: string | null }) {
  const prompts = useApi<PromptList>('/v1/prompts');
  if (prompts.state === 'loading') return <p class="muted">Loading prompts…</p>;
  if (prompts.state === 'error') return <ErrorPanel error={prompts.error} title="Could not list the prompts" />;
  const list = prompts.value.prompts;
  const current = name ?? list[0]?.name ?? null;
  return (
    <section class="page prompts-page">
      <h1>Prompts</h1>
      <p class="muted">Store: {prompts.value.store}</p>
      <nav class="prompt-list">
        {list.map((prompt) => (
          <a key={prompt.name} href={routeLink(`prompts/${encodeURIComponent(prompt.name)}`)} class={prompt.name === current ? 'active' : ''}>
            {prompt.name} <span class="muted">({prompt.versions.length} versions)</span>
          </a>
        ))}
      </nav>
      {current ? <PromptView key={current} name={current} /> : <p class="muted">No prompts.</p>}
    </section>
  );
}

function PromptView({ name }: { name: string }) {
  const [reload, setReload] = useState(0);
  const detail = useApi<PromptDetail>(promptPath(name), reload);
  if (detail.state === 'loading') return <p class="muted">Loading {name}…</p>;
  if (detail.state === 'error') return <ErrorPanel error={detail.error} title={`Could not load ${name}`} />;
  const { labels, labelHistory, versions } = detail.value;
  const numbers = versions.map((version) => version.version).sort((left, right) => left - right);
  return (
    <div class="prompt-view">
      <h2>Labels</h2>
      <LabelTable name={name} labels={labels} history={labelHistory} versions={numbers} onMoved={() => setReload(reload + 1)} />
      <h2>Versions</h2>
      <table class="versions">
        <thead>
          <tr>
            <th>version</th>
            <th>labels</th>
            <th>created</th>
            <th>commit message</th>
          </tr>
        </thead>
        <tbody>
          {[...versions]
            .sort((left, right) => right.version - left.version)
            .map((version) => (
              <tr key={version.version}>
                <td>v{version.version}</td>
                <td>
                  {version.labels.map((label) => (
                    <span key={label} class="badge">
                      {label}
                    </span>
                  ))}
                </td>
                <td>{version.createdAt ? formatTime(version.createdAt) : '–'}</td>
                <td>{version.commitMessage ?? ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
      <DiffView name={name} versions={numbers} labels={labels} />
      <RenderView name={name} versions={numbers} />
    </div>
  );
}

type Pending = { label: string; action: 'move'; version: number } | { label: string; action: 'rollback' };

/** Each label with where it points; moving or rolling one back asks for a confirmation first (admin only). */
/** A label's moves on record, as `v2 → v4 (date)`, oldest first. */
function historyText(moves: PromptDetail['labelHistory'][string] | undefined): string {
  if (!moves || moves.length === 0) return 'no moves recorded';
  return moves.map((move) => `v${move.version}${move.at ? ` (${move.at.slice(0, 16).replace('T', ' ')})` : ''}`).join(' → ');
}

function LabelTable({
  name,
  labels,
  history,
  versions,
  onMoved,
}: {
  name: string;
  labels: Record<string, number>;
  history: PromptDetail['labelHistory'];
  versions: number[];
  onMoved: () => void;
}) {
  const [choice, setChoice] = useState<Record<string, number>>({});
  const [pending, setPending] = useState<Pending | null>(null);
  const [outcome, setOutcome] = useState<{ kind: 'done'; text: string } | { kind: 'failed'; error: ApiError } | null>(null);
  const confirm = async () => {
    if (!pending) return;
    const path = `${promptPath(name)}/labels/${encodeURIComponent(pending.label)}`;
    try {
      const moved =
        pending.action === 'move'
          ? await callApi<LabelMoved>(path, { method: 'PUT', body: { version: pending.version } })
          : await callApi<LabelMoved>(`${path}/rollback`, { method: 'POST' });
      setOutcome({ kind: 'done', text: `${moved.label} now points at v${moved.version}.` });
      onMoved();
    } catch (error) {
      setOutcome({ kind: 'failed', error: ApiError.from(error) });
    }
    setPending(null);
  };
  return (
    <div>
      <table class="labels">
        <thead>
          <tr>
            <th>label</th>
            <th>version</th>
            <th>history</th>
            <th>move to (admin)</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {Object.entries(labels)
            .sort(([left], [right]) => left.localeCompare(right))
            .map(([label, version]) => {
              const target = choice[label] ?? version;
              return (
                <tr key={label} data-testid={`label-row-${label}`}>
                  <td>
                    <strong>{label}</strong>
                  </td>
                  <td data-testid="label-version">v{version}</td>
                  <td class="muted" data-testid="label-history">
                    {historyText(history[label])}
                  </td>
                  <td>
                    <select
                      data-testid="label-target"
                      value={String(target)}
                      onChange={(event) => setChoice({ ...choice, [label]: Number((event.target as HTMLSelectElement).value) })}
                    >
                      {versions.map((candidate) => (
                        <option key={candidate} value={String(candidate)}>
                          v{candidate}
                          {Object.entries(labels)
                            .filter(([, pointed]) => pointed === candidate)
                            .map(([other]) => ` · ${other}`)
                            .join('')}
                        </option>
                      ))}
                    </select>{' '}
                    <button
                      type="button"
                      data-testid="label-move"
                      disabled={target === version}
                      onClick={() => setPending({ label, action: 'move', version: target })}
                    >
                      Promote
                    </button>
                  </td>
                  <td>
                    <button type="button" data-testid="label-rollback" onClick={() => setPending({ label, action: 'rollback' })}>
                      Roll back
                    </button>
                  </td>
                </tr>
              );
            })}
        </tbody>
      </table>
      {pending && (
        <div class="confirm" role="dialog" data-testid="confirm-box">
          <p>
            {pending.action === 'move'
              ? `Point ${pending.label} of ${name} at v${pending.version} (from v${labels[pending.label]})? It takes effect at once for every request on that label.`
              : `Move ${pending.label} of ${name} back to the version it pointed at before v${labels[pending.label]}? It takes effect at once.`}
          </p>
          <button type="button" class="primary" data-testid="confirm" onClick={() => void confirm()}>
            {pending.action === 'move' ? 'Promote' : 'Roll back'}
          </button>{' '}
          <button type="button" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      )}
      {outcome?.kind === 'done' && (
        <p class="success" data-testid="label-outcome">
          {outcome.text}
        </p>
      )}
      {outcome?.kind === 'failed' && <ErrorPanel error={outcome.error} title="The label did not move" />}
    </div>
  );
}

function DiffView({ name, versions, labels }: { name: string; versions: number[]; labels: Record<string, number> }) {
  // By default what a promotion would change: production against staging, else against the newest other version.
  const first = labels.production ?? versions[versions.length - 1] ?? 1;
  const second = labels.staging !== undefined && labels.staging !== first ? labels.staging : ([...versions].reverse().find((version) => version !== first) ?? first);
  const [a, setA] = useState(String(first));
  const [b, setB] = useState(String(second));
  const diff = useApi<PromptDiff>(`${promptPath(name)}/diff${queryString({ a, b })}`);
  const picker = (value: string, set: (value: string) => void, testId: string) => (
    <select value={value} data-testid={testId} onChange={(event) => set((event.target as HTMLSelectElement).value)}>
      {versions.map((version) => (
        <option key={version} value={String(version)}>
          v{version}
        </option>
      ))}
    </select>
  );
  return (
    <div class="diff-view">
      <h2>
        Compare {picker(a, setA, 'diff-a')} with {picker(b, setB, 'diff-b')}
      </h2>
      {diff.state === 'error' && <ErrorPanel error={diff.error} title="Could not compare" />}
      {diff.state === 'ready' && (
        <table class="diff" data-testid="diff">
          <thead>
            <tr>
              <th>v{diff.value.a.version}</th>
              <th>v{diff.value.b.version}</th>
            </tr>
          </thead>
          <tbody>
            {[...sideBySide(diff.value.config), { left: '', right: '', change: 'same' as const }, ...sideBySide(diff.value.template)].map((row, index) => (
              <tr key={index} class={`diff-${row.change}`}>
                <td class={row.change === 'removed' || row.change === 'changed' ? 'diff-removed-cell' : ''}>{row.left ?? ''}</td>
                <td class={row.change === 'added' || row.change === 'changed' ? 'diff-added-cell' : ''}>{row.right ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function RenderView({ name, versions }: { name: string; versions: number[] }) {
  const datasources = useApi<{ datasources: Datasource[] }>('/v1/datasources');
  const [datasource, setDatasource] = useState('');
  const [version, setVersion] = useState('');
  const list = datasources.state === 'ready' ? datasources.value.datasources : [];
  const chosen = datasource || list[0]?.id || '';
  const rendered = useApi<RenderedPrompt>(chosen ? `${promptPath(name)}/render${queryString({ datasource: chosen, version })}` : null);
  return (
    <div class="render-view">
      <h2>
        Compiled for{' '}
        <select value={chosen} data-testid="render-datasource" onChange={(event) => setDatasource((event.target as HTMLSelectElement).value)}>
          {list.map((entry) => (
            <option key={entry.id} value={entry.id}>
              {entry.id}
            </option>
          ))}
        </select>{' '}
        at{' '}
        <select value={version} data-testid="render-version" onChange={(event) => setVersion((event.target as HTMLSelectElement).value)}>
          <option value="">the routed label</option>
          {versions.map((candidate) => (
            <option key={candidate} value={String(candidate)}>
              v{candidate}
            </option>
          ))}
        </select>
      </h2>
      {datasources.state === 'error' && <ErrorPanel error={datasources.error} title="Could not list the datasources" />}
      {rendered.state === 'loading' && chosen && <p class="muted">Compiling…</p>}
      {rendered.state === 'error' && <ErrorPanel error={rendered.error} title="Could not compile the prompt" />}
      {rendered.state === 'ready' && (
        <>
          <p data-testid="render-tokens">
            v{rendered.value.version} ({rendered.value.routing.label}, {rendered.value.routing.reason}):{' '}
            <strong>{formatNumber(rendered.value.tokenCount)} tokens</strong>
          </p>
          <pre class="compiled-prompt">{rendered.value.text}</pre>
        </>
      )}
    </div>
  );
}
