import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runCliInProcess } from '../support/cli-runner.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { keylessEnv } from '../support/keyless-env.ts';
import { expectAskAnswers, expectReadsOnly, expectSchemaTools, expectToolsAndDatasources } from '../support/mcp-checks.ts';

const root = path.resolve(import.meta.dirname, '../..');

// The real process, as an MCP host starts it: `node bin/sqlagent.mjs mcp`, spoken to by the SDK's own client.
describe('sqlagent mcp: the MCP tools over stdio', { timeout: 120_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let transport: StdioClientTransport;
  let client: Client;
  let stderr = '';
  const transportErrors: Error[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-mcp-stdio-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = path.join(dir, 'config.json');
    await writeFile(
      config,
      JSON.stringify({
        dataDir: dir,
        // Absolute, as the README advises: a host starts the server in a folder of its own.
        prompts: { directory: path.join(root, 'prompts') },
        knowledge: { directory: path.join(root, 'knowledge') },
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
      }),
    );
    // Only what a host passes on (the SDK's default environment), without any model or Langfuse key.
    env = { ...getDefaultEnvironment(), ...keylessEnv, SQLAGENT_CONFIG: config, SQLAGENT_DATA_DIR: '' };
    transport = new StdioClientTransport({
      command: process.execPath,
      args: [path.join(root, 'bin/sqlagent.mjs'), 'mcp'],
      cwd: dir,
      env,
      stderr: 'pipe',
    });
    transport.stderr!.on('data', (chunk) => (stderr += chunk));
    // A line on stdout that is not JSON-RPC (a stray log) would be reported here.
    transport.onerror = (error) => transportErrors.push(error);
    client = new Client({ name: 'vitest', version: '1.0.0' });
    await client.connect(transport);
  });
  afterAll(async () => {
    await client?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('announces itself and its tools, and lists the configured datasource', async () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'sqlagent' });
    expect(client.getInstructions()).toMatch(/read-only/);
    await expectToolsAndDatasources(client);
  });

  it('execute_sql reads, and refuses a write or a system catalog with the guard’s reason', async () => {
    await expectReadsOnly(client);
  });

  it('search_metadata and show_table are the agent’s own tools', async () => {
    await expectSchemaTools(client);
  });

  it('ask answers with the offline model; a second ask is served by the result cache', async () => {
    const first = await expectAskAnswers(client);
    expect(first.cached).toBe(false);
    const second = await expectAskAnswers(client);
    expect(second.cached).toBe('rows');
    expect(second.traceId).not.toBe(first.traceId);
  });

  it('ends when the host closes stdin: traces are flushed and the next process loads them', async () => {
    const { traceId } = await expectAskAnswers(client);
    const pid = transport.pid!;
    await client.close();
    expect(() => process.kill(pid, 0)).toThrow();
    // It stopped by itself: the SDK's client sends SIGTERM only to a server still running 2 s after stdin closed.
    expect(stderr).toMatch(/"message":"stopped"/);
    expect(stderr).not.toMatch(/shutting down/);
    expect(transportErrors).toEqual([]);

    const quiet = { ...env, SQLAGENT_LOG_LEVEL: 'warn' };
    const shown = await runCliInProcess(['traces', 'show', traceId, '--json'], quiet);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout).root.span).toMatchObject({ name: 'query', userId: 'mcp:vitest' });
    const listed = await runCliInProcess(['traces', 'list', '--user', 'mcp:vitest', '--limit', '100', '--json'], quiet);
    const summaries = JSON.parse(listed.stdout) as { name: string; failed: boolean }[];
    // Every call made a trace: the questions as `query`, the other tools as `mcp`; the refusals failed.
    expect(summaries.filter((summary) => summary.name === 'query')).toHaveLength(3);
    expect(summaries.filter((summary) => summary.name === 'mcp' && summary.failed).length).toBeGreaterThanOrEqual(4);
  });
});
