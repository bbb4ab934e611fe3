import { SqlTimeoutError } from '../errors/index.ts';

/** Grace the server gets to stop a statement itself before the client gives up on the connection. */
export const backstopGraceMs = 1000;

/**
 * Races one statement against `timeoutMs` plus a grace period. The server's own statement timeout
 * normally fires first; this covers a server or network that stops answering. On expiry `onExpire`
 * runs (the caller drops the connection) and the promise rejects with `SqlTimeoutError`.
 */
export async function withBackstop<T>(running: Promise<T>, timeoutMs: number | undefined, onExpire: () => void): Promise<T> {
  if (timeoutMs === undefined) return running;
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onExpire();
      reject(new SqlTimeoutError(`No answer within ${timeoutMs} ms; the connection was dropped.`, { timeoutMs }));
    }, timeoutMs + backstopGraceMs);
  });
  running.catch(() => {});
  try {
    return await Promise.race([running, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/** The time budget of one session: each statement gets what is left. */
export class SessionDeadline {
  private readonly deadline: number | undefined;

  constructor(
    timeoutMs: number | undefined,
    private readonly now: () => number = Date.now,
  ) {
    this.deadline = timeoutMs === undefined ? undefined : now() + timeoutMs;
  }

  /** Milliseconds left (never negative), or undefined when the session has no budget. */
  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : Math.max(0, this.deadline - this.now());
  }
}
