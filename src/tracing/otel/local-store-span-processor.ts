import { spanAttribute } from '../span-attributes.ts';
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { Logger } from '../../logging/index.ts';
import type { SpanRecord, SpanSink } from '../local-store/index.ts';

export interface LocalStoreSpanProcessorOptions {
  /** The store, or a function that opens it on the first write (null: local spans are off). */
  store: SpanSink | (() => Promise<SpanSink | null>);
  logger: Logger;
  /** Spans written per insert. Default 100. */
  batchSize?: number;
  /** Longest a span waits in memory before it is written. Default 1000 ms. */
  flushIntervalMs?: number;
  /** Most spans held in memory; beyond it the oldest are dropped and counted. Default 10 000. */
  maxQueue?: number;
  /**
   * Longest one write may take, opening the store included. Past it the batch is counted lost and the
   * next write goes ahead, so an app database that stops answering cannot hold spans, memory or shutdown.
   * Default 30 000 ms (opening PGlite takes seconds).
   */
  writeTimeoutMs?: number;
  /** After a lazy store failed to open, how long writes fail fast (spans counted lost) before it is tried again. Default 30 000 ms. */
  reopenDelayMs?: number;
  /** Called once per failed write or queue overflow, with the number of spans lost (for the export-failure metric). */
  onExportFailure?: (spans: number) => void;
}

const hrTimeToMs = ([seconds, nanoseconds]: [number, number]) => seconds * 1000 + nanoseconds / 1e6;

/**
 * An OpenTelemetry time as ISO 8601 with microseconds (`…T10:00:00.123456Z`): timestamptz keeps them, so
 * spans started within one millisecond (a tool call and the next model call) still sort in start order.
 */
function hrTimeToIso([seconds, nanoseconds]: [number, number]): string {
  const milliseconds = Math.floor(nanoseconds / 1e6);
  const microseconds = Math.floor((nanoseconds % 1e6) / 1e3);
  return new Date(seconds * 1000 + milliseconds).toISOString().replace('Z', `${String(microseconds).padStart(3, '0')}Z`);
}

function numberOrNull(value: unknown): number | null {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

function parseJson(value: unknown): Record<string, unknown> | null {
  if (typeof value !== 'string') return null;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const inputKey = 'langfuse.observation.input';
/** Most traces whose last generation input is kept, to store the next one as a continuation. */
const maxRunningTraces = 1000;
/** Most characters of those inputs kept in all (a trace forgotten early stores its next input whole). */
const maxRememberedChars = 8_000_000;

/** Longest attribute text kept locally (model messages repeat the whole prompt); longer is cut and marked. */
const maxAttributeChars = 16_384;

/** The `sqlagent.*` attributes the local views read, under the names `SpanRecord.attributes` documents. */
const viewKeys: Record<string, string> = {
  [spanAttribute.errorType]: 'errorType',
  [spanAttribute.escalated]: 'escalated',
  [spanAttribute.escalationReason]: 'escalationReason',
  [spanAttribute.cacheStatus]: 'cacheStatus',
  [spanAttribute.promptIsFallback]: 'promptIsFallback',
};

/** A string attribute as stored: cut at `maxAttributeChars`, and marked so. */
const storedValue = (value: unknown): unknown =>
  typeof value === 'string' && value.length > maxAttributeChars
    ? `${value.slice(0, maxAttributeChars)}… [cut: ${value.length - maxAttributeChars} more characters]`
    : value;

function storedAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  const stored: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    stored[key] = storedValue(value);
    const viewKey = viewKeys[key];
    if (viewKey) stored[viewKey] = value;
  }
  return stored;
}

