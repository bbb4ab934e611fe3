import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { RequestDeadline } from '../flow/index.ts';
import { spanAttribute, type TraceSpan } from '../tracing/index.ts';
import type { McpCallContext } from './mcp-access.ts';
import { failedAnswer, toCallToolResult, type ToolAnswer } from './tool-answer.ts';

/** One MCP tool call, as its trace records it. */
export interface ToolCall {
  tool: string;
  /** The datasource it is on, when it names one. */
  datasource: string | null;
  /** The client's: aborted when it cancels the call or the connection closes. */
  signal: AbortSignal;
}

/**
 * Runs one MCP tool call as its own trace, `mcp` (tool, caller, datasource; tagged `mcp`), under
 * the service's request deadline (`server.requestTimeoutMs`) and the client's cancellation, so it is in the
 * local trace store, Langfuse and `stats` like a question. A failed answer marks the trace failed with its
 * code; a thrown error becomes a failed answer (see `failedAnswer`). `ask` is not run through here: the
 * query service traces it as `query`.
 */
export async function tracedToolCall(
  context: McpCallContext,
  call: ToolCall,
  work: (root: TraceSpan, signal: AbortSignal) => Promise<ToolAnswer>,
): Promise<CallToolResult> {
  const { app, access } = context;
  const deadline = new RequestDeadline(app.config.server.requestTimeoutMs, call.signal);
  const root = app.tracing.tracer.startTrace(
    'mcp',
    {
      // The arguments go on the tool's own span, which `tracing.captureContent: false` leaves out.
      input: { tool: call.tool, datasource: call.datasource },
      attributes: { [spanAttribute.tool]: call.tool, [spanAttribute.datasource]: call.datasource },
    },
    {
      userId: access.userId,
      sessionId: context.sessionId,
      tags: ['mcp', ...(call.datasource ? [`datasource:${call.datasource}`] : [])],
    },
  );
  let answer: ToolAnswer;
  try {
    answer = await work(root, deadline.signal);
  } catch (error) {
    answer = failedAnswer(error, call.tool, app.logger);
  } finally {
    deadline.dispose();
  }
  if (answer.ok)
    root.update({ output: answer.summary, attributes: { [spanAttribute.rowCount]: answer.rowCount, [spanAttribute.dbMs]: answer.dbMs } });
  else root.fail(Object.assign(new Error(answer.error.message), { code: answer.error.code }));
  root.end();
  return toCallToolResult(answer);
}
