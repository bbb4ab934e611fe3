/**
 * Collapses concurrent work on the same key into one execution: while a call for a key is in flight, other
 * calls with that key get the same promise (its value or its error). Once it settles, the next call runs the
 * work again — nothing is remembered.
 */
export class SingleFlight<T> {
  private readonly inFlight = new Map<string, Promise<T>>();

  /** Runs `work` for `key`, or joins the execution already in flight for it. */
  run(key: string, work: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key);
    if (existing) return existing;
    const promise = (async () => work())();
    this.inFlight.set(key, promise);
    const forget = () => {
      if (this.inFlight.get(key) === promise) this.inFlight.delete(key);
    };
    promise.then(forget, forget);
    return promise;
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
