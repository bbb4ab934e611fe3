import { z } from 'zod';

const minuteMs = 60_000;
const dayMs = 24 * 60 * minuteMs;

/** Default rolling window of every rule but `daily_cost`: 5 minutes. */
export const defaultAlertWindowMs = 5 * minuteMs;

/** Default rolling window of a `daily_cost` rule: 24 hours. */
export const defaultDailyCostWindowMs = dayMs;

const ruleName = z
  .string({ error: 'name must be a text' })
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters');

const windowMs = (defaultValue: number) =>
  z
    .number({ error: 'windowMs must be a number of milliseconds' })
    .int('windowMs must be a whole number of milliseconds')
    .min(1000, 'windowMs must be at least 1000 (1 second)')
    .max(31 * dayMs, 'windowMs must be at most 31 days')
    .default(defaultValue);

const minRequests = (defaultValue: number) =>
  z
    .number({ error: 'minRequests must be a number' })
    .int('minRequests must be a whole number')
    .min(1, 'minRequests must be at least 1')
    .default(defaultValue);

const share = (field: string) =>
  z
    .number({ error: `${field} must be a number from 0 to 1` })
    .min(0, `${field} must be a share from 0 to 1`)
    .max(1, `${field} must be a share from 0 to 1`);

/** Fields every rule has: a unique name, optional filters on the root span, the rolling window. */
const commonFields = (defaultWindowMs: number) => ({
  /** Unique among the rules; names the rule in logs, status and webhook messages. */
  name: ruleName,
  /** Only requests (root spans) of this datasource. Default: every datasource. */
  datasource: z.string().min(1, 'datasource must not be empty').optional(),
  /** Only requests (root spans) with this prompt label. Default: every label. */
  label: z.string().min(1, 'label must not be empty').optional(),
  /** The rolling window looked at: requests whose root started in `(now - windowMs, now]`. */
  windowMs: windowMs(defaultWindowMs),
});

/**
 * Fires when the mean or the p95 (nearest rank, like `computeStats`) of the root durations in the
 * window is above `thresholdMs`. Default `statistic` `p95`, `minRequests` 5 (below 5 requests a p95 is
 * only the slowest request, too noisy to page on).
 */
export const latencyRuleSchema = z
  .object({
    kind: z.literal('latency'),
    ...commonFields(defaultAlertWindowMs),
    statistic: z.enum(['mean', 'p95'], { error: "statistic must be 'mean' or 'p95'" }).default('p95'),
    thresholdMs: z.number({ error: 'thresholdMs must be a number' }).positive('thresholdMs must be greater than 0'),
    minRequests: minRequests(5),
  })
  .strict();

/** Fires when the share of roots with level ERROR is above `threshold` (0–1). Default `minRequests` 10. */
export const errorRateRuleSchema = z
  .object({
    kind: z.literal('error_rate'),
    ...commonFields(defaultAlertWindowMs),
    threshold: share('threshold'),
    minRequests: minRequests(10),
  })
  .strict();

/**
 * Fires when the summed cost (`cost_usd` of every span) of the traces whose root started in the window
 * is above `thresholdUsd`. The window is a rolling 24 h by default, not the calendar day.
 */
export const dailyCostRuleSchema = z
  .object({
    kind: z.literal('daily_cost'),
    ...commonFields(defaultDailyCostWindowMs),
    thresholdUsd: z.number({ error: 'thresholdUsd must be a number' }).min(0, 'thresholdUsd must be 0 or more'),
  })
  .strict();

/**
 * Fires when the cache hit share is BELOW `threshold` (0–1). Only requests that looked the cache up
 * count: roots whose `cacheStatus` is `miss`, `sql`, `rows` or `shared` (hits are `sql` and `rows`);
 * `bypass` and roots without a status (failed before the lookup) are left out. `minRequests` (default
 * 10) counts those lookups.
 */
export const cacheHitRateRuleSchema = z
  .object({
    kind: z.literal('cache_hit_rate'),
    ...commonFields(defaultAlertWindowMs),
    threshold: share('threshold'),
    minRequests: minRequests(10),
  })
  .strict();

/**
 * Fires while any root in the window has `promptIsFallback` true (a request served with the local
 * fallback prompt because the prompt store was unreachable). Its value is the number of such requests.
 */
export const fallbackPromptRuleSchema = z
  .object({
    kind: z.literal('fallback_prompt'),
    ...commonFields(defaultAlertWindowMs),
  })
  .strict();

/** One alert rule, told apart by `kind`. */
export const alertRuleSchema = z.discriminatedUnion(
  'kind',
  [latencyRuleSchema, errorRateRuleSchema, dailyCostRuleSchema, cacheHitRateRuleSchema, fallbackPromptRuleSchema],
  { error: "kind must be one of 'latency', 'error_rate', 'daily_cost', 'cache_hit_rate', 'fallback_prompt'" },
);

/** A validated rule, defaults applied. */
export type AlertRule = z.infer<typeof alertRuleSchema>;

/** A rule as written in the config (defaults may be left out). */
export type AlertRuleInput = z.input<typeof alertRuleSchema>;

/** The rule kinds. */
export type AlertRuleKind = AlertRule['kind'];

/**
 * The number a rule compares its value with: `thresholdMs`, `threshold` or `thresholdUsd`; 0 for
 * `fallback_prompt` (it fires when more than 0 requests used the fallback prompt).
 */
export function alertRuleThreshold(rule: AlertRule): number {
  switch (rule.kind) {
    case 'latency':
      return rule.thresholdMs;
    case 'error_rate':
    case 'cache_hit_rate':
      return rule.threshold;
    case 'daily_cost':
      return rule.thresholdUsd;
    case 'fallback_prompt':
      return 0;
  }
}
