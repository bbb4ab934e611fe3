import { DatasourceBusyError } from '../errors/index.ts';
import { AdmissionQueue, AdmissionRefused, deadlineOf } from '../flow/index.ts';
import type { DatasourceDriver } from './driver.ts';

export interface SessionGateOptions {
  datasourceId: string;
  /** Sessions at once: the pool's size (PGlite has one connection, so one). */
  capacity: number;
  /** Longest wait for a session when the caller has no deadline (or a later one). */
  maxWaitMs: number;
}

/**
 * The driver with its sessions counted in front of the pool: a caller waits for one in order, for at most
 * `maxWaitMs` or what is left of its request's deadline, and then gets `DatasourceBusyError` (503 with
 * `Retry-After`): back-pressure, which the agent neither shows to the model as a failed query nor
 * escalates on. Connecting itself still fails as `DatasourceUnavailableError`, since the wait is over by then.
 */
export function gateSessions(driver: DatasourceDriver, options: SessionGateOptions): DatasourceDriver & { readonly gate: AdmissionQueue } {
  // No bound on the queue here: the agent runs are bounded at the door (see QueryService); the wait is.
  const gate = new AdmissionQueue(options.capacity, Number.MAX_SAFE_INTEGER);
  return Object.assign(Object.create(driver) as DatasourceDriver, {
    gate,
    async withSession<T>(
      work: Parameters<DatasourceDriver['withSession']>[0],
      sessionOptions: Parameters<DatasourceDriver['withSession']>[1] = {},
    ) {
      const remaining = deadlineOf(sessionOptions.signal)?.remainingMs();
      const waitMs = Math.min(options.maxWaitMs, remaining ?? Infinity);
      let release: () => void;
      try {
        release = await gate.acquire(waitMs, sessionOptions.signal);
      } catch (error) {
        if (!(error instanceof AdmissionRefused)) throw error;
        throw new DatasourceBusyError(`Datasource "${options.datasourceId}" is busy: ${error.message}. Try again in a moment.`, {
          datasource: options.datasourceId,
          retryAfterSeconds: gate.retryAfterSeconds(),
        });
      }
      try {
        return (await driver.withSession(work, sessionOptions)) as T;
      } finally {
        release();
      }
    },
  });
}
