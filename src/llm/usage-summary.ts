import type { Usage } from './chat-model.ts';
import { costOf, type ModelPrice } from './model-pricing.ts';

/** Tokens, calls and cost of one model over some calls. */
export interface ModelUsage {
  inputTokens: number;
  outputTokens: number;
  calls: number;
  /** True when any call's usage was estimated with the tokenizer. */
  estimated: boolean;
  /** USD; null when the model has no price. */
  costUsd: number | null;
}

/** Usage per model over a list of calls, with their cost. */
export function summarizeUsage(
  calls: ReadonlyArray<{ model: string; usage: Usage }>,
  prices: Readonly<Record<string, ModelPrice>>,
): Record<string, ModelUsage> {
  return mergeUsage(
    calls.map((call) => {
      const cost = costOf(call.model, call.usage, prices);
      return {
        [call.model]: {
          inputTokens: call.usage.inputTokens,
          outputTokens: call.usage.outputTokens,
          calls: 1,
          estimated: call.usage.estimated,
          costUsd: cost ? cost.total : null,
        },
      };
    }),
  );
}

/** Adds usage records up per model; a cost stays null once any part of it is unknown. */
export function mergeUsage(parts: ReadonlyArray<Readonly<Record<string, ModelUsage>>>): Record<string, ModelUsage> {
  const merged: Record<string, ModelUsage> = {};
  for (const part of parts) {
    for (const [model, entry] of Object.entries(part)) {
      const target = (merged[model] ??= { inputTokens: 0, outputTokens: 0, calls: 0, estimated: false, costUsd: 0 });
      target.inputTokens += entry.inputTokens;
      target.outputTokens += entry.outputTokens;
      target.calls += entry.calls;
      target.estimated ||= entry.estimated;
      target.costUsd = target.costUsd === null || entry.costUsd === null ? null : target.costUsd + entry.costUsd;
    }
  }
  return merged;
}

/** The sum of costs in USD; null when any of them is unknown. */
export function sumCosts(costs: ReadonlyArray<number | null>): number | null {
  return costs.some((cost) => cost === null) ? null : costs.reduce((sum: number, cost) => sum + (cost ?? 0), 0);
}
