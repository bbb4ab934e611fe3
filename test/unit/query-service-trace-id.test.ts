import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbAgent } from '../../src/agent/index.ts';
import { MemoryResultCache } from '../../src/cache/index.ts';
import { DatasourceUnavailableError, InvalidInputError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { QueryService } from '../../src/query/index.ts';
import { createTracing } from '../../src/tracing/otel/index.ts';

describe('the trace id a failed request returns', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ logger: createLogger('silent'), extraProcessors: [new SimpleSpanProcessor(exporter)] });
  afterAll(() => tracing.shutdown());
  const serviceOver = (agent: DbAgent) =>
    new QueryService({ agent, cache: new MemoryResultCache(), rowsTtlMs: 0, logger: createLogger('silent'), tracer: tracing.tracer });

  it('is its own trace when concurrent requests fail with one shared error (a datasource opened once for both)', async () => {
    const shared = new DatasourceUnavailableError('The datasource shop is down.', { datasource: 'shop' });
    let fail = () => {};
    const opening = new Promise<never>((_resolve, reject) => {
      fail = () => reject(shared);
    });
    opening.catch(() => undefined);
    const agent = { check: () => 'How many regions are there?', prepare: () => opening } as unknown as DbAgent;
    const service = serviceOver(agent);

    const asks = [1, 2].map(() =>
      service.ask({ datasource: 'shop', question: 'How many regions are there?' }).then(
        () => {
          throw new Error('expected the request to fail');
        },
        (error: unknown) => error as DatasourceUnavailableError,
      ),
    );
    fail();
    const errors = await Promise.all(asks);

    const roots = exporter.getFinishedSpans().filter((span) => span.name === 'query');
    expect(roots).toHaveLength(2);
    expect(errors.map((error) => error.details.traceId).sort()).toEqual(roots.map((span) => span.spanContext().traceId).sort());
    for (const error of errors) {
      expect(error).toBeInstanceOf(DatasourceUnavailableError);
      expect(error).toMatchObject({
        code: 'datasource_unavailable',
        message: 'The datasource shop is down.',
        details: { datasource: 'shop' },
      });
    }
    // The shared error is left as it was for whoever else holds it.
    expect(shared.details.traceId).toBeUndefined();
  });

  it('is not made for a request the agent refuses at its check: nothing traces a question over the limit', async () => {
    exporter.reset();
    let prepared = 0;
    const agent = {
      check: () => {
        throw new InvalidInputError('The question is 99000 characters long; the limit is 2000.', { field: 'question' });
      },
      prepare: () => {
        prepared += 1;
      },
    } as unknown as DbAgent;
    const service = serviceOver(agent);
    const error = await service.ask({ datasource: 'shop', question: 'x'.repeat(99_000) }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details.traceId).toBeUndefined();
    expect(prepared).toBe(0);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('refuses a session id that is not well-formed Unicode before tracing', async () => {
    exporter.reset();
    const agent = { check: () => 'How many regions?', prepare: () => Promise.reject(new Error('not reached')) } as unknown as DbAgent;
    const service = serviceOver(agent);
    await expect(service.ask({ datasource: 'shop', question: 'How many regions?', sessionId: 'a\ud800' })).rejects.toThrow(
      /"sessionId" is not well-formed Unicode/,
    );
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });
});
