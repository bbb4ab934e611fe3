import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { AgentTool, ToolContext } from '../agent/index.ts';
import { runningUnder, untilAborted } from '../flow/index.ts';
import { knowledgePromptVariables } from '../knowledge/index.ts';
import { spanAttribute, withSpan, type TraceSpan } from '../tracing/index.ts';
import { assertDatasourceAllowed, datasourceArgument } from './datasource-argument.ts';
import type { McpCallContext } from './mcp-access.ts';
import type { ToolAnswer } from './tool-answer.ts';
import { tracedToolCall } from './traced-tool-call.ts';

/**
 * One of the agent's own tools (`search_metadata`, `show_table`, `execute_sql`) as an MCP tool: its input
 * with a `datasource` beside it, and the very implementation the agent's model calls, with the context the
 * agent builds (the live schema, the glossary and metrics), so `execute_sql` runs through the same guard and
 * read-only executor. What the client sees is what the agent's model sees: for SQL the columns, the first
 * `agent.rowsShownToModel` rows and the row count. No default LIMIT is reported as a cut, since the client
 * was never asked for one.
 */
export function registerAgentTool(server: McpServer, context: McpCallContext, tool: AgentTool<any>): void {
  if (!(tool.input instanceof z.ZodObject)) throw new TypeError(`The agent tool ${tool.name} takes no object input.`);
  const input = z.object({ datasource: datasourceArgument }).extend(tool.input.shape).strict();
  server.registerTool(
    tool.name,
    {
      description: `${tool.description} On the datasource named by "datasource" (see list_datasources).`,
      inputSchema: input,
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      const { datasource, ...toolInput } = args as { datasource: string } & Record<string, unknown>;
      return tracedToolCall(context, { tool: tool.name, datasource, signal: extra.signal }, (root, signal) =>
        runAgentTool(context, tool, datasource, toolInput, root, signal),
      );
    },
  );
}

async function runAgentTool(
  context: McpCallContext,
  tool: AgentTool<any>,
  id: string,
  input: Record<string, unknown>,
  root: TraceSpan,
  signal: AbortSignal,
): Promise<ToolAnswer> {
  const { app, access } = context;
  assertDatasourceAllowed(access, id);
  const toolContext = await withSpan(root.startChild('schema', 'span'), async (span): Promise<ToolContext> => {
    // Opening a datasource or reading its knowledge takes no signal: the deadline still ends the call.
    runningUnder(signal, 'opening the datasource and reading its schema');
    const datasource = await untilAborted(app.datasources.get(id), signal);
    const meta = await untilAborted(app.datasources.schema(id), signal);
    const knowledge = await untilAborted(app.knowledge.forDatasource(datasource, meta), signal);
    const { glossary, metrics } = knowledgePromptVariables(knowledge, [], meta);
    span.update({
      output: { schemaVersion: meta.schemaVersion },
      attributes: { [spanAttribute.datasource]: datasource.id, [spanAttribute.schemaVersion]: meta.schemaVersion },
    });
    return { datasource, meta, knowledge: { glossary, metrics }, rowsShownToModel: app.config.agent.rowsShownToModel, signal };
  });
  const outcome = await withSpan(
    root.startChild(`tool:${tool.name}`, 'tool', { input, attributes: { [spanAttribute.tool]: tool.name } }),
    async (span) => {
      runningUnder(signal, `the tool ${tool.name}`);
      const outcome = await tool.run(input, toolContext);
      span.update({
        output: outcome.summary,
        ...(outcome.error ? { level: 'ERROR' as const, statusMessage: outcome.error } : {}),
        attributes: { [spanAttribute.rowCount]: outcome.rowCount, [spanAttribute.dbMs]: outcome.dbMs },
      });
      return outcome;
    },
  );
  if (outcome.error) {
    // The agent's model gets `{error, code, …}`; the code is the SQL error's, else the arguments were wrong.
    const { error: _message, code: _code, ...details } = outcome.content as Record<string, unknown>;
    return { ok: false, error: { code: outcome.sqlError?.code ?? 'invalid_input', message: outcome.error, details } };
  }
  return {
    ok: true,
    text: JSON.stringify(outcome.content),
    structured: outcome.content as Record<string, unknown>,
    summary: outcome.summary,
    rowCount: outcome.rowCount,
    dbMs: outcome.dbMs,
  };
}
