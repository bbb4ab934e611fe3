import { abortedWith } from './request-deadline.ts';

/** Why a place was not given: the queue was full, or the wait ran out. */
export class AdmissionRefused extends Error {
  constructor(
    readonly why: 'queue_full' | 'wait_exceeded',
    message: string,
  ) {
    super(message);
    this.name = 'AdmissionRefused';
  }
}

interface Waiter {
  grant: () => void;
  settled: boolean;
}

/**
 * At most `capacity` holders at once; the others wait in order, at most `maxQueued` of them and each for at
 * most the time it asks. A full queue refuses at once: overload is shed at the door rather than left to
 * time out inside. Also reports how long a place is held on average, to say when to come back.
 */
export class AdmissionQueue {
  private held = 0;
  private readonly waiting: Waiter[] = [];
  private averageHoldMs = 0;

  constructor(
    readonly capacity: number,
    readonly maxQueued: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get inUse(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /**
   * A place, once one is free: resolves with its release function (call it exactly once). Rejects with
   * `AdmissionRefused` when the queue is full or `maxWaitMs` passes first, and with the signal's reason
   * (see `abortedWith`) when `signal` aborts first.
   */
  acquire(maxWaitMs: number, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortedWith(signal));
    if (this.held < this.capacity && this.waiting.length === 0) return Promise.resolve(this.take());
    if (this.waiting.length >= this.maxQueued)
      return Promise.reject(
        new AdmissionRefused('queue_full', `all ${this.capacity} places are taken and ${this.waiting.length} are waiting`),
      );
    return new Promise((resolve, reject) => {
      const waiter: Waiter = { settled: false, grant: () => {} };
      const leave = (error: Error) => {
        if (waiter.settled) return;
        waiter.settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(error);
      };
      const onAbort = () => leave(abortedWith(signal!));
      const timer = setTimeout(
        () => leave(new AdmissionRefused('wait_exceeded', `all ${this.capacity} places stayed taken for ${maxWaitMs} ms`)),
        Math.max(0, maxWaitMs),
      );
      waiter.grant = () => {
        waiter.settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(this.take());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  /** Seconds after which a refused caller may reasonably try again: the queue ahead, at the average hold. */
  retryAfterSeconds(): number {
    const perPlace = this.averageHoldMs || 1000;
    return Math.min(60, Math.max(1, Math.ceil(((this.waiting.length + 1) * perPlace) / this.capacity / 1000)));
  }

  private take(): () => void {
    this.held += 1;
    const since = this.now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const heldMs = this.now() - since;
      this.averageHoldMs = this.averageHoldMs === 0 ? heldMs : this.averageHoldMs * 0.8 + heldMs * 0.2;
      this.held -= 1;
      const next = this.waiting.shift();
      next?.grant();
    };
  }
}
