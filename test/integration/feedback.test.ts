import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { LangfuseClient } from '@langfuse/client';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { ConfigError, InvalidInputError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { FeedbackService, type FeedbackServiceOptions } from '../../src/tracing/feedback/index.ts';
import { TraceNotFoundError } from '../../src/errors/index.ts';
import { LocalSpanStore, type SpanRecord } from '../../src/tracing/local-store/index.ts';
import { LangfuseTestServer } from '../support/langfuse-server.ts';
import { rejectionOf } from '../support/rejection.ts';

const publicKey = 'pk-lf-feedback';
const secretKey = 'sk-lf-feedback-9f8e7d6c5b4a';
const basicAuthorization = `Basic ${Buffer.from(`${publicKey}:${secretKey}`).toString('base64')}`;
const ingestionPath = '/api/public/ingestion';

let driver: Awaited<ReturnType<typeof createPgliteDriver>>;
let store: LocalSpanStore;
let server: LangfuseTestServer;
let logLines: string[];
let exportFailures: number;
const services: FeedbackService[] = [];

beforeAll(async () => {
  driver = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
  store = new LocalSpanStore(await driver.kysely());
  await store.migrate();
});

afterAll(async () => {
  await driver?.close();
});

beforeEach(async () => {
  server = await LangfuseTestServer.start({ publicKey, secretKey });
  logLines = [];
  exportFailures = 0;
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(services.splice(0).map((service) => service.close()));
  await server.close();
});

/** A service on the shared store, counting export failures and capturing log lines (the logger masks nothing itself). */
function newService(overrides: Partial<FeedbackServiceOptions> = {}): FeedbackService {
  const service = new FeedbackService({
    localStore: store,
    langfuse: { publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs: 2000 },
    logger: createLogger('debug', (line) => logLines.push(line)),
    onExportFailure: () => {
      exportFailures += 1;
    },
    ...overrides,
  });
  services.push(service);
  return service;
}

/** Stores a two-span trace under a fresh random trace id and returns the id. */
async function newTrace(): Promise<string> {
  const traceId = randomBytes(16).toString('hex');
  const start = Date.now();
  const span = (spanId: string, parentSpanId: string | null, kind: SpanRecord['kind'], name: string): SpanRecord => ({
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTime: new Date(start).toISOString(),
    endTime: new Date(start + 20).toISOString(),
    durationMs: 20,
    level: 'DEFAULT',
    statusMessage: null,
    userId: 'ada',
    sessionId: null,
    datasource: 'shop',
    label: 'production',
    promptName: null,
    promptVersion: null,
    model: null,
    inputTokens: null,
    outputTokens: null,
    costUsd: null,
    attributes: {},
  });
  await store.insert([
    span('a1b2c3d4e5f60718', null, 'trace', 'query'),
    span('0102030405060708', 'a1b2c3d4e5f60718', 'generation', 'generation'),
  ]);
  return traceId;
}

/** The parsed log lines at `warn` or above. */
function warnings(): Array<Record<string, unknown>> {
  return logLines
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.level === 'warn' || entry.level === 'error');
}

