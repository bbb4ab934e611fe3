import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/index.ts';
import type { LocalSpanStore } from '../../tracing/local-store/index.ts';
import { alertRuleThreshold, type AlertRule } from './alert-rule.ts';
import { parseAlertsConfig, type AlertsConfig, type AlertsConfigInput } from './alerts-config.ts';
import type { AlertRuleStatus, AlertTransition } from './alert-transition.ts';
import { measureAlertRule, type AlertMeasurement } from './measure-alert-rule.ts';
import { WebhookNotifier } from './webhook-notifier.ts';

/** Options of {@link AlertManager}. */
export interface AlertManagerOptions {
  /** The local span store the rules are measured over (migrated). The manager never closes it. */
  store: LocalSpanStore;
  /** Validated again here (so defaults apply to a raw object too); throws ConfigError when invalid. */
  config: AlertsConfig | AlertsConfigInput;
  logger: Logger;
  /** The clock: the end of every rule's window and the times in messages. Default: the system clock. */
  now?: () => Date;
  /** The webhook's HTTP client. Default: the global `fetch`. */
  fetch?: typeof fetch;
  /** Firing episode ids. Default: random UUIDs. */
  generateId?: () => string;
  /**
   * Undelivered webhook messages kept per rule while the webhook is down; beyond that the oldest is
   * dropped (logged, counted in {@link AlertManager.droppedNotifications}). Default 20 (10 episodes).
   */
  maxPendingNotifications?: number;
}

interface RuleState {
  state: 'ok' | 'firing';
  value: number | null;
  requestCount: number;
  since: Date | null;
  evaluatedAt: Date | null;
  episodeId: string | null;
  firedAt: Date | null;
  lastError: string | null;
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Evaluates alert rules over the local span store and reports transitions.
 *
 * - {@link evaluate} measures every rule once (one SQL query each). A rule whose condition starts to
 *   hold goes ok → firing, one that stops holding (including for lack of requests) goes firing → ok.
 *   Each transition writes ONE log line (`warn` "alert firing" / `info` "alert resolved") and, with a
 *   webhook, queues ONE message; a rule that stays firing sends nothing more.
 * - Webhook messages of a rule are delivered in order (a `resolved` never before its `firing`), each
 *   until it succeeds once: when every retry of an evaluation fails, the failure is logged and counted
 *   ({@link deliveryFailures}) and the message is retried at the next evaluation. So an episode that
 *   fired and resolved while the webhook was down still reaches the receiver as `firing` then
 *   `resolved` (same `id`), which keeps the receiver's history complete. A final rejection (a 4xx
 *   other than 408/429) is logged, counted and dropped.
 * - A rule whose query fails (store down) logs a warning and keeps its previous state. Nothing thrown
 *   escapes {@link evaluate} or the timer.
 * - State is in memory: after a restart a rule starts ok, and a condition that still holds fires a new
 *   episode (new id).
 */
export class AlertManager {
  /** The validated configuration. */
  readonly config: AlertsConfig;
  private readonly store: LocalSpanStore;
  private readonly logger: Logger;
  private readonly now: () => Date;
  private readonly generateId: () => string;
  private readonly maxPendingNotifications: number;
  private readonly notifier: WebhookNotifier | null;
  private readonly states = new Map<string, RuleState>();
  private readonly outbox = new Map<string, AlertTransition[]>();
  private readonly closing = new AbortController();
  private inFlight: Promise<AlertTransition[]> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private failedDeliveries = 0;
  private dropped = 0;

  constructor(options: AlertManagerOptions) {
    this.config = parseAlertsConfig(options.config);
    this.store = options.store;
    this.logger = options.logger;
    this.now = options.now ?? (() => new Date());
    this.generateId = options.generateId ?? randomUUID;
    this.maxPendingNotifications = Math.max(2, Math.trunc(options.maxPendingNotifications ?? 20));
    this.notifier = this.config.webhook ? new WebhookNotifier(this.config.webhook, { fetch: options.fetch }) : null;
    for (const rule of this.config.rules) {
      this.states.set(rule.name, {
        state: 'ok',
        value: null,
        requestCount: 0,
        since: null,
        evaluatedAt: null,
        episodeId: null,
        firedAt: null,
        lastError: null,
      });
      this.outbox.set(rule.name, []);
    }
  }

