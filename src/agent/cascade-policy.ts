import type { SchemaMeta } from '../datasource/index.ts';
import {
  AgentFailedError,
  BudgetExceededError,
  ModelRequestError,
  ModelUnavailableError,
  SqlTimeoutError,
  type ServiceError,
} from '../errors/index.ts';
import { mergeUsage, sumCosts, type Tier } from '../llm/index.ts';
import type { LoopFailure } from './agent-loop.ts';
import { questionComplexity, type ComplexityScore } from './question-complexity.ts';
import type { AttemptRecord, EscalationReason } from './tier-attempt.ts';

export type { EscalationReason } from './tier-attempt.ts';

export interface CascadeSettings {
  /** Most tier attempts per question. Default: every tier once. */
  maxAttempts?: number;
  /** Stop escalating once a request has cost this much (USD). Default: no budget. */
  maxCostUsd?: number | null;
  /** Start complex questions at a higher tier (see `questionComplexity`). Off by default. */
  complexityRouting?: { enabled: boolean; threshold: number; startTier: number };
}

/** Where the cascade starts: tier 0, or a higher one for a complex question when routing is on. */
export function startingTier(
  question: string,
  meta: SchemaMeta,
  tiers: readonly Tier[],
  cascade: CascadeSettings,
): { startTier: number; complexity: (ComplexityScore & { startTier: number }) | null } {
  if (!cascade.complexityRouting?.enabled || tiers.length < 2) return { startTier: 0, complexity: null };
  const score = questionComplexity(question, meta);
  const startTier =
    score.score >= cascade.complexityRouting.threshold ? Math.min(cascade.complexityRouting.startTier, tiers.length - 1) : 0;
  return { startTier, complexity: { ...score, startTier } };
}

/**
 * The budget error when the attempts so far have spent `cascade.maxCostUsd` (an unknown cost counts as
 * spent), so the next tier must not run; null when it may.
 */
export function budgetStop(attempts: readonly AttemptRecord[], cascade: CascadeSettings, nextTier: string): BudgetExceededError | null {
  if (cascade.maxCostUsd == null || attempts.length === 0) return null;
  const spent = sumCosts(attempts.map((attempt) => attempt.costUsd));
  if (spent !== null && spent < cascade.maxCostUsd) return null;
  const what = spent === null ? 'an unknown amount (a model without a price in llm.prices)' : `$${spent.toFixed(4)}`;
  return new BudgetExceededError(
    `The request's cost budget of $${cascade.maxCostUsd.toFixed(4)} (cascade.maxCostUsd) was spent after ${attempts.length} attempt${attempts.length === 1 ? '' : 's'} (${what}); not escalating to ${nextTier}.`,
    { budget: 'cascade.maxCostUsd', maxCostUsd: cascade.maxCostUsd, spentUsd: spent, attempts },
  );
}

/** Whether the budget is spent once this attempt's cost is added (then no further tier would run). */
export function budgetSpentWith(attempts: readonly AttemptRecord[], costUsd: number | null, cascade: CascadeSettings): boolean {
  if (cascade.maxCostUsd == null) return false;
  const spent = sumCosts([...attempts.map((attempt) => attempt.costUsd), costUsd]);
  return spent === null || spent >= cascade.maxCostUsd;
}

/**
 * The error when every tier failed: an outage (503, worth retrying) when every tier was unreachable, a
 * refused request when every tier refused it, else the agent found no usable answer.
 */
export function cascadeFailure(attempts: readonly AttemptRecord[], prompt: { label: string; version: number }): ServiceError {
  const summary = attempts
    .map((attempt) => `${attempt.tier}: ${attempt.reason}${attempt.message ? ` (${attempt.message.slice(0, 160)})` : ''}`)
    .join('; ');
  if (attempts.length > 0 && attempts.every((attempt) => attempt.reason === 'model_unavailable'))
    return new ModelUnavailableError(`No model tier is available: ${summary}`, { attempts });
  if (attempts.length > 0 && attempts.every((attempt) => attempt.reason === 'model_request_failed'))
    return new ModelRequestError(`Every model tier refused the request: ${summary}`, { attempts });
  // Statements too slow to finish are the database's limit, not the question's fault: 504, as documented.
  if (attempts.length > 0 && attempts.every(endedOnTimeout))
    return new SqlTimeoutError(`Every tier's SQL ran out of time: ${summary}`, { attempts });
  const last = attempts[attempts.length - 1];
  const unplaced = last?.reason === 'model_declined' ? unplacedWordsIn(last.message) : [];
  return new AgentFailedError(`No tier gave a usable answer: ${summary}`, {
    reason: last?.reason ?? 'no_final_answer',
    ...(unplaced.length ? { unplaced } : {}),
    attempts,
    steps: last?.steps ?? [],
    usage: mergeUsage(attempts.map((attempt) => attempt.usage)),
    costUsd: sumCosts(attempts.map((attempt) => attempt.costUsd)),
    label: prompt.label,
    promptVersion: prompt.version,
  });
}

/**
 * The words a declining model could not place, when it lists them as the prompt asks
 * (`Unplaced: "atlantis", "frobnicated"`); empty when it does not.
 */
export function unplacedWordsIn(message: string | null): string[] {
  const list = /\bUnplaced:\s*((?:"[^"\n]{1,100}"\s*,?\s*){1,20})/.exec(message ?? '')?.[1];
  return list ? [...list.matchAll(/"([^"\n]{1,100})"/g)].map((match) => match[1]) : [];
}

/** Whether the last statement an attempt ran (through execute_sql or final_answer) ran out of time. */
function endedOnTimeout(attempt: AttemptRecord): boolean {
  const ran = attempt.steps.filter((step) => step.tool === 'execute_sql' || step.tool === 'final_answer');
  return ran[ran.length - 1]?.sqlError?.code === 'sql_timeout';
}
