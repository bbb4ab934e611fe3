export type { ChatMessage, ChatModel, GenerateRequest, GenerateResponse, ToolCall, ToolDefinition, Usage } from './chat-model.ts';
export { OpenAiChatModel, type OpenAiChatModelOptions } from './openai-chat-model.ts';
export { costOf, defaultModelPrices, priceOf, type ModelPrice } from './model-pricing.ts';
export { estimateUsage } from './token-estimate.ts';
export { createModelProvider, fallbackModelId, type ModelProvider, type ModelSettings } from './create-model-provider.ts';
