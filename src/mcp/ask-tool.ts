import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { QueryResult } from '../query/index.ts';
import { assertDatasourceAllowed, datasourceArgument } from './datasource-argument.ts';
import type { McpCallContext } from './mcp-access.ts';
import { failedAnswer, toCallToolResult } from './tool-answer.ts';

const askInput = z
  .object({
    datasource: datasourceArgument,
    question: z.string().min(1).describe('The question in plain language, for example "How many customers live in Germany?".'),
    label: z
      .string()
      .min(1)
      .max(36)
      .optional()
      .describe('Answer with this prompt label instead of the routed one (needs the admin scope).'),
    cache: z.enum(['use', 'bypass', 'refresh']).optional().describe('use the result cache (default), bypass it, or refresh the entry.'),
  })
  .strict();

const askOutput = z.object({
  answer: z.string(),
  explanation: z.string().nullable(),
  sql: z.string(),
  columns: z.array(z.object({ name: z.string(), dataType: z.string(), typeFamily: z.string() })),
  rows: z.array(z.array(z.unknown())),
  truncated: z.boolean(),
  label: z.string(),
  promptVersion: z.number(),
  model: z.string(),
  tier: z.string(),
  cached: z.union([z.literal(false), z.enum(['sql', 'rows'])]),
  costUsd: z.number().nullable(),
  latencyMs: z.number(),
  warnings: z.array(z.string()),
  traceId: z.string(),
});

/**
 * `ask`: a question answered by the service's own agent through `app.queries.ask`, the path `POST
 * /v1/query` takes: the result cache, the per-datasource bound on agent runs, the request deadline, and a
 * `query` trace under the caller's user id. The text is the answer, the SQL and the first rows; the
 * structured content has every row.
 */
export function registerAskTool(server: McpServer, context: McpCallContext): void {
  const { app, access } = context;
  server.registerTool(
    'ask',
    {
      description:
        "Ask a question about a datasource's data in plain language. The service's agent finds the tables, writes read-only SQL, checks and runs it, and answers with the SQL and the rows.",
      inputSchema: askInput,
      outputSchema: askOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, openWorldHint: false },
    },
    async (args, extra) => {
      try {
        assertDatasourceAllowed(access, args.datasource);
        const result = await app.queries.ask({
          ...args,
          labelAllowed: access.allowAdmin,
          userId: access.userId,
          sessionId: context.sessionId,
          signal: extra.signal,
        });
        await access.recordSpend?.(result.costUsd);
        return toCallToolResult({
          ok: true,
          text: askText(result, app.config.agent.rowsShownToModel),
          structured: structuredAnswer(result),
          summary: result.answer,
        });
      } catch (error) {
        return toCallToolResult(failedAnswer(error, 'ask', app.logger));
      }
    },
  );
}

function structuredAnswer(result: QueryResult): z.infer<typeof askOutput> {
  return {
    answer: result.answer,
    explanation: result.explanation,
    sql: result.sql,
    columns: result.columns,
    rows: result.rows,
    truncated: result.truncated,
    label: result.label,
    promptVersion: result.promptVersion,
    model: result.model,
    tier: result.tier,
    cached: result.cached,
    costUsd: result.costUsd,
    latencyMs: result.latency.totalMs,
    warnings: result.warnings,
    traceId: result.traceId,
  };
}

/** The answer, its SQL and at most `rowsShown` rows (one JSON array a line), for a model to read. */
function askText(result: QueryResult, rowsShown: number): string {
  const shown = result.rows.slice(0, rowsShown);
  const count = `${result.rows.length} row${result.rows.length === 1 ? '' : 's'}${result.truncated ? ', truncated' : ''}`;
  return [
    result.answer,
    '',
    `SQL: ${result.sql}`,
    '',
    `columns: ${JSON.stringify(result.columns.map((column) => column.name))}`,
    ...shown.map((row) => JSON.stringify(row)),
    `(${count}${shown.length < result.rows.length ? `; the first ${shown.length} shown, all in the structured content` : ''})`,
    ...result.warnings.map((warning) => `warning: ${warning}`),
    `trace: ${result.traceId}`,
  ].join('\n');
}
