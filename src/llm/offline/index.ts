export { OfflineChatModel, type OfflineChatModelOptions } from './offline-chat-model.ts';
export { nextStep, turnBudget, type NextStep } from './next-step.ts';
export { readPromptFacts, type PromptExample, type PromptFacts } from './prompt-facts.ts';
export { readConversation, type ConversationState } from './conversation-reader.ts';
export { matchExample, type ExampleMatch } from './example-matcher.ts';
