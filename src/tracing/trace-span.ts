import { randomBytes } from 'node:crypto';

/** Langfuse observation types the service uses. */
export type ObservationKind = 'span' | 'generation' | 'tool' | 'agent' | 'event';

/** How an observation ended, in Langfuse's terms. */
export type ObservationLevel = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

/** A primitive OpenTelemetry attribute value; null and undefined are left out. */
export type SpanAttributeValue = string | number | boolean | string[] | null | undefined;

/** What a span can record; every field is optional and later updates win. */
export interface SpanFields {
  input?: unknown;
  output?: unknown;
  /** Observation metadata (shown in Langfuse beside the span). */
  metadata?: Record<string, unknown>;
  level?: ObservationLevel;
  statusMessage?: string;
  /** Generations: the model id, its parameters, token usage, cost in USD and the prompt it was given. */
  model?: string;
  modelParameters?: Record<string, string | number>;
  usageDetails?: { input: number; output: number; total: number };
  costDetails?: { input: number; output: number; total: number };
  /** Links a generation to a prompt version (Langfuse's per-version metrics); fallback prompts are not linked. */
  prompt?: { name: string; version: number; isFallback: boolean };
  /** The service's own attributes (`sqlagent.*`), read by the local span store. */
  attributes?: Record<string, SpanAttributeValue>;
}

/**
 * Trace-level attributes, set on the root and copied onto every span started after (what
 * `propagateAttributes` does in `@langfuse/tracing`), so per-user and per-tag views see every span.
 * Metadata values are strings of at most 200 characters.
 */
export interface TraceAttributes {
  userId?: string | null;
  sessionId?: string | null;
  tags?: string[];
  metadata?: Record<string, string | number | boolean | null | undefined>;
}

/**
 * One span of a trace, as the agent and the query service see it: start children, record fields, end.
 * The implementation over OpenTelemetry and `@langfuse/tracing` is in `otel/`; `noopSpan` records
 * nothing. Parents are passed explicitly (no global context manager), so spans of concurrent requests
 * never mix.
 */
export interface TraceSpan {
  /** 32 lower-case hex characters, the same id Langfuse shows and `X-Trace-Id` returns. */
  readonly traceId: string;
  /** 16 lower-case hex characters. */
  readonly spanId: string;
  /** Starts a span under this one. */
  startChild(name: string, kind: ObservationKind, fields?: SpanFields): TraceSpan;
  update(fields: SpanFields): void;
  /** Sets trace-level attributes (see {@link TraceAttributes}); merges tags and metadata. */
  setTraceAttributes(attributes: TraceAttributes): void;
  /**
   * Marks the span failed: level ERROR, the error's message, and `sqlagent.error_type` (a service
   * error's code, else `internal`).
   */
  fail(error: unknown): void;
  /** Ends the span; later calls do nothing. */
  end(): void;
}

/** Starts traces (root spans). */
export interface Tracer {
  startTrace(name: string, fields?: SpanFields, attributes?: TraceAttributes): TraceSpan;
}

/** The code of a thrown value for `sqlagent.error_type`: a service error's `code`, else `internal`. */
export function errorTypeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[a-z_]{1,64}$/.test(code) ? code : 'internal';
}

class NoopSpan implements TraceSpan {
  readonly spanId = randomBytes(8).toString('hex');
  constructor(readonly traceId: string) {}
  startChild(): TraceSpan {
    return new NoopSpan(this.traceId);
  }
  update(): void {}
  setTraceAttributes(): void {}
  fail(): void {}
  end(): void {}
}

/** A span that records nothing but still has a fresh trace id (for callers without tracing). */
export function noopSpan(): TraceSpan {
  return new NoopSpan(randomBytes(16).toString('hex'));
}

/** A tracer whose spans record nothing. */
export const noopTracer: Tracer = { startTrace: () => noopSpan() };

/**
 * Runs `work` inside `span`: a throw marks it failed (and is rethrown), and the span always ends. The one
 * place for the fail-and-end pattern every traced step needs.
 *
 * @example
 * const meta = await withSpan(root.startChild('schema', 'span'), async (span) => registry.schema(id));
 */
export async function withSpan<T>(span: TraceSpan, work: (span: TraceSpan) => Promise<T>): Promise<T> {
  try {
    return await work(span);
  } catch (error) {
    span.fail(error);
    throw error;
  } finally {
    span.end();
  }
}
