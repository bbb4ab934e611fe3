import { spanAttribute } from '../span-attributes.ts';
import {
  LangfuseAgent,
  LangfuseEvent,
  LangfuseGeneration,
  LangfuseSpan,
  LangfuseTool,
  type LangfuseGenerationAttributes,
  type LangfuseObservation,
} from '@langfuse/tracing';
import { ROOT_CONTEXT, SpanStatusCode, trace, type Attributes, type Tracer as OtelTracer } from '@opentelemetry/api';
import { redactSecrets, withJsonEscapedForms } from '../../logging/index.ts';
import {
  errorTypeOf,
  noopSpan,
  type ObservationKind,
  type SpanAttributeValue,
  type SpanFields,
  type TraceAttributes,
  type TraceSpan,
  type Tracer,
} from '../trace-span.ts';

/** Options of {@link ObservationTracer}. */
export interface ObservationTracerOptions {
  /** Record input and output of generations and tools (model messages, tool arguments). Default true. */
  captureContent?: boolean;
  /** Values masked wherever they appear in a recorded string (configured passwords and keys). */
  secrets?: readonly string[];
}

/** What every span of one trace shares: the trace-level attributes and the root. */
interface TraceState {
  attributes: Attributes;
  tags: Set<string>;
  root: ObservationSpan | null;
  options: Required<ObservationTracerOptions>;
}

const metadataValueLimit = 200;

/**
 * Now, in epoch milliseconds with a fractional part from the monotonic clock. OpenTelemetry would take
 * `Date.now()` (whole milliseconds) for spans whose parent it only knows by context, and a tool call
 * and the next model call often start in the same millisecond: sub-millisecond times keep them in order.
 */
const preciseNow = () => performance.timeOrigin + performance.now();

/** JSON text of a value; BigInt as a decimal string; undefined when it cannot be serialized (cycles). */
function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value, (_key, entry) => (typeof entry === 'bigint' ? entry.toString() : entry));
  } catch {
    return undefined;
  }
}

function definedAttributes(values: Record<string, SpanAttributeValue>): Attributes {
  const attributes: Attributes = {};
  for (const [key, value] of Object.entries(values)) if (value !== null && value !== undefined) attributes[key] = value;
  return attributes;
}

function wrap(kind: ObservationKind, otelSpan: ReturnType<OtelTracer['startSpan']>): LangfuseObservation {
  switch (kind) {
    case 'generation':
      return new LangfuseGeneration({ otelSpan });
    case 'tool':
      return new LangfuseTool({ otelSpan });
    case 'agent':
      return new LangfuseAgent({ otelSpan });
    case 'event':
      return new LangfuseEvent({ otelSpan, timestamp: new Date() });
    default:
      return new LangfuseSpan({ otelSpan });
  }
}

/**
 * A span backed by an OpenTelemetry span of the project's own provider, typed with the
 * `@langfuse/tracing` observation classes (so the attributes are exactly the ones Langfuse reads).
 */
