import type { ChatModel } from './chat-model.ts';
import { OfflineChatModel } from './offline/index.ts';
import { OpenAiChatModel } from './openai-chat-model.ts';

export interface ModelSettings {
  provider: 'openai' | 'offline';
  apiKey?: string;
  baseUrl?: string;
  organization?: string;
  model?: string;
  timeoutMs: number;
  maxRetries: number;
}

/** Picks a model for a prompt version: `llm.model` if forced, else the version's `config.model`, else this. */
export const fallbackModelId = 'gpt-4o-mini';

/** Gives the agent a `ChatModel` for the model a prompt version asks for; clients are reused per model. */
export type ModelProvider = (requestedModel?: string) => ChatModel;

/**
 * With no API key or base URL the provider is `offline`: the deterministic offline model answers every
 * prompt version, whatever model the version asks for.
 */
export function createModelProvider(settings: ModelSettings): ModelProvider {
  const models = new Map<string, ChatModel>();
  const offline = new OfflineChatModel();
  return (requestedModel) => {
    if (settings.provider === 'offline') return offline;
    const modelId = settings.model ?? requestedModel ?? fallbackModelId;
    let model = models.get(modelId);
    if (!model) {
      model = new OpenAiChatModel({ model: modelId, apiKey: settings.apiKey, baseUrl: settings.baseUrl, organization: settings.organization, timeoutMs: settings.timeoutMs, maxRetries: settings.maxRetries });
      models.set(modelId, model);
    }
    return model;
  };
}
