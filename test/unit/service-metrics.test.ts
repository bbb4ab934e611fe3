import { register as globalRegistry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import type { AskResult, AttemptRecord } from '../../src/agent/db-agent.ts';
import { AgentFailedError, SqlExecutionError } from '../../src/errors/index.ts';
import { classifySqlErrorCode, classifySqlErrorText, ServiceMetrics } from '../../src/metrics/index.ts';

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
    (sample) => sample.name === name && Object.keys(sample.labels).length === wanted.length && wanted.every(([key, value]) => sample.labels[key] === value),
  );
  if (found.length > 1) throw new Error(`More than one sample of ${name} matches ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

const userId = 'user-8841-alice@example.com';
const question = 'What were the ten biggest orders of March by revenue?';
const traceId = 'trace-5f1c2d7e-9a4b-4c11-8e3f-0d2b6a7c9e10';

const escalatedAttempt: AttemptRecord = {
  tier: 'small',
  model: 'gpt-4o-mini',
  outcome: 'escalated',
  reason: 'final_sql_failed',
  message: 'relation "ordres" does not exist',
  steps: [
    { index: 1, tool: 'search_metadata', arguments: { query: 'orders revenue' }, summary: '3 tables', error: null, durationMs: 12 },
    {
      index: 2,
      tool: 'execute_sql',
      arguments: { sql: 'SELECT id FORM orders' },
      summary: 'error: syntax error at or near "FORM"',
      error: 'syntax error at or near "FORM"',
      durationMs: 9,
    },
    {
      index: 3,
      tool: 'final_answer',
      arguments: { sql: 'SELECT id FROM ordres', answer: '…' },
      summary: 'final SQL failed: relation "ordres" does not exist',
      error: 'relation "ordres" does not exist',
      durationMs: 7,
    },
  ],
  usage: { 'gpt-4o-mini': { inputTokens: 1200, outputTokens: 150, calls: 2, estimated: false, costUsd: 0.00027 } },
  costUsd: 0.00027,
  latencyMs: 2100,
};

const answeredSteps: AttemptRecord['steps'] = [
  { index: 1, tool: 'show_table', arguments: { table: 'orders' }, summary: 'orders: 6 columns', error: null, durationMs: 15 },
  {
    index: 2,
    tool: 'execute_sql',
    arguments: { sql: 'SELECT id, total FROM orders ORDER BY total DESC LIMIT 10' },
    summary: '10 rows, columns id, total',
    error: null,
    durationMs: 30,
    rowCount: 10,
    dbMs: 21,
  },
  { index: 3, tool: 'final_answer', arguments: { sql: 'SELECT id, total FROM orders ORDER BY total DESC LIMIT 10' }, summary: 'final answer', error: null, durationMs: 25 },
];

const answeredAttempt: AttemptRecord = {
  tier: 'large',
  model: 'local-llama',
  outcome: 'answered',
  reason: null,
  message: null,
  steps: answeredSteps,
  // No price configured for the local model.
  usage: { 'local-llama': { inputTokens: 3000, outputTokens: 400, calls: 2, estimated: true, costUsd: null } },
  costUsd: null,
  latencyMs: 4200,
};

const answered: AskResult = {
  answer: `The ten biggest orders (asked by ${userId}) are listed.`,
  explanation: 'Orders sorted by total.',
  sql: 'SELECT id, total FROM orders ORDER BY total DESC LIMIT 10',
  columns: [
    { name: 'id', dataType: 'int4', typeFamily: 'integer' },
    { name: 'total', dataType: 'numeric', typeFamily: 'decimal' },
  ],
  rows: [[1, '99.50']],
  truncated: false,
  datasource: 'shop',
  schemaVersion: 'sv-1a2b3c',
  prompt: 'agent/db_agent',
  label: 'production',
  promptVersion: 7,
  promptIsFallback: true,
  routing: { label: 'production', reason: 'default' },
  model: 'local-llama',
  tier: 'large',
  attempts: [escalatedAttempt, answeredAttempt],
  complexity: null,
  warnings: [],
  steps: answeredSteps,
  calls: [
    { model: 'gpt-4o-mini', usage: { inputTokens: 500, outputTokens: 60, estimated: false }, latencyMs: 800, finishReason: 'tool_calls' },
    { model: 'gpt-4o-mini', usage: { inputTokens: 700, outputTokens: 90, estimated: false }, latencyMs: 1200, finishReason: 'tool_calls' },
    { model: 'local-llama', usage: { inputTokens: 1400, outputTokens: 150, estimated: true }, latencyMs: 2500, finishReason: 'tool_calls' },
    { model: 'local-llama', usage: { inputTokens: 1600, outputTokens: 250, estimated: true }, latencyMs: 1500, finishReason: 'tool_calls' },
  ],
  usage: {
    'gpt-4o-mini': { inputTokens: 1200, outputTokens: 150, calls: 2, estimated: false, costUsd: 0.00027 },
    'local-llama': { inputTokens: 3000, outputTokens: 400, calls: 2, estimated: true, costUsd: null },
  },
  costUsd: null,
  latency: { totalMs: 6400, llmMs: 6000, dbMs: 21 },
  traceId,
  cached: false,
  cacheAgeMs: null,
};

const cachedAnswer: AskResult = {
  ...answered,
  promptIsFallback: false,
  tier: 'cache',
  attempts: [],
  steps: [],
  calls: [],
  usage: {},
  costUsd: 0,
  latency: { totalMs: 40, llmMs: 0, dbMs: 0 },
  traceId: 'trace-other-0001',
  cached: 'rows',
  cacheAgeMs: 5_000,
};

const failedAttempts: AttemptRecord[] = [
  {
    tier: 'small',
    model: 'gpt-4o-mini',
    outcome: 'escalated',
    reason: 'step_budget_exhausted',
    message: 'No usable final answer within 8 model turns.',
    steps: [
      {
        index: 1,
        tool: 'execute_sql',
        arguments: { sql: 'SELECT pg_sleep(60)' },
        summary: 'error: the statement timed out',
        error: 'The statement was stopped by the statement timeout: canceling statement due to statement timeout',
        durationMs: 5000,
      },
    ],
    usage: { 'gpt-4o-mini': { inputTokens: 500, outputTokens: 50, calls: 1, estimated: false, costUsd: 0.0001 } },
    costUsd: 0.0001,
    latencyMs: 6000,
  },
  {
    tier: 'large',
    model: 'local-llama',
    outcome: 'escalated',
    reason: 'final_sql_failed',
    message: 'SQL rejected: only reads (SELECT, WITH … SELECT, VALUES) are allowed, not DELETE',
    steps: [
      {
        index: 1,
        tool: 'final_answer',
        arguments: { sql: 'DELETE FROM orders' },
        summary: 'final SQL failed: SQL rejected: only reads (SELECT, WITH … SELECT, VALUES) are allowed, not DELETE',
        error: 'SQL rejected: only reads (SELECT, WITH … SELECT, VALUES) are allowed, not DELETE',
        durationMs: 3,
      },
    ],
    usage: { 'local-llama': { inputTokens: 900, outputTokens: 80, calls: 1, estimated: true, costUsd: null } },
    costUsd: null,
    latencyMs: 5500,
  },
];

function recordScenario(metrics: ServiceMetrics): void {
  metrics.recordAnswer(answered);
  metrics.recordAnswer(cachedAnswer);
  metrics.recordFailure({
    datasource: 'shop',
    durationMs: 12_000,
    error: new AgentFailedError(`No tier gave a usable answer to "${question}"`, {
      reason: 'final_sql_failed',
      attempts: failedAttempts,
      label: 'canary',
      promptVersion: 8,
      userId,
      traceId,
    }),
  });
  metrics.recordFailure({
    datasource: 'shop',
    label: 'production',
    promptVersion: 7,
    durationMs: 300,
    error: new SqlExecutionError('syntax error at or near "SELEC"', '42601'),
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
    for (const secret of [userId, 'user-8841', question, traceId, 'trace-other-0001']) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/user_?id|trace_?id/i);

    const request = (label: string, promptVersion: string, outcome: string) => ({ datasource: 'shop', label, prompt_version: promptVersion, outcome });
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
    const bucketBounds = samples.filter((sample) => sample.name === 'sqlagent_request_duration_seconds_bucket' && sample.labels.outcome === 'cached').map((sample) => sample.labels.le);
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

    expect(valueOf(samples, 'sqlagent_llm_cost_usd_total', { model: 'gpt-4o-mini', prompt_version: '7', label: 'production' })).toBeCloseTo(0.00027, 12);
    expect(valueOf(samples, 'sqlagent_llm_cost_usd_total', { model: 'gpt-4o-mini', prompt_version: '8', label: 'canary' })).toBeCloseTo(0.0001, 12);
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

  it('never throws on odd input and bounds label values', async () => {
    const metrics = new ServiceMetrics({ datasources: ['shop'] });
    const odd = [
      null,
      {},
      { datasource: 'shop', latency: { totalMs: -5 }, calls: 'nope', attempts: [null, { outcome: 'escalated', steps: [null, { tool: 'drop_tables', error: 'x' }] }], usage: { m: null } },
      { datasource: 'postgres://admin:hunter2@db/shop', latency: { totalMs: Number.NaN }, usage: { m: { inputTokens: -1, outputTokens: Infinity, costUsd: 'free' } } },
    ];
    for (const value of odd) expect(() => metrics.recordAnswer(value as unknown as AskResult)).not.toThrow();
    expect(() => metrics.recordFailure(undefined as never)).not.toThrow();
    expect(() => metrics.recordFailure({ datasource: 'not-configured', durationMs: 10, error: 'boom' })).not.toThrow();
    expect(() => metrics.recordFailure({ datasource: 'shop', durationMs: 10, error: { code: 'sql_timeout', details: { attempts: 'x' } } })).not.toThrow();
    expect(() => metrics.recordTraceExportFailure('kafka' as never)).not.toThrow();

    const text = await metrics.exposition();
    const samples = parseExposition(text);
    expect(text).not.toContain('hunter2');
    expect(valueOf(samples, 'sqlagent_request_duration_seconds_count', { datasource: 'other', label: 'none', prompt_version: 'none', outcome: 'failed' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_tool_calls_total', { tool: 'other', status: 'error' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_escalations_total', { reason: 'none' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_sql_errors_total', { type: 'timeout' })).toBe(1);
    expect(valueOf(samples, 'sqlagent_trace_export_failures_total', { exporter: 'none' })).toBe(1);
    expect(samples.some((sample) => sample.name === 'sqlagent_llm_tokens_total')).toBe(false);
  });

  it('classifies SQL errors from step text and from error codes', () => {
    expect(classifySqlErrorText('syntax error at or near "FORM"')).toBe('syntax');
    expect(classifySqlErrorText("You have an error in your SQL syntax; check the manual near 'FORM orders'")).toBe('syntax');
    expect(classifySqlErrorText('SQL rejected: the statement does not parse: syntax error at end of input')).toBe('syntax');
    expect(classifySqlErrorText('SQL rejected: row locks (FOR UPDATE / FOR SHARE) are not allowed')).toBe('rejected');
    expect(classifySqlErrorText('The statement ran longer than 5000 ms and was stopped.')).toBe('timeout');
    expect(classifySqlErrorText('column "totl" does not exist')).toBe('execution');
    expect(classifySqlErrorCode('sql_rejected', 'SQL rejected: exactly one statement is allowed, found 2')).toBe('rejected');
    expect(classifySqlErrorCode('sql_timeout')).toBe('timeout');
    expect(classifySqlErrorCode('sql_error', 'division by zero', '22012')).toBe('execution');
    expect(classifySqlErrorCode('sql_error', 'unexpected token', 'ER_PARSE_ERROR')).toBe('syntax');
    expect(classifySqlErrorCode('model_unavailable')).toBeNull();
  });
});