function expectNoCredentialsIn(text: string): void {
  expect(text).not.toContain(secretKey);
  expect(text).not.toContain(basicAuthorization.slice('Basic '.length));
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

describe('FeedbackService: feedback reaches the local store and Langfuse', () => {
  it('stores the feedback locally and sends a user_feedback score on the trace, with the configured keys', async () => {
    const traceId = await newTrace();
    const service = newService();
    expect(service.langfuseEnabled).toBe(true);

    const result = await service.recordFeedback({ traceId, score: -0.5, comment: 'It joined the wrong table' });

    expect(result).toEqual({
      local: { id: expect.any(Number), traceId, score: -0.5, comment: 'It joined the wrong table', createdAt: expect.any(String) },
      langfuse: 'sent',
    });
    expect(await store.listFeedback(traceId)).toEqual([result.local]);

    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: ingestionPath, authorization: basicAuthorization });
    expect(server.requests[0].headers['x-langfuse-public-key']).toBe(publicKey);
    expect(server.scores).toEqual([
      expect.objectContaining({
        name: 'user_feedback',
        traceId,
        value: -0.5,
        comment: 'It joined the wrong table',
        dataType: 'NUMERIC',
        observationId: null,
      }),
    ]);
    // The envelope is the one the SDK's score.create builds.
    expect(server.requests[0].body).toEqual({
      batch: [
        {
          id: expect.any(String),
          type: 'score-create',
          timestamp: expect.any(String),
          body: {
            id: server.scores[0].id,
            name: 'user_feedback',
            value: -0.5,
            traceId,
            comment: 'It joined the wrong table',
            dataType: 'NUMERIC',
          },
        },
      ],
    });
    expect(exportFailures).toBe(0);
    expect(warnings()).toEqual([]);
  });

  it('sends feedback without a comment as a score without one; each feedback is its own score and row', async () => {
    const traceId = await newTrace();
    const service = newService();

    const first = await service.recordFeedback({ traceId, score: 1 });
    const second = await service.recordFeedback({ traceId, score: -1, comment: null });

    expect(first).toMatchObject({ local: { score: 1, comment: null }, langfuse: 'sent' });
    expect(second).toMatchObject({ local: { score: -1, comment: null }, langfuse: 'sent' });
    expect((await store.listFeedback(traceId)).map((entry) => entry.score)).toEqual([1, -1]);
    expect(server.scores.map((score) => [score.traceId, score.value, score.comment])).toEqual([
      [traceId, 1, null],
      [traceId, -1, null],
    ]);
    expect(server.scores[0].id).not.toBe(server.scores[1].id);
    expect((server.requests[0].body as { batch: Array<{ body: object }> }).batch[0].body).not.toHaveProperty('comment');
  });

  it.each([
    { mode: 'down-500' as const, expected: /HTTP 500/ },
    { mode: 'down-connection-reset' as const, expected: /could not be reached/ },
  ])(
    'Langfuse $mode: the feedback is stored locally, reported failed, logged and counted, without credentials',
    async ({ mode, expected }) => {
      const traceId = await newTrace();
      const service = newService();
      server.setMode(mode);

      const result = await service.recordFeedback({ traceId, score: 0.25, comment: 'slow but right' });

      expect(result).toEqual({
        local: expect.objectContaining({ traceId, score: 0.25, comment: 'slow but right' }),
        langfuse: 'failed',
        error: expect.stringMatching(expected),
      });
      expect(await store.listFeedback(traceId)).toEqual([result.local]);
      expect(server.requests).toHaveLength(1); // it did try, once (no retries by default)
      expect(server.scores).toEqual([]);
      expect(exportFailures).toBe(1);

      const logged = warnings();
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({
        level: 'warn',
        message: 'feedback export to Langfuse failed',
        traceId,
        error: result.error,
        storedLocally: true,
      });
      expectNoCredentialsIn(logLines.join('\n'));
      expectNoCredentialsIn(result.error ?? '');

      // Once Langfuse is back, the next feedback goes through.
      server.setMode('up');
      expect(await service.recordFeedback({ traceId, score: 1 })).toMatchObject({ langfuse: 'sent' });
      expect(server.scores.map((score) => score.value)).toEqual([1]);
      expect(exportFailures).toBe(1);
    },
  );

  it('a score Langfuse refuses inside its 207 is failed; an echoed secret key is masked in the result and the log', async () => {
    const traceId = await newTrace();
    const service = newService();
    server.setIngestionEventError({ status: 403, message: `project of key ${secretKey} is over its quota` });

    const result = await service.recordFeedback({ traceId, score: 0 });

    expect(result).toMatchObject({ local: { traceId, score: 0 }, langfuse: 'failed' });
    expect(result.error).toBe('Langfuse refused the score (status 403): project of key *** is over its quota.');
    expect(warnings()).toEqual([expect.objectContaining({ reason: 'rejected', error: result.error })]);
    expectNoCredentialsIn(logLines.join('\n'));
    expect(exportFailures).toBe(1);
    expect(await store.listFeedback(traceId)).toHaveLength(1);
  });

  it('wrong keys: Langfuse answers 401, reported failed without the secret', async () => {
    const traceId = await newTrace();
    const wrongSecret = 'sk-lf-wrong-0123456789';
    const service = newService({ langfuse: { publicKey, secretKey: wrongSecret, baseUrl: server.baseUrl, timeoutMs: 2000 } });

    const result = await service.recordFeedback({ traceId, score: 1 });

    expect(result).toMatchObject({ langfuse: 'failed', error: expect.stringContaining('HTTP 401') });
    expect(server.requests[0].authorization).toBe(`Basic ${Buffer.from(`${publicKey}:${wrongSecret}`).toString('base64')}`);
    expect(logLines.join('\n')).not.toContain(wrongSecret);
    expect(server.scores).toEqual([]);
    expect(exportFailures).toBe(1);
  });

  it('Langfuse slow: the wait is bounded by timeoutMs, the abandoned request stores nothing, the feedback stays local', async () => {
    const traceId = await newTrace();
    const service = newService({ langfuse: { publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs: 200 } });
    server.setMode('slow', { slowMs: 8000 });

    const started = Date.now();
    const result = await service.recordFeedback({ traceId, score: 0.5 });
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(190);
    // Well under the server's 8 s, with room for a busy machine: the 200 ms timeout ended the wait.
    expect(elapsed).toBeLessThan(5000);
    expect(result).toEqual({
      local: expect.objectContaining({ traceId, score: 0.5 }),
      langfuse: 'failed',
      error: 'Langfuse did not take the score within 200 ms.',
    });
    expect(warnings()).toEqual([expect.objectContaining({ reason: 'timeout', traceId })]);
    expect(exportFailures).toBe(1);
    expect(await store.listFeedback(traceId)).toEqual([result.local]);

    await sleep(1200 - elapsed + 150); // past the server's delay: the aborted request is not answered and not stored
    expect(server.requests).toHaveLength(1);
    expect(server.scores).toEqual([]);
  });

  it('Langfuse slow but within timeoutMs: sent', async () => {
    const traceId = await newTrace();
    const service = newService({ langfuse: { publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs: 2000 } });
    server.setMode('slow', { slowMs: 150 });

    expect(await service.recordFeedback({ traceId, score: 0.75 })).toMatchObject({ langfuse: 'sent' });
    expect(server.scores.map((score) => score.value)).toEqual([0.75]);
  });

  it('retries stay inside timeoutMs: a retry the SDK would make after ~1 s is cut off and never sent', async () => {
    const traceId = await newTrace();
    const service = newService({ langfuse: { publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs: 300, maxRetries: 2 } });
    server.setMode('down-500');

    const started = Date.now();
    const result = await service.recordFeedback({ traceId, score: -0.25 });
    expect(Date.now() - started).toBeLessThan(800);
    expect(result).toMatchObject({ langfuse: 'failed', error: 'Langfuse did not take the score within 300 ms.' });

    await sleep(1500); // the SDK's retry delay (about 1 s) has passed: its next attempt finds the request aborted
    expect(server.requests).toHaveLength(1);
    expect(exportFailures).toBe(1);
  });

  it('an unknown trace is a TraceNotFoundError (404) and nothing is stored or sent', async () => {
    const service = newService();
    const unknownTraceId = randomBytes(16).toString('hex');

    const error = await rejectionOf(service.recordFeedback({ traceId: unknownTraceId, score: 1, comment: 'who am I' }));

    expect(error).toBeInstanceOf(TraceNotFoundError);
    expect(error).toMatchObject({ code: 'trace_not_found', details: { traceId: unknownTraceId } });
    expect(await store.listFeedback(unknownTraceId)).toEqual([]);
    expect(server.requests).toEqual([]);
    expect(exportFailures).toBe(0);
  });

  it.each([
    { field: 'traceId', input: { traceId: '0AF7651916CD43DD8448EB211C80319C', score: 1 } },
    { field: 'traceId', input: { traceId: '0af7651916cd43dd8448eb211c80319', score: 1 } },
    { field: 'traceId', input: { traceId: '0'.repeat(32), score: 1 } },
    { field: 'traceId', input: { traceId: '0af7651916cd43dd-8448eb211c80319c', score: 1 } },
    { field: 'traceId', input: { traceId: 42, score: 1 } },
    { field: 'score', input: { score: 1.01 } },
    { field: 'score', input: { score: -1.5 } },
    { field: 'score', input: { score: Number.NaN } },
    { field: 'score', input: { score: Number.POSITIVE_INFINITY } },
    { field: 'score', input: { score: '1' } },
    { field: 'score', input: {} },
    { field: 'comment', input: { score: 1, comment: 'x'.repeat(2001) } },
    { field: 'comment', input: { score: 1, comment: '👍'.repeat(2001) } },
    { field: 'comment', input: { score: 1, comment: 'bad\u0000byte' } },
    { field: 'comment', input: { score: 1, comment: { text: 'not a string' } } },
  ])(
    'bad $field ($input.traceId $input.score) is an InvalidInputError naming it, and nothing is stored or sent',
    async ({ field, input }) => {
      const traceId = await newTrace();
      const service = newService();

      const error = await rejectionOf(service.recordFeedback({ traceId, ...input } as never));

      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.details?.field).toBe(field);
      expect(error.message).toContain(`"${field}"`);
      expect(await store.listFeedback(traceId)).toEqual([]);
      expect(server.requests).toEqual([]);
    },
  );

  it('accepts the limits: scores -1 and 1, a comment of exactly 2,000 characters (emoji count once)', async () => {
    const traceId = await newTrace();
    const service = newService();
    const longComment = 'y'.repeat(2000);
    const emojiComment = '👍'.repeat(2000);

    expect(await service.recordFeedback({ traceId, score: -1, comment: longComment })).toMatchObject({ langfuse: 'sent' });
    expect(await service.recordFeedback({ traceId, score: 1, comment: emojiComment })).toMatchObject({ langfuse: 'sent' });
    expect((await store.listFeedback(traceId)).map((entry) => entry.comment)).toEqual([longComment, emojiComment]);
    expect(server.scores.map((score) => score.comment)).toEqual([longComment, emojiComment]);
  });

  it('without Langfuse configured: stored locally, langfuse disabled, nothing sent or counted', async () => {
    const traceId = await newTrace();
    const service = newService({ langfuse: undefined });
    expect(service.langfuseEnabled).toBe(false);

    const result = await service.recordFeedback({ traceId, score: 0.5, comment: 'fine' });

    expect(result).toEqual({ local: expect.objectContaining({ traceId, score: 0.5, comment: 'fine' }), langfuse: 'disabled' });
    expect(await store.listFeedback(traceId)).toEqual([result.local]);
    expect(server.requests).toEqual([]);
    expect(exportFailures).toBe(0);
    await service.close();
  });

  it('without a local store: validated and sent to Langfuse, local null (the trace is not checked)', async () => {
    const service = newService({ localStore: null });
    const traceId = randomBytes(16).toString('hex'); // not in any store

    expect(await service.recordFeedback({ traceId, score: 1 })).toEqual({ local: null, langfuse: 'sent' });
    expect(server.scores).toEqual([expect.objectContaining({ traceId, value: 1 })]);
    expect((await rejectionOf(service.recordFeedback({ traceId, score: 2 }))).message).toContain('"score"');
    expect(server.scores).toHaveLength(1);
  });

  it('a lazy local store is resolved on first use, once, and resolved again after it failed', async () => {
    const traceId = await newTrace();
    const resolver = vi
      .fn<() => Promise<LocalSpanStore | null>>()
      .mockRejectedValueOnce(new Error('application database not ready'))
      .mockResolvedValue(store);
    const service = newService({ localStore: resolver });
    expect(resolver).not.toHaveBeenCalled();

    expect((await rejectionOf(service.recordFeedback({ traceId, score: 1 }))).message).toBe('application database not ready');
    expect(server.requests).toEqual([]);

    expect(await service.recordFeedback({ traceId, score: 1 })).toMatchObject({ local: { traceId }, langfuse: 'sent' });
    expect(await service.recordFeedback({ traceId, score: 0 })).toMatchObject({ local: { traceId }, langfuse: 'sent' });
    expect(resolver).toHaveBeenCalledTimes(2);
    expect(await store.listFeedback(traceId)).toHaveLength(2);

    // Invalid input fails before the store is even resolved.
    const lazyNull = vi.fn(async () => null);
    const other = newService({ localStore: lazyNull, langfuse: null });
    await rejectionOf(other.recordFeedback({ traceId: 'nope', score: 1 }));
    expect(lazyNull).not.toHaveBeenCalled();
    expect(await other.recordFeedback({ traceId, score: 1 })).toEqual({ local: null, langfuse: 'disabled' });
  });

  it('an injected client is used as is; close() flushes it without shutting it down; its secret is masked via secrets', async () => {
    const traceId = await newTrace();
    const client = new LangfuseClient({ publicKey, secretKey, baseUrl: server.baseUrl });
    const flush = vi.spyOn(client, 'flush');
    const shutdown = vi.spyOn(client, 'shutdown');
    const service = newService({ langfuse: { client, timeoutMs: 2000, secrets: [secretKey] } });

    expect(await service.recordFeedback({ traceId, score: 1 })).toMatchObject({ langfuse: 'sent' });
    expect(server.requests[0].authorization).toBe(basicAuthorization);

    server.setIngestionEventError({ status: 500, message: `echo ${secretKey}` });
    const failed = await service.recordFeedback({ traceId, score: 1 });
    expect(failed.error).toContain('echo ***');
    expectNoCredentialsIn(logLines.join('\n'));

    await service.close();
    expect(flush).toHaveBeenCalledTimes(1);
    expect(shutdown).not.toHaveBeenCalled();
  });

  it('close() waits for a send under way and shuts its own client down; later feedback is stored and reported failed', async () => {
    const traceId = await newTrace();
    // The sender loads the SDK's CommonJS build when it makes its own client (see langfuse-score-sender.ts).
    const { LangfuseClient: OwnClient } = createRequire(import.meta.url)('@langfuse/client') as typeof import('@langfuse/client');
    const shutdown = vi.spyOn(OwnClient.prototype, 'shutdown');
    const service = newService();
    server.setMode('slow', { slowMs: 200 });

    const pending = service.recordFeedback({ traceId, score: 1 });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1)); // the send is under way
    let settled = false;
    void pending.then(() => {
      settled = true;
    });
    await service.close();
    expect(settled).toBe(true);
    expect(await pending).toMatchObject({ langfuse: 'sent' });
    expect(shutdown).toHaveBeenCalledTimes(1);
    await service.close(); // twice is fine
    expect(shutdown).toHaveBeenCalledTimes(1);

    server.setMode('up');
    const late = await service.recordFeedback({ traceId, score: -1 });
    expect(late).toMatchObject({ local: { score: -1 }, langfuse: 'failed', error: expect.stringContaining('closed') });
    expect(server.requests).toHaveLength(1);
    expect(exportFailures).toBe(1);
    expect(await store.listFeedback(traceId)).toHaveLength(2);
  });

  it('refuses an incomplete Langfuse configuration with a ConfigError that never shows the secret', () => {
    const logger = createLogger('silent');
    const attempt = (langfuse: FeedbackServiceOptions['langfuse']) => () => new FeedbackService({ localStore: store, langfuse, logger });

    expect(attempt({ publicKey, baseUrl: server.baseUrl, timeoutMs: 1000 })).toThrow(ConfigError);
    expect(attempt({ publicKey, baseUrl: server.baseUrl, timeoutMs: 1000 })).toThrow(/langfuse\.secretKey/);
    expect(attempt({ publicKey, secretKey, timeoutMs: 1000 })).toThrow(/langfuse\.baseUrl/);
    for (const timeoutMs of [0, -5, Number.NaN]) {
      const error = (() => {
        try {
          attempt({ publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs })();
        } catch (caught) {
          return caught as Error;
        }
        throw new Error('expected a ConfigError');
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).not.toContain(secretKey);
    }
    expect(attempt({ publicKey, secretKey, baseUrl: server.baseUrl, timeoutMs: 1000, maxRetries: 1.5 })).toThrow(/maxRetries/);
  });
});
