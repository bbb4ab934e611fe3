export {
  DbAgent,
  agentPromptName,
  builtFrom,
  type AskRequest,
  type AskResult,
  type CacheIdentity,
  type DbAgentOptions,
  type PreparedQuestion,
  type TierStep,
} from './db-agent.ts';
export { type CascadeSettings, type EscalationReason } from './cascade-policy.ts';
export { promptRowLimit, type AgentLimits, type AttemptRecord } from './tier-attempt.ts';
export type { ModelUsage } from '../llm/index.ts';
export { emptyResultValidator, type ResultValidator } from './result-validators.ts';
export { questionComplexity, type ComplexityScore } from './question-complexity.ts';
export { defaultTableListingTokens, questionTables, type QuestionTables } from './question-tables.ts';
export { runAgentLoop, type AgentStep, type FinalAnswer, type LoopOptions, type LoopResult, type ModelCall } from './agent-loop.ts';
export { finalAnswerSchema, finalAnswerTool } from './tools/final-answer-tool.ts';
export {
  toolDefinition,
  parseToolArguments,
  type AgentTool,
  type SqlFailure,
  type ToolContext,
  type ToolOutcome,
} from './tools/agent-tool.ts';
export { executeSqlTool } from './tools/execute-sql-tool.ts';
export type { ColumnDescription, ExecuteSqlContent, IncomingReference, MetadataHit, TableDescription } from './tool-results.ts';
export { searchMetadataTool } from './tools/search-metadata-tool.ts';
export { showTableTool } from './tools/show-table-tool.ts';
