/**
 * The MCP server: the service's tools for agents (`list_datasources`, `ask`, `search_metadata`,
 * `show_table`, `execute_sql`) over stdio (`sqlagent mcp`) and streamable HTTP (`/mcp`), through the same
 * guard, executor, cache, back-pressure and tracing as HTTP. Importing this loads no part of the MCP SDK:
 * each transport loads it when it starts.
 */
export type { McpAccess, McpApp } from './mcp-access.ts';
export { mcpHttpHandler } from './mcp-http-handler.ts';
export { serveMcpOverStdio, type StdioSession, type StdioSessionOptions } from './stdio-session.ts';
