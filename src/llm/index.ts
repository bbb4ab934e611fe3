export type {
  ChatMessage,
  ChatModel,
  GenerateRequest,
  GenerateResponse,
  ModelProvider,
  ToolCall,
  ToolDefinition,
  Usage,
} from './chat-model.ts';
// The OpenAI client is loaded when a tier first calls it (import OpenAiChatModel from './openai-chat-model.ts' to use it directly).
export type { OpenAiChatModelOptions } from './openai-chat-model.ts';
export { costOf, defaultModelPrices, priceOf, type CallCost, type ModelPrice } from './model-pricing.ts';
export { mergeUsage, summarizeUsage, sumCosts, type ModelUsage } from './usage-summary.ts';
export { estimateUsage } from './token-estimate.ts';
export { createTierProvider, singleModelTiers, type Tier, type TierProvider, type TierSettings } from './create-tiers.ts';
export { tierConfigSchema, type TierConfig } from './tier-config.ts';
