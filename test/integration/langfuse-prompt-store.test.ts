import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, PromptNotFoundError, PromptStoreUnavailableError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { LangfusePromptStore, LocalPromptStore, syncPrompts, type PromptStore } from '../../src/prompts/index.ts';
import { LangfuseTestServer } from '../support/langfuse-server.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const keys = { publicKey: 'pk-lf-test', secretKey: 'sk-lf-test' };
const name = 'agent/db_agent';
const shipped = path.resolve(import.meta.dirname, '../../prompts');
const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

describe('the Langfuse prompt store against a loopback Langfuse API, through the real @langfuse/client', () => {
  let server: LangfuseTestServer;
  let directory: string;
  let logLines: string[];

  const makeStore = (options: { cacheTtlSeconds?: number; fallback?: PromptStore | null; timeoutMs?: number; now?: () => number } = {}) =>
    new LangfusePromptStore({
      ...keys,
      baseUrl: server.baseUrl,
      cacheTtlSeconds: options.cacheTtlSeconds ?? 60,
      timeoutMs: options.timeoutMs ?? 2000,
      now: options.now,
      fallback: options.fallback === undefined ? null : options.fallback,
      historyFile: path.join(directory, 'history.json'),
      logger: createLogger('warn', (line) => logLines.push(line)),
    });
  const prompts = () => server.requests.filter((request) => request.path.startsWith('/api/public/v2/prompts'));

  beforeAll(async () => {
    server = await LangfuseTestServer.start(keys);
  });
  afterAll(() => server?.close());
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sqlagent-langfuse-'));
    logLines = [];
    server.setMode('up');
    server.seedPrompt(name, [
      { prompt: 'v1 for {{ meta.datasource }}', config: { temperature: 0 }, labels: [], commitMessage: 'one' },
      {
        prompt: 'v2 for {{ meta.datasource }}',
        config: { temperature: 0, model: 'gpt-4o-mini' },
        labels: ['production', 'variant_a'],
        commitMessage: 'two',
      },
      { prompt: 'v3 for {{ meta.datasource }}', config: {}, labels: ['staging'], commitMessage: 'three' },
    ]);
    server.clearRequests();
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('reads production by default, a label, or a version, with Basic auth and the name encoded', async () => {
    const store = makeStore();
    const production = await store.get(name);
    expect(production).toMatchObject({
      name,
      version: 2,
      template: 'v2 for {{ meta.datasource }}',
      source: 'langfuse',
      isFallback: false,
      commitMessage: 'two',
    });
    expect(production.labels).toEqual(['production', 'variant_a']);
    expect(production.config).toEqual({ temperature: 0, model: 'gpt-4o-mini' });
    expect((await store.get(name, { label: 'staging' })).version).toBe(3);
    expect((await store.get(name, { label: 'latest' })).version).toBe(3);
    expect((await store.get(name, { version: 1, label: 'staging' })).version).toBe(1);
    const [first] = prompts();
    expect(first).toMatchObject({ method: 'GET', path: '/api/public/v2/prompts/agent%2Fdb_agent', query: { label: 'production' } });
    expect(first.authorization).toBe(`Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`);
    expect(prompts().find((request) => request.query.version === '1')?.query.label).toBeUndefined();
  });

  it('names what is missing, and refuses wrong keys as unavailable', async () => {
    const store = makeStore();
    await expect(store.get('agent/nope')).rejects.toThrow(PromptNotFoundError);
    await expect(store.get(name, { label: 'canary' })).rejects.toThrow(/Langfuse has no prompt "agent\/db_agent" with label "canary"/);
    const wrong = new LangfusePromptStore({
      ...keys,
      secretKey: 'wrong',
      baseUrl: server.baseUrl,
      cacheTtlSeconds: 0,
      timeoutMs: 2000,
      fallback: null,
      historyFile: path.join(directory, 'h.json'),
      logger: createLogger('silent'),
    });
    await expect(wrong.get(name)).rejects.toThrow(PromptStoreUnavailableError);
  });

  it('serves from the SDK cache within the TTL, and asks again with a TTL of 0', async () => {
    const cached = makeStore({ cacheTtlSeconds: 60 });
    await cached.get(name);
    await cached.get(name);
    expect(prompts()).toHaveLength(1);
    server.clearRequests();
    const uncached = makeStore({ cacheTtlSeconds: 0 });
    await uncached.get(name);
    await uncached.get(name);
    expect(prompts()).toHaveLength(2);
  });

  it('serves a stale entry at once while it refreshes in the background', async () => {
    const store = makeStore({ cacheTtlSeconds: 1 });
    expect((await store.get(name)).version).toBe(2);
    await makeStore({ cacheTtlSeconds: 0 }).setLabel(name, 'production', 3);
    await wait(1100);
    expect((await store.get(name)).version).toBe(2);
    await wait(100);
    expect((await store.get(name)).version).toBe(3);
  });

  it('applies a label move made elsewhere at once after invalidate(), despite a long TTL', async () => {
    const store = makeStore({ cacheTtlSeconds: 3600 });
    expect((await store.get(name)).version).toBe(2);
    await makeStore().setLabel(name, 'production', 1);
    expect((await store.get(name)).version).toBe(2);
    store.invalidate(name);
    expect((await store.get(name)).version).toBe(1);
  });

  it('creates versions and moves labels with Langfuse semantics; latest cannot be set', async () => {
    const store = makeStore();
    const created = await store.createVersion(name, 'v4 {{ today }}', { temperature: 0.1 }, 'four');
    expect(created).toMatchObject({ version: 4, labels: ['latest'] });
    expect(prompts().find((request) => request.method === 'POST')?.body).toMatchObject({
      name,
      prompt: 'v4 {{ today }}',
      type: 'text',
      commitMessage: 'four',
      config: { temperature: 0.1 },
    });
    await store.setLabel(name, 'production', 4);
    expect(prompts().find((request) => request.method === 'PATCH')).toMatchObject({
      path: '/api/public/v2/prompts/agent%2Fdb_agent/versions/4',
      body: { newLabels: ['production'] },
    });
    expect(server.promptVersions(name).map((version) => [version.version, version.labels])).toEqual([
      [1, []],
      [2, ['variant_a']],
      [3, ['staging']],
      [4, ['latest', 'production']],
    ]);
    expect((await store.get(name)).version).toBe(4);
    await expect(store.setLabel(name, 'latest', 1)).rejects.toThrow(InvalidInputError);
    await expect(store.createVersion(name, '{% if %}', {}, 'broken')).rejects.toThrow(/failed to compile/);
  });

  it('rolls a label back across several moves using the history it recorded', async () => {
    const store = makeStore();
    await store.setLabel(name, 'production', 3);
    await store.setLabel(name, 'production', 1);
    // The moves this service made, without their time (Langfuse does not say when a label moved).
    expect((await store.labelHistory(name)).production).toEqual([2, 3, 1].map((version) => ({ version, at: null })));
    expect(await store.rollback(name, 'production')).toBe(3);
    expect(await store.rollback(name, 'production')).toBe(2);
    expect((await store.get(name)).version).toBe(2);
    await expect(store.rollback(name, 'production')).rejects.toThrow(/no earlier version recorded/);
    expect(JSON.parse(await readFile(path.join(directory, 'history.json'), 'utf8'))).toEqual({ [name]: { production: [2] } });
  });

  it.each(['down-500', 'down-connection-reset'] as const)('keeps serving the cached prompt when Langfuse is %s', async (mode) => {
    const store = makeStore({ cacheTtlSeconds: 1 });
    expect((await store.get(name)).version).toBe(2);
    server.setMode(mode);
    await wait(1100);
    const served = await store.get(name);
    expect(served).toMatchObject({ version: 2, isFallback: false });
    await wait(200);
    expect((await store.get(name)).version).toBe(2);
  });

  it('falls back to the local prompt, marked, logged and counted, when Langfuse is down and nothing is cached', async () => {
    await cp(shipped, path.join(directory, 'prompts'), { recursive: true });
    const store = makeStore({ fallback: new LocalPromptStore({ directory: path.join(directory, 'prompts') }) });
    server.setMode('down-500');
    const served = await store.get(name, { label: 'staging' });
    expect(served).toMatchObject({ version: shippedLabels.staging, source: 'local', isFallback: true });
    expect(store.fallbackCount).toBe(1);
    expect(logLines.join('\n')).toMatch(/serving the local prompt as a fallback/);
    // The SDK's own complaint comes through our logger: one JSON line, no stack.
    const sdkLines = () => logLines.map((line) => JSON.parse(line)).filter((line) => line.message === 'Langfuse SDK');
    expect(sdkLines()).toEqual([expect.objectContaining({ level: 'warn', message: 'Langfuse SDK', detail: expect.stringMatching(/500/) })]);
    expect(logLines.join('\n')).not.toMatch(/\n\s+at /);
    await expect(makeStore().get(name)).rejects.toThrow(PromptStoreUnavailableError);
  });

  it('opens a breaker when Langfuse hangs: for the cool-down, prompts come from the last good copy or the local files without asking it', async () => {
    await cp(shipped, path.join(directory, 'prompts'), { recursive: true });
    let clock = 1_000_000;
    const store = makeStore({
      fallback: new LocalPromptStore({ directory: path.join(directory, 'prompts') }),
      timeoutMs: 300,
      now: () => clock,
    });
    expect(await store.get(name)).toMatchObject({ version: 2, source: 'langfuse', isFallback: false });
    // Langfuse now accepts and never answers in time; staging was never fetched, so nothing is cached for it.
    server.setMode('slow', { slowMs: 10_000 });
    expect(await store.get(name, { label: 'staging' })).toMatchObject({
      version: shippedLabels.staging,
      source: 'local',
      isFallback: true,
    });
    expect(store.breakerOpen).toBe(true);
    expect(logLines.join('\n')).toMatch(/Langfuse prompt fetch failed; serving kept or local prompts/);
    const asked = prompts().length;
    // Within the cool-down: no request reaches Langfuse; the last good copy, else the local files.
    clock += 29_000;
    expect(await store.get(name)).toMatchObject({ version: 2, source: 'langfuse', isFallback: false });
    expect(await store.get(name, { label: 'staging' })).toMatchObject({ version: shippedLabels.staging, isFallback: true });
    expect(prompts().length).toBe(asked);
    // After it, Langfuse is asked again, and a success closes the breaker.
    server.setMode('up');
    clock += 2_000;
    expect(await store.get(name, { label: 'staging' })).toMatchObject({ version: 3, source: 'langfuse', isFallback: false });
    expect(prompts().length).toBeGreaterThan(asked);
    expect(store.breakerOpen).toBe(false);
  });

  it('pushes local prompts to Langfuse and pulls them back, idempotently, labels included', async () => {
    const localDirectory = path.join(directory, 'prompts');
    await cp(shipped, localDirectory, { recursive: true });
    const local = new LocalPromptStore({ directory: localDirectory, reloadIntervalMs: 0 });
    const remote = makeStore({ cacheTtlSeconds: 0 });
    const authorization = `Basic ${Buffer.from(`${keys.publicKey}:${keys.secretKey}`).toString('base64')}`;
    expect(
      (await fetch(`${server.baseUrl}/api/public/v2/prompts/${encodeURIComponent(name)}`, { method: 'DELETE', headers: { authorization } }))
        .status,
    ).toBe(204);
    const first = await syncPrompts(local, remote);
    expect(first[0]).toMatchObject({
      name,
      created: [1, 2, 3, 4, 5, 6, 7],
      labels: { production: 6, staging: 7, variant_a: 2, variant_b: 3 },
    });
    const again = await syncPrompts(local, remote);
    expect(again[0].created).toEqual([]);
    expect(server.promptVersions(name)).toHaveLength(7);

    const pulled = new LocalPromptStore({ directory: path.join(directory, 'pulled'), reloadIntervalMs: 0 });
    await syncPrompts(remote, pulled);
    expect(await pulled.list()).toEqual(await local.list());
    expect((await pulled.get(name)).template).toBe((await local.get(name)).template);
  });
});
