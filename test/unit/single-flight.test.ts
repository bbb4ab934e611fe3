import { describe, expect, it } from 'vitest';
import { SingleFlight } from '../../src/cache/index.ts';
import { RequestAbortedError } from '../../src/errors/index.ts';

describe('SingleFlight with per-caller cancellation', () => {
  it('lets one caller leave without cancelling the shared run for the others', async () => {
    const flight = new SingleFlight<string>();
    let sharedSignal: AbortSignal | undefined;
    let release!: (value: string) => void;
    const work = (signal: AbortSignal) => {
      sharedSignal = signal;
      return new Promise<string>((resolve) => (release = resolve));
    };
    const leaving = new AbortController();
    const first = flight.run('k', work, leaving.signal);
    const second = flight.run('k', work, new AbortController().signal);
    leaving.abort();
    await expect(first).rejects.toBeInstanceOf(RequestAbortedError);
    expect(sharedSignal!.aborted).toBe(false);
    release('answer');
    expect(await second).toBe('answer');
  });

  it('cancels the shared run when every caller has left', async () => {
    const flight = new SingleFlight<string>();
    let sharedSignal: AbortSignal | undefined;
    const work = (signal: AbortSignal) => {
      sharedSignal = signal;
      return new Promise<string>(() => {});
    };
    const callers = [new AbortController(), new AbortController()];
    const runs = callers.map((controller) => flight.run('k', work, controller.signal).catch((error) => error));
    callers[0].abort();
    expect(sharedSignal!.aborted).toBe(false);
    callers[1].abort();
    expect(sharedSignal!.aborted).toBe(true);
    for (const outcome of await Promise.all(runs)) expect(outcome).toBeInstanceOf(RequestAbortedError);
  });
});

describe('the cache key', () => {
  it('changes with the context (the compiled prompt, which carries today)', async () => {
    const { cacheKey } = await import('../../src/cache/index.ts');
    const base = {
      question: 'How many orders last month?',
      datasource: 'shop',
      schemaVersion: 'v',
      prompt: 'agent/db_agent',
      promptVersion: 2,
    };
    expect(cacheKey({ ...base, context: 'today 2025-07-01' })).not.toBe(cacheKey({ ...base, context: 'today 2025-08-01' }));
    expect(cacheKey({ ...base, context: 'same' })).toBe(cacheKey({ ...base, question: '  how many ORDERS last month ', context: 'same' }));
  });
});
