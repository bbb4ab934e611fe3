import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppDatabase } from '../../src/app-database/index.ts';
import { LocalSpanStore, type SpanRecord, type StatsGroup, type TraceSummary } from '../../src/tracing/local-store/index.ts';
import { runCliInProcess } from '../support/cli-runner.ts';
import { keylessEnv } from '../support/keyless-env.ts';
import { spanRecords } from '../support/span-records.ts';

/** Start times are relative to this, so `--since 1h` and `--since 7d` cut where the fixture says. */
const now = Date.now();
const minutes = 60_000;
const { at, span } = spanRecords(now);

/** A root span (kind `trace`, name `query`, span id `root`). */
const rootSpan = (fields: Partial<SpanRecord> & { traceId: string; start: number }) =>
  span({ spanId: 'root', name: 'query', kind: 'trace', ...fields });

/** A generation under the root, one millisecond after the trace's start. */
const generation = (traceId: string, start: number, fields: Partial<SpanRecord>) =>
  span({ traceId, spanId: 'generation', parentSpanId: 'root', name: 'generation', kind: 'generation', start: start + 1, ...fields });

// Five traces, newest first: staging (5 min ago, bob), escalated (10 min, ada), failed (30 min, ada),
// old (3 h, bob), ancient (10 days, cy). Everything but staging is labelled production.
const escalatedId = '7f3a0c1d2e3f40516273849506172839';
const stagingId = 'b0b0b0b0c1c1c1c1d2d2d2d2e3e3e3e3';
const failedId = 'a1a1a1a1f0f0f0f0a1a1a1a1f0f0f0f0';
const oldId = '0123456789abcdef0123456789abcdef';
const ancientId = 'ffffeeeeddddccccbbbbaaaa99998888';

/** The escalated trace of the design: a cheap tier fails on a bad column and escalates to a bigger model. */
const escalatedStart = -10 * minutes;
const escalatedTrace: SpanRecord[] = [
  rootSpan({
    traceId: escalatedId,
    start: escalatedStart,
    durationMs: 5900,
    userId: 'ada',
    label: 'production',
    attributes: { escalated: true },
  }),
  span({
    traceId: escalatedId,
    spanId: 'prompt',
    parentSpanId: 'root',
    name: 'prompt',
    start: escalatedStart + 10,
    durationMs: 3,
    promptName: 'agent/db_agent',
    promptVersion: 3,
    label: 'production',
  }),
  span({
    traceId: escalatedId,
    spanId: 'tier1',
    parentSpanId: 'root',
    name: 'tier:gpt-4o-mini',
    start: escalatedStart + 20,
    durationMs: 2300,
    costUsd: 0.005,
    attributes: { escalationReason: 'sql_error' },
  }),
  span({
    traceId: escalatedId,
    spanId: 'gen1',
    parentSpanId: 'tier1',
    name: 'generation',
    kind: 'generation',
    start: escalatedStart + 30,
    durationMs: 1800,
    model: 'gpt-4o-mini',
    inputTokens: 1234,
    outputTokens: 210,
    costUsd: 0.015,
  }),
  span({
    traceId: escalatedId,
    spanId: 'tool1',
    parentSpanId: 'tier1',
    name: 'tool:execute_sql',
    kind: 'tool',
    start: escalatedStart + 1830,
    durationMs: 500,
    level: 'ERROR',
    statusMessage: 'column "x" does not exist',
  }),
  span({
    traceId: escalatedId,
    spanId: 'tier2',
    parentSpanId: 'root',
    name: 'tier:gpt-4o',
    start: escalatedStart + 2320,
    durationMs: 3600,
    costUsd: 0.035,
    model: 'gpt-4o',
  }),
];

const fixture: SpanRecord[] = [
  rootSpan({ traceId: stagingId, start: -5 * minutes, durationMs: 800, userId: 'bob', label: 'staging', promptVersion: 3 }),
  generation(stagingId, -5 * minutes, { model: 'gpt-4o-mini', inputTokens: 500, outputTokens: 50, costUsd: 0.002 }),
  ...escalatedTrace,
  rootSpan({
    traceId: failedId,
    start: -30 * minutes,
    durationMs: 1200,
    userId: 'ada',
    label: 'production',
    level: 'ERROR',
    statusMessage: 'relation "x" does not exist',
    attributes: { errorType: 'sql_error' },
  }),
  generation(failedId, -30 * minutes, { model: 'gpt-4o-mini', inputTokens: 800, outputTokens: 80, costUsd: 0.004 }),
  rootSpan({
    traceId: oldId,
    start: -180 * minutes,
    durationMs: 400,
    userId: 'bob',
    label: 'production',
    attributes: { cacheStatus: 'rows' },
  }),
  generation(oldId, -180 * minutes, { model: 'gpt-4o-mini', inputTokens: 300, outputTokens: 30, costUsd: 0.001 }),
  rootSpan({ traceId: ancientId, start: -10 * 24 * 60 * minutes, durationMs: 99_000, userId: 'cy', label: 'production', level: 'ERROR' }),
];

