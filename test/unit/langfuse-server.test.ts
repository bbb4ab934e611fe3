import { LangfuseClient } from '@langfuse/client';
import { getGlobalLogger } from '@langfuse/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { langfuseDatasetPaths, LangfuseTestServer } from '../support/langfuse-server.ts';

const publicKey = 'pk-lf-test';
const secretKey = 'sk-lf-test';
const promptName = 'sql-system';

/** What the SDK's `LangfuseAPIError` (and its `NotFoundError`, `UnauthorizedError`… subclasses) carries. */
interface SdkError extends Error {
  statusCode?: number;
  body?: unknown;
}

let server: LangfuseTestServer;

beforeEach(async () => {
  server = await LangfuseTestServer.start({ publicKey, secretKey });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await server.close();
});

/** A new SDK client (so a new prompt cache) pointed at the test server. */
function newClient(keys: { publicKey: string; secretKey: string } = { publicKey, secretKey }): LangfuseClient {
  return new LangfuseClient({ ...keys, baseUrl: server.baseUrl });
}

/**
 * The SDK reports failed prompt fetches through its global logger's `error` (and failed background refreshes
 * through its `warn`). Spied on there rather than on `console`: with test files sharing modules, another
 * file may already have routed that logger to the service's JSON logger (src/logging/langfuse-sdk-logs.ts),
 * and the calls reach the logger whatever its level.
 */
