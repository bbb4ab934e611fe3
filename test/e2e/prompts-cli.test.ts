import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { runCliInProcess } from '../support/cli-runner.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { LangfuseTestServer } from '../support/langfuse-server.ts';

const root = path.resolve(import.meta.dirname, '../..');

// Each case runs the CLI several times; on a busy two-core machine that takes a while.
describe('the prompts CLI', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;
  let langfuse: LangfuseTestServer;

  const cli = (args: string[], extra: Record<string, string> = {}) => runCliInProcess(['prompts', ...args], { ...env, ...extra });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-prompts-cli-'));
    await cp(path.join(root, 'prompts'), path.join(dir, 'prompts'), { recursive: true });
    await copyTemplate(inject('testEnvironment').pgliteTemplates.clinic, path.join(dir, 'clinic'));
    await writeFile(
      path.join(dir, 'config.json'),
      JSON.stringify({
        logLevel: 'warn',
        dataDir: path.join(dir, 'data'),
        datasources: [{ id: 'clinic', url: `pglite:${path.join(dir, 'clinic')}`, today: '2025-07-01' }],
      }),
    );
    langfuse = await LangfuseTestServer.start({ publicKey: 'pk-cli', secretKey: 'sk-cli' });
    env = {
      SQLAGENT_CONFIG: path.join(dir, 'config.json'),
      PROMPTS_DIR: path.join(dir, 'prompts'),
      LANGFUSE_PUBLIC_KEY: '',
      LANGFUSE_SECRET_KEY: '',
    };
  });
  afterAll(async () => {
    await langfuse?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists, shows and diffs', async () => {
    expect((await cli(['list'])).stdout).toMatch(
      /agent\/db_agent \| 1, 2, 3, 4, 5, 6, 7 +\| production=v6 staging=v7 variant_a=v2 variant_b=v3 latest=v7/,
    );
    const shown = await cli(['show', 'agent/db_agent', '--label', 'staging']);
    expect(shown.stdout).toMatch(/^agent\/db_agent v7 {2}\[staging, latest\] {2}source: local/);
    expect(shown.stdout).toContain('call show_table');
    const diff = await cli(['diff', 'agent/db_agent', 'v1', 'staging']);
    expect(diff.stdout).toMatch(/^--- agent\/db_agent v1 \(v1\)\n\+\+\+ agent\/db_agent v7 \(staging\)/);
    expect(diff.stdout).toMatch(/^- You are a data analyst\./m);
    expect(diff.stdout).toMatch(/^\+ You write \{\{ dialect \}\} SQL/m);
  });

  it('renders against a live datasource with the token count', async () => {
    const rendered = await cli(['render', 'agent/db_agent', '--datasource', 'clinic', '--label', 'staging']);
    expect(rendered.code).toBe(0);
    expect(rendered.stdout).toContain('Today is 2025-07-01.');
    expect(rendered.stdout).toMatch(/public: .*appointments\(id,patient_id,doctor_id/);
    // The row limit the agent serves (agent.defaultRowLimit), not the datasource's row cap (1000).
    expect(rendered.stdout).toContain('LIMIT 100 unless all rows are asked for');
    expect(rendered.stderr).toMatch(/agent\/db_agent v7 \(label staging, override\) on clinic: \d+ tokens/);
  });

  it('creates, promotes and rolls back, and names bad input', async () => {
    const file = path.join(dir, 'new.md');
    await writeFile(file, '---\nconfig:\n  temperature: 0.3\ncommitMessage: from a file\n---\nShort prompt for {{ meta.datasource }}.\n');
    expect((await cli(['create', 'agent/db_agent', '--file', file])).stdout).toMatch(/Created agent\/db_agent v8 in the local store/);
    expect((await cli(['promote', 'agent/db_agent', 'v8', '--label', 'production'])).stdout).toMatch(/production -> v8/);
    expect((await cli(['show', 'agent/db_agent', '--json'])).stdout).toMatch(/"version": 8/);
    expect((await cli(['rollback', 'agent/db_agent', '--label', 'production'])).stdout).toMatch(/rolled back to v6/);
    const latest = await cli(['promote', 'agent/db_agent', '1', '--label', 'latest']);
    expect(latest.code).toBe(2);
    expect(latest.stderr).toMatch(/"latest" always points at the highest version/);
    await writeFile(file, 'Broken {% for %}');
    const broken = await cli(['create', 'agent/db_agent', '--file', file]);
    expect(broken.code).toBe(11);
    expect(broken.stderr).toMatch(/failed to compile/);
    const missing = await cli(['show', 'agent/db_agent', '--version', '99']);
    expect(missing.code).toBe(10);
  });

  it('invalidate asks a running service to re-read the prompt, with the admin token', async () => {
    const token = 'admin-token-for-tests-0123456789';
    const app = createApp(
      loadConfig({ env: { SQLAGENT_ADMIN_TOKEN: token, PROMPTS_DIR: path.join(dir, 'prompts') }, overrides: { datasources: [] } }),
      { logger: createLogger('silent') },
    );
    const { server, base } = await listenOnLoopback(createHttpApp(app));
    try {
      const done = await cli(['invalidate', 'agent/db_agent', '--server', base], { SQLAGENT_ADMIN_TOKEN: token });
      expect(done.stdout).toMatch(/agent\/db_agent will be re-read on its next use/);
      const refused = await cli(['invalidate', 'agent/db_agent', '--server', base]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/answered 403: .*admin scope/);
    } finally {
      server.close();
      await app.close();
    }
  });

  it('pushes to Langfuse and pulls back, with the Langfuse store chosen by config', async () => {
    const langfuseEnv = { LANGFUSE_PUBLIC_KEY: 'pk-cli', LANGFUSE_SECRET_KEY: 'sk-cli', LANGFUSE_BASE_URL: langfuse.baseUrl };
    const pushed = await cli(['push', 'agent/db_agent'], langfuseEnv);
    expect(pushed.code).toBe(0);
    expect(pushed.stdout).toMatch(
      /agent\/db_agent: versions v1->v1 v2->v2 v3->v3 v4->v4 v5->v5 v6->v6 v7->v7 v8->v8; created v1, v2, v3, v4, v5, v6, v7, v8; labels production=v6/,
    );
    expect(langfuse.promptVersions('agent/db_agent').map((version) => version.labels)).toEqual([
      [],
      ['variant_a'],
      ['variant_b'],
      [],
      [],
      ['production'],
      ['staging'],
      ['latest'],
    ]);
    const listed = await cli(['list'], langfuseEnv);
    expect(listed.stdout).toMatch(/agent\/db_agent \| 1, 2, 3, 4, 5, 6, 7, 8/);
    const promoted = await cli(['promote', 'agent/db_agent', '8', '--label', 'staging'], langfuseEnv);
    expect(promoted.code).toBe(0);
    const pulled = await cli(['pull'], langfuseEnv);
    expect(pulled.stdout).toMatch(/created none; labels .*staging=v8/);
    expect((await cli(['show', 'agent/db_agent', '--label', 'staging'])).stdout).toMatch(/^agent\/db_agent v8/);
  });
});