class ObservationSpan implements TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  private ended = false;

  constructor(
    private readonly tracer: OtelTracer,
    private readonly observation: LangfuseObservation,
    private readonly kind: ObservationKind,
    private readonly state: TraceState,
  ) {
    this.traceId = observation.traceId;
    this.spanId = observation.id;
  }

  startChild(name: string, kind: ObservationKind, fields: SpanFields = {}): TraceSpan {
    try {
      const parent = trace.setSpanContext(ROOT_CONTEXT, this.observation.otelSpan.spanContext());
      const otelSpan = this.tracer.startSpan(name, { startTime: preciseNow() }, parent);
      otelSpan.setAttributes(this.state.attributes);
      const child = new ObservationSpan(this.tracer, wrap(kind, otelSpan), kind, this.state);
      child.update(fields);
      return child;
    } catch {
      // Tracing never fails a request: a span that cannot be made records nothing.
      return noopSpan();
    }
  }

  update(fields: SpanFields): void {
    try {
      this.record(fields);
    } catch {
      // A value that cannot be recorded (say, one JSON cannot hold) is left out; the request goes on.
    }
  }

  private record(fields: SpanFields): void {
    if (this.ended) return;
    const { attributes, input, output, ...rest } = fields;
    const content = this.kind === 'generation' || this.kind === 'tool' ? this.state.options.captureContent : true;
    const observed: LangfuseGenerationAttributes = {
      ...rest,
      ...(input !== undefined && content ? { input: this.clean(input) } : {}),
      ...(output !== undefined && content ? { output: this.clean(output) } : {}),
      ...(rest.statusMessage !== undefined ? { statusMessage: this.mask(rest.statusMessage) } : {}),
      ...(rest.metadata !== undefined ? { metadata: this.clean(rest.metadata, true) as Record<string, unknown> } : {}),
    };
    if (Object.keys(observed).length > 0) (this.observation as LangfuseGeneration).update(observed);
    if (attributes) {
      const masked = Object.fromEntries(
        Object.entries(attributes).map(([key, value]) => [key, typeof value === 'string' ? this.mask(value) : value]),
      );
      this.observation.otelSpan.setAttributes(definedAttributes(masked));
    }
  }

  setTraceAttributes(values: TraceAttributes): void {
    try {
      this.recordTraceAttributes(values);
    } catch {
      // See update.
    }
  }

  private recordTraceAttributes(values: TraceAttributes): void {
    const next: Record<string, SpanAttributeValue> = {};
    // Masked like every other recorded string: a tag may name a datasource URL given on the command line.
    if (values.userId) next['user.id'] = this.mask(values.userId);
    if (values.sessionId) next['session.id'] = this.mask(values.sessionId);
    if (values.tags) {
      for (const tag of values.tags) this.state.tags.add(this.mask(tag));
      next['langfuse.trace.tags'] = [...this.state.tags];
    }
    for (const [key, value] of Object.entries(values.metadata ?? {})) {
      if (value !== null && value !== undefined)
        next[`langfuse.trace.metadata.${key}`] = this.mask(String(value)).slice(0, metadataValueLimit);
    }
    Object.assign(this.state.attributes, definedAttributes(next));
    if (!this.ended) this.observation.otelSpan.setAttributes(definedAttributes(next));
    const root = this.state.root;
    if (root && root !== this && !root.ended) root.observation.otelSpan.setAttributes(definedAttributes(next));
  }

  fail(error: unknown): void {
    try {
      const message = error instanceof Error ? error.message : String(error);
      this.update({ level: 'ERROR', statusMessage: message, attributes: { [spanAttribute.errorType]: errorTypeOf(error) } });
      this.observation.otelSpan.setStatus({ code: SpanStatusCode.ERROR, message: this.mask(message) });
    } catch {
      // See update.
    }
  }

  end(): void {
    if (this.ended) return;
    this.ended = true;
    try {
      this.observation.end(preciseNow());
    } catch {
      // See update.
    }
  }

  /**
   * The value as the JSON text Langfuse records (it goes out as text anyway), with every secret masked;
   * metadata stays an object (Langfuse flattens it into one attribute per key).
   */
  private clean(value: unknown, keepObject = false): unknown {
    const text = typeof value === 'string' ? value : safeJson(value);
    if (text === undefined) return '<not serializable>';
    const masked = this.mask(text);
    return keepObject && typeof value !== 'string' ? JSON.parse(masked) : masked;
  }

  private mask(text: string): string {
    return redactSecrets(text, this.state.options.secrets);
  }

  /** @internal */
  markRoot(name: string): void {
    this.state.root = this;
    this.state.attributes['langfuse.trace.name'] = name;
    this.observation.otelSpan.setAttributes({ 'langfuse.trace.name': name });
  }
}

/** Starts traces on an OpenTelemetry tracer; see {@link ObservationSpan}. */
export class ObservationTracer implements Tracer {
  private readonly options: Required<ObservationTracerOptions>;

  constructor(
    private readonly tracer: OtelTracer,
    options: ObservationTracerOptions = {},
  ) {
    // Inputs and outputs are masked as JSON text.
    this.options = { captureContent: options.captureContent ?? true, secrets: withJsonEscapedForms(options.secrets ?? []) };
  }

  startTrace(name: string, fields: SpanFields = {}, attributes: TraceAttributes = {}): TraceSpan {
    let root: ObservationSpan;
    try {
      const otelSpan = this.tracer.startSpan(name, { startTime: preciseNow() }, ROOT_CONTEXT);
      const state: TraceState = { attributes: {}, tags: new Set(), root: null, options: this.options };
      root = new ObservationSpan(this.tracer, wrap('span', otelSpan), 'span', state);
      root.markRoot(name);
    } catch {
      return noopSpan();
    }
    root.setTraceAttributes(attributes);
    root.update(fields);
    return root;
  }
}
