import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import {
  classifySqlErrorCode,
  ServiceMetrics,
  type AnsweredRequest,
  type AttemptMetrics,
  type StepMetrics,
} from '../../src/metrics/index.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format into samples (comments and blank lines skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!match) throw new Error(`Unparsable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[pair[1]] = pair[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** The value of the one sample with exactly these labels, or undefined when there is none. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = Object.entries(labels);
  const found = samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === wanted.length &&
      wanted.every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`More than one sample of ${name} matches ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

const userId = 'user-8841-alice@example.com';
const question = 'What were the ten biggest orders of March by revenue?';

/** A step as the metrics see it: a tool, whether it failed, and the SQL failure's codes when it was one. */
const step = (tool: string, sqlError: StepMetrics['sqlError'] = null, failed = sqlError !== null): StepMetrics => ({
  tool,
  failed,
  sqlError,
});

const escalatedAttempt: AttemptMetrics = {
  escalated: true,
  reason: 'final_sql_failed',
  steps: [
    step('search_metadata'),
    step('execute_sql', { code: 'sql_error', databaseCode: '42601', message: 'syntax error at or near "FORM"' }),
    step('final_answer', { code: 'sql_error', databaseCode: '42P01', message: 'relation "ordres" does not exist' }),
  ],
  usage: { 'gpt-4o-mini': { inputTokens: 1200, outputTokens: 150, costUsd: 0.00027 } },
};

const answeredAttempt: AttemptMetrics = {
  escalated: false,
  reason: null,
  steps: [step('show_table'), step('execute_sql'), step('final_answer')],
  // No price configured for the local model.
  usage: { 'local-llama': { inputTokens: 3000, outputTokens: 400, costUsd: null } },
};

const answered: AnsweredRequest = {
  datasource: 'shop',
  label: 'production',
  promptVersion: 7,
  cached: false,
  durationMs: 6400,
  modelCalls: [
    { model: 'gpt-4o-mini', latencyMs: 800 },
    { model: 'gpt-4o-mini', latencyMs: 1200 },
    { model: 'local-llama', latencyMs: 2500 },
    { model: 'local-llama', latencyMs: 1500 },
  ],
  usage: {
    'gpt-4o-mini': { inputTokens: 1200, outputTokens: 150, costUsd: 0.00027 },
    'local-llama': { inputTokens: 3000, outputTokens: 400, costUsd: null },
  },
  attempts: [escalatedAttempt, answeredAttempt],
  promptIsFallback: true,
};

const cachedAnswer: AnsweredRequest = {
  ...answered,
  promptIsFallback: false,
  cached: 'rows',
  durationMs: 40,
  modelCalls: [],
  usage: {},
  attempts: [],
};

const failedAttempts: AttemptMetrics[] = [
  {
    escalated: true,
    reason: 'step_budget_exhausted',
    steps: [
      step('execute_sql', { code: 'sql_timeout', databaseCode: null, message: 'The statement was stopped by the statement timeout' }),
    ],
    usage: { 'gpt-4o-mini': { inputTokens: 500, outputTokens: 50, costUsd: 0.0001 } },
  },
  {
    escalated: true,
    reason: 'final_sql_failed',
    steps: [
      step('final_answer', {
        code: 'sql_rejected',
        databaseCode: null,
        message: 'SQL rejected: only reads (SELECT, WITH … SELECT, VALUES) are allowed, not DELETE',
      }),
    ],
    usage: { 'local-llama': { inputTokens: 900, outputTokens: 80, costUsd: null } },
  },
];

function recordScenario(metrics: ServiceMetrics): void {
  metrics.recordAnswer(answered);
  metrics.recordAnswer(cachedAnswer);
  metrics.recordFailure({
    datasource: 'shop',
    label: 'canary',
    promptVersion: 8,
    durationMs: 12_000,
    error: { code: 'agent_failed', message: `No tier gave a usable answer to "${question}" for ${userId}` },
    attempts: failedAttempts,
  });
  metrics.recordFailure({
    datasource: 'shop',
    label: 'production',
    promptVersion: 7,
    durationMs: 300,
    error: { code: 'sql_error', message: 'syntax error at or near "SELEC"', databaseCode: '42601' },
    attempts: [],
  });
  metrics.recordTraceExportFailure('langfuse');
  metrics.recordTraceExportFailure('langfuse');
  metrics.recordTraceExportFailure('local');
}

describe('ServiceMetrics', () => {
  it('records answers, cached answers and failures with exact values and bounded labels', async () => {
    const metrics = new ServiceMetrics();
    recordScenario(metrics);
    const text = await metrics.exposition();
    const samples = parseExposition(text);

    expect(metrics.contentType).toContain('text/plain');
    for (const secret of [userId, 'user-8841', question]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/user_?id|trace_?id/i);

    const request = (label: string, promptVersion: string, outcome: string) => ({
      datasource: 'shop',
      label,
      prompt_version: promptVersion,
      outcome,
    });
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_count', request('production', '7', 'answered'))).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_sum', request('production', '7', 'answered'))).toBeCloseTo(6.4, 9);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_bucket', { ...request('production', '7', 'answered'), le: '5' })).toBe(0);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_bucket', { ...request('production', '7', 'answered'), le: '10' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_count', request('production', '7', 'cached'))).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_sum', request('production', '7', 'cached'))).toBeCloseTo(0.04, 9);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_bucket', { ...request('production', '7', 'cached'), le: '0.05' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_count', request('canary', '8', 'failed'))).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_sum', request('canary', '8', 'failed'))).toBeCloseTo(12, 9);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_bucket', { ...request('canary', '8', 'failed'), le: '+Inf' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_count', request('production', '7', 'failed'))).toBe(1);
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_sum', request('production', '7', 'failed'))).toBeCloseTo(0.3, 9);
    const bucketBounds = samples
      .filter((sample) => sample.name === 'sqlagent_request_duration_seconds_bucket' && sample.labels.outcome === 'cached')
      .map((sample) => sample.labels.le);
    expect(bucketBounds[0]).toBe('0.05');
    expect(bucketBounds).toContain('60');

    expect(valueOf(samples, 'sqlagent_llm_call_duration_seconds_count', { model: 'gpt-4o-mini' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_llm_call_duration_seconds_sum', { model: 'gpt-4o-mini' })).toBeCloseTo(2, 9);
    expect(valueOf(samples, 'sqlagent_llm_call_duration_seconds_count', { model: 'local-llama' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_llm_call_duration_seconds_sum', { model: 'local-llama' })).toBeCloseTo(4, 9);

    const tokens = (model: string, promptVersion: string, label: string, direction: string) =>
      valueOf(samples, 'sqlagent_llm_tokens_total', { model, prompt_version: promptVersion, label, direction });
    expect(tokens('gpt-4o-mini', '7', 'production', 'input')).toBe(1200);
    expect(tokens('gpt-4o-mini', '7', 'production', 'output')).toBe(150);
    expect(tokens('local-llama', '7', 'production', 'input')).toBe(3000);
    expect(tokens('local-llama', '7', 'production', 'output')).toBe(400);
    expect(tokens('gpt-4o-mini', '8', 'canary', 'input')).toBe(500);
    expect(tokens('gpt-4o-mini', '8', 'canary', 'output')).toBe(50);
    expect(tokens('local-llama', '8', 'canary', 'input')).toBe(900);
    expect(tokens('local-llama', '8', 'canary', 'output')).toBe(80);

    expect(valueOf(samples, 'sqlagent_llm_cost_usd_total', { model: 'gpt-4o-mini', prompt_version: '7', label: 'production' })).toBeCloseTo(
      0.00027,
      12,
    );
    expect(valueOf(samples, 'sqlagent_llm_cost_usd_total', { model: 'gpt-4o-mini', prompt_version: '8', label: 'canary' })).toBeCloseTo(
      0.0001,
      12,
    );
    // A model without a price has no cost series at all (not a zero).
    expect(samples.filter((sample) => sample.name === 'sqlagent_llm_cost_usd_total' && sample.labels.model === 'local-llama')).toEqual([]);

    expect(valueOf(samples, 'sqlagent_cache_requests_total', { result: 'miss' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_cache_requests_total', { result: 'hit_rows' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_cache_requests_total', { result: 'hit_sql' }) ?? 0).toBe(0);

    expect(valueOf(samples, 'sqlagent_escalations_total', { reason: 'final_sql_failed' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_escalations_total', { reason: 'step_budget_exhausted' })).toBe(1);
    expect(samples.filter((sample) => sample.name === 'sqlagent_escalations_total')).toHaveLength(2);

    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'syntax' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'execution' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'timeout' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'rejected' })).toBe(1);

    const tool = (name: string, status: string) => valueOf(samples, 'sqlagent_tool_calls_total', { tool: name, status });
    expect(tool('search_metadata', 'ok')).toBe(1);
    expect(tool('show_table', 'ok')).toBe(1);
    expect(tool('execute_sql', 'ok')).toBe(1);
    expect(tool('execute_sql', 'error')).toBe(2);
    expect(tool('final_answer', 'ok')).toBe(1);
    expect(tool('final_answer', 'error')).toBe(2);
    expect(samples.filter((sample) => sample.name === 'sqlagent_tool_calls_total')).toHaveLength(6);

    expect(valueOf(samples, 'sqlagent_prompt_fallbacks_total')).toBe(1);
    expect(valueOf(samples, 'sqlagent_trace_export_failures_total', { exporter: 'langfuse' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_trace_export_failures_total', { exporter: 'local' })).toBe(1);
  });

  it('keeps each instance in its own registry, never the global one', async () => {
    const first = new ServiceMetrics();
    const second = new ServiceMetrics();
    expect(first.registry).not.toBe(second.registry);
    expect(first.registry).not.toBe(globalRegistry);
    recordScenario(first);
    const untouched = parseExposition(await second.exposition());
    expect(untouched.filter((sample) => sample.value !== 0)).toEqual([]);
    expect(valueOf(parseExposition(await first.exposition()), 'sqlagent_prompt_fallbacks_total')).toBe(1);
    expect(await globalRegistry.metrics()).not.toContain('sqlagent_');

    const custom = new ServiceMetrics({ prefix: 'custom_' });
    custom.recordTraceExportFailure('local');
    expect(valueOf(parseExposition(await custom.exposition()), 'custom_trace_export_failures_total', { exporter: 'local' })).toBe(1);
  });

  it('never throws on odd values and bounds label values', async () => {
    const metrics = new ServiceMetrics({ datasources: ['shop'] });
    const odd: AnsweredRequest = {
      ...answered,
      promptVersion: null,
      durationMs: -5,
      modelCalls: [{ model: 'm', latencyMs: Number.NaN }],
      usage: { m: { inputTokens: -1, outputTokens: Infinity, costUsd: Number.NaN } },
      attempts: [{ escalated: true, reason: 'made_up_reason', steps: [step('drop_tables', null, true)], usage: {} }],
    };
    expect(() => metrics.recordAnswer(odd)).not.toThrow();
    expect(() => metrics.recordAnswer({ ...odd, datasource: 'postgres://admin:hunter2@db/shop', durationMs: Number.NaN })).not.toThrow();
    expect(() =>
      metrics.recordFailure({ datasource: 'not-configured', durationMs: 10, error: { code: 'internal', message: 'boom' }, attempts: [] }),
    ).not.toThrow();
    expect(() =>
      metrics.recordFailure({ datasource: 'shop', durationMs: 10, error: { code: 'sql_timeout', message: 'stopped' }, attempts: [] }),
    ).not.toThrow();
    expect(() => metrics.recordTraceExportFailure('kafka' as never)).not.toThrow();

    const text = await metrics.exposition();
    const samples = parseExposition(text);
    expect(text).not.toContain('hunter2');
    expect(
      valueOf(samples, 'sqlagent_request_duration_seconds_count', {
        datasource: 'other',
        label: 'none',
        prompt_version: 'none',
        outcome: 'failed',
      }),
    ).toBe(1);
    expect(valueOf(samples, 'sqlagent_tool_calls_total', { tool: 'other', status: 'error' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_escalations_total', { reason: 'other' })).toBe(2);
    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'timeout' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_trace_export_failures_total', { exporter: 'none' })).toBe(1);
    expect(samples.some((sample) => sample.name === 'sqlagent_llm_tokens_total')).toBe(false);
  });

  it("classifies SQL errors by their error codes (and the database's own code for syntax)", () => {
    expect(classifySqlErrorCode('sql_rejected', 'SQL rejected: exactly one statement is allowed, found 2')).toBe('rejected');
    expect(classifySqlErrorCode('sql_rejected', 'SQL rejected: the statement does not parse: syntax error at end of input')).toBe('syntax');
    expect(classifySqlErrorCode('sql_timeout')).toBe('timeout');
    expect(classifySqlErrorCode('sql_error', 'division by zero', '22012')).toBe('execution');
    expect(classifySqlErrorCode('sql_error', 'unexpected token', 'ER_PARSE_ERROR')).toBe('syntax');
    expect(classifySqlErrorCode('sql_error', 'syntax error at or near "FORM"', '42601')).toBe('syntax');
    expect(classifySqlErrorCode('model_unavailable')).toBeNull();
  });
});
