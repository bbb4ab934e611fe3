import type { App } from '../app.ts';
import { ConfigError } from '../errors/index.ts';
import type { LocalSpanStore } from '../tracing/local-store/index.ts';

/**
 * The app's local span store, for the commands that read traces.
 *
 * An AppDatabaseUnavailableError from opening it (for example, `sqlagent serve` holds the embedded
 * database) surfaces as it is: its message already says what to do.
 *
 * @throws ConfigError when `tracing.localStore` is off, saying how to turn it on.
 */
export async function requireTraceStore(app: App): Promise<LocalSpanStore> {
  const store = await app.traceStore();
  if (store === null) {
    throw new ConfigError(
      'Local traces are off (tracing.localStore is false), so there are no traces to read. Turn them on with SQLAGENT_LOCAL_TRACES=true (or tracing.localStore: true in the config file) and restart the service; traces recorded from then on will show here.',
      { field: 'tracing.localStore' },
    );
  }
  return store;
}
