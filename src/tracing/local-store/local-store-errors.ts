import { ServiceError } from '../../errors/index.ts';

/** No span of the trace is in the local store (it never arrived, or retention removed it). */
export class TraceNotFoundError extends ServiceError {
  readonly code = 'trace_not_found';

  constructor(readonly traceId: string) {
    super(`No trace with id "${traceId}" is in the local span store.`, { traceId });
  }
}
