import type { Readable, Writable } from 'node:stream';
import type { McpAccess, McpApp } from './mcp-access.ts';

export interface StdioSessionOptions {
  /**
   * What the caller may do; default everything, admin included, as the CLI may (the host runs this process
   * as the local user, with the config in hand). The user id is always `mcp:<client name>`, the name the
   * host gives at initialize.
   */
  access?: Omit<McpAccess, 'userId'>;
  /** Groups the `ask` traces of this session. */
  sessionId?: string;
  /** Default `process.stdin` and `process.stdout`, which then carry nothing but the protocol. */
  input?: Readable;
  output?: Writable;
}

/** An MCP session over a pair of streams. */
export interface StdioSession {
  /** Resolves when the session has ended: the client closed its end, or `close` was called. */
  readonly closed: Promise<void>;
  /** Ends the session; calls still running are cancelled. */
  close(): Promise<void>;
}

/**
 * Serves the MCP tools over stdio (newline-delimited JSON-RPC), for a host such as Claude Desktop that
 * starts the server as its child. The session ends when the host closes stdin, which the SDK's transport
 * alone does not notice.
 */
export async function serveMcpOverStdio(app: McpApp, options: StdioSessionOptions): Promise<StdioSession> {
  const [{ createMcpServer }, { StdioServerTransport }] = await Promise.all([
    import('./create-mcp-server.ts'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const input = options.input ?? process.stdin;
  const grants = options.access ?? { allowDatasource: () => true, allowAdmin: true };
  const access: McpAccess = {
    // The client names itself at initialize, after the server exists: read at each call.
    get userId() {
      return `mcp:${server.server.getClientVersion()?.name ?? 'stdio'}`;
    },
    allowDatasource: (id) => grants.allowDatasource(id),
    allowAdmin: grants.allowAdmin,
  };
  const server = createMcpServer(app, access, { sessionId: options.sessionId });
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
  });
  input.once('end', () => void server.close());
  await server.connect(new StdioServerTransport(input, options.output ?? process.stdout));
  return { closed, close: () => server.close() };
}
