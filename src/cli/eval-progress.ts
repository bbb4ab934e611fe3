import type { RunEvent } from '../evals/index.ts';

/** Shows a run's progress: a live bar with the running accuracy per label on a TTY, plain lines elsewhere. */
export interface EvalProgress {
  onEvent(event: RunEvent): void;
  stop(): void;
}

interface Tally {
  finished: number;
  correct: number;
}

function accuracyLine(tallies: Map<string, Tally>): string {
  return [...tallies]
    .map(([label, tally]) => `${label} ${tally.finished ? ((tally.correct / tally.finished) * 100).toFixed(1) : '-'}%`)
    .join('  ');
}

/**
 * Builds the progress display: a live bar on `terminal` when there is one, else plain lines through
 * `write`. The labels come with the run's `start` event.
 */
export async function createEvalProgress(terminal: NodeJS.WriteStream | null, write: (text: string) => void): Promise<EvalProgress> {
  const tallies = new Map<string, Tally>();
  const begin = (labels: readonly string[]) => {
    tallies.clear();
    for (const label of labels) tallies.set(label, { finished: 0, correct: 0 });
  };
  let golds = 0;
  const count = (event: Extract<RunEvent, { type: 'item' }>) => {
    const tally = tallies.get(event.item.label) ?? { finished: 0, correct: 0 };
    tally.finished += 1;
    if (event.item.outcome === 'correct') tally.correct += 1;
    tallies.set(event.item.label, tally);
  };
  if (!terminal) {
    let lastPrinted = 0;
    return {
      onEvent(event) {
        if (event.type === 'gold') golds += 1;
        if (event.type === 'start') {
          begin(event.labels);
          write(
            `gold results ready for ${golds} cases; ${event.total} items to score${event.alreadyFinished ? ` (${event.alreadyFinished} finished earlier)` : ''}\n`,
          );
          lastPrinted = event.alreadyFinished;
        }
        if (event.type !== 'item') return;
        count(event);
        // A line every tenth of the run (and the last item), so long runs stay readable in CI logs.
        if (event.finished === event.total || event.finished - lastPrinted >= Math.max(1, Math.ceil(event.total / 10))) {
          lastPrinted = event.finished;
          write(`[${event.finished}/${event.total}] ${accuracyLine(tallies)}\n`);
        }
      },
      stop() {},
    };
  }
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    {
      format: ' {phase} [{bar}] {value}/{total} | {accuracy} | ETA {eta_formatted}',
      hideCursor: true,
      stream: terminal,
      clearOnComplete: false,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onEvent(event) {
      if (event.type === 'gold') {
        golds += 1;
        return;
      }
      if (event.type === 'start') {
        begin(event.labels);
        bar.start(event.total, event.alreadyFinished, { phase: 'eval', accuracy: `gold ready for ${golds} cases` });
        started = true;
        return;
      }
      count(event);
      bar.update(event.finished, { accuracy: accuracyLine(tallies) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
