import type { Request, RequestHandler, Response } from 'express';
import { ForbiddenError } from '../errors/index.ts';
import type { McpAccess, McpApp } from './mcp-access.ts';

const loadSdk = async () => {
  const [{ createMcpServer }, { StreamableHTTPServerTransport }] = await Promise.all([
    import('./create-mcp-server.ts'),
    import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
  ]);
  return { createMcpServer, StreamableHTTPServerTransport };
};

/**
 * MCP over streamable HTTP, stateless: each POST gets a server and a transport of its own, so any replica
 * answers any request and nothing is kept between requests (no session, no server-to-client stream: GET
 * and DELETE answer 405). Responses are JSON rather than an event stream. A client that disconnects
 * cancels its call. The SDK loads on the first request, so a service nobody calls over MCP does not pay
 * for it at start-up.
 *
 * `accessOf` says who the request comes from (an API key's grants); it may throw a `ServiceError` to refuse
 * the request, which the app's error handler answers in the usual JSON shape.
 */
export function mcpHttpHandler(app: McpApp, accessOf: (request: Request, response: Response) => McpAccess): RequestHandler {
  let sdk: ReturnType<typeof loadSdk> | null = null;
  return async (request, response) => {
    if (request.method !== 'POST') {
      response
        .status(405)
        .set('Allow', 'POST')
        .json({
          error: {
            code: 'method_not_allowed',
            message: 'MCP here is stateless: POST each JSON-RPC message to /mcp. There is no session to open (GET) or end (DELETE).',
          },
        });
      return;
    }
    // Browsers send an Origin header and MCP clients do not. Refusing it keeps web pages, including one whose
    // host name was rebound to this address (DNS rebinding, which the MCP spec asks servers to prevent), from
    // calling the tools.
    if (request.get('origin') !== undefined)
      throw new ForbiddenError('/mcp does not accept requests from web pages (the request has an Origin header).');
    const access = accessOf(request, response);
    const { createMcpServer, StreamableHTTPServerTransport } = await (sdk ??= loadSdk());
    const server = createMcpServer(app, access);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    // Once the response is sent, or the client went away: closing aborts any call still running.
    response.on('close', () => void server.close());
    await server.connect(transport);
    await transport.handleRequest(request, response, request.body);
  };
}