/** Maps a finished OpenTelemetry span (with Langfuse and sqlagent attributes) to a stored span. */
export function toSpanRecord(span: ReadableSpan): SpanRecord {
  const attributes = span.attributes as Record<string, unknown>;
  const text = (...keys: string[]) => {
    for (const key of keys) if (typeof attributes[key] === 'string' && attributes[key] !== '') return attributes[key] as string;
    return null;
  };
  const parentSpanId = span.parentSpanContext?.spanId ?? null;
  const type = text('langfuse.observation.type');
  const usage = parseJson(attributes['langfuse.observation.usage_details']);
  const cost = parseJson(attributes['langfuse.observation.cost_details']);
  const level = text('langfuse.observation.level');
  const start = hrTimeToMs(span.startTime as [number, number]);
  const end = hrTimeToMs(span.endTime as [number, number]);
  return {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    parentSpanId,
    name: span.name,
    kind: parentSpanId === null ? 'trace' : type === 'generation' || type === 'tool' || type === 'event' ? type : 'span',
    startTime: hrTimeToIso(span.startTime as [number, number]),
    endTime: hrTimeToIso(span.endTime as [number, number]),
    durationMs: Math.max(0, Math.round(end - start)),
    level: level === 'ERROR' || span.status.code === 2 ? 'ERROR' : level === 'WARNING' ? 'WARNING' : 'DEFAULT',
    statusMessage: text('langfuse.observation.status_message') ?? (span.status.message || null),
    userId: text('user.id', 'langfuse.user.id'),
    sessionId: text('session.id', 'langfuse.session.id'),
    datasource: text(spanAttribute.datasource),
    label: text(spanAttribute.label),
    promptName: text('langfuse.observation.prompt.name', spanAttribute.promptName),
    promptVersion: numberOrNull(attributes['langfuse.observation.prompt.version'] ?? attributes[spanAttribute.promptVersion]),
    model: text('langfuse.observation.model.name'),
    inputTokens: numberOrNull(usage?.input),
    outputTokens: numberOrNull(usage?.output),
    costUsd: numberOrNull(cost?.total ?? attributes[spanAttribute.costUsd]),
    attributes: storedAttributes(attributes),
  };
}

/**
 * Writes finished spans to the local span store, in batches, off the request path: `onEnd` only queues.
 * A failed or timed-out write is logged and counted, never thrown; the queue is bounded and at most one
 * write waits behind the one under way, so a store that is down or hung cannot make the service run out
 * of memory. Spans that end after `shutdown` are ignored (as OpenTelemetry's batch processor does).
 */
export class LocalStoreSpanProcessor implements SpanProcessor {
  private queue: SpanRecord[] = [];
  private readonly timer: NodeJS.Timeout;
  /** The last write started or queued. */
  private writing: Promise<void> = Promise.resolve();
  /** The write waiting behind the one under way; later flushes join it. */
  private waiting: Promise<void> | null = null;
  private store: Promise<SpanSink | null> | null = null;
  private stopped = false;
  /** The last failed open of a lazy store: when, why, and whether that was logged. */
  private openFailure: { at: number; error: unknown; logged: boolean } | null = null;
  /** Spans dropped because the queue was full, or lost in a failed write. */
  dropped = 0;
  /**
   * Per trace still running (its root not ended yet): its last generation's span id, whole input, and
   * whether that generation's input was stored whole (not cut).
   */
  private readonly lastInputs = new Map<string, { spanId: string; input: string; whole: boolean }>();
  private rememberedChars = 0;

