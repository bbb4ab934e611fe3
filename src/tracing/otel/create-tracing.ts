import { createRequire } from 'node:module';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { routeLangfuseLogs, type Logger } from '../../logging/index.ts';
import type { SpanSink } from '../local-store/index.ts';
import type { Tracer } from '../trace-span.ts';
import { CountingSpanExporter } from './counting-exporter.ts';
import { LocalStoreSpanProcessor } from './local-store-span-processor.ts';
import { ObservationTracer } from './observation-span.ts';

/** The instrumentation scope of the service's spans. */
export const tracerScopeName = 'sqlagent';

export interface LangfuseExportSettings {
  publicKey?: string;
  secretKey?: string;
  baseUrl: string;
  /** `batched` (default): spans queue and go out in batches; `immediate`: each span on its own. */
  exportMode?: 'batched' | 'immediate';
  /** Spans per batch. Default 100. */
  flushAt?: number;
  /** Longest wait before a batch goes out. Default 5 s. */
  flushIntervalSeconds?: number;
  /** One export request's timeout. Default 5 s. */
  timeoutSeconds?: number;
}

export interface TracingOptions {
  logger: Logger;
  /** Export to Langfuse when both keys are set. */
  langfuse?: LangfuseExportSettings;
  /**
   * Persist spans locally (on by default in the service). A function is called on the first span, so
   * the app database opens only when something is traced.
   */
  localStore?: SpanSink | (() => Promise<SpanSink | null>) | null;
  /** Counts export failures (the metrics module's trace_export_failures_total), per exporter. */
  onExportFailure?: (exporter: 'langfuse' | 'local', spans: number) => void;
  /** Extra processors (tests use an in-memory exporter). */
  extraProcessors?: SpanProcessor[];
  /** Record generation and tool input/output. Default true. */
  captureContent?: boolean;
  /** Masked in every recorded string. */
  secrets?: readonly string[];
}

export interface Tracing {
  provider: NodeTracerProvider;
  /** Starts the traces of requests (see `TraceSpan`). */
  tracer: Tracer;
  local: LocalStoreSpanProcessor | null;
  /** True when spans go to Langfuse. */
  langfuseEnabled: boolean;
  /** Sends every queued span now (before exit, or in tests). Never throws. */
  forceFlush(): Promise<void>;
  /** Flushes and stops both processors. Never throws. */
  shutdown(): Promise<void>;
}

/**
 * The tracing backbone: the project's own `NodeTracerProvider` (not the global one, so other
 * instrumentation cannot swallow our spans) with two processors: Langfuse (every span, not only
 * `gen_ai` ones) and the local span store. Export is batched, bounded and off the request path; failures
 * are logged and counted, never thrown. Spans are started with explicit parents (`TraceSpan.startChild`),
 * so no global context manager is needed.
 */
export function createTracing(options: TracingOptions): Tracing {
  const processors: SpanProcessor[] = [...(options.extraProcessors ?? [])];
  const { langfuse, logger } = options;
  let langfuseEnabled = false;
  if (langfuse?.publicKey && langfuse.secretKey) {
    langfuseEnabled = true;
    // The Langfuse and OTLP packages load only when spans go to Langfuse: a process without keys (a CLI
    // `ask` on the embedded demo) starts about 0.1 s sooner. All three ship CommonJS builds, so this stays sync.
    const require = createRequire(import.meta.url);
    const { OTLPTraceExporter } =
      require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
    const { LangfuseSpanProcessor } = require('@langfuse/otel') as typeof import('@langfuse/otel');
    void routeLangfuseLogs(logger);
    const timeoutSeconds = langfuse.timeoutSeconds ?? 5;
    const exporter = new CountingSpanExporter(
      new OTLPTraceExporter({
        url: `${langfuse.baseUrl.replace(/\/+$/, '')}/api/public/otel/v1/traces`,
        headers: {
          Authorization: `Basic ${Buffer.from(`${langfuse.publicKey}:${langfuse.secretKey}`).toString('base64')}`,
          'x-langfuse-sdk-name': 'javascript',
          'x-langfuse-public-key': langfuse.publicKey,
        },
        timeoutMillis: timeoutSeconds * 1000,
      }),
      (spans, error) => {
        options.onExportFailure?.('langfuse', spans);
        logger.warn('trace export to Langfuse failed', { spans, error: error?.message ?? 'unknown error' });
      },
    );
    processors.push(
      new LangfuseSpanProcessor({
        exporter,
        publicKey: langfuse.publicKey,
        baseUrl: langfuse.baseUrl,
        exportMode: langfuse.exportMode ?? 'batched',
        flushAt: langfuse.flushAt ?? 100,
        flushInterval: langfuse.flushIntervalSeconds ?? 5,
        timeout: timeoutSeconds,
        mediaUploadEnabled: false,
        shouldExportSpan: () => true,
      }),
    );
  }
  const local = options.localStore
    ? new LocalStoreSpanProcessor({
        store: options.localStore,
        logger,
        onExportFailure: (spans) => options.onExportFailure?.('local', spans),
      })
    : null;
  if (local) processors.push(local);
  const provider = new NodeTracerProvider({ spanProcessors: processors });
  // For any @langfuse/tracing helper used later (our own spans do not depend on this registration; the
  // provider is kept under a global symbol, so the CommonJS and ESM builds share it).
  if (langfuseEnabled)
    (createRequire(import.meta.url)('@langfuse/tracing') as typeof import('@langfuse/tracing')).setLangfuseTracerProvider(provider);
  const tracer = new ObservationTracer(provider.getTracer(tracerScopeName), {
    captureContent: options.captureContent,
    secrets: options.secrets,
  });
  return {
    provider,
    tracer,
    local,
    langfuseEnabled,
    forceFlush: async () => {
      await provider.forceFlush().catch((error: Error) => logger.warn('trace flush failed', { error: error.message }));
    },
    shutdown: async () => {
      await provider.shutdown().catch((error: Error) => logger.warn('trace shutdown failed', { error: error.message }));
    },
  };
}
