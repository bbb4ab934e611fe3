import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument, operations, renderRouteTable } from '../../src/http/openapi.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('the OpenAPI document and the README (issue 12)', () => {
  it("README's route table is the one rendered from the document (run `npm run docs:api` after changing a route)", async () => {
    const readme = await readFile(path.join(root, 'README.md'), 'utf8');
    const table = /<!-- api-table:begin -->\n([\s\S]*?)\n<!-- api-table:end -->/.exec(readme)?.[1];
    expect(table, 'README.md holds the api-table block').toBeDefined();
    expect(table).toBe(renderRouteTable(buildOpenApiDocument()));
  });

  it('gives every operation a unique id, its error body and, when it takes a key, the bearer scheme', () => {
    const document = buildOpenApiDocument({ version: '1.2.3' });
    expect(new Set(operations.map((operation) => operation.operationId)).size).toBe(operations.length);
    for (const operation of operations) {
      const described = (document.paths[operation.path] as Record<string, any>)[operation.method];
      for (const status of operation.errors)
        expect(described.responses[status].content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ErrorResponse' });
      expect(described.security).toEqual(operation.access === 'public' ? [] : [{ bearer: [] }]);
    }
    // Request bodies are described as sent: a strict body refuses unknown fields; defaults leave a field optional.
    const queryRequest = document.components.schemas.QueryRequest as { additionalProperties?: boolean; required?: string[] };
    expect(queryRequest.additionalProperties).toBe(false);
    expect(queryRequest.required?.sort()).toEqual(['datasource', 'question']);
    // A partly described object (the eval report) allows the fields it does not list; a full one does not.
    expect((document.components.schemas.EvalReport as { additionalProperties?: unknown }).additionalProperties).toBeUndefined();
    expect((document.components.schemas.QueryResult as { additionalProperties?: unknown }).additionalProperties).toBe(false);
  });
});
