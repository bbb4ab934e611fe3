import type { AlertRuleKind } from './alert-rule.ts';

/**
 * A rule changing state: `firing` (ok → firing) or `resolved` (firing → ok). This is what
 * `AlertManager.evaluate` returns and, as is, the JSON body POSTed to the webhook.
 *
 * A receiver dedupes on `id` plus `status`: both messages of one firing episode carry the same `id`,
 * and a message is delivered again only when an earlier attempt may have been lost.
 */
export interface AlertTransition {
  /** Stable for one firing episode: the same on its `firing` and its `resolved` message. */
  id: string;
  status: 'firing' | 'resolved';
  /** The rule's name. */
  rule: string;
  kind: AlertRuleKind;
  /**
   * The measured value at this transition: milliseconds (latency), a share 0–1 (error and cache hit
   * rates), USD (daily cost), a count of requests (fallback prompt). Null when there was nothing to
   * measure (no request in the window).
   */
  value: number | null;
  /** See `alertRuleThreshold`. */
  threshold: number;
  /** How the value compares with the threshold when the rule fires. */
  comparison: 'above' | 'below';
  /** For latency rules, `mean` or `p95`; null otherwise. */
  statistic: 'mean' | 'p95' | null;
  windowMs: number;
  /** The rule's filters; null when the rule has none. */
  datasource: string | null;
  label: string | null;
  /** Requests the value was computed over (for cache hit rate: the cache lookups). */
  requestCount: number;
  /** When the episode started firing (ISO 8601). */
  firedAt: string;
  /** When it resolved (ISO 8601); null on a `firing` message. */
  resolvedAt: string | null;
  /**
   * Why it resolved: the value came back within the threshold, or there were too few requests (or none)
   * to judge, so `value` may still be past the threshold. Null on a `firing` message.
   */
  resolvedBecause: 'within_threshold' | 'too_few_requests' | 'no_requests' | null;
  /** The evaluation that made this transition (ISO 8601). */
  evaluatedAt: string;
}

/** The current state of one rule, from `AlertManager.status`. */
export interface AlertRuleStatus {
  rule: string;
  kind: AlertRuleKind;
  state: 'ok' | 'firing';
  /** The last measured value; null before the first successful evaluation or with no data. */
  value: number | null;
  /** Requests behind `value`. */
  requestCount: number;
  threshold: number;
  /** Since when the rule has been in `state` (ISO 8601); null before its first successful evaluation. */
  since: string | null;
  /** The last successful evaluation of this rule (ISO 8601), or null. */
  evaluatedAt: string | null;
  /** The current firing episode's id; null while ok. */
  episodeId: string | null;
  /** Why the last evaluation of this rule failed (the state was kept); null when it succeeded. */
  lastError: string | null;
  /** Webhook messages of this rule not delivered yet (retried at the next evaluation). */
  pendingNotifications: number;
}
