import { RequestAbortedError, RequestTimeoutError, ServiceError } from '../errors/index.ts';

// Each deadline under the signals it governs, so that code given only a signal (a tool, the executor) can
// name its step and ask how much time is left, without a deadline threaded through every signature.
const deadlineBySignal = new WeakMap<AbortSignal, RequestDeadline>();

/**
 * One request's deadline: a signal that aborts when the caller goes away (reason `RequestAbortedError`) or
 * when `timeoutMs` has passed (reason `RequestTimeoutError`, naming the step that was running). Pass
 * `signal` down to model calls, SQL and prompt fetches; mark steps with `running`.
 */
export class RequestDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly startedAt: number;
  private step = 'starting';

  constructor(
    readonly timeoutMs: number,
    caller?: AbortSignal,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
    this.timer = setTimeout(() => {
      this.controller.abort(
        new RequestTimeoutError(`The request ran past its deadline of ${timeoutMs} ms while ${this.step}.`, { step: this.step, timeoutMs }),
      );
    }, timeoutMs);
    this.timer.unref?.();
    const cancel = () => this.controller.abort(new RequestAbortedError('The request was cancelled.'));
    if (caller?.aborted) cancel();
    else caller?.addEventListener('abort', cancel, { once: true });
    deadlineBySignal.set(this.controller.signal, this);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Names what runs now (`a call to the model gpt-4o-mini`), for the timeout's message. */
  running(step: string): void {
    this.step = step;
  }

  /** Milliseconds left before the deadline (0 once past it). */
  remainingMs(): number {
    return Math.max(0, Math.round(this.timeoutMs - (this.now() - this.startedAt)));
  }

  /** Lets `signal` (for example a shared run's own) stand for this deadline too. */
  governs(signal: AbortSignal): void {
    deadlineBySignal.set(signal, this);
  }

  /** Stops the timer; call once the request has ended. */
  dispose(): void {
    clearTimeout(this.timer);
  }
}

/** The deadline that governs `signal`, if any. */
export function deadlineOf(signal: AbortSignal | undefined | null): RequestDeadline | null {
  return signal ? (deadlineBySignal.get(signal) ?? null) : null;
}

/** Marks the step running under `signal`'s deadline, if it has one. */
export function runningUnder(signal: AbortSignal | undefined | null, step: string): void {
  deadlineOf(signal)?.running(step);
}

/**
 * The error an operation cut short by `signal` should end with: the signal's own reason when it is one of
 * ours (the deadline's `RequestTimeoutError`, the caller's `RequestAbortedError`), else a cancellation.
 */
export function abortedWith(signal: AbortSignal, cause?: unknown): ServiceError {
  const reason: unknown = signal.reason;
  if (reason instanceof ServiceError) return reason;
  return new RequestAbortedError('The request was cancelled.', {}, cause === undefined ? undefined : { cause });
}

/**
 * `work`, or the signal's reason (see `abortedWith`) as soon as the signal aborts: for a step that takes no
 * signal of its own (a prompt fetch, a cache lookup), so that it cannot hold the request past its deadline.
 * The work itself goes on; its result is dropped.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) {
    work.catch(() => undefined);
    return Promise.reject(abortedWith(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      work.catch(() => undefined);
      reject(abortedWith(signal));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