// Each CLI run opens the embedded app database; on a busy two-core machine that takes a few seconds.
describe('the traces and stats CLI', { timeout: 180_000 }, () => {
  let dir: string;
  let env: Record<string, string>;

  /** Runs the CLI in this process, with this suite's environment. */
  const cli = (args: string[], extra: Record<string, string> = {}) => runCliInProcess(args, { ...env, ...extra });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-traces-cli-'));
    env = { ...keylessEnv, SQLAGENT_DATA_DIR: dir, SQLAGENT_CONFIG: '' };
    // The database the CLI opens by default (<dataDir>/app); closed again before any CLI run, as PGlite serves one process.
    const database = await openAppDatabase(`pglite:${path.join(dir, 'app')}`);
    try {
      const store = new LocalSpanStore(database.kysely);
      await store.migrate();
      await store.insert(fixture);
    } finally {
      await database.close();
    }
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('traces list prints every trace newest first, with full ids and the trace totals', async () => {
    const result = await cli(['traces', 'list']);
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^trace +\| start \(UTC\) +\| duration \| user \| label +\| prompt \| model +\| cost +\| tokens in→out \| error$/,
    );
    const rows = lines.slice(2, -1).map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows.map((row) => row[0])).toEqual([stagingId, escalatedId, failedId, oldId, ancientId]);
    // Start to the second; the model that answered last (gpt-4o, after the escalation); prompt from the prompt span.
    expect(rows[1]).toEqual([
      escalatedId,
      at(escalatedStart).replace(/\.\d+Z$/, 'Z'),
      '5.9s',
      'ada',
      'production',
      'v3',
      'gpt-4o',
      '$0.0550',
      '1,234→210',
      // Answered by the second tier after the first failed: recovered, not failed (as stats counts it).
      '~',
    ]);
    expect(rows[2].at(-1)).toBe('✗');
    expect(rows[0]).toEqual([stagingId, expect.any(String), '800ms', 'bob', 'staging', 'v3', 'gpt-4o-mini', '$0.0020', '500→50', '']);
    expect(rows[4]).toEqual([ancientId, expect.any(String), '99.0s', 'cy', 'production', '-', '-', '$0.0000', '0→0', '✗']);
    expect(lines.at(-1)).toBe('(5 traces, newest first)');
  });

  it('traces list filters by --since, --user and --label, caps at --limit, and prints JSON', async () => {
    const ids = (stdout: string) => (JSON.parse(stdout) as TraceSummary[]).map((trace) => trace.traceId);

    // 1h: the 3-hour-old and 10-day-old traces fall out.
    const recent = await cli(['traces', 'list', '--since', '1h', '--json']);
    expect(recent.code).toBe(0);
    expect(ids(recent.stdout)).toEqual([stagingId, escalatedId, failedId]);
    const escalated = (JSON.parse(recent.stdout) as TraceSummary[])[1];
    expect(escalated).toMatchObject({
      traceId: escalatedId,
      startTime: at(escalatedStart),
      durationMs: 5900,
      userId: 'ada',
      label: 'production',
      promptVersion: 3,
      model: 'gpt-4o',
      inputTokens: 1234,
      outputTokens: 210,
      hasError: true,
      failed: false,
    });
    expect(escalated.totalCostUsd).toBeCloseTo(0.055, 10);

    const ada = await cli(['traces', 'list', '--user', 'ada', '--label', 'production', '--json']);
    expect(ids(ada.stdout)).toEqual([escalatedId, failedId]);

    // Four production traces; --limit 2 keeps the newest two and says there may be more.
    const limited = await cli(['traces', 'list', '--label', 'production', '--limit', '2']);
    expect(limited.code).toBe(0);
    expect(
      limited.stdout
        .split('\n')
        .slice(2, 4)
        .map((line) => line.split(' ')[0]),
    ).toEqual([escalatedId, failedId]);
    expect(limited.stdout).toContain('(2 traces, newest first; there may be more: raise --limit');
    expect(limited.stdout).not.toContain(oldId);
  });

  it('traces show prints the trace tree, or its JSON', async () => {
    const result = await cli(['traces', 'show', escalatedId]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        'Trace: query 7f3a…  5.9s  $0.055',
        '├─ prompt agent/db_agent v3 (production)   3ms',
        '├─ tier gpt-4o-mini                        2.3s  $0.020  escalated: sql_error',
        '│  ├─ generation gpt-4o-mini               1.8s  $0.015  1,234→210 tok',
        '│  └─ tool execute_sql                     500ms  error: column "x" does not exist',
        '└─ tier gpt-4o                             3.6s  $0.035',
        '',
      ].join('\n'),
    );

    const json = await cli(['traces', 'show', failedId, '--json']);
    expect(json.code).toBe(0);
    const tree = JSON.parse(json.stdout);
    expect(tree).toMatchObject({
      traceId: failedId,
      root: {
        span: { spanId: 'root', level: 'ERROR', attributes: { errorType: 'sql_error' } },
        children: [{ span: { spanId: 'generation', costUsd: 0.004 }, children: [] }],
      },
    });
    expect(tree.spans).toHaveLength(2);
  });

  it('traces show of an unknown id exits 19 naming the id', async () => {
    const result = await cli(['traces', 'show', 'deadbeefdeadbeefdeadbeefdeadbeef']);
    expect(result.code).toBe(19);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'error [trace_not_found]: No trace with id "deadbeefdeadbeefdeadbeefdeadbeef" is in the local span store.\n',
    );
  });

  it('stats groups the traces of the window by label, as JSON and as a table', async () => {
    // Since 7d: production = escalated (5900 ms, $0.055), failed (1200 ms, $0.004, sql_error), old (400 ms, $0.001,
    // cache hit); the 10-day-old trace is out. staging = one trace (800 ms, $0.002).
    // production durations sorted 400, 1200, 5900 (n = 3), nearest rank: p50 → ⌈1.5⌉ = 2 → 1200; p95, p99 → 3 → 5900.
    const json = await cli(['stats', '--by', 'label', '--since', '7d', '--json']);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { since: string; by: string; groups: StatsGroup[] };
    expect(body.by).toBe('label');
    expect(Math.abs(Date.parse(body.since) - (now - 7 * 24 * 60 * minutes))).toBeLessThan(2 * minutes);
    expect(body.groups.map((group) => [group.key, group.count])).toEqual([
      ['production', 3],
      ['staging', 1],
    ]);
    const [production, staging] = body.groups;
    expect(production.latencyMs).toEqual({ p50: 1200, p95: 5900, p99: 5900 });
    expect(production.totalCostUsd).toBeCloseTo(0.06, 10);
    expect(production.meanCostUsd).toBeCloseTo(0.02, 10);
    // Success: the escalated and old roots are DEFAULT → 2 / 3. Tokens: (1234 + 800 + 300) / 3 = 778, (210 + 80 + 30) / 3 ≈ 106.67.
    expect(production.successRate).toBeCloseTo(2 / 3, 10);
    expect(production.meanInputTokens).toBeCloseTo(778, 10);
    expect(production).toMatchObject({ errorTypes: { sql_error: 1 }, meanFeedbackScore: null });
    expect(production.escalationRate).toBeCloseTo(1 / 3, 10);
    expect(production.cacheHitRate).toBeCloseTo(1 / 3, 10);
    expect(staging).toMatchObject({
      key: 'staging',
      count: 1,
      latencyMs: { p50: 800, p95: 800, p99: 800 },
      successRate: 1,
      errorTypes: {},
    });

    const table = await cli(['stats', '--by', 'label', '--since', '7d']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Traces since \S+ \(7d\) by label; percentiles are nearest-rank\.$/);
    expect(lines[1].split('|').map((cell) => cell.trim())).toEqual([
      'label',
      'count',
      'success',
      'p50',
      'p95',
      'p99',
      'mean tokens in→out',
      'total cost',
      'mean cost',
      'escalated',
      'cache hits',
      'feedback',
      'errors',
    ]);
    expect(lines.slice(3).map((line) => line.split('|').map((cell) => cell.trim()))).toEqual([
      ['production', '3', '66.7%', '1.2s', '5.9s', '5.9s', '778→107', '$0.0600', '$0.0200', '33.3%', '33.3%', '-', 'sql_error:1'],
      ['staging', '1', '100.0%', '800ms', '800ms', '800ms', '500→50', '$0.0020', '$0.0020', '0.0%', '0.0%', '-', ''],
    ]);
  });

  it('refuses a bad --since, --by or --limit with exit 2 naming the option, and says how to turn local traces on', async () => {
    const [since, by, limit, off] = await Promise.all([
      cli(['stats', '--since', 'yesterday']),
      cli(['stats', '--by', 'colour']),
      cli(['traces', 'list', '--limit', '5000', '--json']),
      cli(['traces', 'list'], { SQLAGENT_LOCAL_TRACES: 'false' }),
    ]);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/^error \[invalid_input\]: --since must be a duration such as 30m, 24h or 7d .*; got "yesterday"\.$/m);
    expect(by.code).toBe(2);
    expect(by.stderr).toContain('error [invalid_input]: --by must be one of label, prompt_version, model, user, datasource; got "colour".');
    expect(limit.code).toBe(2);
    expect(JSON.parse(limit.stderr).error).toEqual({
      code: 'invalid_input',
      message: '--limit must be a whole number from 1 to 1000; got "5000".',
      details: { field: 'limit' },
    });
    expect(off.code).toBe(9);
    expect(off.stderr).toMatch(/^error \[config_invalid\]: Local traces are off .*SQLAGENT_LOCAL_TRACES=true/);
    for (const result of [since, by, limit, off]) expect(result.stdout).toBe('');
  });

  it('exits 20 saying the app database is in use when another process holds it', async () => {
    const database = await openAppDatabase(`pglite:${path.join(dir, 'app')}`);
    try {
      const result = await cli(['traces', 'list']);
      expect(result.code).toBe(20);
      expect(result.stderr).toMatch(/^error \[app_database_unavailable\]: The app database pglite:\S+ is in use by process (\d+)/);
      expect(result.stderr).toContain(`in use by process ${process.pid}`);
    } finally {
      await database.close();
    }
  });
});
