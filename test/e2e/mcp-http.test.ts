import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { mcpHttpHandler } from '../../src/mcp/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { keylessEnv } from '../support/keyless-env.ts';
import { errorOf, expectAskAnswers, expectReadsOnly, expectSchemaTools, expectToolsAndDatasources } from '../support/mcp-checks.ts';

/** A client of the SDK, connected over streamable HTTP to `url`. */
async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'vitest-http', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(new URL(url)));
  return client;
}

// The service's own HTTP app, in process on a loopback port, and the SDK's client over streamable HTTP.
describe('MCP over streamable HTTP at /mcp', { timeout: 60_000 }, () => {
  let dir: string;
  let app: App;
  let server: Server;
  let base: string;
  let client: Client;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-mcp-http-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = loadConfig({
      env: keylessEnv,
      overrides: {
        dataDir: dir,
        datasources: [
          { id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' },
          // Nothing listens on port 1: opening it fails with the address in the driver's message.
          { id: 'warehouse', url: 'postgres://reader@127.0.0.1:1/warehouse', connectTimeoutMs: 1000 },
        ],
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app)));
    client = await connect(`${base}/mcp`);
  });
  afterAll(async () => {
    await client?.close();
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('announces itself and its tools, and lists the configured datasources', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'sqlagent' });
    await expectToolsAndDatasources(client);
  });

  it('execute_sql reads, and refuses a write or a system catalog with the guard’s reason', async () => {
    await expectReadsOnly(client);
  });

  it('search_metadata and show_table are the agent’s own tools', async () => {
    await expectSchemaTools(client);
  });

  it('ask answers through the query service, and its trace is in the local store', async () => {
    const { traceId } = await expectAskAnswers(client);
    await app.tracing.forceFlush();
    const trace = await (await app.traceStore())!.getTrace(traceId);
    expect(trace?.root.span).toMatchObject({ name: 'query', userId: 'mcp', datasource: 'shop' });
    expect(trace?.spans.map((span) => span.name)).toEqual(expect.arrayContaining(['schema', 'prompt', 'cache', 'tier:offline']));
  });

  it('traces every other call as mcp, with its tool span; a refused statement fails its trace', async () => {
    const refused = await client.callTool({ name: 'execute_sql', arguments: { datasource: 'shop', sql: 'DELETE FROM orders' } });
    expect(errorOf(refused).code).toBe('sql_rejected');
    await app.tracing.forceFlush();
    const store = (await app.traceStore())!;
    const calls = (await store.listTraces({ user: 'mcp', limit: 1000 })).filter((summary) => summary.name === 'mcp');
    expect(calls.length).toBeGreaterThanOrEqual(8);
    const latest = (await store.getTrace(calls[0].traceId))!;
    expect(calls[0].failed).toBe(true);
    expect(latest.root.span).toMatchObject({
      level: 'ERROR',
      datasource: 'shop',
      attributes: expect.objectContaining({ 'sqlagent.error_type': 'sql_rejected' }),
    });
    expect(latest.spans.map((span) => span.name)).toEqual(['mcp', 'schema', 'tool:execute_sql']);
  });

  it('an unreachable datasource is an error result that names no host', async () => {
    const failed = errorOf(await client.callTool({ name: 'execute_sql', arguments: { datasource: 'warehouse', sql: 'SELECT 1' } }));
    expect(failed.code).toBe('datasource_unavailable');
    expect(JSON.stringify(failed)).not.toMatch(/127\.0\.0\.1|:1\b/);
    expect(JSON.stringify(failed)).toContain('<host>');
  });

  it('choosing a prompt label needs the admin scope, as on /v1/query', async () => {
    const refused = await client.callTool({
      name: 'ask',
      arguments: { datasource: 'shop', question: 'How many customers live in Germany?', label: 'variant_a' },
    });
    expect(errorOf(refused)).toMatchObject({ code: 'forbidden', details: { traceId: expect.stringMatching(/^[0-9a-f]{32}$/) } });
  });

  it('is stateless: a bare POST is answered in JSON, GET and DELETE answer 405, and a request from a web page (Origin) is refused', async () => {
    for (const method of ['GET', 'DELETE']) {
      const response = await fetch(`${base}/mcp`, { method, headers: { accept: 'text/event-stream' } });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await response.json()).toMatchObject({ error: { code: 'method_not_allowed' } });
    }
    // A bare JSON-RPC call, as curl would send it, needs no initialize first.
    const bare = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tools/call',
        params: { name: 'execute_sql', arguments: { datasource: 'shop', sql: 'SELECT COUNT(*) AS regions FROM regions' } },
      }),
    });
    expect(bare.status).toBe(200);
    expect(bare.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await bare.json()).toMatchObject({ id: 7, result: { structuredContent: { rows: [[12]] } } });
    const fromPage = await fetch(`${base}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', origin: 'http://rebound.example' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(fromPage.status).toBe(403);
    expect(await fromPage.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('takes who may use what from the access its mount gives (where API keys plug in)', async () => {
    const keyed = express();
    keyed.use(express.json());
    keyed.all(
      '/mcp',
      mcpHttpHandler(app, () => ({ userId: 'key:analyst', allowDatasource: (id) => id === 'shop', allowAdmin: true })),
    );
    const listening = await listenOnLoopback(keyed);
    const analyst = await connect(`${listening.base}/mcp`);
    try {
      const listed = await analyst.callTool({ name: 'list_datasources', arguments: {} });
      expect((listed.structuredContent as { datasources: { id: string }[] }).datasources.map((entry) => entry.id)).toEqual(['shop']);
      expect(
        errorOf(await analyst.callTool({ name: 'show_table', arguments: { datasource: 'warehouse', table: 'orders' } })),
      ).toMatchObject({
        code: 'forbidden',
      });
      const labelled = await analyst.callTool({
        name: 'ask',
        arguments: { datasource: 'shop', question: 'How many customers live in Germany?', label: 'variant_a', cache: 'bypass' },
      });
      expect(labelled.structuredContent).toMatchObject({ label: 'variant_a', promptVersion: 2, rows: [[383]] });
      await app.tracing.forceFlush();
      const trace = await (await app.traceStore())!.getTrace((labelled.structuredContent as { traceId: string }).traceId);
      expect(trace?.root.span.userId).toBe('key:analyst');
    } finally {
      await analyst.close();
      listening.server.close();
    }
  });
});
