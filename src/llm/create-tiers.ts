import { ModelUnavailableError } from '../errors/index.ts';
import type { TierConfig } from './tier-config.ts';
import type { ChatModel, GenerateRequest, GenerateResponse, ModelProvider } from './chat-model.ts';
import { OfflineChatModel } from './offline/index.ts';
import type { OpenAiChatModelOptions } from './openai-chat-model.ts';

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
  /** After a tier's model is found down, how long the cascade skips it at once. Default 30 000 ms; 0: never. */
  breakerCooldownMs?: number;
  /** The breaker's clock. */
  now?: () => number;
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
      model = new DeferredOpenAiChatModel(
        {
          model: modelId,
          apiKey: tier.apiKey ?? llm.apiKey,
          baseUrl: tier.baseUrl ?? llm.baseUrl,
          organization: tier.organization ?? llm.organization,
          timeoutMs: llm.timeoutMs,
          maxRetries: llm.maxRetries,
        },
        { cooldownMs: llm.breakerCooldownMs ?? 30_000, now: llm.now ?? Date.now },
      );
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

/**
 * An OpenAI-compatible model whose client (and the `openai` SDK) loads on its first call, so setups that
 * never call it — the offline model, a CLI command that asks nothing — never load the SDK.
 */
class DeferredOpenAiChatModel implements ChatModel {
  readonly provider = 'openai';
  readonly modelId: string;
  private client: Promise<ChatModel> | null = null;
  /** Until when (clock ms) calls are refused at once; 0 while the breaker is closed. */
  private downUntil = 0;

  constructor(
    private readonly options: OpenAiChatModelOptions,
    private readonly breaker: { cooldownMs: number; now: () => number },
  ) {
    this.modelId = options.model;
  }

  /**
   * One call, unless the model was found down (`ModelUnavailableError`, after its retries) within the
   * last `cooldownMs`: then it is refused at once, so the cascade moves to the next tier without waiting
   * out the timeouts and retries again. A request refused for itself (4xx) or cancelled does not count.
   */
  async generate(request: GenerateRequest): Promise<GenerateResponse> {
    const now = this.breaker.now();
    if (now < this.downUntil)
      throw new ModelUnavailableError(
        `The model ${this.modelId} was unavailable moments ago; it is skipped until ${new Date(this.downUntil).toISOString()}.`,
        { model: this.modelId, breakerOpen: true },
      );
    this.client ??= import('./openai-chat-model.ts').then(({ OpenAiChatModel }) => new OpenAiChatModel(this.options));
    try {
      const response = await (await this.client).generate(request);
      this.downUntil = 0;
      return response;
    } catch (error) {
      if (error instanceof ModelUnavailableError && this.breaker.cooldownMs > 0)
        this.downUntil = this.breaker.now() + this.breaker.cooldownMs;
      throw error;
    }
  }
}
