import { useState } from 'preact/hooks';
import { readApiKey, saveApiKey } from './api/api-key.ts';
import { AskPage } from './ask/ask-page.tsx';
import { useRoute } from './common/use-route.ts';
import { EvalsPage } from './evals/evals-page.tsx';
import { PromptsPage } from './prompts/prompts-page.tsx';
import { StatsPage } from './stats/stats-page.tsx';
import { TracePage } from './trace/trace-page.tsx';
import { TracesPage } from './trace/traces-page.tsx';

const pages = [
  { path: 'ask', title: 'Ask' },
  { path: 'traces', title: 'Traces' },
  { path: 'prompts', title: 'Prompts' },
  { path: 'stats', title: 'Stats' },
  { path: 'evals', title: 'Evals' },
] as const;

/** The console: a header with the pages and the API key, and the page the address names (`#/ask` by default). */
export function App() {
  const route = useRoute();
  const [page = 'ask', id = null] = route.segments;
  return (
    <>
      <header class="top">
        <a class="brand" href="#/ask">
          sqlagent
        </a>
        <nav>
          {pages.map((entry) => (
            <a key={entry.path} href={`#/${entry.path}`} class={page === entry.path ? 'active' : ''} data-testid={`nav-${entry.path}`}>
              {entry.title}
            </a>
          ))}
        </nav>
        <KeyControl />
      </header>
      <main>
        {page === 'ask' && <AskPage key={route.parameters.toString()} link={route.parameters} />}
        {page === 'traces' &&
          (id ? <TracePage traceId={id} /> : <TracesPage key={route.parameters.toString()} parameters={route.parameters} />)}
        {page === 'prompts' && <PromptsPage name={id} />}
        {page === 'stats' && <StatsPage parameters={route.parameters} />}
        {page === 'evals' && <EvalsPage runId={id} />}
        {!pages.some((entry) => entry.path === page) && (
          <p>
            No page “{page}”. <a href="#/ask">Ask a question</a>.
          </p>
        )}
      </main>
    </>
  );
}

/** The API key: entered once, kept in this browser; not needed on the loopback demo with auth off. */
function KeyControl() {
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState('');
  const saved = readApiKey();
  const save = (event: Event) => {
    event.preventDefault();
    saveApiKey(draft);
    // Every page reloads its data with the new key.
    location.reload();
  };
  return (
    <div class="key-control">
      <button type="button" data-testid="key-button" onClick={() => setOpen(!open)} title="The API key this browser sends">
        {saved ? `key …${saved.slice(-4)}` : 'no API key'}
      </button>
      {open && (
        <form class="key-form" onSubmit={save}>
          <p class="muted">
            Sent as <code>Authorization: Bearer</code> and kept in this browser. Not needed on a loopback demo with auth off; admin actions
            need the admin token.
          </p>
          <input
            type="password"
            data-testid="key-input"
            placeholder="sqa_…"
            value={draft}
            onInput={(event) => setDraft((event.target as HTMLInputElement).value)}
          />
          <button type="submit" class="primary" data-testid="key-save">
            Save
          </button>
          {saved && (
            <button
              type="button"
              onClick={() => {
                saveApiKey(null);
                location.reload();
              }}
            >
              Forget the key
            </button>
          )}
        </form>
      )}
    </div>
  );
}
