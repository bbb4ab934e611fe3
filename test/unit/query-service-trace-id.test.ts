import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import type { DbAgent } from '../../src/agent/index.ts';
import { MemoryResultCache } from '../../src/cache/index.ts';
import { DatasourceUnavailableError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { QueryService } from '../../src/query/index.ts';
import { createTracing } from '../../src/tracing/otel/index.ts';

describe('the trace id a failed request returns', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({ logger: createLogger('silent'), extraProcessors: [new SimpleSpanProcessor(exporter)] });
  afterAll(() => tracing.shutdown());

  it('is its own trace when concurrent requests fail with one shared error (a datasource opened once for both)', async () => {
    const shared = new DatasourceUnavailableError('The datasource shop is down.', { datasource: 'shop' });
    let fail = () => {};
    const opening = new Promise<never>((_resolve, reject) => {
      fail = () => reject(shared);
    });
    opening.catch(() => undefined);
    const agent = { prepare: () => opening } as unknown as DbAgent;
    const service = new QueryService({
      agent,
      cache: new MemoryResultCache(),
      rowsTtlMs: 0,
      logger: createLogger('silent'),
      tracer: tracing.tracer,
    });

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
});
