/**
 * Alert rules over the local span store: latency, error rate, daily cost, cache hit rate and fallback
 * prompt rules, evaluated periodically by `AlertManager`, each transition logged and sent to a webhook.
 */
export { AlertManager, type AlertManagerOptions } from './alert-manager.ts';
export {
  alertRuleSchema,
  alertRuleThreshold,
  cacheHitRateRuleSchema,
  dailyCostRuleSchema,
  defaultAlertWindowMs,
  defaultDailyCostWindowMs,
  errorRateRuleSchema,
  fallbackPromptRuleSchema,
  latencyRuleSchema,
  type AlertRule,
  type AlertRuleInput,
  type AlertRuleKind,
} from './alert-rule.ts';
export { type AlertRuleStatus, type AlertTransition } from './alert-transition.ts';
export {
  alertsConfigSchema,
  alertWebhookConfigSchema,
  parseAlertsConfig,
  type AlertsConfig,
  type AlertsConfigInput,
  type AlertWebhookConfig,
} from './alerts-config.ts';
export { measureAlertRule, type AlertMeasurement } from './measure-alert-rule.ts';
export { WebhookNotifier, type WebhookDelivery, type WebhookNotifierOptions } from './webhook-notifier.ts';
