import { useState } from 'preact/hooks';
import { ApiError } from '../api/api-error.ts';
import { callApi } from '../api/api-client.ts';
import type { FeedbackResult } from '../api/api-types.ts';
import { ErrorPanel } from '../common/error-panel.tsx';

/** A thumb as a small inline icon (emoji need a font the machine may not have); `down` turns it over. */
function Thumb({ down = false }: { down?: boolean }) {
  return (
    <svg viewBox="0 0 24 24" width="16" height="16" aria-hidden="true" style={down ? { transform: 'rotate(180deg)' } : undefined}>
      <path
        fill="currentColor"
        d="M2 21h4V9H2v12zm20-11a2 2 0 0 0-2-2h-6.3l1-4.6v-.3c0-.4-.2-.8-.4-1.1L13.2 1 6.6 7.6C6.2 8 6 8.5 6 9v10a2 2 0 0 0 2 2h9c.8 0 1.5-.5 1.8-1.2l3-7.1c.1-.2.2-.5.2-.7v-2z"
      />
    </svg>
  );
}

/** Thumbs up or down on an answer, with an optional comment: `POST /v1/feedback`, kept on the answer's trace. */
export function FeedbackBox({ traceId }: { traceId: string }) {
  const [score, setScore] = useState<1 | -1 | null>(null);
  const [comment, setComment] = useState('');
  const [state, setState] = useState<
    { kind: 'idle' | 'sending' } | { kind: 'sent'; result: FeedbackResult } | { kind: 'failed'; error: ApiError }
  >({
    kind: 'idle',
  });
  const send = async (event: Event) => {
    event.preventDefault();
    if (score === null) return;
    setState({ kind: 'sending' });
    try {
      const result = await callApi<FeedbackResult>('/v1/feedback', {
        method: 'POST',
        body: { traceId, score, comment: comment.trim() || null },
      });
      setState({ kind: 'sent', result });
    } catch (error) {
      setState({ kind: 'failed', error: ApiError.from(error) });
    }
  };
  if (state.kind === 'sent')
    return (
      <p class="feedback-sent" data-testid="feedback-sent">
        Thanks: your {score === 1 ? 'thumbs up' : 'thumbs down'} is on the trace
        {state.result.candidate && 'id' in state.result.candidate ? ', and the answer was filed as a candidate example' : ''}.
      </p>
    );
  return (
    <form class="feedback" onSubmit={send}>
      <span>Was this right?</span>
      <button
        type="button"
        class={score === 1 ? 'thumb chosen' : 'thumb'}
        aria-pressed={score === 1}
        title="Right"
        data-testid="thumb-up"
        onClick={() => setScore(1)}
      >
        <Thumb /> Right
      </button>
      <button
        type="button"
        class={score === -1 ? 'thumb chosen' : 'thumb'}
        aria-pressed={score === -1}
        title="Wrong"
        data-testid="thumb-down"
        onClick={() => setScore(-1)}
      >
        <Thumb down /> Wrong
      </button>
      {score !== null && (
        <>
          <input
            type="text"
            class="feedback-comment"
            placeholder="What was wrong or right? (optional)"
            maxLength={2000}
            value={comment}
            onInput={(event) => setComment((event.target as HTMLInputElement).value)}
            data-testid="feedback-comment"
          />
          <button type="submit" disabled={state.kind === 'sending'} data-testid="feedback-send">
            Send
          </button>
        </>
      )}
      {state.kind === 'failed' && <ErrorPanel error={state.error} title="Feedback not sent" />}
    </form>
  );
}
