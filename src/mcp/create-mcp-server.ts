import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { executeSqlTool, searchMetadataTool, showTableTool } from '../agent/index.ts';
import { registerAgentTool } from './agent-tool-bridge.ts';
import { registerAskTool } from './ask-tool.ts';
import { registerListDatasourcesTool } from './list-datasources-tool.ts';
import type { McpAccess, McpApp } from './mcp-access.ts';

/** What the server tells a client at initialize, for its model. */
const instructions = [
  'sqlagent answers questions about SQL databases, read-only. Start with list_datasources.',
  "ask answers a question in plain language: the service's own agent writes, checks and runs the SQL.",
  'To write SQL yourself, find tables and columns with search_metadata and show_table, then run it with execute_sql.',
  'Every statement passes the SQL guard (one read-only statement over the allowed tables and functions) and runs in a',
  'read-only transaction with a statement timeout and a row cap; anything else comes back as an error result.',
].join(' ');

export interface McpServerOptions {
  /** Groups the `ask` traces of one connection (a stdio process); none over stateless HTTP. */
  sessionId?: string;
}

/**
 * The MCP server over the app: `list_datasources`, `ask` (the query service, as `POST /v1/query`), and the
 * agent's own `search_metadata`, `show_table` and `execute_sql`, each with a `datasource` argument. `access`
 * decides which datasources the caller sees and whether it has the admin scope. Every call is traced; a
 * refused or failing call is a tool result with `isError`, its message free of host names.
 *
 * @example
 * const server = createMcpServer(app, { userId: 'mcp', allowDatasource: () => true, allowAdmin: false });
 * await server.connect(new StdioServerTransport());
 */
export function createMcpServer(app: McpApp, access: McpAccess, options: McpServerOptions = {}): McpServer {
  const server = new McpServer({ name: 'sqlagent', version: '0.1.0' }, { instructions });
  const context = { app, access, sessionId: options.sessionId ?? null };
  registerListDatasourcesTool(server, context);
  registerAskTool(server, context);
  for (const tool of [searchMetadataTool, showTableTool, executeSqlTool]) registerAgentTool(server, context, tool);
  return server;
}
