import { LangfuseSpanProcessor } from '@langfuse/otel';
import { setLangfuseTracerProvider } from '@langfuse/tracing';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import type { Logger } from '../../logging/index.ts';
import type { LocalSpanStore } from '../local-store/index.ts';
import { LocalStoreSpanProcessor } from './local-store-span-processor.ts';

export interface TracingOptions {
  logger: Logger;
  /** Export to Langfuse when both keys are set. */
  langfuse?: { publicKey?: string; secretKey?: string; baseUrl: string; exportMode?: 'batched' | 'immediate'; flushAt?: number; flushIntervalSeconds?: number; timeoutSeconds?: number };
  /** Persist spans locally (on by default in the service). */
  localStore?: LocalSpanStore | null;
  /** Counts export failures (the metrics module's trace_export_failures_total). */
  onExportFailure?: (exporter: 'langfuse' | 'local') => void;
  /** Extra processors (tests use an in-memory exporter). */
  extraProcessors?: SpanProcessor[];
}

export interface Tracing {
  provider: NodeTracerProvider;
  local: LocalStoreSpanProcessor | null;
  /** Sends every queued span now (before exit, or in tests). */
  forceFlush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * The tracing backbone: the project's own `NodeTracerProvider` (not the global one, so other
 * instrumentation cannot swallow our spans), registered for `@langfuse/tracing`, with two processors:
 * Langfuse (every span, not only `gen_ai` ones) and the local span store. Export is batched and off the
 * request path; failures are logged and counted, never thrown.
 */
export function createTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [...(options.extraProcessors ?? [])];
  const { langfuse } = options;
  if (langfuse?.publicKey && langfuse.secretKey) {
    processors.push(
      new LangfuseSpanProcessor({
        publicKey: langfuse.publicKey,
        secretKey: langfuse.secretKey,
        baseUrl: langfuse.baseUrl,
        exportMode: langfuse.exportMode ?? 'batched',
        flushAt: langfuse.flushAt,
        flushInterval: langfuse.flushIntervalSeconds,
        timeout: langfuse.timeoutSeconds ?? 5,
        shouldExportSpan: () => true,
      }),
    );
  }
  const local = options.localStore
    ? new LocalStoreSpanProcessor({ store: options.localStore, logger: options.logger, onExportFailure: () => options.onExportFailure?.('local') })
    : null;
  if (local) processors.push(local);
  const provider = new NodeTracerProvider({ spanProcessors: processors });
  setLangfuseTracerProvider(provider);
  return {
    provider,
    local,
    forceFlush: async () => {
      await provider.forceFlush().catch((error: Error) => {
        options.onExportFailure?.('langfuse');
        options.logger.warn('trace export failed', { error: error.message });
      });
    },
    shutdown: async () => {
      await provider.shutdown().catch((error: Error) => options.logger.warn('trace shutdown failed', { error: error.message }));
    },
  };
}
