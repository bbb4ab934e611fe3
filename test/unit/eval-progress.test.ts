import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createEvalProgress } from '../../src/cli/eval-progress.ts';
import type { EvalItemResult, RunEvent } from '../../src/evals/index.ts';

/** A writable stream that says it is a terminal (or not) and keeps what was written. */
class CapturingStream extends Writable {
  text = '';
  columns = 160;
  rows = 40;
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
  cursorTo(_x: number, _y?: number | (() => void), callback?: () => void) {
    if (typeof _y === 'function') _y();
    callback?.();
    return true;
  }
  moveCursor(_dx: number, _dy: number, callback?: () => void) {
    callback?.();
    return true;
  }
  clearLine(_direction: number, callback?: () => void) {
    callback?.();
    return true;
  }
  clearScreenDown(callback?: () => void) {
    callback?.();
    return true;
  }
}

const item = (label: string, correct: boolean) => ({ label, outcome: correct ? 'correct' : 'wrong' }) as EvalItemResult;
const events = (total: number): RunEvent[] => [
  { type: 'start', total, alreadyFinished: 0, labels: ['production', 'staging'] },
  ...Array.from({ length: total }, (_, index): RunEvent => ({
    type: 'item',
    item: item(index % 2 ? 'staging' : 'production', index % 3 === 0),
    finished: index + 1,
    total,
  })),
];

describe('eval progress', () => {
  it('prints plain lines when not a terminal: about every tenth of the run and the last, with the running accuracy per label', async () => {
    const stream = new CapturingStream(false);
    const progress = await createEvalProgress(null, (text) => stream.write(text));
    for (const event of events(20)) progress.onEvent(event);
    progress.stop();
    const lines = stream.text.trim().split('\n');
    expect(lines[0]).toBe('gold results ready for 0 cases; 20 items to score');
    expect(lines.slice(1)).toHaveLength(10);
    expect(lines.at(-1)).toBe('[20/20] production 40.0%  staging 30.0%');
  });

  it('draws a live bar on a terminal with the running accuracy per label', async () => {
    const stream = new CapturingStream(true);
    const progress = await createEvalProgress(stream as unknown as NodeJS.WriteStream, () => {});
    for (const event of events(6)) progress.onEvent(event);
    progress.stop();
    expect(stream.text).toContain('6/6');
    expect(stream.text).toContain('production 33.3%  staging 33.3%');
    expect(stream.text).toMatch(/█/);
    expect(stream.text.split('\n').length).toBeLessThan(6);
  });
});
