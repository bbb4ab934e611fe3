import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ServiceError } from '../errors/index.ts';
import { hostsMasked, withoutHosts, type Logger } from '../logging/index.ts';

/** An MCP tool's failure, in the HTTP API's error shape; its text is sent with hosts masked. */
export interface McpToolError {
  code: string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * What one MCP tool call gave, before it becomes a `CallToolResult`: text for the model, structured content
 * for programs, and a one-line summary for the trace; or the error. Tool failures are results here, never
 * exceptions, as they are for the agent's own model.
 */
export type ToolAnswer =
  | { ok: true; text: string; structured: Record<string, unknown>; summary: string; rowCount?: number; dbMs?: number }
  | { ok: false; error: McpToolError };

/** The result the client receives. An error is `isError` with `{"error": {"code", "message", "details"}}` as text. */
export function toCallToolResult(answer: ToolAnswer): CallToolResult {
  if (answer.ok) return { content: [{ type: 'text', text: answer.text }], structuredContent: answer.structured };
  const { code, message, details } = answer.error;
  const error = {
    code,
    message: withoutHosts(message),
    ...(details && Object.keys(details).length > 0 ? { details: hostsMasked(details) } : {}),
  };
  return { isError: true, content: [{ type: 'text', text: JSON.stringify({ error }) }] };
}

/**
 * A thrown error as a failed answer: a service error says its code, message and details (a failed `ask`
 * names its trace there); anything else is logged with its stack and described to the caller only as
 * internal, as HTTP does.
 */
export function failedAnswer(error: unknown, tool: string, logger: Logger): ToolAnswer {
  if (error instanceof ServiceError) return { ok: false, error: { code: error.code, message: error.message, details: error.details } };
  logger.error('MCP tool call failed', { tool, error: String((error as Error)?.stack ?? error) });
  return { ok: false, error: { code: 'internal_error', message: 'An internal error occurred; it has been logged.' } };
}
