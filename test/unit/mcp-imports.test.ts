import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importEdges, loadedBy, sourceFiles } from '../support/import-graph.ts';

const root = path.resolve(import.meta.dirname, '../..');
const edges = importEdges(root, sourceFiles(root, 'src'));
const sdk = (loaded: Set<string>) => [...loaded].filter((name) => name.startsWith('@modelcontextprotocol/')).sort();

describe('what the MCP server costs those that do not use it', () => {
  it('the HTTP app and the mcp room load no part of the MCP SDK until a transport starts', () => {
    expect(sdk(loadedBy(edges, 'src/http/index.ts'))).toEqual([]);
    expect(sdk(loadedBy(edges, 'src/mcp/index.ts'))).toEqual([]);
    // The server itself does load it (so the checks above can fail), and the transports load the server
    // only when they start: the first request to /mcp, or `sqlagent mcp`.
    expect(sdk(loadedBy(edges, 'src/mcp/create-mcp-server.ts'))).toEqual(['@modelcontextprotocol/sdk']);
    const dynamic = edges.filter((edge) => edge.dynamic && edge.from.startsWith('src/mcp/'));
    expect(dynamic.map((edge) => `${edge.from} -> ${edge.to}`).sort()).toEqual([
      'src/mcp/mcp-http-handler.ts -> @modelcontextprotocol/sdk',
      'src/mcp/mcp-http-handler.ts -> src/mcp/create-mcp-server.ts',
      'src/mcp/stdio-session.ts -> @modelcontextprotocol/sdk',
      'src/mcp/stdio-session.ts -> src/mcp/create-mcp-server.ts',
    ]);
  });
});
