import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { SqlExecutionError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { createTracing } from '../../src/tracing/otel/index.ts';

describe('spans on the OpenTelemetry backbone', () => {
  const exporter = new InMemorySpanExporter();
  const tracing = createTracing({
    logger: createLogger('silent'),
    extraProcessors: [new SimpleSpanProcessor(exporter)],
    secrets: ['hunter2-password', 'sk-live-0123456789'],
  });
  afterAll(() => tracing.shutdown());
  beforeEach(() => exporter.reset());
  const finished = (name: string) => exporter.getFinishedSpans().find((span) => span.name === name)!;

  it('never records a configured secret or a URL password, in input, output, messages, metadata or attributes', () => {
    const root = tracing.tracer.startTrace(
      'query',
      { input: { question: 'use postgres://reader:topsecret@db/shop please' } },
      { userId: 'ana', metadata: { note: 'key sk-live-0123456789' } },
    );
    const child = root.startChild('tool:execute_sql', 'tool', {
      input: { sql: "SELECT 'hunter2-password'" },
      attributes: { 'sqlagent.note': 'https://hook.example/?token=abc123&x=1 hunter2-password' },
    });
    child.update({ output: ['hunter2-password'], metadata: { detail: 'sk-live-0123456789' } });
    child.fail(new SqlExecutionError('connection to mysql://root:hunter2-password@db failed', null));
    child.end();
    root.end();
    const text = JSON.stringify(exporter.getFinishedSpans().map((span) => ({ attributes: span.attributes, status: span.status })));
    for (const secret of ['hunter2-password', 'sk-live-0123456789', 'topsecret', 'abc123']) expect(text).not.toContain(secret);
    expect(finished('tool:execute_sql').attributes).toMatchObject({
      'langfuse.observation.level': 'ERROR',
      'sqlagent.error_type': 'sql_error',
    });
    expect(String(finished('tool:execute_sql').attributes['langfuse.observation.status_message'])).toMatch(/mysql:\/\/root:\*\*\*@db/);
  });

  it('masks trace-level attributes too: a datasource URL in a tag (the CLI takes URLs) reaches no span with its password', () => {
    const root = tracing.tracer.startTrace(
      'query',
      {},
      { userId: 'hunter2-password', sessionId: 'sk-live-0123456789', tags: ['datasource:postgres://reader:topsecret@db/shop'] },
    );
    root.setTraceAttributes({ tags: ['label:production'] });
    root.startChild('schema', 'span').end();
    root.end();
    const text = JSON.stringify(exporter.getFinishedSpans().map((span) => span.attributes));
    for (const secret of ['hunter2-password', 'sk-live-0123456789', 'topsecret']) expect(text).not.toContain(secret);
    for (const name of ['query', 'schema'])
      expect(finished(name).attributes['langfuse.trace.tags']).toEqual(['datasource:postgres://reader:***@db/shop', 'label:production']);
  });

  it('masks a secret with quotes or backslashes also where JSON escaped it', () => {
    const tricky = 'pa"ss\\word-1234';
    const own = new InMemorySpanExporter();
    const masking = createTracing({ logger: createLogger('silent'), extraProcessors: [new SimpleSpanProcessor(own)], secrets: [tricky] });
    const root = masking.tracer.startTrace('query', { input: { question: `my password is ${tricky}` }, output: tricky });
    root.end();
    const attributes = own.getFinishedSpans()[0].attributes;
    expect(String(attributes['langfuse.observation.input'])).not.toContain(JSON.stringify(tricky).slice(1, -1));
    expect(String(attributes['langfuse.observation.input'])).toContain('***');
    expect(String(attributes['langfuse.observation.output'])).toBe('***');
    void masking.shutdown();
  });

  it('a value JSON cannot hold (BigInt, a cycle) is recorded as far as possible and never throws into the request', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    const root = tracing.tracer.startTrace('query');
    expect(() => root.update({ input: { big: 10n ** 30n }, output: cyclic, metadata: { cyclic } })).not.toThrow();
    const child = root.startChild('generation', 'generation', { input: cyclic });
    expect(() => child.fail(cyclic)).not.toThrow();
    child.end();
    child.end();
    root.end();
    expect(finished('query').attributes['langfuse.observation.input']).toBe(JSON.stringify({ big: (10n ** 30n).toString() }));
    expect(exporter.getFinishedSpans()).toHaveLength(2);
  });

  it('caps trace metadata values at 200 characters and merges tags without duplicates', () => {
    const root = tracing.tracer.startTrace('query', {}, { tags: ['datasource:shop'], metadata: { long: 'x'.repeat(500) } });
    root.setTraceAttributes({ tags: ['label:production', 'datasource:shop'] });
    root.end();
    expect(finished('query').attributes['langfuse.trace.metadata.long']).toHaveLength(200);
    expect(finished('query').attributes['langfuse.trace.tags']).toEqual(['datasource:shop', 'label:production']);
  });
});
