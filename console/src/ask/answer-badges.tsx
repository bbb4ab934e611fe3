import type { QueryResult } from '../api/api-types.ts';
import { formatCost, formatMs, formatNumber } from '../common/format.ts';

/** How an answer was made, in badges: prompt label and version, model and tier, escalations, cache, latency, tokens, cost, verified. */
export function AnswerBadges({ result }: { result: QueryResult }) {
  const escalations = result.attempts.filter((attempt) => attempt.outcome === 'escalated').length;
  const tokens = Object.values(result.usage).reduce((sum, usage) => sum + usage.inputTokens + usage.outputTokens, 0);
  const cache = result.cached === false ? 'cache miss' : result.cached === 'rows' ? 'cache hit: stored rows' : 'cache hit: SQL re-run';
  return (
    <ul class="badges" data-testid="badges">
      <li class="badge badge-prompt" data-testid="badge-prompt" title={`${result.prompt}, routed by ${result.routing.reason}`}>
        {result.label} · v{result.promptVersion}
        {result.promptIsFallback ? ' (fallback)' : ''}
      </li>
      <li class="badge" data-testid="badge-model" title="the model and the cascade tier that answered">
        {result.model} · tier {result.tier}
      </li>
      <li class={escalations > 0 ? 'badge badge-warning' : 'badge'} data-testid="badge-escalations">
        {escalations === 0 ? 'no escalation' : `${escalations} escalation${escalations === 1 ? '' : 's'}`}
      </li>
      <li class={result.cached ? 'badge badge-cache' : 'badge'} data-testid="badge-cache">
        {cache}
        {result.cacheAgeMs !== null ? ` (${formatMs(result.cacheAgeMs)} old)` : ''}
      </li>
      <li
        class="badge"
        data-testid="badge-latency"
        title={`model ${formatMs(result.latency.llmMs)}, database ${formatMs(result.latency.dbMs)}`}
      >
        {formatMs(result.latency.totalMs)}
      </li>
      <li class="badge" data-testid="badge-tokens">
        {formatNumber(tokens)} tokens
      </li>
      <li class="badge" data-testid="badge-cost">
        {formatCost(result.costUsd)}
      </li>
      {result.verifiedExample && (
        <li class="badge badge-verified" data-testid="badge-verified" title={`from verified example ${result.verifiedExample.id}`}>
          ✓ verified
        </li>
      )}
    </ul>
  );
}
