export type { ChatMessage, ChatModel, GenerateRequest, GenerateResponse, ModelProvider, ToolCall, ToolDefinition, Usage } from './chat-model.ts';
export { OpenAiChatModel, type OpenAiChatModelOptions } from './openai-chat-model.ts';
export { costOf, defaultModelPrices, priceOf, type ModelPrice } from './model-pricing.ts';
export { estimateUsage } from './token-estimate.ts';
export { createTierProvider, tierConfigSchema, type Tier, type TierConfig, type TierProvider, type TierSettings } from './create-tiers.ts';
