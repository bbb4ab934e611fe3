import { abortedWith } from '../flow/index.ts';

interface Flight<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/**
 * Collapses concurrent work on the same key into one execution: while a call for a key is in flight, other
 * calls with that key join it (its value or its error). Once it settles, the next call runs the work again.
 *
 * Each caller may pass its own abort signal. A caller that aborts leaves at once with `RequestAbortedError`;
 * the shared work goes on for the others, and is aborted (through the signal it was given) only when every
 * caller has left.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Flight<T>>();

  /** Runs `work` for `key`, or joins the execution already in flight for it. */
  run(key: string, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
    let flight = this.inFlight.get(key);
    if (!flight) {
      const controller = new AbortController();
      const promise = (async () => work(controller.signal))();
      const created: Flight<T> = { promise, controller, waiters: 0 };
      const forget = () => {
        if (this.inFlight.get(key) === created) this.inFlight.delete(key);
      };
      promise.then(forget, forget);
      this.inFlight.set(key, created);
      flight = created;
    }
    const joined = flight;
    joined.waiters += 1;
    if (!signal) return joined.promise.finally(() => (joined.waiters -= 1));
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const leave = () => {
        if (settled) return;
        settled = true;
        joined.waiters -= 1;
        if (joined.waiters === 0) joined.controller.abort();
        reject(abortedWith(signal));
      };
      if (signal.aborted) return leave();
      signal.addEventListener('abort', leave, { once: true });
      joined.promise.then(
        (value) => {
          if (settled) return;
          settled = true;
          joined.waiters -= 1;
          signal.removeEventListener('abort', leave);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          joined.waiters -= 1;
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }

  /** Whether work for `key` is in flight now. */
  has(key: string): boolean {
    return this.inFlight.has(key);
  }

  /** How many keys have work in flight. */
  get size(): number {
    return this.inFlight.size;
  }
}
