import type { SpanRecord } from '../../src/tracing/local-store/index.ts';

/** The fields a test gives for a span: ids, and `start` in milliseconds from the factory's base instant. */
export type SpanFields = Partial<SpanRecord> & { traceId: string; spanId: string; start?: number };

/**
 * Hand-made spans for store tests: `at(offset)` is the ISO instant `offset` ms after `base`, and
 * `span(fields)` a span with every optional field empty, starting `start` ms after `base` (default 0)
 * and lasting `durationMs` (default 10).
 */
export function spanRecords(base: number): { at: (offsetMs: number) => string; span: (fields: SpanFields) => SpanRecord } {
  const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
  const span = (fields: SpanFields): SpanRecord => {
    const { start = 0, ...rest } = fields;
    const durationMs = rest.durationMs ?? 10;
    return {
      parentSpanId: null,
      name: 'span',
      kind: 'span',
      startTime: at(start),
      endTime: at(start + durationMs),
      durationMs,
      level: 'DEFAULT',
      statusMessage: null,
      userId: null,
      sessionId: null,
      datasource: null,
      label: null,
      promptName: null,
      promptVersion: null,
      model: null,
      inputTokens: null,
      outputTokens: null,
      costUsd: null,
      attributes: {},
      ...rest,
    };
  };
  return { at, span };
}
