import type { Usage } from './chat-model.ts';

/** Price of a model in US dollars per million tokens. */
export interface ModelPrice {
  inputPerMillion: number;
  outputPerMillion: number;
}

/**
 * Default prices of current OpenAI models (USD per 1M tokens, standard tier), overridable in config
 * (`llm.prices`). A dated variant (`gpt-4o-mini-2024-07-18`) takes the price of its base name.
 */
export const defaultModelPrices: Readonly<Record<string, ModelPrice>> = Object.freeze({
  'gpt-4o-mini': { inputPerMillion: 0.15, outputPerMillion: 0.6 },
  'gpt-4o': { inputPerMillion: 2.5, outputPerMillion: 10 },
  'gpt-4.1-nano': { inputPerMillion: 0.1, outputPerMillion: 0.4 },
  'gpt-4.1-mini': { inputPerMillion: 0.4, outputPerMillion: 1.6 },
  'gpt-4.1': { inputPerMillion: 2, outputPerMillion: 8 },
  'o4-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  'o3-mini': { inputPerMillion: 1.1, outputPerMillion: 4.4 },
  o3: { inputPerMillion: 2, outputPerMillion: 8 },
  offline: { inputPerMillion: 0, outputPerMillion: 0 },
});

/** The price for a model id: an exact entry, else the longest entry the id starts with (`name-…`). */
export function priceOf(modelId: string, prices: Readonly<Record<string, ModelPrice>>): ModelPrice | null {
  if (prices[modelId]) return prices[modelId];
  const base = Object.keys(prices)
    .filter((name) => modelId.startsWith(`${name}-`))
    .sort((left, right) => right.length - left.length)[0];
  return base ? prices[base] : null;
}

/** What one call cost in USD, by direction (the way a Langfuse generation's `costDetails` takes it). */
export interface CallCost {
  input: number;
  output: number;
  total: number;
}

/** Cost in USD of one call; null (not 0) when the model's price is unknown. */
export function costOf(modelId: string, usage: Usage, prices: Readonly<Record<string, ModelPrice>>): CallCost | null {
  const price = priceOf(modelId, prices);
  if (!price) return null;
  const input = (usage.inputTokens * price.inputPerMillion) / 1_000_000;
  const output = (usage.outputTokens * price.outputPerMillion) / 1_000_000;
  return { input, output, total: input + output };
}
