/**
 * Tracing: the span seam the agent and the query service write to (`TraceSpan`), the OpenTelemetry
 * backbone with the Langfuse and local-store processors, and the local span store with its views.
 */
export {
  errorTypeOf,
  noopSpan,
  noopTracer,
  type ObservationKind,
  type ObservationLevel,
  type SpanAttributeValue,
  type SpanFields,
  type TraceAttributes,
  type TraceSpan,
  type Tracer,
  withSpan,
} from './trace-span.ts';
export * from './otel/index.ts';
export * from './local-store/index.ts';
