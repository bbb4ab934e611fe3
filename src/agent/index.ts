export { DbAgent, agentPromptName, type AgentLimits, type AskRequest, type AskResult, type AttemptRecord, type CascadeSettings, type DbAgentOptions, type EscalationReason, type ModelUsage } from './db-agent.ts';
export { emptyResultValidator, type ResultValidator } from './result-validators.ts';
export { questionComplexity, type ComplexityScore } from './question-complexity.ts';
export { runAgentLoop, finalAnswerSchema, finalAnswerTool, type AgentStep, type FinalAnswer, type LoopOptions, type LoopResult, type ModelCall } from './agent-loop.ts';
export { toolDefinition, parseToolArguments, type AgentTool, type ToolContext, type ToolOutcome } from './tools/agent-tool.ts';
export { executeSqlTool } from './tools/execute-sql-tool.ts';
export { searchMetadataTool } from './tools/search-metadata-tool.ts';
export { showTableTool } from './tools/show-table-tool.ts';