  /**
   * Webhook deliveries that did not succeed: every attempt of an evaluation failed (the message is
   * retried at the next one) or the receiver rejected it (dropped).
   */
  get deliveryFailures(): number {
    return this.failedDeliveries;
  }

  /** Undelivered messages dropped because a rule's queue was full (see `maxPendingNotifications`). */
  get droppedNotifications(): number {
    return this.dropped;
  }

  /**
   * Evaluates every rule once, then delivers the pending webhook messages; resolves to this
   * evaluation's transitions, in rule order. Never two at once: a call while an evaluation runs joins it
   * (and gets its transitions). Never rejects. After {@link close}, resolves to `[]`.
   */
  evaluate(): Promise<AlertTransition[]> {
    if (this.closed) return Promise.resolve([]);
    if (this.inFlight === null) {
      this.inFlight = this.runEvaluation().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /**
   * Evaluates every `evaluationIntervalMs` on an unref'd timer (it does not keep the process alive). The
   * first evaluation comes one interval after the call. Calling it again while started does nothing.
   */
  start(): void {
    if (this.closed || this.timer !== null) return;
    this.timer = setInterval(() => {
      this.evaluate().catch((error: unknown) => this.logger.error('alert evaluation failed', { error: errorText(error) }));
    }, this.config.evaluationIntervalMs);
    this.timer.unref();
  }

  /** Stops the timer and waits for the evaluation under way, deliveries and their retries included. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /**
   * Stops for good: the timer, no new evaluation, no further webhook attempt (an attempt under way
   * finishes or times out, retry waits are cut short). Waits for the evaluation under way. Messages
   * still undelivered are logged (`warn`) and lost.
   */
  async close(): Promise<void> {
    this.closed = true;
    this.closing.abort();
    await this.stop();
    const pending = [...this.outbox.entries()].filter(([, queue]) => queue.length > 0);
    if (pending.length > 0) {
      this.logger.warn('alert notifications not delivered before shutdown', {
        count: pending.reduce((total, [, queue]) => total + queue.length, 0),
        rules: pending.map(([rule]) => rule),
      });
    }
  }

  /** The current state of every rule, in config order. */
  status(): AlertRuleStatus[] {
    return this.config.rules.map((rule) => {
      const state = this.stateOf(rule);
      return {
        rule: rule.name,
        kind: rule.kind,
        state: state.state,
        value: state.value,
        requestCount: state.requestCount,
        threshold: alertRuleThreshold(rule),
        since: state.since?.toISOString() ?? null,
        evaluatedAt: state.evaluatedAt?.toISOString() ?? null,
        episodeId: state.episodeId,
        lastError: state.lastError,
        pendingNotifications: this.outbox.get(rule.name)?.length ?? 0,
      };
    });
  }

  private stateOf(rule: AlertRule): RuleState {
    const state = this.states.get(rule.name);
    if (state === undefined) throw new Error(`No state for alert rule "${rule.name}".`);
    return state;
  }

  private async runEvaluation(): Promise<AlertTransition[]> {
    const transitions: AlertTransition[] = [];
    try {
      const evaluatedAt = this.now();
      const measurements = await Promise.all(
        this.config.rules.map((rule) =>
          measureAlertRule(this.store, rule, evaluatedAt).then(
            (measurement) => ({ measurement, error: null }),
            (error: unknown) => ({ measurement: null, error }),
          ),
        ),
      );
      this.config.rules.forEach((rule, index) => {
        const { measurement, error } = measurements[index];
        if (measurement === null) {
          this.stateOf(rule).lastError = errorText(error);
          this.logger.warn('alert rule evaluation failed', {
            rule: rule.name,
            kind: rule.kind,
            error: errorText(error),
            state: this.stateOf(rule).state,
          });
          return;
        }
        const transition = this.apply(rule, measurement, evaluatedAt);
        if (transition !== null) transitions.push(transition);
      });
      if (this.notifier !== null) await this.deliverPending(this.notifier);
    } catch (error) {
      this.logger.error('alert evaluation failed', { error: errorText(error) });
    }
    return transitions;
  }

  /** Updates a rule's state from a measurement; the transition it made, if any, logged and queued. */
  private apply(rule: AlertRule, measurement: AlertMeasurement, evaluatedAt: Date): AlertTransition | null {
    const state = this.stateOf(rule);
    state.value = measurement.value;
    state.requestCount = measurement.requestCount;
    state.evaluatedAt = evaluatedAt;
    state.lastError = null;
    state.since ??= evaluatedAt;
    if (measurement.breached === (state.state === 'firing')) return null;

    if (measurement.breached) {
      state.state = 'firing';
      state.episodeId = this.generateId();
      state.firedAt = evaluatedAt;
    } else {
      state.state = 'ok';
    }
    state.since = evaluatedAt;
    const threshold = alertRuleThreshold(rule);
    const comparison = rule.kind === 'cache_hit_rate' ? 'below' : 'above';
    const stillPast =
      measurement.value !== null && (comparison === 'above' ? measurement.value > threshold : measurement.value < threshold);
    const transition: AlertTransition = {
      id: state.episodeId ?? '',
      status: measurement.breached ? 'firing' : 'resolved',
      rule: rule.name,
      kind: rule.kind,
      value: measurement.value,
      threshold,
      comparison,
      statistic: rule.kind === 'latency' ? rule.statistic : null,
      windowMs: rule.windowMs,
      datasource: rule.datasource ?? null,
      label: rule.label ?? null,
      requestCount: measurement.requestCount,
      firedAt: (state.firedAt ?? evaluatedAt).toISOString(),
      resolvedAt: measurement.breached ? null : evaluatedAt.toISOString(),
      resolvedBecause: measurement.breached
        ? null
        : measurement.value === null || measurement.requestCount === 0
          ? 'no_requests'
          : stillPast
            ? 'too_few_requests'
            : 'within_threshold',
      evaluatedAt: evaluatedAt.toISOString(),
    };
    if (!measurement.breached) {
      state.episodeId = null;
      state.firedAt = null;
    }

    const fields = {
      rule: transition.rule,
      kind: transition.kind,
      value: transition.value,
      threshold: transition.threshold,
      comparison: transition.comparison,
      ...(transition.statistic === null ? {} : { statistic: transition.statistic }),
      windowMs: transition.windowMs,
      datasource: transition.datasource,
      label: transition.label,
      requestCount: transition.requestCount,
      id: transition.id,
      firedAt: transition.firedAt,
    };
    if (transition.status === 'firing') this.logger.warn('alert firing', fields);
    else this.logger.info('alert resolved', { ...fields, resolvedAt: transition.resolvedAt, resolvedBecause: transition.resolvedBecause });

    if (this.notifier !== null) this.enqueue(transition);
    return transition;
  }

  private enqueue(transition: AlertTransition): void {
    const queue = this.outbox.get(transition.rule) ?? [];
    queue.push(transition);
    while (queue.length > this.maxPendingNotifications) {
      const lost = queue.shift();
      this.dropped += 1;
      this.logger.warn('alert notification dropped', {
        rule: transition.rule,
        id: lost?.id,
        status: lost?.status,
        reason: 'too many undelivered notifications',
      });
    }
    this.outbox.set(transition.rule, queue);
  }

  /** Delivers each rule's queue in order; a rule stops at its first failed message (kept for next time). */
  private async deliverPending(notifier: WebhookNotifier): Promise<void> {
    await Promise.all(
      [...this.outbox.entries()].map(async ([rule, queue]) => {
        while (queue.length > 0 && !this.closing.signal.aborted) {
          const transition = queue[0];
          const delivery = await notifier.send(transition, this.closing.signal);
          const fields = {
            rule,
            id: transition.id,
            status: transition.status,
            webhook: notifier.origin,
            attempts: delivery.attempts,
            httpStatus: delivery.httpStatus,
          };
          if (delivery.outcome === 'delivered') {
            queue.shift();
            this.logger.debug('alert notification delivered', fields);
            continue;
          }
          if (delivery.outcome === 'aborted') return;
          this.failedDeliveries += 1;
          if (delivery.outcome === 'rejected') {
            queue.shift();
            this.logger.error('alert notification rejected', { ...fields, error: delivery.error, action: 'dropped' });
            continue;
          }
          this.logger.error('alert notification failed', { ...fields, error: delivery.error, action: 'retry at next evaluation' });
          return;
        }
      }),
    );
  }
}
