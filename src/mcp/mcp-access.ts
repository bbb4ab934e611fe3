import type { App } from '../app.ts';

/**
 * Who calls the MCP server and what they may do: what an API key grants over HTTP, or the local user over
 * stdio. The transport builds it per connection (per request over stateless HTTP); the tools only ask it.
 *
 * @example
 * const access: McpAccess = { userId: 'key:ci-bot', allowDatasource: (id) => id === 'shop', allowAdmin: false };
 */
export interface McpAccess {
  /**
   * Who calls, as traces, stats and prompt routing (A/B buckets) see it: an API key's id over HTTP,
   * `mcp:<client name>` over stdio. Read at each call, so it may be a getter.
   */
  readonly userId: string;
  /** Whether the caller may use this datasource; the others are left out of `list_datasources` and refused. */
  allowDatasource(id: string): boolean;
  /** The admin scope: `ask` with a `label` needs it, as `POST /v1/query` does. */
  readonly allowAdmin: boolean;
  /** Adds what an answer cost to the caller's spend of the day (its rate limit), where it has one. */
  recordSpend?(costUsd: number | null): Promise<void>;
}

/** What the MCP tools use of the composition root. */
export type McpApp = Pick<App, 'config' | 'logger' | 'datasources' | 'knowledge' | 'queries' | 'tracing'>;

/** One MCP connection's view: the app, the caller, and the conversation its questions belong to. */
export interface McpCallContext {
  app: McpApp;
  access: McpAccess;
  /** Groups the traces of one connection (Langfuse sessions); null over stateless HTTP. */
  sessionId: string | null;
}
