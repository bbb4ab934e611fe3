import type { QueryStep } from '../api/api-types.ts';
import { formatMs } from '../common/format.ts';

/** Arguments in one line: the SQL or query when there is one, else compact JSON. */
function argumentsLine(value: unknown): string {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const key of ['sql', 'query', 'table']) if (typeof record[key] === 'string') return `${key}: ${record[key] as string}`;
  }
  const text = JSON.stringify(value) ?? '';
  return text.length > 240 ? `${text.slice(0, 240)}…` : text;
}

/** The agent's tool calls as they stream in: tool, arguments and a one-line outcome. */
export function StepList({ steps, running }: { steps: QueryStep[]; running: boolean }) {
  if (steps.length === 0 && !running) return null;
  return (
    <ol class="steps" data-testid="steps">
      {steps.map((step) => (
        <li key={`${step.tier}-${step.index}`} class={step.error ? 'step step-error' : 'step'} data-testid="step">
          <div class="step-head">
            <code class="step-tool">{step.tool}</code>
            <span class="muted">
              {' '}
              · {step.tier} · {formatMs(step.durationMs)}
            </span>
          </div>
          <div class="step-arguments">{argumentsLine(step.arguments)}</div>
          <div class="step-summary">{step.error ? `✗ ${step.error}` : step.summary}</div>
        </li>
      ))}
      {running && (
        <li class="step step-running" data-testid="step-running">
          <span class="spinner" aria-hidden="true" /> working…
        </li>
      )}
    </ol>
  );
}
