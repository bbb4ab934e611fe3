import { z } from 'zod';
import { ConfigError } from '../../errors/index.ts';
import { alertRuleSchema } from './alert-rule.ts';

/**
 * Where transitions are POSTed as JSON (see `AlertTransition`). The URL may carry a token (in the path,
 * the query or as `user:password@`); it is never logged, only its origin. Credentials in the URL are
 * sent as a Basic `Authorization` header (unless `headers` sets one), since fetch refuses them in URLs.
 */
export const alertWebhookConfigSchema = z
  .object({
    /** An `http:` or `https:` URL. */
    url: z.url({ protocol: /^https?$/, error: 'webhook.url must be an http:// or https:// URL' }),
    /** Time budget of one attempt. Default 5000 ms. */
    timeoutMs: z
      .number()
      .int('webhook.timeoutMs must be a whole number')
      .min(100, 'webhook.timeoutMs must be at least 100')
      .max(60_000, 'webhook.timeoutMs must be at most 60000')
      .default(5000),
    /**
     * Further attempts after a network error, a timeout, a 5xx, 408 or 429 (other 4xx are final).
     * Default 3, so at most 4 attempts per evaluation.
     */
    retries: z
      .number()
      .int('webhook.retries must be a whole number')
      .min(0, 'webhook.retries must be 0 or more')
      .max(10, 'webhook.retries must be at most 10')
      .default(3),
    /** Wait before the first retry; doubled before each next one. Default 500 ms. */
    backoffMs: z
      .number()
      .int('webhook.backoffMs must be a whole number')
      .min(0, 'webhook.backoffMs must be 0 or more')
      .max(60_000, 'webhook.backoffMs must be at most 60000')
      .default(500),
    /** Extra request headers (for example `Authorization`). Default none. */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/**
 * The alerting configuration: rules evaluated periodically over the local span store, and an optional
 * webhook told about every transition (ok → firing, firing → ok).
 *
 * @example
 * ```ts
 * alertsConfigSchema.parse({
 *   webhook: { url: 'https://hooks.example.com/alerts?token=…' },
 *   rules: [
 *     { name: 'slow', kind: 'latency', statistic: 'p95', thresholdMs: 8000 },
 *     { name: 'errors', kind: 'error_rate', threshold: 0.2, datasource: 'shop' },
 *     { name: 'spend', kind: 'daily_cost', thresholdUsd: 25 },
 *   ],
 * });
 * ```
 */
export const alertsConfigSchema = z
  .object({
    /** How often `AlertManager.start` evaluates every rule. Default 60 000 ms. */
    evaluationIntervalMs: z
      .number()
      .int('evaluationIntervalMs must be a whole number')
      .min(1000, 'evaluationIntervalMs must be at least 1000')
      .max(86_400_000, 'evaluationIntervalMs must be at most 86400000 (a day)')
      .default(60_000),
    /** Default: none (transitions are only logged). */
    webhook: alertWebhookConfigSchema.optional(),
    /** Default: none. Names must be unique. */
    rules: z.array(alertRuleSchema).default([]),
  })
  .strict()
  .superRefine((config, context) => {
    const firstIndex = new Map<string, number>();
    config.rules.forEach((rule, index) => {
      const earlier = firstIndex.get(rule.name);
      if (earlier === undefined) {
        firstIndex.set(rule.name, index);
        return;
      }
      context.addIssue({
        code: 'custom',
        path: ['rules', index, 'name'],
        message: `rule name "${rule.name}" is already used by rules.${earlier}.name; rule names must be unique`,
      });
    });
  });

/** The alerting configuration, defaults applied. */
export type AlertsConfig = z.infer<typeof alertsConfigSchema>;

/** The alerting configuration as written (defaults may be left out). */
export type AlertsConfigInput = z.input<typeof alertsConfigSchema>;

/** The webhook part of {@link AlertsConfig}. */
export type AlertWebhookConfig = z.infer<typeof alertWebhookConfigSchema>;

/**
 * Validates an alerting configuration and applies the defaults.
 *
 * @throws ConfigError naming the first invalid field (for example `rules.1.threshold: threshold must be
 * a share from 0 to 1`); `details.issues` lists them all.
 */
export function parseAlertsConfig(input: unknown): AlertsConfig {
  const parsed = alertsConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.join('.') : '(root)',
    message: issue.message,
  }));
  const first = issues[0];
  throw new ConfigError(`Invalid alerts configuration: ${first ? `${first.path}: ${first.message}` : 'invalid'}`, { issues });
}
