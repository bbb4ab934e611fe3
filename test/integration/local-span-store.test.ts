import { TraceNotFoundError } from '../../src/errors/index.ts';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors/index.ts';
import {
  computeStats,
  formatDuration,
  LocalSpanStore,
  renderTraceTree,
  spanStoreMigrations,
  type SpanNode,
  type SpanRecord,
} from '../../src/tracing/local-store/index.ts';
import { appDatabaseEngines } from '../support/app-database-engines.ts';
import { spanRecords } from '../support/span-records.ts';

const base = Date.parse('2025-03-01T12:00:00.000Z');
const { at, span } = spanRecords(base);

/** A root span (kind `trace`, name `query`). */
const root = (fields: Partial<SpanRecord> & { traceId: string; start?: number }) =>
  span({ spanId: `${fields.traceId}-root`, name: 'query', kind: 'trace', ...fields });

/** The trace of the text view in the design: a cheap tier that fails and escalates to a bigger model. */
const escalatedTraceId = '7f3a0c1d2e3f40516273849506172839';
const escalatedTrace: SpanRecord[] = [
  root({
    traceId: escalatedTraceId,
    spanId: 'root',
    durationMs: 5900,
    userId: 'ada',
    label: 'production',
    attributes: { escalated: true },
  }),
  span({
    traceId: escalatedTraceId,
    spanId: 'prompt',
    parentSpanId: 'root',
    name: 'prompt',
    start: 10,
    durationMs: 3,
    promptName: 'agent/db_agent',
    promptVersion: 3,
    label: 'production',
  }),
  span({
    traceId: escalatedTraceId,
    spanId: 'tier1',
    parentSpanId: 'root',
    name: 'tier:gpt-4o-mini',
    start: 20,
    durationMs: 2300,
    costUsd: 0.005,
    attributes: { escalationReason: 'sql_error' },
  }),
  span({
    traceId: escalatedTraceId,
    spanId: 'gen1',
    parentSpanId: 'tier1',
    name: 'generation',
    kind: 'generation',
    start: 30,
    durationMs: 1800,
    model: 'gpt-4o-mini',
    inputTokens: 1234,
    outputTokens: 210,
    costUsd: 0.015,
  }),
  span({
    traceId: escalatedTraceId,
    spanId: 'tool1',
    parentSpanId: 'tier1',
    name: 'tool:execute_sql',
    kind: 'tool',
    start: 1830,
    durationMs: 500,
    level: 'ERROR',
    statusMessage: 'column "x" does not exist',
    attributes: { arguments: { sql: 'SELECT x FROM t' } },
  }),
  span({
    traceId: escalatedTraceId,
    spanId: 'tier2',
    parentSpanId: 'root',
    name: 'tier:gpt-4o',
    start: 2320,
    durationMs: 3600,
    costUsd: 0.035,
    model: 'gpt-4o',
  }),
];

const shape = (node: SpanNode): unknown => ({ id: node.span.spanId, children: node.children.map(shape) });

const engines = appDatabaseEngines('spans');