  constructor(private readonly options: LocalStoreSpanProcessorOptions) {
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  onStart(_span: Span, _context: Context): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped) return;
    this.queue.push(this.continuing(span, toSpanRecord(span)));
    const maxQueue = this.options.maxQueue ?? 10_000;
    if (this.queue.length > maxQueue) {
      const excess = this.queue.length - maxQueue;
      this.queue.splice(0, excess);
      this.dropped += excess;
      this.options.onExportFailure?.(excess);
    }
    if (this.queue.length >= (this.options.batchSize ?? 100)) void this.flush();
  }

  forceFlush(): Promise<void> {
    return this.flush();
  }

  /**
   * A generation whose input is the previous generation's conversation plus new messages (every model call
   * of a tool loop re-sends the conversation so far) is stored with the new messages only, and the id of
   * the generation it continues (`sqlagent.input_continues`); `LocalSpanStore.getTrace` joins them again.
   * Whole inputs grew with the square of the calls: about 57 of a question's 63 kB of spans, all of it
   * copied to the embedded app database's worker. Anything else (a first call, another tier's conversation,
   * a conversation that changed) is stored whole. Langfuse always gets whole inputs.
   */
  private continuing(span: ReadableSpan, record: SpanRecord): SpanRecord {
    if (record.kind === 'trace') this.forgetInput(record.traceId);
    const input = span.attributes[inputKey];
    if (record.kind !== 'generation' || typeof input !== 'string' || !input.startsWith('[')) return record;
    const previous = this.lastInputs.get(record.traceId);
    this.forgetInput(record.traceId);
    const head = previous?.input.slice(0, -1);
    // Only onto an input stored whole (a cut one cannot be joined onto), and only with a delta kept whole.
    const continues = previous?.whole && head && previous.input.endsWith(']') && input[head.length] === ',' && input.startsWith(head);
    const delta = continues && input.length - head.length <= maxAttributeChars ? `[${input.slice(head.length + 1)}` : null;
    const stored = delta ?? input;
    this.rememberInput(record.traceId, { spanId: record.spanId, input, whole: stored.length <= maxAttributeChars });
    if (delta === null || !previous) return record;
    return {
      ...record,
      attributes: { ...record.attributes, [inputKey]: storedValue(delta), [spanAttribute.inputContinues]: previous.spanId },
    };
  }

  private forgetInput(traceId: string): void {
    const entry = this.lastInputs.get(traceId);
    if (!entry) return;
    this.lastInputs.delete(traceId);
    this.rememberedChars -= entry.input.length;
  }

  /** Keeps a trace's last input; the oldest go first beyond `maxRunningTraces` or `maxRememberedChars`. */
  private rememberInput(traceId: string, entry: { spanId: string; input: string; whole: boolean }): void {
    this.lastInputs.set(traceId, entry);
    this.rememberedChars += entry.input.length;
    while (this.lastInputs.size > maxRunningTraces || this.rememberedChars > maxRememberedChars) {
      this.forgetInput(this.lastInputs.keys().next().value!);
    }
  }

  async shutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.flush();
  }

  /** The store; a lazy one is opened once, and again after a failed open. */
  private resolveStore(): Promise<SpanSink | null> {
    const { store } = this.options;
    if (typeof store !== 'function') return Promise.resolve(store);
    // After a failed open, wait before trying again (a locked PGlite stays locked while its holder runs).
    const failure = this.openFailure;
    if (failure && Date.now() - failure.at < (this.options.reopenDelayMs ?? 30_000)) return Promise.reject(failure.error);
    this.store ??= store().then(
      (opened) => {
        this.openFailure = null;
        return opened;
      },
      (error: unknown) => {
        this.store = null;
        this.openFailure = { at: Date.now(), error, logged: false };
        throw error;
      },
    );
    return this.store;
  }

  /** Writes what is queued once the write under way is done; joins the write already waiting, if any. */
  private flush(): Promise<void> {
    if (this.waiting) return this.waiting;
    const waiting = this.writing
      .then(() => {
        this.waiting = null;
        return this.write();
      })
      // Never rejects: the interval does not wait for it, and the next write chains on it.
      .catch(() => undefined);
    this.waiting = waiting;
    this.writing = waiting;
    return waiting;
  }

  private async write(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const timeoutMs = this.options.writeTimeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const written = (async () => {
      const store = await this.resolveStore();
      const outcome = store ? await store.insert(batch) : undefined;
      if (outcome && outcome.rejected > 0) {
        this.dropped += outcome.rejected;
        this.options.onExportFailure?.(outcome.rejected);
        this.options.logger.warn('the local store refused some spans; the rest of the batch was written', {
          spans: batch.length,
          refused: outcome.rejected,
          error: outcome.firstError,
        });
      }
    })();
    const timedOut = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the app database did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([written, timedOut]);
    } catch (error) {
      // Abandoned at the timeout, the insert may still land later: harmless, as a stored span is never stored twice.
      this.dropped += batch.length;
      this.options.onExportFailure?.(batch.length);
      // One line per failed open, not one per flush while the store stays unavailable.
      const failure = this.openFailure;
      if (failure && failure.error === error) {
        if (failure.logged) return;
        failure.logged = true;
      }
      this.options.logger.warn('could not write spans to the local store', { spans: batch.length, error: (error as Error).message });
    } finally {
      clearTimeout(timer);
    }
  }
}
