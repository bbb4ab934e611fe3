import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'vitest';
import { shippedLabels } from './shipped-labels.ts';

/** What a tool call returned, as the SDK's client gives it. */
export type ToolResult = Awaited<ReturnType<Client['callTool']>>;

export const mcpToolNames = ['ask', 'execute_sql', 'list_datasources', 'search_metadata', 'show_table'];

/** The text of a result's first content block. */
export function textOf(result: ToolResult): string {
  const first = (result.content as { type: string; text?: string }[])[0];
  expect(first?.type).toBe('text');
  return first.text ?? '';
}

/** The `{code, message, details}` of a failed call (`isError`, the HTTP API's error shape as text). */
export function errorOf(result: ToolResult): { code: string; message: string; details?: Record<string, unknown> } {
  expect(result.isError).toBe(true);
  return (JSON.parse(textOf(result)) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
}

const run = (client: Client, sql: string, datasource = 'shop') => client.callTool({ name: 'execute_sql', arguments: { datasource, sql } });

/** The tools, and the datasources they name, are what a client sees first. */
export async function expectToolsAndDatasources(client: Client): Promise<void> {
  const { tools } = await client.listTools();
  expect(tools.map((tool) => tool.name).sort()).toEqual(mcpToolNames);
  const executeSql = tools.find((tool) => tool.name === 'execute_sql')!;
  expect(executeSql.inputSchema.required).toEqual(['datasource', 'sql']);
  expect(executeSql.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
  const listed = await client.callTool({ name: 'list_datasources', arguments: {} });
  expect(listed.isError).toBeFalsy();
  const { datasources } = listed.structuredContent as { datasources: unknown[] };
  expect(datasources).toContainEqual(expect.objectContaining({ id: 'shop', dialect: 'postgres', rowCap: 1000, description: null }));
  expect(JSON.parse(textOf(listed))).toEqual(listed.structuredContent);
}

/**
 * execute_sql runs a read, and refuses a write and a system catalog with the guard's reason, as results with
 * `isError` and not as protocol errors; afterwards the data is as it was.
 */
export async function expectReadsOnly(client: Client): Promise<void> {
  const counted = await run(client, 'SELECT COUNT(*) AS orders FROM orders');
  expect(counted.isError).toBeFalsy();
  expect(counted.structuredContent).toMatchObject({ columns: ['orders'], rowCount: 1, truncated: false });
  const [[orders]] = (counted.structuredContent as { rows: number[][] }).rows;
  expect(orders).toBeGreaterThan(0);
  expect(JSON.parse(textOf(counted))).toEqual(counted.structuredContent);

  expect(errorOf(await run(client, 'DROP TABLE orders'))).toMatchObject({
    code: 'sql_rejected',
    message: expect.stringMatching(/only reads .* are allowed, not DROP/),
  });
  expect(errorOf(await run(client, 'SELECT * FROM pg_catalog.pg_authid'))).toMatchObject({
    code: 'sql_rejected',
    message: expect.stringMatching(/reading pg_authid is not allowed/),
  });
  expect(errorOf(await run(client, "UPDATE customers SET country = 'Atlantis'"))).toMatchObject({ code: 'sql_rejected' });
  // What escapes a server that only wraps the string in a read-only transaction.
  expect(errorOf(await run(client, 'COMMIT; DROP TABLE orders'))).toMatchObject({ code: 'sql_rejected' });
  // And what escapes a check of the first keyword.
  expect(errorOf(await run(client, 'WITH gone AS (DELETE FROM orders RETURNING id) SELECT COUNT(*) FROM gone'))).toMatchObject({
    code: 'sql_rejected',
  });
  expect((await run(client, 'SELECT COUNT(*) AS orders FROM orders')).structuredContent).toMatchObject({ rows: [[orders]] });
  expect((await run(client, "SELECT COUNT(*) FROM customers WHERE country = 'Atlantis'")).structuredContent).toMatchObject({ rows: [[0]] });
}

/** search_metadata and show_table answer as they do for the agent's model; an unknown datasource is an error result. */
export async function expectSchemaTools(client: Client): Promise<void> {
  const search = await client.callTool({ name: 'search_metadata', arguments: { datasource: 'shop', query: 'Germany' } });
  expect(search.isError).toBeFalsy();
  expect((search.structuredContent as { hits: { table: string; column?: string }[] }).hits[0]).toMatchObject({
    table: 'customers',
    column: 'country',
  });
  const table = await client.callTool({ name: 'show_table', arguments: { datasource: 'shop', table: 'customers' } });
  expect(table.isError).toBeFalsy();
  expect(textOf(table)).toContain('country');
  expect(errorOf(await client.callTool({ name: 'show_table', arguments: { datasource: 'shop', table: 'custmers' } }))).toMatchObject({
    code: 'invalid_input',
    details: { suggestions: ['public.customers'] },
  });
  expect(errorOf(await run(client, 'SELECT 1', 'nowhere'))).toMatchObject({ code: 'datasource_not_found' });
}

/** ask answers through the query service with the offline model; returns its structured content. */
export async function expectAskAnswers(client: Client): Promise<{ traceId: string; cached: unknown }> {
  const asked = await client.callTool({
    name: 'ask',
    arguments: { datasource: 'shop', question: 'How many customers live in Germany?' },
  });
  expect(asked.isError).toBeFalsy();
  const answer = asked.structuredContent as { traceId: string; cached: unknown; rows: unknown[][]; model: string; sql: string };
  expect(answer).toMatchObject({ rows: [[383]], model: 'offline', promptVersion: shippedLabels.production, truncated: false });
  expect(answer.traceId).toMatch(/^[0-9a-f]{32}$/);
  expect(textOf(asked)).toContain(answer.sql);
  expect(textOf(asked)).toContain('[383]');
  expect(textOf(asked)).toContain(`trace: ${answer.traceId}`);
  return answer;
}
