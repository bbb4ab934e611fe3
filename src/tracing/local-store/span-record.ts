/** What kind of work a span stands for; `trace` is the root of a trace. */
export type SpanKind = 'trace' | 'span' | 'generation' | 'tool' | 'event';

/** How a span ended: `DEFAULT` is success, `ERROR` a failure, `WARNING` a success worth a look. */
export type SpanLevel = 'DEFAULT' | 'WARNING' | 'ERROR';

/** Every span kind, in a fixed order (for validation and the database check constraint). */
export const spanKinds: readonly SpanKind[] = ['trace', 'span', 'generation', 'tool', 'event'];

/** Every span level, in a fixed order (for validation and the database check constraint). */
export const spanLevels: readonly SpanLevel[] = ['DEFAULT', 'WARNING', 'ERROR'];

/**
 * One span as the local store keeps it.
 *
 * Token counts and `costUsd` are the span's OWN usage (normally only `generation` spans carry them);
 * they are never rolled up from children. Totals for a trace or a subtree are sums over its spans, so a
 * producer must not also copy the children's cost onto the parent, or it is counted twice.
 */
export interface SpanRecord {
  traceId: string;
  spanId: string;
  /** Null for the root span of a trace. */
  parentSpanId: string | null;
  /** For example `query`, `prompt`, `cache`, `tier:gpt-4o-mini`, `generation`, `tool:execute_sql`. */
  name: string;
  kind: SpanKind;
  /** ISO 8601. */
  startTime: string;
  /** ISO 8601. */
  endTime: string;
  durationMs: number;
  level: SpanLevel;
  statusMessage: string | null;
  userId: string | null;
  sessionId: string | null;
  datasource: string | null;
  /** The prompt label (for example `production`); on the root it labels the whole trace. */
  label: string | null;
  promptName: string | null;
  promptVersion: number | null;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  /**
   * Everything else. Keys the views read: `errorType` (root), `escalated` (root, boolean),
   * `escalationReason` (tier span), `cacheStatus` (root: `sql` or `rows` is a hit).
   */
  attributes: Record<string, unknown>;
}
