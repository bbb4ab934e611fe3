export type { ChatMessage, ChatModel, GenerateRequest, GenerateResponse, ModelProvider, ToolCall, ToolDefinition, Usage } from './chat-model.ts';
export { OpenAiChatModel, type OpenAiChatModelOptions } from './openai-chat-model.ts';
export { costOf, defaultModelPrices, priceOf, type CallCost, type ModelPrice } from './model-pricing.ts';
export { mergeUsage, summarizeUsage, sumCosts, type ModelUsage } from './usage-summary.ts';
export { estimateUsage } from './token-estimate.ts';
export { createTierProvider, singleModelTiers, tierConfigSchema, type Tier, type TierConfig, type TierProvider, type TierSettings } from './create-tiers.ts';
