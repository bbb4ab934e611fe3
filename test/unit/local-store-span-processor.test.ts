import { context, trace } from '@opentelemetry/api';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.ts';
import type { LocalSpanStore, SpanRecord } from '../../src/tracing/local-store/index.ts';
import { joinContinuedInputs } from '../../src/tracing/local-store/continued-inputs.ts';
import { LocalStoreSpanProcessor } from '../../src/tracing/otel/index.ts';

/** A store double: `insert` answers as `answer` says for each call (by call number), and records what it got. */
function storeDouble(answer: (call: number) => 'hang' | 'ok') {
  const inserted: SpanRecord[][] = [];
  const store = {
    insert: (spans: readonly SpanRecord[]) => {
      inserted.push([...spans]);
      return answer(inserted.length) === 'hang' ? new Promise<void>(() => {}) : Promise.resolve();
    },
  } as unknown as LocalSpanStore;
  return { store, inserted };
}

/** Resolves to true when `promise` settles within `ms`, else false. */
const settlesWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);

describe('the local-store span processor when the app database stops answering', () => {
  const tracerOver = (processor: LocalStoreSpanProcessor) => new NodeTracerProvider({ spanProcessors: [processor] }).getTracer('test');

  it('shutdown ends within the write timeout; the batch is counted lost', async () => {
    const { store } = storeDouble(() => 'hang');
    const lost: number[] = [];
    const processor = new LocalStoreSpanProcessor({
      store,
      logger: createLogger('silent'),
      writeTimeoutMs: 200,
      onExportFailure: (spans) => lost.push(spans),
    });
    const tracer = tracerOver(processor);
    for (let index = 0; index < 5; index += 1) tracer.startSpan(`span-${index}`).end();
    expect(await settlesWithin(processor.shutdown(), 3000)).toBe(true);
    expect(lost).toEqual([5]);
    expect(processor.dropped).toBe(5);
  });

  it('one write that never returns does not hold the later ones', async () => {
    const { store, inserted } = storeDouble((call) => (call === 1 ? 'hang' : 'ok'));
    const processor = new LocalStoreSpanProcessor({ store, logger: createLogger('silent'), writeTimeoutMs: 200 });
    const tracer = tracerOver(processor);
    tracer.startSpan('first').end();
    void processor.forceFlush();
    await new Promise((resolve) => setImmediate(resolve));
    tracer.startSpan('second').end();
    expect(await settlesWithin(processor.forceFlush(), 3000)).toBe(true);
    expect(inserted.map((batch) => batch.map((span) => span.name))).toEqual([['first'], ['second']]);
    await processor.shutdown();
  });

  it('spans that end after shutdown are ignored: the store is not opened again', async () => {
    let opened = 0;
    const processor = new LocalStoreSpanProcessor({
      store: async () => {
        opened += 1;
        return storeDouble(() => 'ok').store;
      },
      logger: createLogger('silent'),
    });
    const tracer = tracerOver(processor);
    await processor.shutdown();
    for (let index = 0; index < 150; index += 1) tracer.startSpan(`late-${index}`).end();
    await processor.forceFlush();
    expect(opened).toBe(0);
  });

  it('a store that cannot be opened (locked by another process) is tried again only after the reopen delay, and logged once per failure', async () => {
    let opens = 0;
    const lines: string[] = [];
    const lost: number[] = [];
    const processor = new LocalStoreSpanProcessor({
      store: async () => {
        opens += 1;
        throw new Error('The app database is in use by process 4242');
      },
      logger: createLogger('warn', (line) => lines.push(line)),
      reopenDelayMs: 60_000,
      onExportFailure: (spans) => lost.push(spans),
    });
    const tracer = tracerOver(processor);
    for (let round = 0; round < 5; round += 1) {
      tracer.startSpan(`span-${round}`).end();
      await processor.forceFlush();
    }
    expect(opens).toBe(1);
    expect(lost).toEqual([1, 1, 1, 1, 1]);
    expect(lines.filter((line) => line.includes('could not write spans'))).toHaveLength(1);
    expect(lines[0]).toContain('in use by process 4242');
    await processor.shutdown();
  });

  it('spans dropped from a full queue are counted as lost', async () => {
    const lost: number[] = [];
    const { store } = storeDouble(() => 'ok');
    const processor = new LocalStoreSpanProcessor({
      store,
      logger: createLogger('silent'),
      maxQueue: 3,
      batchSize: 1000,
      onExportFailure: (spans) => lost.push(spans),
    });
    const tracer = tracerOver(processor);
    for (let index = 0; index < 5; index += 1) tracer.startSpan(`span-${index}`).end();
    expect(lost).toEqual([1, 1]);
    expect(processor.dropped).toBe(2);
    await processor.shutdown();
  });
});

