export { createTracing, type Tracing, type TracingOptions } from './create-tracing.ts';
export { LocalStoreSpanProcessor, toSpanRecord, type LocalStoreSpanProcessorOptions } from './local-store-span-processor.ts';
