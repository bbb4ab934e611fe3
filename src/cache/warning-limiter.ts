import type { Logger } from '../logging/index.ts';

/**
 * Logs a warning at most once per interval; the warnings in between are counted and the next one that is
 * logged reports how many were suppressed. Keeps a dead dependency from flooding the log.
 */
export class WarningLimiter {
  private lastLoggedAt = Number.NEGATIVE_INFINITY;
  private suppressed = 0;

  constructor(
    private readonly logger: Logger,
    private readonly intervalMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` now, or counts it when a warning was logged less than an interval ago. */
  warn(message: string, fields: Record<string, unknown> = {}): void {
    const now = this.now();
    if (now - this.lastLoggedAt < this.intervalMs) {
      this.suppressed++;
      return;
    }
    this.lastLoggedAt = now;
    const suppressed = this.suppressed;
    this.suppressed = 0;
    this.logger.warn(message, suppressed > 0 ? { ...fields, suppressedWarnings: suppressed } : fields);
  }
}
