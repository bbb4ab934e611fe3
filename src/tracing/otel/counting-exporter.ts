import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/**
 * Wraps an exporter to see its failures: OpenTelemetry's batch processor only reports them to a global
 * error handler, so without this a Langfuse outage would drop spans silently. Counts never throw.
 */
export class CountingSpanExporter implements SpanExporter {
  /** Spans whose export failed. */
  failedSpans = 0;
  /** Export calls that failed. */
  failedExports = 0;

  constructor(
    private readonly inner: SpanExporter,
    private readonly onFailure: (spans: number, error: Error | undefined) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    this.inner.export(spans, (result) => {
      if (result.code !== ExportResultCode.SUCCESS) {
        this.failedSpans += spans.length;
        this.failedExports += 1;
        try {
          this.onFailure(spans.length, result.error);
        } catch {
          // A failing observer must not break the export pipeline.
        }
      }
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