describe('generation inputs stored as continuations of the previous one', () => {
  const inputKey = 'langfuse.observation.input';
  const continuesKey = 'sqlagent.input_continues';
  const message = (role: string, content: string) => ({ role, content });

  /** The records stored for one trace of generations with these inputs (each a list of messages). */
  async function storedGenerations(inputs: Array<Array<{ role: string; content: string }>>): Promise<SpanRecord[]> {
    const { store, inserted } = storeDouble(() => 'ok');
    const processor = new LocalStoreSpanProcessor({ store, logger: createLogger('silent') });
    const tracer = new NodeTracerProvider({ spanProcessors: [processor] }).getTracer('test');
    const root = tracer.startSpan('query');
    const parent = trace.setSpan(context.active(), root);
    for (const input of inputs) {
      tracer
        .startSpan('generation', { attributes: { 'langfuse.observation.type': 'generation', [inputKey]: JSON.stringify(input) } }, parent)
        .end();
    }
    root.end();
    await processor.forceFlush();
    return inserted.flat().filter((record) => record.kind === 'generation');
  }

  it('stores each later input as the messages it adds, and joinContinuedInputs gives back the whole ones in any order', async () => {
    const conversation = [message('system', 'You answer questions.'), message('user', 'How many regions?')];
    const inputs = [conversation.slice(), [...conversation, message('assistant', 'call'), message('tool', '12')]];
    inputs.push([...inputs[1], message('assistant', 'final'), message('tool', 'ok')]);
    const stored = await storedGenerations(inputs);
    expect(stored.map((record) => record.attributes[continuesKey] ?? null)).toEqual([null, stored[0].spanId, stored[1].spanId]);
    expect(JSON.parse(String(stored[2].attributes[inputKey]))).toEqual([message('assistant', 'final'), message('tool', 'ok')]);
    const whole = inputs.map((input) => JSON.stringify(input));
    for (const order of [stored, [...stored].reverse()]) {
      const joined = joinContinuedInputs(order);
      expect(joined.map((record) => record.attributes[inputKey]).sort()).toEqual([...whole].sort());
      expect(joined.some((record) => continuesKey in record.attributes)).toBe(false);
    }
    // Without the span it continues, an input stays as stored, marked.
    expect(joinContinuedInputs([stored[2]])[0].attributes).toMatchObject({ [continuesKey]: stored[1].spanId });
  });

  it('never continues an input that was cut where it was stored, nor stores a delta that would be cut', async () => {
    const long = message('system', 'S'.repeat(20_000));
    const cutFirst = await storedGenerations([[long], [long, message('user', 'q')]]);
    expect(cutFirst.map((record) => record.attributes[continuesKey] ?? null)).toEqual([null, null]);
    expect(String(cutFirst[1].attributes[inputKey])).toMatch(/… \[cut: \d+ more characters\]$/);

    const short = [message('system', 'short')];
    const bigStep = await storedGenerations([
      short,
      [...short, message('tool', 'T'.repeat(20_000))],
      [...short, message('tool', 'T'.repeat(20_000)), message('user', 'next')],
    ]);
    expect(bigStep.map((record) => record.attributes[continuesKey] ?? null)).toEqual([null, null, null]);
    // A continuation onto a stored input that was cut would be joined into something that is not JSON.
    const forged = {
      ...bigStep[2],
      attributes: { ...bigStep[2].attributes, [inputKey]: '[{"role":"user","content":"next"}]', [continuesKey]: bigStep[1].spanId },
    };
    expect(joinContinuedInputs([bigStep[1], forged])[1].attributes).toMatchObject({ [continuesKey]: bigStep[1].spanId });
  });
});
