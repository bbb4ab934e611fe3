import type { ApiError } from '../api/api-error.ts';
import { hintFor } from './error-hints.ts';

/** An error as a person needs it: its code, the service's message, what to do, and its trace when there is one. */
export function ErrorPanel({ error, title = 'Error' }: { error: ApiError; title?: string }) {
  const unplaced = error.body.details?.unplaced;
  const traceId = error.traceId;
  return (
    <div class="error-panel" role="alert" data-testid="error" data-code={error.body.code}>
      <div class="error-title">
        {title}: <code class="error-code">{error.body.code}</code>
        {error.status > 0 && <span class="muted"> (HTTP {error.status})</span>}
      </div>
      <p class="error-message">{error.body.message}</p>
      {Array.isArray(unplaced) && unplaced.length > 0 && (
        <p>Words it could not place: {unplaced.map((word) => `"${String(word)}"`).join(', ')}</p>
      )}
      <p class="error-hint">
        <strong>What to do:</strong> {hintFor(error)}
      </p>
      {traceId && (
        <p>
          <a href={`#/traces/${traceId}`}>Open the trace</a> to see each step.
        </p>
      )}
    </div>
  );
}
