/**
 * The service's own span attributes (`sqlagent.*`), written by the agent and the query service and read
 * by the local span store. One object, so a writer and a reader can never disagree on a name.
 */
export const spanAttribute = Object.freeze({
  datasource: 'sqlagent.datasource',
  schemaVersion: 'sqlagent.schema_version',
  label: 'sqlagent.label',
  promptName: 'sqlagent.prompt.name',
  promptVersion: 'sqlagent.prompt.version',
  promptIsFallback: 'sqlagent.prompt.is_fallback',
  promptTokens: 'sqlagent.prompt.tokens',
  routingReason: 'sqlagent.routing_reason',
  cacheStatus: 'sqlagent.cache_status',
  cacheHit: 'sqlagent.cache_hit',
  cacheKeyPrefix: 'sqlagent.cache_key_prefix',
  sharedTraceId: 'sqlagent.shared_trace_id',
  tier: 'sqlagent.tier',
  tierIndex: 'sqlagent.tier_index',
  outcome: 'sqlagent.outcome',
  escalated: 'sqlagent.escalated',
  escalationReason: 'sqlagent.escalation_reason',
  model: 'sqlagent.model',
  answerModel: 'sqlagent.answer_model',
  tool: 'sqlagent.tool',
  rowCount: 'sqlagent.row_count',
  dbMs: 'sqlagent.db_ms',
  usageEstimated: 'sqlagent.usage_estimated',
  costUsd: 'sqlagent.cost_usd',
  errorType: 'sqlagent.error_type',
  /**
   * Local store only: a generation's input holds only the messages added since the generation named here
   * (of the same trace), whose input it continues; the store gives back the whole input when read.
   */
  inputContinues: 'sqlagent.input_continues',
} as const);
