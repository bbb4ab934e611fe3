import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import type { Datasource, DatasourceQuestions, QueryResult, QueryStep } from '../api/api-types.ts';
import { streamQuery } from '../api/query-stream.ts';
import { ErrorPanel } from '../common/error-panel.tsx';
import { useApi } from '../common/use-api.ts';
import { AnswerBadges } from './answer-badges.tsx';
import { FeedbackBox } from './feedback-box.tsx';
import { ResultChart } from './result-chart.tsx';
import { ResultTable } from './result-table.tsx';
import { SqlView } from './sql-view.tsx';
import { StepList } from './step-list.tsx';

const datasourceKey = 'sqlagent.datasource';

type Run =
  | { state: 'idle' }
  | { state: 'running'; steps: QueryStep[]; sql: string | null }
  | { state: 'answered'; steps: QueryStep[]; result: QueryResult }
  | { state: 'failed'; steps: QueryStep[]; error: ApiError };

/** Ask: pick a datasource, ask, watch the steps stream, then the answer, SQL, table, chart, badges and feedback. */
export function AskPage({ link }: { link: URLSearchParams }) {
  const datasources = useApi<{ datasources: Datasource[] }>('/v1/datasources');
  // A link (`#/ask?datasource=…&question=…`) fills the form; it is kept even when the datasource is not offered,
  // so a stale link gets the service's own answer.
  const linked = link.get('datasource');
  const [datasource, setDatasource] = useState<string>(() => linked ?? localStorage.getItem(datasourceKey) ?? '');
  const [question, setQuestion] = useState(() => link.get('question') ?? '');
  const [run, setRun] = useState<Run>({ state: 'idle' });
  const controller = useRef<AbortController | null>(null);
  // Asked and answered: the recent questions are read again.
  const [asked, setAsked] = useState(0);

  const list = datasources.state === 'ready' ? datasources.value.datasources : [];
  // The stored choice when it is still offered, else the first datasource.
  useEffect(() => {
    if (list.length > 0 && datasource !== linked && !list.some((entry) => entry.id === datasource)) setDatasource(list[0].id);
  }, [list, datasource, linked]);
  useEffect(() => () => controller.current?.abort(), []);
  const chosen = list.find((entry) => entry.id === datasource);
  const questions = useApi<DatasourceQuestions>(chosen ? `/v1/datasources/${encodeURIComponent(chosen.id)}/questions` : null, asked);

  const ask = async (text: string) => {
    const trimmed = text.trim();
    if (!trimmed || !datasource) return;
    controller.current?.abort();
    const current = new AbortController();
    controller.current = current;
    const steps: QueryStep[] = [];
    let sql: string | null = null;
    setRun({ state: 'running', steps: [], sql: null });
    try {
      const result = await streamQuery(
        { datasource, question: trimmed },
        {
          onStep: (step) => {
            steps.push(step);
            setRun({ state: 'running', steps: [...steps], sql });
          },
          onSql: (finalSql) => {
            sql = finalSql;
            setRun({ state: 'running', steps: [...steps], sql });
          },
        },
        current.signal,
      );
      if (!current.signal.aborted) setRun({ state: 'answered', steps, result });
      setAsked((count) => count + 1);
    } catch (error) {
      if (!current.signal.aborted) setRun({ state: 'failed', steps, error: ApiError.from(error) });
    }
  };

  const stop = () => {
    controller.current?.abort();
    setRun((current) =>
      current.state === 'running'
        ? {
            state: 'failed',
            steps: current.steps,
            error: new ApiError(0, { code: 'request_aborted', message: 'You stopped the question.' }),
          }
        : current,
    );
  };
  const pick = (text: string) => {
    setQuestion(text);
    void ask(text);
  };
  const submit = (event: Event) => {
    event.preventDefault();
    void ask(question);
  };
  return (
    <section class="page ask-page">
      <form class="ask-form" onSubmit={submit}>
        <div class="ask-row">
          <label class="field">
            <span>Datasource</span>
            <select
              data-testid="datasource"
              value={datasource}
              onChange={(event) => {
                const id = (event.target as HTMLSelectElement).value;
                setDatasource(id);
                localStorage.setItem(datasourceKey, id);
              }}
            >
              {list.map((entry) => (
                <option key={entry.id} value={entry.id}>
                  {entry.id} ({entry.dialect})
                </option>
              ))}
              {datasource && datasources.state === 'ready' && !chosen && <option value={datasource}>{datasource} (not offered)</option>}
            </select>
          </label>
          <label class="field grow">
            <span>Question</span>
            <input
              type="text"
              data-testid="question"
              placeholder="Ask a question of the data, e.g. What is the revenue by region?"
              value={question}
              onInput={(event) => setQuestion((event.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" class="primary" data-testid="ask" disabled={!datasource || !question.trim() || run.state === 'running'}>
            {run.state === 'running' ? 'Asking…' : 'Ask'}
          </button>
          {run.state === 'running' && (
            // Closing the stream aborts the run on the service (its model calls and SQL).
            <button type="button" data-testid="stop" onClick={stop}>
              Stop
            </button>
          )}
        </div>
        {chosen?.description && <p class="muted">{chosen.description}</p>}
        {questions.state === 'ready' && (
          <>
            <QuestionChips title="Suggested" testId="suggested" questions={questions.value.suggested} onPick={pick} />
            <QuestionChips title="Recent" testId="recent" questions={questions.value.recent} onPick={pick} />
          </>
        )}
      </form>
      {datasources.state === 'error' && <ErrorPanel error={datasources.error} title="Could not list the datasources" />}

      {run.state !== 'idle' && (
        <div class="run">
          {(run.steps.length > 0 || run.state === 'running') && <h2>Steps</h2>}
          <StepList steps={run.steps} running={run.state === 'running'} />
          {run.state === 'failed' && <ErrorPanel error={run.error} title="No answer" />}
          {run.state === 'answered' && <Answer result={run.result} dialect={chosen?.dialect ?? 'postgres'} rowCap={chosen?.rowCap} />}
        </div>
      )}
    </section>
  );
}

/** Questions to ask with one click (the service's suggested and recent ones for the datasource). */
function QuestionChips({
  title,
  testId,
  questions,
  onPick,
}: {
  title: string;
  testId: string;
  questions: string[];
  onPick: (question: string) => void;
}) {
  if (questions.length === 0) return null;
  return (
    <div class="recent" data-testid={testId}>
      <span class="muted">{title}:</span>
      {questions.map((entry) => (
        <button type="button" key={entry} class="chip" onClick={() => onPick(entry)}>
          {entry}
        </button>
      ))}
    </div>
  );
}

function Answer({ result, dialect, rowCap }: { result: QueryResult; dialect: 'postgres' | 'mysql'; rowCap?: number }) {
  return (
    <div class="answer" data-testid="answer-block">
      <h2>Answer</h2>
      <p class="answer-text" data-testid="answer">
        {result.answer}
      </p>
      {result.explanation && <p class="muted">{result.explanation}</p>}
      <AnswerBadges result={result} />
      {result.warnings.length > 0 && (
        <ul class="warnings">
          {result.warnings.map((warning) => (
            <li key={warning}>{warning}</li>
          ))}
        </ul>
      )}
      <div class="answer-actions">
        <FeedbackBox key={result.traceId} traceId={result.traceId} />
        <a href={`#/traces/${result.traceId}`} data-testid="trace-link">
          Open the trace →
        </a>
      </div>
      <h2>SQL</h2>
      <SqlView sql={result.sql} dialect={dialect} />
      <h2>Chart</h2>
      <ResultChart columns={result.columns} rows={result.rows} />
      <h2>Rows</h2>
      <ResultTable columns={result.columns} rows={result.rows} truncated={result.truncated} rowCap={rowCap} />
    </div>
  );
}
