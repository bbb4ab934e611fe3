import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drainSpanSpool, SpanSpool, type SpanRecord } from '../../src/tracing/local-store/index.ts';

const span = (spanId: string): SpanRecord =>
  ({
    traceId: 't'.repeat(32),
    spanId,
    parentSpanId: null,
    name: 'query',
    kind: 'span',
    startTime: '2026-01-01T00:00:00.000000Z',
    endTime: '2026-01-01T00:00:00.100000Z',
    durationMs: 100,
    level: 'DEFAULT',
    statusMessage: null,
    userId: null,
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
  }) as unknown as SpanRecord;

describe('the span spool of one-shot commands', () => {
  let directory: string;
  const stored: SpanRecord[] = [];
  const store = { insert: async (spans: readonly SpanRecord[]) => void stored.push(...spans) };
  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'sqlagent-spool-'));
    stored.length = 0;
  });
  afterEach(() => rm(directory, { recursive: true, force: true }));

  it('hands a file over only when closed, and the drain loads and deletes it', async () => {
    const spool = new SpanSpool(directory);
    await spool.insert([span('a'), span('b')]);
    await spool.insert([span('c')]);
    // Still being written by a live process (this one): not drained.
    expect(await drainSpanSpool(store, directory)).toBe(0);
    await spool.close();
    expect(await drainSpanSpool(store, directory)).toBe(3);
    expect(stored.map((record) => record.spanId)).toEqual(['a', 'b', 'c']);
    expect(await readdir(directory)).toEqual([]);
  });

  it('writes nothing for a command that traced nothing', async () => {
    const spool = new SpanSpool(path.join(directory, 'never-made'));
    await spool.close();
    expect(await readdir(directory)).toEqual([]);
  });

  it('loads the unfinished file of a process that is gone, skipping and reporting a torn last line', async () => {
    await writeFile(path.join(directory, `1-999999999-deadbeef.jsonl.part`), `${JSON.stringify(span('x'))}\n{"spanId": "torn`);
    const reported: [string, number][] = [];
    expect(await drainSpanSpool(store, directory, (file, lines) => reported.push([path.basename(file), lines]))).toBe(1);
    expect(stored.map((record) => record.spanId)).toEqual(['x']);
    expect(reported).toEqual([['1-999999999-deadbeef.jsonl.part', 1]]);
    expect(await readdir(directory)).toEqual([]);
  });

  it('skips and reports lines that parse but are not spans, and still loads the files after them', async () => {
    await writeFile(path.join(directory, '1-1-aaaa.jsonl'), `{}\n[1,2]\nnull\n${JSON.stringify({ ...span('y'), traceId: 7 })}\n`);
    await writeFile(path.join(directory, '2-1-bbbb.jsonl'), `${JSON.stringify(span('z'))}\n`);
    const reported: [string, number][] = [];
    expect(await drainSpanSpool(store, directory, (file, lines) => reported.push([path.basename(file), lines]))).toBe(1);
    expect(stored.map((record) => record.spanId)).toEqual(['z']);
    expect(reported).toEqual([['1-1-aaaa.jsonl', 4]]);
    expect(await readdir(directory)).toEqual([]);
  });

  it('keeps a file whose spans could not be stored, so a later drain loads it', async () => {
    const spool = new SpanSpool(directory);
    await spool.insert([span('a')]);
    await spool.close();
    await expect(drainSpanSpool({ insert: async () => Promise.reject(new Error('database locked')) }, directory)).rejects.toThrow(
      'database locked',
    );
    expect(await drainSpanSpool(store, directory)).toBe(1);
  });
});
