/**
 * The tracing seam: what the agent and the query service write spans to (`TraceSpan`, `Tracer`), the
 * no-op objects, `withSpan`, and the `sqlagent.*` attribute names. Importing it loads nothing else: the
 * OpenTelemetry backbone (`./otel/index.ts`) and the local span store (`./local-store/index.ts`) are
 * imported by name where they are built and read (the composition root, the CLI).
 */
export {
  errorTypeOf,
  noopSpan,
  noopTracer,
  withSpan,
  type ObservationKind,
  type ObservationLevel,
  type SpanAttributeValue,
  type SpanFields,
  type TraceAttributes,
  type TraceSpan,
  type Tracer,
} from './trace-span.ts';
export { spanAttribute } from './span-attributes.ts';