function silenceSdkLogging() {
  const sdk = getGlobalLogger();
  return {
    error: vi.spyOn(sdk, 'error').mockImplementation(() => {}),
    warn: vi.spyOn(sdk, 'warn').mockImplementation(() => {}),
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<SdkError> {
  try {
    await promise;
  } catch (error) {
    return error as SdkError;
  }
  throw new Error('expected the promise to reject');
}

function basicAuthorization(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

function labelsByVersion(name: string): Array<[number, string[]]> {
  return server.promptVersions(name).map((entry) => [entry.version, entry.labels]);
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

function seedThreeVersions(): void {
  server.seedPrompt(promptName, [
    { prompt: 'one: {{tables}}', labels: ['production'], config: { model: 'first' } },
    { prompt: 'two: {{tables}}', labels: ['staging'], config: { model: 'second' } },
    { prompt: 'three: {{tables}}', config: { model: 'third' } },
  ]);
}

describe('LangfuseTestServer driven by the real @langfuse/client', () => {
  it('creates numbered versions; labels given at creation move to the new version and latest follows the newest', async () => {
    const client = newClient();
    const first = await client.prompt.create({
      name: promptName,
      prompt: 'v1 {{schema}}',
      labels: ['production', 'staging'],
      config: { model: 'gpt-test', temperature: 0 },
      commitMessage: 'first cut',
      tags: ['sql'],
    });
    expect(first).toMatchObject({ name: promptName, version: 1, prompt: 'v1 {{schema}}', labels: ['latest', 'production', 'staging'] });
    expect(first).toMatchObject({
      config: { model: 'gpt-test', temperature: 0 },
      commitMessage: 'first cut',
      tags: ['sql'],
      isFallback: false,
    });

    const second = await client.prompt.create({ name: promptName, prompt: 'v2', labels: ['staging'] });
    expect(second).toMatchObject({ version: 2, labels: ['latest', 'staging'], config: {}, commitMessage: null, tags: ['sql'] });
    const third = await client.prompt.create({ name: promptName, prompt: 'v3' });
    expect(third).toMatchObject({ version: 3, labels: ['latest'] });

    expect(labelsByVersion(promptName)).toEqual([
      [1, ['production']],
      [2, ['staging']],
      [3, ['latest']],
    ]);
    // The SDK's request: JSON body with `type: "text"` added, Basic auth and its identification headers.
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/public/v2/prompts',
      query: {},
      authorization: basicAuthorization(publicKey, secretKey),
      body: {
        name: promptName,
        prompt: 'v1 {{schema}}',
        type: 'text',
        labels: ['production', 'staging'],
        config: { model: 'gpt-test', temperature: 0 },
        commitMessage: 'first cut',
        tags: ['sql'],
      },
    });
    expect(server.requests[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-langfuse-public-key': publicKey,
      'x-langfuse-sdk-name': 'javascript',
    });
  });

  it('gets the production label by default, or a label, or a version; a version beats a label', async () => {
    seedThreeVersions();
    const client = newClient();

    const production = await client.prompt.get(promptName, { type: 'text' });
    expect(production).toMatchObject({ version: 1, prompt: 'one: {{tables}}', labels: ['production'], config: { model: 'first' } });
    expect(production.compile({ tables: 'orders' })).toBe('one: orders');
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: `/api/public/v2/prompts/${promptName}`, query: {} });

    expect(await client.prompt.get(promptName, { label: 'staging' })).toMatchObject({ version: 2, labels: ['staging'] });
    expect(server.requests.at(-1)?.query).toEqual({ label: 'staging' });
    expect(await client.prompt.get(promptName, { version: 3 })).toMatchObject({ version: 3, labels: ['latest'] });
    expect(server.requests.at(-1)?.query).toEqual({ version: '3' });
    expect(await client.prompt.get(promptName, { label: 'latest' })).toMatchObject({ version: 3 });

    const raw = await client.api.prompts.get(promptName, { version: 1, label: 'staging' });
    expect(server.requests.at(-1)?.query).toEqual({ version: '1', label: 'staging' });
    expect(raw).toMatchObject({ name: promptName, version: 1, type: 'text', prompt: 'one: {{tables}}', labels: ['production'], tags: [] });
    expect(raw).toMatchObject({
      id: expect.any(String),
      projectId: 'test-project',
      createdBy: 'API',
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      updatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      commitMessage: null,
      resolutionGraph: null,
    });
  });

  it('sends a folder name as one encoded path segment', async () => {
    const client = newClient();
    await client.prompt.create({ name: 'team/sql system', prompt: 'hello', labels: ['production'] });
    const fetched = await client.prompt.get('team/sql system');
    expect(fetched).toMatchObject({ name: 'team/sql system', version: 1 });
    expect(server.requests.at(-1)?.path).toBe('/api/public/v2/prompts/team%2Fsql%20system');
  });

  it('creates and serves chat prompts too', async () => {
    const client = newClient();
    await client.prompt.create({
      name: 'chat',
      type: 'chat',
      prompt: [{ role: 'system', content: 'Schema: {{schema}}' }],
      labels: ['production'],
    });
    expect(server.requests.at(-1)?.body).toMatchObject({
      type: 'chat',
      prompt: [{ role: 'system', content: 'Schema: {{schema}}', type: 'chatmessage' }],
    });
    const chat = await client.prompt.get('chat', { type: 'chat' });
    expect(chat.compile({ schema: 'orders(id)' })).toEqual([{ role: 'system', content: 'Schema: orders(id)' }]);
  });

  it('update adds labels to a version and takes them off every other version, never off the target', async () => {
    server.seedPrompt(promptName, [
      { prompt: 'one', labels: ['production', 'canary'] },
      { prompt: 'two', labels: ['staging'] },
      { prompt: 'three' },
    ]);
    const client = newClient();

    const updated = await client.prompt.update({ name: promptName, version: 2, newLabels: ['production'] });
    expect(updated).toMatchObject({ name: promptName, version: 2, prompt: 'two', labels: ['production', 'staging'] });
    expect(server.requests.at(-1)).toMatchObject({
      method: 'PATCH',
      path: `/api/public/v2/prompts/${promptName}/versions/2`,
      body: { newLabels: ['production'] },
    });
    expect(labelsByVersion(promptName)).toEqual([
      [1, ['canary']],
      [2, ['production', 'staging']],
      [3, ['latest']],
    ]);
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 2, prompt: 'two' });

    await client.prompt.update({ name: promptName, version: 3, newLabels: ['canary', 'staging'] });
    await client.prompt.update({ name: promptName, version: 2, newLabels: [] });
    expect(labelsByVersion(promptName)).toEqual([
      [1, []],
      [2, ['production']],
      [3, ['canary', 'latest', 'staging']],
    ]);
  });

  it('rejects setting latest with a 400 and a clear message, and changes nothing', async () => {
    seedThreeVersions();
    const before = labelsByVersion(promptName);
    const client = newClient();

    const error = await rejectionOf(client.prompt.update({ name: promptName, version: 1, newLabels: ['production', 'latest'] }));
    expect(error).toMatchObject({ statusCode: 400, body: { message: expect.stringContaining("'latest' label is reserved") } });
    expect(labelsByVersion(promptName)).toEqual(before);

    expect(await rejectionOf(client.prompt.update({ name: promptName, version: 9, newLabels: ['production'] }))).toMatchObject({
      statusCode: 404,
    });
    expect(await rejectionOf(client.prompt.update({ name: 'missing', version: 1, newLabels: ['production'] }))).toMatchObject({
      statusCode: 404,
    });
  });

  it('lists prompt metadata, with filters and pagination', async () => {
    server.seedPrompt('alpha', [
      { prompt: 'a1', labels: ['production'], config: { step: 1 } },
      { prompt: 'a2', config: { step: 2 }, tags: ['sql'] },
    ]);
    server.seedPrompt('beta', [{ prompt: 'b1', labels: ['staging'] }]);
    const client = newClient();

    const all = await client.api.prompts.list();
    expect(all).toEqual({
      data: [
        {
          name: 'alpha',
          type: 'text',
          versions: [1, 2],
          labels: ['latest', 'production'],
          tags: ['sql'],
          lastUpdatedAt: expect.any(String),
          lastConfig: { step: 2 },
        },
        {
          name: 'beta',
          type: 'text',
          versions: [1],
          labels: ['latest', 'staging'],
          tags: [],
          lastUpdatedAt: expect.any(String),
          lastConfig: {},
        },
      ],
      meta: { page: 1, limit: 50, totalItems: 2, totalPages: 1 },
    });
    expect(server.requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/public/v2/prompts', query: {} });

    const production = await client.api.prompts.list({ label: 'production' });
    expect(production.data).toEqual([
      expect.objectContaining({ name: 'alpha', versions: [1], labels: ['production'], lastConfig: { step: 1 } }),
    ]);
    expect((await client.api.prompts.list({ tag: 'sql' })).data.map((entry) => entry.name)).toEqual(['alpha']);
    expect((await client.api.prompts.list({ name: 'beta' })).data.map((entry) => entry.name)).toEqual(['beta']);

    const secondPage = await client.api.prompts.list({ page: 2, limit: 1 });
    expect(server.requests.at(-1)?.query).toEqual({ page: '2', limit: '1' });
    expect(secondPage).toMatchObject({ data: [{ name: 'beta' }], meta: { page: 2, limit: 1, totalItems: 2, totalPages: 2 } });

    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await client.api.prompts.list({ fromUpdatedAt: future })).data).toEqual([]);
    expect((await client.api.prompts.list({ toUpdatedAt: future })).meta.totalItems).toBe(2);
  });

  it('deletes a version, the versions with a label, or the whole prompt; latest moves back', async () => {
    seedThreeVersions();
    const client = newClient();

    await client.prompt.delete(promptName, { version: 3 });
    expect(server.requests.at(-1)).toMatchObject({
      method: 'DELETE',
      path: `/api/public/v2/prompts/${promptName}`,
      query: { version: '3' },
    });
    expect(labelsByVersion(promptName)).toEqual([
      [1, ['production']],
      [2, ['latest', 'staging']],
    ]);
    await client.prompt.delete(promptName, { label: 'production' });
    expect(labelsByVersion(promptName)).toEqual([[2, ['latest', 'staging']]]);
    expect((await client.prompt.create({ name: promptName, prompt: 'again' })).version).toBe(3);

    await client.prompt.delete(promptName);
    expect(server.promptVersions(promptName)).toEqual([]);
    expect(await rejectionOf(client.prompt.delete(promptName))).toMatchObject({ statusCode: 404 });
  });

  it('answers 404 for an unknown name, version or label; the SDK logs it, or serves a fallback', async () => {
    seedThreeVersions();
    const logging = silenceSdkLogging();
    const client = newClient();

    const unknownName = await rejectionOf(client.prompt.get('missing', { cacheTtlSeconds: 0 }));
    expect(unknownName).toMatchObject({
      statusCode: 404,
      body: { error: 'LangfuseNotFoundError', message: expect.stringContaining("'missing'") },
    });
    expect(unknownName.message).toContain('NotFoundError');
    expect(await rejectionOf(client.prompt.get(promptName, { version: 9, cacheTtlSeconds: 0 }))).toMatchObject({ statusCode: 404 });
    expect(await rejectionOf(client.prompt.get(promptName, { label: 'nope', cacheTtlSeconds: 0 }))).toMatchObject({ statusCode: 404 });
    expect(await rejectionOf(client.api.prompts.get('missing'))).toMatchObject({ statusCode: 404 });

    expect(logging.error).toHaveBeenCalledWith(expect.stringContaining("Error fetching prompt 'missing-label:production':"), unknownName);

    const fallback = await client.prompt.get('missing', { fallback: 'Fallback for {{tables}}', cacheTtlSeconds: 0 });
    expect(fallback).toMatchObject({ isFallback: true, version: 0, prompt: 'Fallback for {{tables}}', labels: [] });
  });

  it('answers 401 for wrong or missing keys, and saw the Basic header the SDK built', async () => {
    seedThreeVersions();
    silenceSdkLogging();

    const wrong = newClient({ publicKey, secretKey: 'wrong-secret' });
    const error = await rejectionOf(wrong.prompt.get(promptName, { cacheTtlSeconds: 0 }));
    expect(error).toMatchObject({ statusCode: 401, body: { error: 'UnauthorizedError' } });
    expect(server.requests.at(-1)?.authorization).toBe(basicAuthorization(publicKey, 'wrong-secret'));
    expect(await rejectionOf(wrong.api.prompts.list())).toMatchObject({ statusCode: 401 });
    expect(await rejectionOf(newClient({ publicKey: 'pk-other', secretKey }).prompt.get(promptName))).toMatchObject({ statusCode: 401 });

    await newClient().prompt.get(promptName);
    expect(server.requests.at(-1)?.authorization).toBe(`Basic ${Buffer.from('pk-lf-test:sk-lf-test').toString('base64')}`);

    const badHeaders: Array<Record<string, string>> = [
      {},
      { Authorization: `Bearer ${secretKey}` },
      { Authorization: 'Basic not-base64-credentials' },
    ];
    for (const headers of badHeaders) {
      const response = await fetch(`${server.baseUrl}/api/public/v2/prompts/${promptName}`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: 'UnauthorizedError' });
    }
  });

  it('lets the SDK cache: with a positive TTL the second get is served without a request', async () => {
    seedThreeVersions();
    const client = newClient();

    const first = await client.prompt.get(promptName, { cacheTtlSeconds: 60 });
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 60 })).toBe(first);
    expect(await client.prompt.get(promptName)).toBe(first); // same cache key (name + label:production), default TTL 60 s
    expect(server.requests).toHaveLength(1);
    await client.prompt.get(promptName, { label: 'staging', cacheTtlSeconds: 60 }); // another cache key
    expect(server.requests).toHaveLength(2);

    // A change made elsewhere stays invisible behind the cache; the SDK's own update invalidates it.
    await newClient().prompt.update({ name: promptName, version: 3, newLabels: ['production'] });
    server.clearRequests();
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 60 })).toBe(first);
    expect(server.requests).toHaveLength(0);
    await client.prompt.update({ name: promptName, version: 2, newLabels: ['production'] });
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 60 })).toMatchObject({ version: 2 });
    expect(server.requests.map((entry) => entry.method)).toEqual(['PATCH', 'GET']);
  });

  it('cacheTtlSeconds 0 always fetches, but leaves an expired entry that a later get serves stale while refreshing', async () => {
    seedThreeVersions();
    const client = newClient();

    const first = await client.prompt.get(promptName, { cacheTtlSeconds: 0 });
    const second = await client.prompt.get(promptName, { cacheTtlSeconds: 0 });
    expect(second).not.toBe(first);
    expect(server.requests).toHaveLength(2);

    await newClient().prompt.update({ name: promptName, version: 3, newLabels: ['production'] });
    server.clearRequests();
    // Answered at once from the expired entry (still version 1); one background request refreshes it.
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 60 })).toBe(second);
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    await vi.waitFor(async () => expect(await client.prompt.get(promptName, { cacheTtlSeconds: 60 })).toMatchObject({ version: 3 }));
    expect(server.requests).toHaveLength(1);
  });

  it('serves an expired cache entry stale while the background refresh fails against a down server', async () => {
    seedThreeVersions();
    const logging = silenceSdkLogging();
    const client = newClient();
    const cached = await client.prompt.get(promptName, { cacheTtlSeconds: 0.05, maxRetries: 0 });
    await sleep(80);

    server.setMode('down-500');
    server.clearRequests();
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0.05, maxRetries: 0 })).toBe(cached);
    await vi.waitFor(() => expect(logging.warn).toHaveBeenCalledWith(expect.stringContaining('Failed to refresh prompt cache')));
    expect(server.requests).toHaveLength(1);

    // A fresh fetch, by contrast, fails.
    expect(await rejectionOf(client.prompt.get(promptName, { cacheTtlSeconds: 0, maxRetries: 0 }))).toMatchObject({ statusCode: 500 });
  });

  it('down-500: every endpoint answers 500; with maxRetries 0 the SDK sends one request', async () => {
    seedThreeVersions();
    silenceSdkLogging();
    const client = newClient();
    server.setMode('down-500');

    const error = await rejectionOf(client.prompt.get(promptName, { cacheTtlSeconds: 0, maxRetries: 0 }));
    expect(error).toMatchObject({ statusCode: 500, body: { error: 'InternalServerError' } });
    expect(server.requests).toHaveLength(1);
    expect(await rejectionOf(client.api.prompts.list({}, { maxRetries: 0 }))).toMatchObject({ statusCode: 500 });
    expect(await rejectionOf(newClient({ publicKey, secretKey: 'wrong' }).api.prompts.list({}, { maxRetries: 0 }))).toMatchObject({
      statusCode: 500,
    });

    server.setMode('up');
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 1 });
  });

  it('down-500: the SDK retries a 5xx after about a second when maxRetries allows', async () => {
    seedThreeVersions();
    silenceSdkLogging();
    server.setMode('down-500');
    const started = Date.now();
    expect(await rejectionOf(newClient().prompt.get(promptName, { cacheTtlSeconds: 0, maxRetries: 1 }))).toMatchObject({ statusCode: 500 });
    expect(server.requests).toHaveLength(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
  });

  it('down-connection-reset: requests fail with "fetch failed" and are not retried', async () => {
    seedThreeVersions();
    silenceSdkLogging();
    const client = newClient();
    await client.prompt.get(promptName, { cacheTtlSeconds: 0 }); // a kept-alive connection exists
    server.setMode('down-connection-reset');
    server.clearRequests();

    const error = await rejectionOf(client.prompt.get(promptName, { cacheTtlSeconds: 0, maxRetries: 2 }));
    expect(error.message).toContain('fetch failed');
    expect(error.statusCode).toBeUndefined();
    expect(server.requests).toHaveLength(1);

    expect((await rejectionOf(client.prompt.create({ name: promptName, prompt: 'lost' }))).message).toContain('fetch failed');
    expect(server.requests.at(-1)).toMatchObject({ method: 'POST', body: { prompt: 'lost' } });
    expect(server.promptVersions(promptName)).toHaveLength(3);

    server.setMode('up');
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 1 });
  });

  it('slow: answers after slowMs; a shorter fetchTimeoutMs makes the get reject', async () => {
    seedThreeVersions();
    silenceSdkLogging();
    const client = newClient();
    server.setMode('slow', { slowMs: 150 });
    expect(server.mode).toBe('slow');

    const started = Date.now();
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    const error = await rejectionOf(client.prompt.get(promptName, { cacheTtlSeconds: 0, fetchTimeoutMs: 30, maxRetries: 0 }));
    expect(error.message).toMatch(/timeout/i);
  });

  it('seeds by replacing a prompt history, hands out copies, and rejects malformed requests', async () => {
    seedThreeVersions();
    const seeded = server.seedPrompt(promptName, [{ prompt: 'only', labels: ['production', 'latest'] }]);
    expect(seeded).toMatchObject([{ version: 1, prompt: 'only', labels: ['latest', 'production'] }]);
    seeded[0].labels.push('tampered');
    expect(labelsByVersion(promptName)).toEqual([[1, ['latest', 'production']]]);
    expect(server.promptNames()).toEqual([promptName]);

    const authorization = basicAuthorization(publicKey, secretKey);
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${server.baseUrl}${path}`, {
        method,
        headers: { Authorization: authorization, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    expect((await send('POST', '/api/public/v2/prompts', { prompt: 'no name' })).status).toBe(400);
    expect((await send('POST', '/api/public/v2/prompts', { name: 'x', prompt: ['not', 'text'], type: 'text' })).status).toBe(400);
    expect((await send('GET', `/api/public/v2/prompts/${promptName}?version=two`)).status).toBe(400);
    expect((await send('PATCH', `/api/public/v2/prompts/${promptName}/versions/1`, { labels: ['production'] })).status).toBe(400);
    expect((await send('GET', '/api/public/v1/other')).status).toBe(404);
    expect((await send('PUT', `/api/public/v2/prompts/${promptName}`)).status).toBe(405);

    expect(server.requests).toHaveLength(6);
    server.clearRequests();
    expect(server.requests).toEqual([]);
  });
});

describe('LangfuseTestServer ingestion: scores sent by the real @langfuse/client', () => {
  const traceId = '0af7651916cd43dd8448eb211c80319c';
  const ingestionPath = '/api/public/ingestion';

  /** A `score-create` event envelope as the SDK's `score.create` builds it. */
  function scoreEvent(eventId: string, body: Record<string, unknown>) {
    return {
      id: eventId,
      type: 'score-create' as const,
      timestamp: new Date().toISOString(),
      body: { name: 'user_feedback', value: 1, ...body },
    };
  }

  function postIngestion(body: unknown, authorization = basicAuthorization(publicKey, secretKey)): Promise<Response> {
    return fetch(`${server.baseUrl}${ingestionPath}`, {
      method: 'POST',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  it('score.create + flush: one POST /api/public/ingestion with a batch of score-create events, stored as sent', async () => {
    const client = newClient();
    client.score.create({ name: 'user_feedback', value: -0.5, traceId, comment: 'wrong table', dataType: 'NUMERIC' });
    expect(server.requests).toHaveLength(0); // queued, not sent yet
    await client.flush();

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0];
    expect(request).toMatchObject({
      method: 'POST',
      path: ingestionPath,
      query: {},
      authorization: basicAuthorization(publicKey, secretKey),
    });
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      'x-langfuse-public-key': publicKey,
      'x-langfuse-sdk-name': 'javascript',
    });
    const batch = (request.body as { batch: Array<Record<string, any>> }).batch;
    expect(batch).toHaveLength(1);
    expect(batch[0]).toEqual({
      id: expect.any(String),
      type: 'score-create',
      timestamp: expect.any(String),
      body: { id: expect.any(String), name: 'user_feedback', value: -0.5, traceId, comment: 'wrong table', dataType: 'NUMERIC' },
    });
    expect(batch[0].id).not.toBe(batch[0].body.id); // the envelope id and the score id are distinct UUIDs

    expect(server.scores).toEqual([
      {
        id: batch[0].body.id,
        eventId: batch[0].id,
        eventTimestamp: batch[0].timestamp,
        name: 'user_feedback',
        value: -0.5,
        traceId,
        observationId: null,
        sessionId: null,
        datasetRunId: null,
        dataType: 'NUMERIC',
        comment: 'wrong table',
        environment: null,
        metadata: null,
      },
    ]);
  });

  it('answers 207 with a success or an error per event; a score upserts on its id; copies are handed out', async () => {
    const client = newClient();
    const response = await client.api.ingestion.batch({
      batch: [
        scoreEvent('event-1', { id: 'score-1', traceId, value: 0.5 }),
        scoreEvent('event-2', { id: 'score-2', traceId, value: 'not a number', dataType: 'NUMERIC' }),
        { id: 'event-3', type: 'trace-create', timestamp: new Date().toISOString(), body: { id: traceId } },
        scoreEvent('event-4', { id: 'score-4', value: 2, dataType: 'BOOLEAN' }),
        scoreEvent('event-5', { id: 'score-5', value: 'ok', dataType: 'CATEGORICAL', comment: 'c' }),
      ],
    });
    expect(response).toEqual({
      successes: [
        { id: 'event-1', status: 201 },
        { id: 'event-5', status: 201 },
      ],
      errors: [
        { id: 'event-2', status: 400, message: 'Invalid request data', error: 'A NUMERIC score needs a numeric value' },
        { id: 'event-3', status: 400, message: 'Invalid request data', error: expect.stringContaining('trace-create') },
        { id: 'event-4', status: 400, message: 'Invalid request data', error: 'A BOOLEAN score needs the value 0 or 1' },
      ],
    });
    expect(server.scores.map((score) => [score.id, score.value])).toEqual([
      ['score-1', 0.5],
      ['score-5', 'ok'],
    ]);

    // The status is 207 even when every event succeeded, as on the real server.
    const again = await postIngestion({
      batch: [scoreEvent('event-6', { id: 'score-1', traceId, value: -1, comment: 'changed my mind' })],
    });
    expect(again.status).toBe(207);
    expect(await again.json()).toEqual({ successes: [{ id: 'event-6', status: 201 }], errors: [] });
    expect(server.scores.map((score) => [score.id, score.value, score.comment, score.eventId])).toEqual([
      ['score-1', -1, 'changed my mind', 'event-6'],
      ['score-5', 'ok', 'c', 'event-5'],
    ]);

    // Without a body id the server makes one; a malformed envelope is an error entry, not a failed request.
    const generated = await postIngestion({ batch: [scoreEvent('event-7', { traceId }), { type: 'score-create' }, 'junk'] });
    expect(await generated.json()).toMatchObject({
      successes: [{ id: 'event-7', status: 201 }],
      errors: [
        { id: '', status: 400 },
        { id: '', status: 400 },
      ],
    });
    expect(server.scores.at(-1)?.id).toMatch(/^[0-9a-f-]{36}$/);

    const copy = server.scores;
    copy[0].value = 42;
    expect(server.scores[0].value).toBe(-1);
    server.clearScores();
    expect(server.scores).toEqual([]);
  });

  it('rejects a body without a batch (400), other methods (405), and wrong keys (401) storing nothing', async () => {
    silenceSdkLogging();
    expect((await postIngestion({ events: [] })).status).toBe(400);
    expect(
      (await fetch(`${server.baseUrl}${ingestionPath}`, { headers: { Authorization: basicAuthorization(publicKey, secretKey) } })).status,
    ).toBe(405);

    const denied = await postIngestion({ batch: [scoreEvent('event-1', { traceId })] }, basicAuthorization(publicKey, 'sk-wrong'));
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: 'UnauthorizedError' });

    const wrong = newClient({ publicKey, secretKey: 'sk-wrong' });
    expect(await rejectionOf(wrong.api.ingestion.batch({ batch: [scoreEvent('event-2', { traceId })] }))).toMatchObject({
      statusCode: 401,
    });
    // Through score.create + flush the 401 does not reach the caller: flush resolves.
    wrong.score.create({ name: 'user_feedback', value: 1, traceId });
    await expect(wrong.flush()).resolves.toBeUndefined();
    expect(server.requests.at(-1)?.authorization).toBe(basicAuthorization(publicKey, 'sk-wrong'));
    expect(server.scores).toEqual([]);
  });

  it('setIngestionEventError: every event fails inside a 207; the SDK flush still resolves and only logs', async () => {
    const logging = silenceSdkLogging();
    server.setIngestionEventError({ status: 500, message: 'ClickHouse is unavailable' });
    const client = newClient();

    const response = await client.api.ingestion.batch({ batch: [scoreEvent('event-1', { traceId })] });
    expect(response).toEqual({
      successes: [],
      errors: [{ id: 'event-1', status: 500, message: 'ClickHouse is unavailable', error: 'ClickHouse is unavailable' }],
    });

    client.score.create({ name: 'user_feedback', value: 1, traceId });
    await expect(client.flush()).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(2);
    expect(server.scores).toEqual([]);
    expect(logging.error).toHaveBeenCalledWith(expect.stringContaining('Error ingesting scores:'), [
      expect.objectContaining({ status: 500 }),
    ]);

    // Prompts are not affected, and turning it off stores again.
    seedThreeVersions();
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 1 });
    server.setIngestionEventError(null);
    client.score.create({ name: 'user_feedback', value: 1, traceId });
    await client.flush();
    expect(server.scores).toHaveLength(1);
  });

  it('down-500 and down-connection-reset: ingestion fails (flush only logs it) and nothing is stored', async () => {
    const logging = silenceSdkLogging();
    const client = newClient();

    server.setMode('down-500');
    const error = await rejectionOf(client.api.ingestion.batch({ batch: [scoreEvent('event-1', { traceId })] }, { maxRetries: 0 }));
    expect(error).toMatchObject({ statusCode: 500, body: { error: 'InternalServerError' } });
    expect(server.requests).toHaveLength(1);

    server.setMode('down-connection-reset');
    const reset = await rejectionOf(client.api.ingestion.batch({ batch: [scoreEvent('event-2', { traceId })] }, { maxRetries: 0 }));
    expect(reset.message).toContain('fetch failed');
    expect(reset.statusCode).toBeUndefined();

    client.score.create({ name: 'user_feedback', value: 1, traceId });
    await expect(client.flush()).resolves.toBeUndefined();
    expect(server.requests).toHaveLength(3);
    expect(server.requests.every((request) => request.path === ingestionPath)).toBe(true);
    expect(server.scores).toEqual([]);
    expect(logging.error).toHaveBeenCalledWith(
      expect.stringContaining('Failed to export score batch:'),
      expect.objectContaining({ message: expect.stringContaining('fetch failed') }),
    );

    server.setMode('up');
    await client.api.ingestion.batch({ batch: [scoreEvent('event-3', { id: 'score-3', traceId })] });
    expect(server.scores.map((score) => score.id)).toEqual(['score-3']);
  });

  it('slow: stores the score after slowMs; a client that gave up first leaves nothing stored', async () => {
    silenceSdkLogging();
    const client = newClient();
    server.setMode('slow', { slowMs: 150 });

    const started = Date.now();
    expect(await client.api.ingestion.batch({ batch: [scoreEvent('event-1', { id: 'score-1', traceId })] })).toMatchObject({
      successes: [{ id: 'event-1' }],
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(server.scores.map((score) => score.id)).toEqual(['score-1']);

    server.setMode('slow', { slowMs: 300 });
    const abandoned = await rejectionOf(
      client.api.ingestion.batch({ batch: [scoreEvent('event-2', { id: 'score-2', traceId })] }, { timeoutInSeconds: 0.05, maxRetries: 0 }),
    );
    expect(abandoned.message).toMatch(/timeout/i);
    await sleep(350); // past the server's delay
    expect(server.requests).toHaveLength(2);
    expect(server.scores.map((score) => score.id)).toEqual(['score-1']);
  });
});

describe('LangfuseTestServer datasets, dataset runs and direct scores, driven by the real @langfuse/client', () => {
  const datasetName = 'evals/shop';
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const otherTraceId = '0af7651916cd43dd8448eb211c80319c';

  async function seedDataset(client: LangfuseClient, name = datasetName, itemIds: string[] = ['case:1', 'case:2']) {
    await client.api.datasets.create({ name });
    for (const [index, id] of itemIds.entries()) {
      await client.api.datasetItems.create({
        datasetName: name,
        id,
        input: { question: `question ${index + 1}` },
        expectedOutput: { sql: `SELECT ${index + 1}` },
      });
    }
  }

  /** Posts one span over OTLP JSON, as `LangfuseSpanProcessor` would. */
  async function exportSpan(spanTraceId: string, spanId: string): Promise<void> {
    const response = await fetch(`${server.baseUrl}/api/public/otel/v1/traces`, {
      method: 'POST',
      headers: { Authorization: basicAuthorization(publicKey, secretKey), 'Content-Type': 'application/json' },
      body: JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                scope: { name: 'test' },
                spans: [{ traceId: spanTraceId, spanId, name: 'query', attributes: [], startTimeUnixNano: '1', endTimeUnixNano: '2' }],
              },
            ],
          },
        ],
      }),
    });
    expect(response.status).toBe(200);
  }

  it('datasets.create upserts on the name and returns the Dataset; get finds it by its (encoded) name; an unknown one is 404', async () => {
    const client = newClient();
    const created = await client.api.datasets.create({ name: datasetName, description: 'first', metadata: { file: 'shop.yaml' } });
    expect(created).toEqual({
      id: expect.any(String),
      name: datasetName,
      description: 'first',
      metadata: { file: 'shop.yaml' },
      inputSchema: null,
      expectedOutputSchema: null,
      projectId: 'test-project',
      createdAt: expect.any(String),
      updatedAt: created.createdAt,
    });
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/public/v2/datasets',
      authorization: basicAuthorization(publicKey, secretKey),
    });

    // Same name: the same dataset, the description replaced, the metadata kept when not given.
    const again = await client.api.datasets.create({ name: datasetName, description: 'second' });
    expect(again).toMatchObject({ id: created.id, description: 'second', metadata: { file: 'shop.yaml' }, createdAt: created.createdAt });
    expect(Date.parse(again.updatedAt)).toBeGreaterThan(Date.parse(created.updatedAt));
    expect(server.datasets).toEqual([again]);

    expect(await client.api.datasets.get(datasetName)).toEqual(again);
    expect(server.requests.at(-1)?.path).toBe('/api/public/v2/datasets/evals%2Fshop');
    const missing = await rejectionOf(client.api.datasets.get('no-such-dataset'));
    expect(missing).toMatchObject({ statusCode: 404, body: { error: 'LangfuseNotFoundError', message: 'Dataset not found' } });
    expect(await rejectionOf(client.api.datasets.create({ name: '' }))).toMatchObject({ statusCode: 400 });
  });

  it('datasets.list pages newest first with the meta the SDK expects; a bad page is 400', async () => {
    const client = newClient();
    for (const name of ['a', 'b', 'c']) await client.api.datasets.create({ name });
    const first = await client.api.datasets.list({ page: 1, limit: 2 });
    expect(first.data.map((dataset) => dataset.name)).toEqual(['c', 'b']);
    expect(first.meta).toEqual({ page: 1, limit: 2, totalItems: 3, totalPages: 2 });
    const second = await client.api.datasets.list({ page: 2, limit: 2 });
    expect(second.data.map((dataset) => dataset.name)).toEqual(['a']);
    expect((await client.api.datasets.list()).meta).toEqual({ page: 1, limit: 50, totalItems: 3, totalPages: 1 });
    expect((await client.api.datasets.list({ page: 3, limit: 2 })).data).toEqual([]);
    expect(await rejectionOf(client.api.datasets.list({ page: 0 }))).toMatchObject({ statusCode: 400 });
  });

  it('datasetItems.create upserts on the id within its dataset; unknown dataset and another dataset’s id are 404, as on the real server', async () => {
    const client = newClient();
    await client.api.datasets.create({ name: datasetName });
    const created = await client.api.datasetItems.create({
      datasetName,
      id: 'shop:case-1',
      input: { question: 'How many?' },
      expectedOutput: { sql: 'SELECT 1' },
      metadata: { tags: ['count'] },
    });
    expect(created).toEqual({
      id: 'shop:case-1',
      status: 'ACTIVE',
      input: { question: 'How many?' },
      expectedOutput: { sql: 'SELECT 1' },
      metadata: { tags: ['count'] },
      sourceTraceId: null,
      sourceObservationId: null,
      datasetId: server.datasets[0].id,
      datasetName,
      createdAt: expect.any(String),
      updatedAt: created.createdAt,
      mediaReferences: [],
    });

    // The same id again: one item, the input replaced, the expected output kept (it was not sent).
    const updated = await client.api.datasetItems.create({ datasetName, id: 'shop:case-1', input: { question: 'How many now?' } });
    expect(updated).toMatchObject({
      id: 'shop:case-1',
      input: { question: 'How many now?' },
      expectedOutput: { sql: 'SELECT 1' },
      createdAt: created.createdAt,
    });
    expect(server.datasetItems(datasetName)).toEqual([updated]);

    // Without an id the server makes one (the SDK's dataset.createItem makes its own UUID first).
    const generated = await client.api.datasetItems.create({ datasetName, input: 'free text' });
    expect(generated.id).toMatch(/^[0-9a-f-]{36}$/);
    const viaManager = await client.dataset.createItem({ datasetName, input: { question: 'via the manager' } });
    expect(server.datasetItems(datasetName).map((item) => item.id)).toEqual(['shop:case-1', generated.id, viaManager.id]);

    expect(await rejectionOf(client.api.datasetItems.create({ datasetName: 'no-such-dataset', id: 'x' }))).toMatchObject({
      statusCode: 404,
      body: { message: 'Dataset not found' },
    });
    await client.api.datasets.create({ name: 'other' });
    const taken = await rejectionOf(client.api.datasetItems.create({ datasetName: 'other', id: 'shop:case-1', input: {} }));
    expect(taken).toMatchObject({
      statusCode: 404,
      body: { message: 'The dataset item with id shop:case-1 already exists in a dataset other than other' },
    });
    expect(await rejectionOf(client.api.datasetItems.create({ datasetName: '' }))).toMatchObject({ statusCode: 400 });
    expect(await rejectionOf(client.api.datasetItems.create({ datasetName, id: 'x'.repeat(256) }))).toMatchObject({ statusCode: 400 });
    expect(server.datasetItems('other')).toEqual([]);
  });

  it('datasetItems.get and list (filtered, paginated newest first), and dataset.get fetching every page', async () => {
    const client = newClient();
    await seedDataset(client, datasetName, ['c:1', 'c:2', 'c:3', 'c:4', 'c:5']);
    await seedDataset(client, 'other', ['o/1']);

    expect(await client.api.datasetItems.get('c:3')).toMatchObject({ id: 'c:3', datasetName, input: { question: 'question 3' } });
    expect(server.requests.at(-1)?.path).toBe('/api/public/dataset-items/c%3A3');
    expect(await client.api.datasetItems.get('o/1')).toMatchObject({ id: 'o/1', datasetName: 'other' });
    expect(await rejectionOf(client.api.datasetItems.get('c:9'))).toMatchObject({ statusCode: 404 });

    const page = await client.api.datasetItems.list({ datasetName, page: 2, limit: 2 });
    expect(page.data.map((item) => item.id)).toEqual(['c:3', 'c:2']);
    expect(page.meta).toEqual({ page: 2, limit: 2, totalItems: 5, totalPages: 3 });
    expect(server.requests.at(-1)?.query).toEqual({ datasetName, page: '2', limit: '2' });
    expect((await client.api.datasetItems.list()).meta.totalItems).toBe(6);
    expect(await rejectionOf(client.api.datasetItems.list({ datasetName: 'no-such-dataset' }))).toMatchObject({ statusCode: 404 });

    const fetched = await client.dataset.get(datasetName, { fetchItemsPageSize: 2 });
    expect(fetched.items.map((item) => item.id).sort()).toEqual(['c:1', 'c:2', 'c:3', 'c:4', 'c:5']);
    expect(
      server.requests
        .filter((request) => request.path === '/api/public/dataset-items')
        .slice(-3)
        .map((request) => request.query.page),
    ).toEqual(['1', '2', '3']);
  });

  it('datasetRunItems.create makes the run on first use, per dataset; getRun and getRuns serve it with its run items', async () => {
    const client = newClient();
    await seedDataset(client);
    await seedDataset(client, 'other', ['other:1']);

    const first = await client.api.datasetRunItems.create({
      runName: 'production@v2',
      runDescription: 'first run',
      metadata: { evalRunId: 'r1' },
      datasetItemId: 'case:1',
      traceId,
    });
    expect(first).toEqual({
      id: expect.any(String),
      datasetRunId: expect.any(String),
      datasetRunName: 'production@v2',
      datasetItemId: 'case:1',
      traceId,
      observationId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const second = await client.api.datasetRunItems.create({ runName: 'production@v2', datasetItemId: 'case:2', traceId: otherTraceId });
    expect(second.datasetRunId).toBe(first.datasetRunId);
    // The same run name on another dataset is another run.
    const elsewhere = await client.api.datasetRunItems.create({ runName: 'production@v2', datasetItemId: 'other:1', traceId });
    expect(elsewhere.datasetRunId).not.toBe(first.datasetRunId);

    const run = await client.api.datasets.getRun(datasetName, 'production@v2');
    expect(server.requests.at(-1)?.path).toBe('/api/public/datasets/evals%2Fshop/runs/production%40v2');
    expect(run).toMatchObject({
      id: first.datasetRunId,
      name: 'production@v2',
      description: 'first run',
      metadata: { evalRunId: 'r1' },
      datasetId: server.datasets[0].id,
      datasetName,
    });
    expect(run.datasetRunItems).toEqual([first, second]);
    expect(server.datasetRuns(datasetName)).toEqual([run]);
    expect(server.datasetRuns().map((entry) => [entry.datasetName, entry.name, entry.datasetRunItems.length])).toEqual([
      [datasetName, 'production@v2', 2],
      ['other', 'production@v2', 1],
    ]);

    await client.api.datasetRunItems.create({ runName: 'staging@v3', datasetItemId: 'case:1', traceId });
    const runs = await client.api.datasets.getRuns(datasetName, { limit: 1 });
    expect(runs.data.map((entry) => entry.name)).toEqual(['staging@v3']);
    expect(runs.meta).toEqual({ page: 1, limit: 1, totalItems: 2, totalPages: 2 });
    expect((await client.api.datasets.getRuns(datasetName, { page: 2, limit: 1 })).data.map((entry) => entry.name)).toEqual([
      'production@v2',
    ]);

    const listed = await client.api.datasetRunItems.list({ datasetId: server.datasets[0].id, runName: 'production@v2' });
    expect(listed.data).toEqual([first, second]);
    expect(await rejectionOf(client.api.datasets.getRun(datasetName, 'no-such-run'))).toMatchObject({ statusCode: 404 });
    expect(await rejectionOf(client.api.datasets.getRun('no-such-dataset', 'production@v2'))).toMatchObject({ statusCode: 404 });
    expect(await rejectionOf(client.api.datasets.getRuns('no-such-dataset'))).toMatchObject({ statusCode: 404 });
  });

  it('a run item needs a known, active item (404) and a trace or observation id (400); an observation is resolved from the OTLP spans', async () => {
    const client = newClient();
    await seedDataset(client);

    const noTarget = await rejectionOf(client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:1' }));
    expect(noTarget).toMatchObject({ statusCode: 400, body: { message: 'observationId or traceId must be provided' } });
    expect(await rejectionOf(client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:9', traceId }))).toMatchObject({
      statusCode: 404,
      body: { message: 'Dataset item not found' },
    });
    const unknownKey = await rejectionOf(
      client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:1', traceId, score: 1 } as never),
    );
    expect(unknownKey).toMatchObject({ statusCode: 400 });
    await client.api.datasetItems.create({ datasetName, id: 'case:2', status: 'ARCHIVED' });
    expect(await rejectionOf(client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:2', traceId }))).toMatchObject({
      statusCode: 404,
    });
    expect(server.datasetRuns()).toEqual([]); // nothing refused made a run

    // Only an observation id: its trace comes from the spans received; an unknown observation is 404.
    expect(
      await rejectionOf(client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:1', observationId: '00f067aa0ba902b7' })),
    ).toMatchObject({ statusCode: 404, body: { message: 'Observation not found' } });
    await exportSpan(traceId, '00f067aa0ba902b7');
    expect(
      await client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:1', observationId: '00f067aa0ba902b7' }),
    ).toMatchObject({ traceId, observationId: '00f067aa0ba902b7' });

    // The SDK's item.link(): the trace and span of an OTel span.
    const [item] = (await client.dataset.get(datasetName)).items.filter((entry) => entry.id === 'case:1');
    const otelSpan = { spanContext: () => ({ traceId: otherTraceId, spanId: 'b7ad6b7169203331' }) };
    const linked = await item.link({ otelSpan } as never, 'linked-run', { description: 'via link' });
    expect(linked).toMatchObject({
      datasetRunName: 'linked-run',
      traceId: otherTraceId,
      observationId: 'b7ad6b7169203331',
      datasetItemId: 'case:1',
    });
    expect(server.datasetRuns(datasetName).map((run) => [run.name, run.description])).toEqual([
      ['r', null],
      ['linked-run', 'via link'],
    ]);
  });

  it('scores.create (POST /api/public/scores) answers { id } and stores next to ingested scores; invalid or untargeted scores are 400', async () => {
    const client = newClient();
    const { id } = await client.api.scores.create({ traceId, name: 'exec_accuracy', value: 1, dataType: 'NUMERIC', comment: 'right' });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/api/public/scores' });
    expect(server.scores).toEqual([
      {
        id,
        eventId: expect.any(String),
        eventTimestamp: expect.any(String),
        name: 'exec_accuracy',
        value: 1,
        traceId,
        observationId: null,
        sessionId: null,
        datasetRunId: null,
        dataType: 'NUMERIC',
        comment: 'right',
        environment: null,
        metadata: null,
      },
    ]);
    // A given id upserts; ingested scores land in the same list.
    expect(await client.api.scores.create({ id: 'score-1', traceId, name: 'latency_ms', value: 1200 })).toEqual({ id: 'score-1' });
    await client.api.scores.create({ id: 'score-1', traceId, name: 'latency_ms', value: 900 });
    client.score.create({ name: 'user_feedback', value: 1, traceId });
    await client.flush();
    expect(server.scores.map((score) => [score.name, score.value])).toEqual([
      ['exec_accuracy', 1],
      ['latency_ms', 900],
      ['user_feedback', 1],
    ]);

    expect(await rejectionOf(client.api.scores.create({ name: 'exec_accuracy', value: 1 }))).toMatchObject({
      statusCode: 400,
      body: { message: expect.stringContaining('traceId') },
    });
    expect(
      await rejectionOf(client.api.scores.create({ traceId, name: 'exec_accuracy', value: 'yes', dataType: 'NUMERIC' })),
    ).toMatchObject({ statusCode: 400 });
    expect(await rejectionOf(client.api.scores.create({ traceId, name: '', value: 1 }))).toMatchObject({ statusCode: 400 });
    expect(await client.api.scores.create({ sessionId: 'session-1', name: 'rating', value: 'good', dataType: 'CATEGORICAL' })).toEqual({
      id: expect.any(String),
    });

    // The real server ingests such a score as one event: an ingestion failure is its status.
    server.setIngestionEventError({ status: 500, message: 'ClickHouse is unavailable' });
    expect(await rejectionOf(client.api.scores.create({ traceId, name: 'x', value: 1 }, { maxRetries: 0 }))).toMatchObject({
      statusCode: 500,
    });
    expect(server.scores).toHaveLength(4);
  });

  it('every dataset and score route needs the keys (401, nothing stored)', async () => {
    await seedDataset(newClient());
    const routes: Array<[string, string, unknown?]> = [
      ['POST', '/api/public/v2/datasets', { name: 'new' }],
      ['GET', '/api/public/v2/datasets'],
      ['GET', '/api/public/v2/datasets/evals%2Fshop'],
      ['POST', '/api/public/dataset-items', { datasetName, id: 'new' }],
      ['GET', '/api/public/dataset-items?datasetName=evals%2Fshop'],
      ['GET', '/api/public/dataset-items/case%3A1'],
      ['POST', '/api/public/dataset-run-items', { runName: 'r', datasetItemId: 'case:1', traceId }],
      ['GET', '/api/public/dataset-run-items?datasetId=x&runName=r'],
      ['GET', '/api/public/datasets/evals%2Fshop/runs'],
      ['GET', '/api/public/datasets/evals%2Fshop/runs/r'],
      ['POST', '/api/public/scores', { traceId, name: 'x', value: 1 }],
    ];
    for (const authorization of [basicAuthorization(publicKey, 'sk-wrong'), basicAuthorization('pk-wrong', secretKey), undefined]) {
      for (const [method, path, body] of routes) {
        const response = await fetch(`${server.baseUrl}${path}`, {
          method,
          headers: { ...(authorization ? { Authorization: authorization } : {}), 'Content-Type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        expect([method, path, response.status]).toEqual([method, path, 401]);
      }
    }
    const wrong = newClient({ publicKey, secretKey: 'sk-wrong' });
    expect(await rejectionOf(wrong.api.datasets.create({ name: 'new' }))).toMatchObject({ statusCode: 401 });
    expect(server.datasets.map((dataset) => dataset.name)).toEqual([datasetName]);
    expect(server.datasetItems().map((item) => item.id)).toEqual(['case:1', 'case:2']);
    expect(server.datasetRuns()).toEqual([]);
    expect(server.scores).toEqual([]);
  });

  it('the failure modes apply to the dataset routes; setRouteFailure fails chosen routes only', async () => {
    const client = newClient();
    await seedDataset(client);

    server.setMode('down-500');
    expect(await rejectionOf(client.api.datasets.create({ name: 'new' }, { maxRetries: 0 }))).toMatchObject({ statusCode: 500 });
    expect(
      await rejectionOf(client.api.datasetRunItems.create({ runName: 'r', datasetItemId: 'case:1', traceId }, { maxRetries: 0 })),
    ).toMatchObject({ statusCode: 500 });
    server.setMode('down-connection-reset');
    expect((await rejectionOf(client.api.datasetItems.create({ datasetName, id: 'case:3' }, { maxRetries: 0 }))).message).toContain(
      'fetch failed',
    );
    server.setMode('slow', { slowMs: 300 });
    expect(
      (await rejectionOf(client.api.scores.create({ traceId, name: 'x', value: 1 }, { timeoutInSeconds: 0.05, maxRetries: 0 }))).message,
    ).toMatch(/timeout/i);
    await sleep(350); // past the server's delay: the abandoned request stored nothing
    server.setMode('up');
    expect(server.datasets.map((dataset) => dataset.name)).toEqual([datasetName]);
    expect(server.datasetItems().map((item) => item.id)).toEqual(['case:1', 'case:2']);
    expect(server.datasetRuns()).toEqual([]);
    expect(server.scores).toEqual([]);

    server.setRouteFailure({ paths: langfuseDatasetPaths, status: 500, message: 'datasets are down' });
    const failed = await rejectionOf(client.api.datasets.get(datasetName, { maxRetries: 0 }));
    expect(failed).toMatchObject({ statusCode: 500, body: { message: 'datasets are down' } });
    expect(await rejectionOf(client.api.datasets.getRun(datasetName, 'r', { maxRetries: 0 }))).toMatchObject({ statusCode: 500 });
    // Scores, prompts and OTLP still work.
    expect(await client.api.scores.create({ traceId, name: 'x', value: 1 })).toEqual({ id: expect.any(String) });
    seedThreeVersions();
    expect(await client.prompt.get(promptName, { cacheTtlSeconds: 0 })).toMatchObject({ version: 1 });
    await exportSpan(traceId, '00f067aa0ba902b7');
    server.setRouteFailure(null);
    expect(await client.api.datasets.get(datasetName)).toMatchObject({ name: datasetName });

    server.clearDatasets();
    expect(server.datasets).toEqual([]);
    expect(server.datasetItems()).toEqual([]);
  });
});