for (const engine of engines) {
  const title = engine.skipReason
    ? `local span store on ${engine.name} (skipped: ${engine.skipReason})`
    : `local span store on ${engine.name}`;
  describe.skipIf(engine.skipReason !== undefined)(title, () => {
    let db: Kysely<any>;
    let close: (() => Promise<void>) | undefined;
    let store: LocalSpanStore;

    beforeAll(async () => {
      ({ db, close } = await engine.open());
      store = new LocalSpanStore(db);
    });
    afterAll(async () => {
      await close?.();
    });
    beforeEach(async () => {
      if ((await store.appliedVersions()).length === 0) return;
      await sql`DELETE FROM spans`.execute(db);
      await sql`DELETE FROM feedback`.execute(db);
    });

    it('applies versioned migrations in order, records them, and re-running is a no-op', async () => {
      expect(await store.appliedVersions()).toEqual([]);
      expect(await store.migrate({ toVersion: 1 })).toEqual([1]);
      expect(await store.appliedVersions()).toEqual([1]);
      const tables = async () =>
        (
          await sql<{
            name: string;
          }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`.execute(db)
        ).rows.map((row) => row.name);
      expect(await tables()).toEqual(['schema_migrations', 'spans']);

      // v2 (feedback) is pending after v1 and is the only one applied now.
      expect(await store.migrate()).toEqual([2]);
      expect(await store.appliedVersions()).toEqual([1, 2]);
      expect(await tables()).toEqual(['feedback', 'schema_migrations', 'spans']);
      expect(await store.migrate()).toEqual([]);
      expect(await store.appliedVersions()).toEqual([1, 2]);

      const indexes = (
        await sql<{ name: string }>`SELECT indexname AS name FROM pg_indexes WHERE tablename = 'spans' ORDER BY 1`.execute(db)
      ).rows.map((row) => row.name);
      expect(indexes).toEqual(['spans_label_index', 'spans_pkey', 'spans_start_time_index', 'spans_user_id_index']);

      // A later version appended to the list is applied alone; a failing one rolls back and is not recorded.
      const extended = new LocalSpanStore(db, {
        migrations: [
          ...spanStoreMigrations,
          { version: 3, name: 'session index', statements: ['CREATE INDEX spans_session_id_index ON spans (session_id)'] },
        ],
      });
      expect(await extended.migrate()).toEqual([3]);
      const broken = new LocalSpanStore(db, {
        migrations: [
          ...spanStoreMigrations,
          { version: 3, name: 'x', statements: [] },
          { version: 4, name: 'broken', statements: ['CREATE TABLE half (id integer)', 'SELECT no_such_function()'] },
        ],
      });
      await expect(broken.migrate()).rejects.toThrow(/no_such_function/);
      expect(await store.appliedVersions()).toEqual([1, 2, 3]);
      expect(await tables()).not.toContain('half');
    });

    it('stores spans and returns a trace as a tree, children ordered by start time', async () => {
      // Inserted out of order, and twice: the second insert of the same spans is ignored.
      await store.insert([...escalatedTrace].reverse());
      await store.insert(escalatedTrace);
      const trace = await store.getTrace(escalatedTraceId);
      expect(trace).not.toBeNull();
      expect(shape(trace!.root)).toEqual({
        id: 'root',
        children: [
          { id: 'prompt', children: [] },
          {
            id: 'tier1',
            children: [
              { id: 'gen1', children: [] },
              { id: 'tool1', children: [] },
            ],
          },
          { id: 'tier2', children: [] },
        ],
      });
      expect(trace!.spans).toEqual(escalatedTrace);
      expect(await store.getTrace('no-such-trace')).toBeNull();
    });

    it('inserts in batches larger than one statement', async () => {
      const many = Array.from({ length: 2500 }, (_, index) => span({ traceId: `bulk${index % 5}`, spanId: `s${index}`, start: index }));
      await store.insert(many);
      const count = await sql<{ count: string }>`SELECT count(*) AS count FROM spans`.execute(db);
      expect(Number(count.rows[0].count)).toBe(2500);
    });

    it('stores a NUL character (which Postgres text and jsonb refuse) as U+FFFD, so the other spans of its batch are kept', async () => {
      const question = 'How many regions?\u0000';
      await store.insert([
        root({
          traceId: 'nul',
          userId: 'ada\u0000',
          statusMessage: 'column "x\u0000" does not exist',
          attributes: { 'langfuse.observation.input': JSON.stringify({ question }), note: question },
        }),
        root({ traceId: 'clean', userId: 'bo' }),
      ]);
      expect((await store.listTraces()).map((trace) => trace.traceId).sort()).toEqual(['clean', 'nul']);
      const stored = (await store.getTrace('nul'))!.root.span;
      expect(stored).toMatchObject({
        userId: 'ada\uFFFD',
        statusMessage: 'column "x\uFFFD" does not exist',
        attributes: { note: 'How many regions?\uFFFD' },
      });
      // JSON text holds it escaped (`\u0000`), which Postgres takes as it is.
      expect(JSON.parse(String(stored.attributes['langfuse.observation.input']))).toEqual({ question });
    });

    it('stores a lone surrogate (which jsonb refuses) as U+FFFD, so the other spans of its batch are kept', async () => {
      await store.insert([
        root({ traceId: 'surrogate', userId: '\ud800', label: 'a\udfffb', attributes: { note: 'x\ud83d', emoji: '\ud83d\ude00' } }),
        root({ traceId: 'clean', userId: 'bo' }),
      ]);
      expect((await store.listTraces()).map((trace) => trace.traceId).sort()).toEqual(['clean', 'surrogate']);
      const stored = (await store.getTrace('surrogate'))!.root.span;
      expect(stored).toMatchObject({ userId: '\uFFFD', label: 'a\uFFFDb', attributes: { note: 'x\uFFFD', emoji: '\ud83d\ude00' } });
    });

    it('writes a batch the database refuses span by span, so one bad span never takes the others with it', async () => {
      const outcome = await store.insert([
        root({ traceId: 'before', userId: 'ada' }),
        root({ traceId: 'too-many-tokens', inputTokens: 2 ** 40 }),
        root({ traceId: 'bad-kind', kind: 'bogus' as SpanRecord['kind'] }),
        root({ traceId: 'after', userId: 'bo' }),
      ]);
      expect(outcome).toMatchObject({ stored: 2, rejected: 2, firstError: expect.stringMatching(/out of range/) });
      expect((await store.listTraces()).map((trace) => trace.traceId).sort()).toEqual(['after', 'before']);
      // A batch of which nothing can be written fails as a whole, with the database's reason.
      await expect(store.insert([root({ traceId: 'bad-kind', kind: 'bogus' as SpanRecord['kind'] })])).rejects.toThrow(/check constraint/);
    });

    // The design sketch, except that the 500 ms tool call reads `500ms`: the rule is milliseconds below one second.
    it('renders the trace tree as text', async () => {
      await store.insert(escalatedTrace);
      const text = renderTraceTree((await store.getTrace(escalatedTraceId))!);
      expect(text).toBe(
        [
          'Trace: query 7f3a…  5.9s  $0.055',
          '├─ prompt agent/db_agent v3 (production)   3ms',
          '├─ tier gpt-4o-mini                        2.3s  $0.020  escalated: sql_error',
          '│  ├─ generation gpt-4o-mini               1.8s  $0.015  1,234→210 tok',
          '│  └─ tool execute_sql                     500ms  error: column "x" does not exist',
          '└─ tier gpt-4o                             3.6s  $0.035',
        ].join('\n'),
      );
      expect([3, 999.4, 999.6, 1000, 12_345].map(formatDuration)).toEqual(['3ms', '999ms', '1.0s', '1.0s', '12.3s']);
    });

    it('lists root spans newest first with trace totals, filtered by since, user and label', async () => {
      await store.insert([
        ...escalatedTrace,
        root({ traceId: 'older', start: -60_000, durationMs: 40, userId: 'bob', label: 'staging', promptVersion: 7 }),
        span({
          traceId: 'older',
          spanId: 'g',
          parentSpanId: 'older-root',
          kind: 'generation',
          start: -59_990,
          model: 'gpt-4o-mini',
          inputTokens: 10,
          outputTokens: 2,
          costUsd: 0.001,
        }),
        root({ traceId: 'newest', start: 60_000, durationMs: 5, userId: 'ada', label: 'staging', attributes: { cacheStatus: 'rows' } }),
      ]);
      const all = await store.listTraces();
      expect(all.map((trace) => trace.traceId)).toEqual(['newest', escalatedTraceId, 'older']);
      const escalated = all[1];
      expect(escalated).toMatchObject({
        name: 'query',
        startTime: at(0),
        durationMs: 5900,
        userId: 'ada',
        label: 'production',
        promptVersion: 3,
        model: 'gpt-4o',
        inputTokens: 1234,
        outputTokens: 210,
        totalTokens: 1444,
        hasError: true,
        failed: false,
      });
      expect(escalated.totalCostUsd).toBeCloseTo(0.055, 10);
      expect(all[0]).toMatchObject({ totalCostUsd: 0, totalTokens: 0, hasError: false, promptVersion: null, model: null });
      expect(all[2]).toMatchObject({ promptVersion: 7, model: 'gpt-4o-mini', totalTokens: 12, hasError: false });

      const ids = async (options: Parameters<LocalSpanStore['listTraces']>[0]) =>
        (await store.listTraces(options)).map((trace) => trace.traceId);
      expect(await ids({ since: at(0) })).toEqual(['newest', escalatedTraceId]);
      expect(await ids({ since: new Date(base + 1) })).toEqual(['newest']);
      expect(await ids({ user: 'ada' })).toEqual(['newest', escalatedTraceId]);
      expect(await ids({ label: 'staging' })).toEqual(['newest', 'older']);
      expect(await ids({ user: 'ada', label: 'staging' })).toEqual(['newest']);
      expect(await ids({ limit: 1 })).toEqual(['newest']);
      await expect(store.listTraces({ since: 'yesterday-ish' })).rejects.toThrow(InvalidInputError);
    });

    it('applies retention by age, then by span count, with an injected clock', async () => {
      let clock = new Date(base);
      const retained = new LocalSpanStore(db, { retention: { maxAgeMs: 60 * 60_000, maxSpans: 5 }, now: () => clock });
      const twoSpanTrace = (traceId: string, start: number) => [
        root({ traceId, start, durationMs: 100 }),
        span({ traceId, spanId: 'child', parentSpanId: `${traceId}-root`, start: start + 1 }),
      ];
      const minutes = 60_000;
      await retained.insert([
        ...twoSpanTrace('A', -120 * minutes),
        ...twoSpanTrace('B', -30 * minutes),
        ...twoSpanTrace('C', -20 * minutes),
        ...twoSpanTrace('D', -10 * minutes),
      ]);
      await retained.recordFeedback({ traceId: 'A', score: 1 });
      await retained.recordFeedback({ traceId: 'D', score: 1 });

      // Age: A started 120 min ago > 60 min → its 2 spans go. Count: newest first D (2), C (4), B (6 > 5) → B goes.
      expect(await retained.applyRetention()).toEqual({ spansDeletedByAge: 2, spansDeletedByCount: 2, feedbackDeleted: 1 });
      expect((await retained.listTraces()).map((trace) => trace.traceId)).toEqual(['D', 'C']);
      expect(await retained.applyRetention()).toEqual({ spansDeletedByAge: 0, spansDeletedByCount: 0, feedbackDeleted: 0 });

      // 45 minutes later the cutoff is base - 15 min: C (base - 20 min) is too old, D (base - 10 min) is not.
      clock = new Date(base + 45 * minutes);
      expect(await retained.applyRetention()).toEqual({ spansDeletedByAge: 2, spansDeletedByCount: 0, feedbackDeleted: 0 });
      expect((await retained.listTraces()).map((trace) => trace.traceId)).toEqual(['D']);
      expect(await retained.listFeedback('D')).toHaveLength(1);
    });

    it('records feedback, rejects a bad score and names an unknown trace', async () => {
      const clock = new Date(base + 5000);
      const withClock = new LocalSpanStore(db, { now: () => clock });
      await withClock.insert(escalatedTrace);
      const stored = await withClock.recordFeedback({ traceId: escalatedTraceId, score: -0.5, comment: 'wrong column' });
      expect(stored).toMatchObject({ traceId: escalatedTraceId, score: -0.5, comment: 'wrong column', createdAt: at(5000) });
      await withClock.recordFeedback({ traceId: escalatedTraceId, score: 1 });
      expect((await withClock.listFeedback(escalatedTraceId)).map((entry) => [entry.score, entry.comment])).toEqual([
        [-0.5, 'wrong column'],
        [1, null],
      ]);

      for (const score of [1.5, -1.01, Number.NaN, Number.POSITIVE_INFINITY, '1' as unknown as number]) {
        await expect(withClock.recordFeedback({ traceId: escalatedTraceId, score })).rejects.toThrow(InvalidInputError);
      }
      const unknown = await withClock.recordFeedback({ traceId: 'nope-123', score: 1 }).catch((error: unknown) => error);
      expect(unknown).toBeInstanceOf(TraceNotFoundError);
      expect((unknown as Error).message).toContain('"nope-123"');
      expect(await withClock.listFeedback(escalatedTraceId)).toHaveLength(2);
    });

    it('computes per-group stats with nearest-rank percentiles', async () => {
      // production: 10 traces, p<i>, i = 0..9. staging: 3 traces. One older production trace before `since`.
      const productionDurations = [1880, 120, 9000, 560, 1000, 340, 1660, 780, 1440, 1220];
      const spans: SpanRecord[] = [];
      productionDurations.forEach((durationMs, i) => {
        const traceId = `p${i}`;
        const attributes: Record<string, unknown> = {};
        if (i === 0) attributes.cacheStatus = 'sql';
        if (i === 1) attributes.cacheStatus = 'rows';
        if (i === 2) attributes.cacheStatus = 'miss';
        if (i === 3) attributes.errorType = 'sql_error';
        if (i === 7) attributes.errorType = 'timeout';
        if (i === 3 || i === 5) attributes.escalated = true;
        const level = i === 3 || i === 7 ? 'ERROR' : i === 8 ? 'WARNING' : 'DEFAULT';
        spans.push(
          root({ traceId, start: i * 1000, durationMs, level, label: 'production', userId: i % 2 === 0 ? 'ada' : 'bob', attributes }),
        );
        // Cache hits (i = 0, 1) call no model.
        if (i >= 2) {
          spans.push(
            span({
              traceId,
              spanId: 'gen',
              parentSpanId: `${traceId}-root`,
              kind: 'generation',
              name: 'generation',
              start: i * 1000 + 1,
              model: 'gpt-4o-mini',
              inputTokens: 1000 + 100 * i,
              outputTokens: 100 + 10 * i,
              costUsd: 0.004,
            }),
          );
        }
      });
      [1500, 50, 900].forEach((durationMs, j) => {
        const traceId = `s${j}`;
        spans.push(root({ traceId, start: 20_000 + j, durationMs, label: 'staging', userId: 'cy' }));
        spans.push(
          span({
            traceId,
            spanId: 'gen',
            parentSpanId: `${traceId}-root`,
            kind: 'generation',
            start: 20_001 + j,
            model: 'gpt-4o',
            inputTokens: 300,
            outputTokens: 30,
            costUsd: 0.001,
          }),
        );
      });
      spans.push(root({ traceId: 'ancient', start: -86_400_000, durationMs: 99_999, label: 'production', level: 'ERROR' }));
      await store.insert(spans);
      await store.recordFeedback({ traceId: 'p2', score: 1 });
      await store.recordFeedback({ traceId: 'p4', score: -1 });
      await store.recordFeedback({ traceId: 'p4', score: 0.5 });
      await store.recordFeedback({ traceId: 'ancient', score: -1 }); // before `since`: not counted

      const stats = await computeStats(store, { since: at(0), by: 'label' });
      expect(stats.map((group) => [group.key, group.count])).toEqual([
        ['production', 10],
        ['staging', 3],
      ]);
      const [production, staging] = stats;

      // production durations sorted: 120, 340, 560, 780, 1000, 1220, 1440, 1660, 1880, 9000 (n = 10).
      // Nearest rank ⌈p·n⌉: p50 → rank ⌈5⌉ = 5 → 1000 (percentile_cont would interpolate to 1110);
      // p95 → rank ⌈9.5⌉ = 10 → 9000; p99 → rank ⌈9.9⌉ = 10 → 9000.
      expect(production.latencyMs).toEqual({ p50: 1000, p95: 9000, p99: 9000 });
      // Roots with level DEFAULT: all but p3, p7 (ERROR) and p8 (WARNING) → 7 / 10.
      expect(production.successRate).toBeCloseTo(0.7, 10);
      // Input tokens: p2..p9 have 1000 + 100·i → 8·1000 + 100·(2+…+9 = 44) = 12,400; p0, p1 count as 0 → 12,400 / 10 = 1240.
      // Output tokens: 8·100 + 10·44 = 1240 → 124.
      expect(production.meanInputTokens).toBeCloseTo(1240, 10);
      expect(production.meanOutputTokens).toBeCloseTo(124, 10);
      // Cost: 8 generations · $0.004 = $0.032; mean over 10 traces = $0.0032.
      expect(production.totalCostUsd).toBeCloseTo(0.032, 10);
      expect(production.meanCostUsd).toBeCloseTo(0.0032, 10);
      expect(production.errorTypes).toEqual({ sql_error: 1, timeout: 1 });
      // Escalated: p3, p5 → 2 / 10. Cache hits: p0 (sql), p1 (rows); p2 (miss) is not → 2 / 10.
      expect(production.escalationRate).toBeCloseTo(0.2, 10);
      expect(production.cacheHitRate).toBeCloseTo(0.2, 10);
      // Feedback entries: 1, -1, 0.5 → 0.5 / 3.
      expect(production.meanFeedbackScore).toBeCloseTo(0.5 / 3, 10);

      // staging durations sorted: 50, 900, 1500 (n = 3): p50 → rank ⌈1.5⌉ = 2 → 900; p95 → ⌈2.85⌉ = 3 → 1500; p99 → ⌈2.97⌉ = 3 → 1500.
      expect(staging.latencyMs).toEqual({ p50: 900, p95: 1500, p99: 1500 });
      expect(staging).toMatchObject({
        successRate: 1,
        meanInputTokens: 300,
        meanOutputTokens: 30,
        errorTypes: {},
        escalationRate: 0,
        cacheHitRate: 0,
        meanFeedbackScore: null,
      });
      expect(staging.totalCostUsd).toBeCloseTo(0.003, 10);

      // Without `since` the ancient trace joins production: n = 11, p50 → rank ⌈5.5⌉ = 6 → 1220; p95, p99 → rank 11 → 99,999.
      const everything = await computeStats(store, { by: 'label' });
      expect(everything[0]).toMatchObject({
        key: 'production',
        count: 11,
        latencyMs: { p50: 1220, p95: 99_999, p99: 99_999 },
        errorTypes: { sql_error: 1, timeout: 1, unknown: 1 },
      });

      // By user: ada has p0, p2, p4, p6, p8; bob p1, p3, p5, p7, p9; cy the staging traces.
      // By model (the root has none, so the latest generation's): gpt-4o-mini p2..p9, gpt-4o the staging ones, none for p0, p1.
      const byUser = await computeStats(store, { since: at(0), by: 'user' });
      expect(byUser.map((group) => [group.key, group.count])).toEqual([
        ['ada', 5],
        ['bob', 5],
        ['cy', 3],
      ]);
      const byModel = await computeStats(store, { since: at(0), by: 'model' });
      expect(byModel.map((group) => [group.key, group.count])).toEqual([
        ['gpt-4o-mini', 8],
        ['gpt-4o', 3],
        [null, 2],
      ]);
      await expect(computeStats(store, { by: 'colour' as never })).rejects.toThrow(InvalidInputError);
    });
  });
}
