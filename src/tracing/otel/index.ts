export { CountingSpanExporter } from './counting-exporter.ts';
export { createTracing, tracerScopeName, type LangfuseExportSettings, type Tracing, type TracingOptions } from './create-tracing.ts';
export { LocalStoreSpanProcessor, toSpanRecord, type LocalStoreSpanProcessorOptions } from './local-store-span-processor.ts';
export { ObservationTracer, type ObservationTracerOptions } from './observation-span.ts';
