import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { McpCallContext } from './mcp-access.ts';
import { tracedToolCall } from './traced-tool-call.ts';

const datasourcesOutput = z.object({
  datasources: z.array(
    z.object({
      id: z.string(),
      dialect: z.string(),
      description: z.string().nullable(),
      url: z.string(),
      rowCap: z.number(),
      statementTimeoutMs: z.number(),
    }),
  ),
});

/** `list_datasources`: the configured datasources this caller may use, as `GET /v1/datasources` lists them (passwords masked). */
export function registerListDatasourcesTool(server: McpServer, context: McpCallContext): void {
  server.registerTool(
    'list_datasources',
    {
      description:
        'List the datasources you can query: id, SQL dialect (postgres or mysql), description, URL with the password masked, row cap and statement timeout.',
      outputSchema: datasourcesOutput,
      annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    },
    async (extra) =>
      tracedToolCall(context, { tool: 'list_datasources', datasource: null, signal: extra.signal }, async () => {
        const datasources = context.app.datasources.list().filter((datasource) => context.access.allowDatasource(datasource.id));
        return {
          ok: true,
          text: JSON.stringify({ datasources }),
          structured: { datasources },
          summary: `${datasources.length} datasource${datasources.length === 1 ? '' : 's'}`,
        };
      }),
  );
}
