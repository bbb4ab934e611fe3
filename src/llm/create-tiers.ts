import { z } from 'zod';
import type { ChatModel, ModelProvider } from './chat-model.ts';
import { OfflineChatModel } from './offline/index.ts';
import { OpenAiChatModel } from './openai-chat-model.ts';

/** One cascade tier in config: a model, and optionally its own endpoint, key and limits. */
export const tierConfigSchema = z
  .object({
    /** Shown in results and traces; default: the model id. */
    name: z.string().min(1).optional(),
    /** Default: `llm.provider`. */
    provider: z.enum(['openai', 'offline']).optional(),
    /** Default: the prompt version's `config.model` (first tier), else `gpt-4o-mini`. */
    model: z.string().min(1).optional(),
    apiKey: z.string().min(1).optional(),
    baseUrl: z.string().url().optional(),
    organization: z.string().min(1).optional(),
    /** Model turns for this tier; default `agent.maxSteps`. */
    maxSteps: z.number().int().min(1).max(50).optional(),
  })
  .strict();
export type TierConfig = z.infer<typeof tierConfigSchema>;

/** A ready tier: a model the agent can run the full tool loop with. */
export interface Tier {
  name: string;
  model: ChatModel;
  maxSteps?: number;
}

/** The tiers for a request, given the model the prompt version asks for. */
export type TierProvider = (promptModel?: string) => Tier[];

/** One tier of one model (simple setups, tests, benchmarks): the model the provider gives, named by its id. */
export function singleModelTiers(models: ModelProvider): TierProvider {
  return (promptModel) => {
    const model = models(promptModel);
    return [{ name: model.modelId, model }];
  };
}

export interface TierSettings {
  provider: 'openai' | 'offline';
  apiKey?: string;
  baseUrl?: string;
  organization?: string;
  model?: string;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * Builds the cascade's tiers. Configured tiers are used as given. Without them: the offline model alone
 * when no LLM is configured; a single tier when a model is forced or a custom endpoint is set (a local
 * server may not serve a second model); otherwise the prompt's model (default `gpt-4o-mini`) then `gpt-4o`.
 * Clients are created once per distinct tier and reused.
 */
export function createTierProvider(llm: TierSettings, configured: readonly TierConfig[] | undefined): TierProvider {
  const models = new Map<string, ChatModel>();
  const modelFor = (tier: TierConfig, fallbackModel: string): ChatModel => {
    const provider = tier.provider ?? llm.provider;
    if (provider === 'offline') return (models.get('offline') ?? models.set('offline', new OfflineChatModel()).get('offline'))!;
    const modelId = tier.model ?? fallbackModel;
    const key = JSON.stringify([modelId, tier.baseUrl ?? llm.baseUrl, tier.apiKey ?? llm.apiKey, tier.organization ?? llm.organization]);
    let model = models.get(key);
    if (!model) {
      model = new OpenAiChatModel({
        model: modelId,
        apiKey: tier.apiKey ?? llm.apiKey,
        baseUrl: tier.baseUrl ?? llm.baseUrl,
        organization: tier.organization ?? llm.organization,
        timeoutMs: llm.timeoutMs,
        maxRetries: llm.maxRetries,
      });
      models.set(key, model);
    }
    return model;
  };
  return (promptModel) => {
    const first = llm.model ?? promptModel ?? 'gpt-4o-mini';
    const tiers: TierConfig[] = configured?.length
      ? [...configured]
      : llm.provider === 'offline'
        ? [{ provider: 'offline' }]
        : llm.model || llm.baseUrl
          ? [{ model: first }]
          : [{ model: first }, { model: first === 'gpt-4o' ? 'gpt-4.1' : 'gpt-4o' }];
    return tiers.map((tier, index) => {
      const model = modelFor(tier, index === 0 ? first : 'gpt-4o');
      return { name: tier.name ?? model.modelId, model, maxSteps: tier.maxSteps };
    });
  };
}
