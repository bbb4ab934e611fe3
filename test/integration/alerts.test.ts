import { sql, type Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DatasourceDriver } from '../../src/datasource/driver.ts';
import { createPgliteDriver } from '../../src/datasource/pglite/pglite-driver.ts';
import { ConfigError } from '../../src/errors/index.ts';
import type { Logger } from '../../src/logging/index.ts';
import {
  AlertManager,
  alertsConfigSchema,
  measureAlertRule,
  parseAlertsConfig,
  type AlertRuleInput,
  type AlertsConfigInput,
  type AlertTransition,
} from '../../src/metrics/alerts/index.ts';
import { LocalSpanStore, type SpanRecord } from '../../src/tracing/local-store/index.ts';
import { flattenHeaders, listenOnLoopback, readBody } from '../support/http-helpers.ts';
import { appDatabaseEngines } from '../support/app-database-engines.ts';
import { spanRecords } from '../support/span-records.ts';

const base = Date.parse('2025-03-01T12:00:00.000Z');
const minute = 60_000;
const hour = 60 * minute;
const { at, span } = spanRecords(base);

/** A request's root span (kind `trace`, name `query`). */
const root = (fields: Partial<SpanRecord> & { traceId: string; start?: number }) =>
  span({ spanId: `${fields.traceId}-root`, name: 'query', kind: 'trace', ...fields });

/** A generation span with a cost, child of the trace's root. */
const generation = (traceId: string, spanId: string, start: number, costUsd: number) =>
  span({ traceId, spanId, parentSpanId: `${traceId}-root`, name: 'generation', kind: 'generation', start, costUsd, model: 'gpt-4o-mini' });

/** Rule inputs are validated with defaults, as the manager does. */
const rule = (input: AlertRuleInput) => alertsConfigSchema.parse({ rules: [input] }).rules[0];

interface LogEntry {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A Logger that keeps every entry (unredacted, so a leaked secret would show). */
function capturingLogger(): { logger: Logger; entries: LogEntry[]; messages: (message: string) => LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: LogEntry['level']) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      entries.push({ level, message, fields });
    };
  return {
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    entries,
    messages: (message) => entries.filter((entry) => entry.message === message),
  };
}

interface ReceivedRequest {
  url: string;
  headers: Record<string, string>;
  body: AlertTransition;
  receivedAt: number;
}

/** What the receiver does with request number `index` (0-based): answer a status, or never answer. */
type ReceiverPlan = (index: number) => number | 'hang';

/** A loopback webhook receiver recording every request. */
async function startReceiver(initialPlan: ReceiverPlan = () => 200) {
  const requests: ReceivedRequest[] = [];
  const state = { plan: initialPlan };
  const { server, base: origin } = await listenOnLoopback((request, response) => {
    void readBody(request).then((text) => {
      const index = requests.length;
      requests.push({ url: request.url ?? '', headers: flattenHeaders(request), body: JSON.parse(text), receivedAt: Date.now() });
      const outcome = state.plan(index);
      if (outcome === 'hang') return;
      response.writeHead(outcome, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  return {
    origin,
    url: `${origin}/hooks/alerts`,
    requests,
    setPlan(plan: ReceiverPlan) {
      state.plan = plan;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const engines = appDatabaseEngines('alerts');

for (const engine of engines) {
  const title = engine.skipReason
    ? `alert rule measurement on ${engine.name} (skipped: ${engine.skipReason})`
    : `alert rule measurement on ${engine.name}`;
  describe.skipIf(engine.skipReason !== undefined)(title, () => {
    let db: Kysely<any>;
    let close: (() => Promise<void>) | undefined;
    let store: LocalSpanStore;
    const now = new Date(base);

    beforeAll(async () => {
      ({ db, close } = await engine.open());
      store = new LocalSpanStore(db);
      await store.migrate();
    });
    afterAll(async () => {
      await close?.();
    });
    beforeEach(async () => {
      await sql`DELETE FROM spans`.execute(db);
    });

    it('latency: p95 is the nearest-rank value, mean the average, over roots in (now - window, now] only', async () => {
      // Durations 100, 200, …, 2000 ms; the last one starts exactly at `now` (included).
      const inWindow = Array.from({ length: 20 }, (_, index) =>
        root({ traceId: `t${index + 1}`, start: -(19 - index) * 1000, durationMs: (index + 1) * 100 }),
      );
      await store.insert([
        ...inWindow,
        // Excluded: exactly at the window's start (open end), before it, after now, and a child span.
        root({ traceId: 'edge', start: -5 * minute, durationMs: 99_999 }),
        root({ traceId: 'old', start: -6 * minute, durationMs: 99_999 }),
        root({ traceId: 'future', start: 1000, durationMs: 99_999 }),
        span({ traceId: 't1', spanId: 'child', parentSpanId: 't1-root', durationMs: 99_999, start: -19_000 }),
      ]);

      // n = 20: rank ⌈0.95·20⌉ = 19 → 1900 (an interpolating percentile would give 1905). Mean 21·100/2 = 1050.
      expect(await measureAlertRule(store, rule({ name: 'p95', kind: 'latency', statistic: 'p95', thresholdMs: 1899 }), now)).toEqual({
        value: 1900,
        requestCount: 20,
        breached: true,
      });
      expect(
        (await measureAlertRule(store, rule({ name: 'p95', kind: 'latency', statistic: 'p95', thresholdMs: 1900 }), now)).breached,
      ).toBe(false);
      expect(await measureAlertRule(store, rule({ name: 'mean', kind: 'latency', statistic: 'mean', thresholdMs: 1000 }), now)).toEqual({
        value: 1050,
        requestCount: 20,
        breached: true,
      });
      // The same data: p95 above 1500, the mean not.
      expect(
        (await measureAlertRule(store, rule({ name: 'mean', kind: 'latency', statistic: 'mean', thresholdMs: 1500 }), now)).breached,
      ).toBe(false);
      expect(
        (await measureAlertRule(store, rule({ name: 'p95', kind: 'latency', statistic: 'p95', thresholdMs: 1500 }), now)).breached,
      ).toBe(true);

      // Too few requests: the value is still reported, the rule does not fire.
      expect(
        await measureAlertRule(store, rule({ name: 'mean', kind: 'latency', statistic: 'mean', thresholdMs: 1000, minRequests: 21 }), now),
      ).toEqual({ value: 1050, requestCount: 20, breached: false });
      // A 10-second window (−10 s excluded) holds starts −9 s … 0, durations 1100…2000: mean 1550, p95 rank ⌈9.5⌉ = 10 → 2000.
      expect(
        await measureAlertRule(store, rule({ name: 'mean', kind: 'latency', statistic: 'mean', thresholdMs: 1, windowMs: 10_000 }), now),
      ).toEqual({ value: 1550, requestCount: 10, breached: true });
      expect(
        (await measureAlertRule(store, rule({ name: 'p95', kind: 'latency', thresholdMs: 1, windowMs: 10_000, minRequests: 10 }), now))
          .value,
      ).toBe(2000);
      // Nothing in the window: no value, not breached.
      expect(await measureAlertRule(store, rule({ name: 'p95', kind: 'latency', thresholdMs: 1 }), new Date(base + hour))).toEqual({
        value: null,
        requestCount: 0,
        breached: false,
      });
    });

    it("filters by datasource (the root's, else the trace's latest) and by label", async () => {
      await store.insert([
        root({ traceId: 'a', start: -minute, durationMs: 5000, datasource: 'shop', label: 'production' }),
        root({ traceId: 'b', start: -minute, durationMs: 100, datasource: 'clinic', label: 'production' }),
        root({ traceId: 'c', start: -minute, durationMs: 3000, datasource: null, label: 'canary' }),
        span({ traceId: 'c', spanId: 'c-sql', parentSpanId: 'c-root', start: -minute + 5, datasource: 'shop' }),
        root({ traceId: 'd', start: -minute, durationMs: 200, datasource: 'shop', label: 'canary' }),
      ]);
      const mean = (filters: { datasource?: string; label?: string }) =>
        measureAlertRule(
          store,
          rule({ name: 'mean', kind: 'latency', statistic: 'mean', thresholdMs: 1000, minRequests: 1, ...filters }),
          now,
        );

      expect(await mean({ datasource: 'shop' })).toEqual({ value: (5000 + 3000 + 200) / 3, requestCount: 3, breached: true });
      expect(await mean({ datasource: 'clinic' })).toEqual({ value: 100, requestCount: 1, breached: false });
      expect(await mean({ label: 'production' })).toEqual({ value: 2550, requestCount: 2, breached: true });
      expect(await mean({ datasource: 'shop', label: 'canary' })).toEqual({ value: 1600, requestCount: 2, breached: true });
      expect(await mean({ datasource: 'nowhere' })).toEqual({ value: null, requestCount: 0, breached: false });
      expect(await mean({})).toEqual({ value: (5000 + 100 + 3000 + 200) / 4, requestCount: 4, breached: true });
    });

    it('error rate: share of ERROR roots, strictly above the threshold, with minRequests (default 10)', async () => {
      const levels = ['ERROR', 'ERROR', 'ERROR', 'WARNING', 'DEFAULT', 'DEFAULT', 'DEFAULT', 'DEFAULT', 'DEFAULT', 'DEFAULT'] as const;
      await store.insert([
        ...levels.map((level, index) => root({ traceId: `e${index}`, start: -minute, level, label: index < 3 ? 'canary' : 'production' })),
        // An ERROR child in a successful trace does not make the request a failure.
        span({ traceId: 'e9', spanId: 'tool', parentSpanId: 'e9-root', level: 'ERROR', start: -minute }),
      ]);
      expect(await measureAlertRule(store, rule({ name: 'errors', kind: 'error_rate', threshold: 0.25 }), now)).toEqual({
        value: 0.3,
        requestCount: 10,
        breached: true,
      });
      expect((await measureAlertRule(store, rule({ name: 'errors', kind: 'error_rate', threshold: 0.3 }), now)).breached).toBe(false);
      // canary: 3 requests, all failed — but below the default minRequests of 10.
      expect(await measureAlertRule(store, rule({ name: 'errors', kind: 'error_rate', threshold: 0.5, label: 'canary' }), now)).toEqual({
        value: 1,
        requestCount: 3,
        breached: false,
      });
      expect(
        (await measureAlertRule(store, rule({ name: 'errors', kind: 'error_rate', threshold: 0.5, label: 'canary', minRequests: 3 }), now))
          .breached,
      ).toBe(true);
    });

    it('daily cost: the summed span costs of traces whose root is in the (default 24 h) window', async () => {
      await store.insert([
        root({ traceId: 'c1', start: -hour, label: 'production' }),
        generation('c1', 'g1', -hour + 10, 0.5),
        generation('c1', 'g2', -hour + 20, 0.25),
        root({ traceId: 'c2', start: -23 * hour, label: 'canary' }),
        generation('c2', 'g1', -23 * hour + 10, 1),
        root({ traceId: 'c3', start: -25 * hour, label: 'production' }),
        generation('c3', 'g1', -25 * hour + 10, 10),
        root({ traceId: 'c4', start: -10 * minute, label: 'production' }),
        // Cost of a trace without a root (not a finished request) is not counted.
        generation('orphan', 'g1', -minute, 5),
      ]);
      expect(await measureAlertRule(store, rule({ name: 'spend', kind: 'daily_cost', thresholdUsd: 1.5 }), now)).toEqual({
        value: 1.75,
        requestCount: 3,
        breached: true,
      });
      expect((await measureAlertRule(store, rule({ name: 'spend', kind: 'daily_cost', thresholdUsd: 1.75 }), now)).breached).toBe(false);
      expect(
        await measureAlertRule(store, rule({ name: 'spend', kind: 'daily_cost', thresholdUsd: 0.5, label: 'production' }), now),
      ).toEqual({ value: 0.75, requestCount: 2, breached: true });
      expect(
        await measureAlertRule(store, rule({ name: 'spend', kind: 'daily_cost', thresholdUsd: 0.5, windowMs: 2 * hour }), now),
      ).toEqual({ value: 0.75, requestCount: 2, breached: true });
      // No traffic costs nothing.
      expect(
        await measureAlertRule(store, rule({ name: 'spend', kind: 'daily_cost', thresholdUsd: 0 }), new Date(base + 3 * 24 * hour)),
      ).toEqual({ value: 0, requestCount: 0, breached: false });
    });

    it('cache hit rate: hits among cache lookups (bypass and no status left out), fires BELOW the threshold', async () => {
      const statuses = ['sql', 'sql', 'rows', 'miss', 'miss', 'shared', 'bypass', 'bypass', undefined];
      await store.insert(
        statuses.map((cacheStatus, index) =>
          root({
            traceId: `k${index}`,
            start: -minute,
            attributes: cacheStatus === undefined ? { errorType: 'sql_error' } : { cacheStatus },
          }),
        ),
      );
      // 6 lookups, 3 hits. Default minRequests is 10: not enough lookups.
      expect(await measureAlertRule(store, rule({ name: 'cache', kind: 'cache_hit_rate', threshold: 0.6 }), now)).toEqual({
        value: 0.5,
        requestCount: 6,
        breached: false,
      });
      expect(await measureAlertRule(store, rule({ name: 'cache', kind: 'cache_hit_rate', threshold: 0.6, minRequests: 6 }), now)).toEqual({
        value: 0.5,
        requestCount: 6,
        breached: true,
      });
      expect(
        (await measureAlertRule(store, rule({ name: 'cache', kind: 'cache_hit_rate', threshold: 0.5, minRequests: 6 }), now)).breached,
      ).toBe(false);
    });

    it('fallback prompt: fires while any root in the window was served with the fallback prompt', async () => {
      await store.insert([
        root({ traceId: 'f1', start: -minute, datasource: 'clinic', attributes: { promptIsFallback: true } }),
        root({ traceId: 'f2', start: -minute, datasource: 'shop', attributes: { promptIsFallback: false } }),
        root({ traceId: 'f3', start: -minute, datasource: 'shop' }),
        root({ traceId: 'f4', start: -10 * minute, datasource: 'shop', attributes: { promptIsFallback: true } }),
      ]);
      expect(await measureAlertRule(store, rule({ name: 'fallback', kind: 'fallback_prompt' }), now)).toEqual({
        value: 1,
        requestCount: 3,
        breached: true,
      });
      expect(await measureAlertRule(store, rule({ name: 'fallback', kind: 'fallback_prompt', datasource: 'shop' }), now)).toEqual({
        value: 0,
        requestCount: 2,
        breached: false,
      });
      expect(
        await measureAlertRule(store, rule({ name: 'fallback', kind: 'fallback_prompt', datasource: 'shop', windowMs: 15 * minute }), now),
      ).toEqual({ value: 1, requestCount: 3, breached: true });
    });

    it('the manager fires and resolves every kind on this engine', async () => {
      await store.insert([
        ...Array.from({ length: 10 }, (_, index) =>
          root({
            traceId: `m${index}`,
            start: -minute,
            durationMs: 4000,
            level: index < 5 ? 'ERROR' : 'DEFAULT',
            attributes: { cacheStatus: 'miss', promptIsFallback: index === 0 },
          }),
        ),
        generation('m1', 'g', -minute + 10, 3),
      ]);
      let clock = new Date(base);
      const { logger, messages } = capturingLogger();
      const manager = new AlertManager({
        store,
        logger,
        now: () => clock,
        config: {
          rules: [
            { name: 'slow', kind: 'latency', thresholdMs: 3000 },
            { name: 'errors', kind: 'error_rate', threshold: 0.4 },
            { name: 'spend', kind: 'daily_cost', thresholdUsd: 2, windowMs: 10 * minute },
            { name: 'cache', kind: 'cache_hit_rate', threshold: 0.2 },
            { name: 'fallback', kind: 'fallback_prompt' },
          ],
        },
      });
      const fired = await manager.evaluate();
      expect(fired.map((transition) => [transition.rule, transition.status, transition.value])).toEqual([
        ['slow', 'firing', 4000],
        ['errors', 'firing', 0.5],
        ['spend', 'firing', 3],
        ['cache', 'firing', 0],
        ['fallback', 'firing', 1],
      ]);
      expect(messages('alert firing')).toHaveLength(5);

      clock = new Date(base + 20 * minute);
      const resolved = await manager.evaluate();
      expect(resolved.map((transition) => [transition.rule, transition.status, transition.value, transition.requestCount])).toEqual([
        ['slow', 'resolved', null, 0],
        ['errors', 'resolved', null, 0],
        ['spend', 'resolved', 0, 0],
        ['cache', 'resolved', null, 0],
        ['fallback', 'resolved', 0, 0],
      ]);
      expect(messages('alert resolved')).toHaveLength(5);
      // With no request left in the window, each says so: its value is not a measurement.
      expect(resolved.map((transition) => transition.resolvedBecause)).toEqual(Array(5).fill('no_requests'));

      // A new episode of errors, then too few requests to judge although every one of them failed.
      await store.insert(
        Array.from({ length: 10 }, (_, index) =>
          root({ traceId: `n${index}`, start: 25 * minute, level: index < 5 ? 'ERROR' : 'DEFAULT' }),
        ),
      );
      clock = new Date(base + 26 * minute);
      expect((await manager.evaluate()).find((transition) => transition.rule === 'errors')).toMatchObject({ status: 'firing', value: 0.5 });
      await store.insert(Array.from({ length: 3 }, (_, index) => root({ traceId: `f${index}`, start: 40 * minute, level: 'ERROR' })));
      clock = new Date(base + 41 * minute);
      expect((await manager.evaluate()).find((transition) => transition.rule === 'errors')).toMatchObject({
        status: 'resolved',
        value: 1,
        requestCount: 3,
        resolvedBecause: 'too_few_requests',
      });
      await manager.close();
    });
  });
}

describe('alert manager', () => {
  let driver: DatasourceDriver;
  let store: LocalSpanStore;
  let clock: Date;
  const receivers: Array<{ close(): Promise<void> }> = [];
  const managers: AlertManager[] = [];

  beforeAll(async () => {
    driver = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
    store = new LocalSpanStore(await driver.kysely());
    await store.migrate();
  });
  afterAll(async () => {
    await driver.close();
  });
  beforeEach(async () => {
    clock = new Date(base);
    await sql`DELETE FROM spans`.execute(await driver.kysely());
  });
  afterEach(async () => {
    vi.useRealTimers();
    for (const manager of managers.splice(0)) await manager.close();
    for (const receiver of receivers.splice(0)) await receiver.close();
  });

  /** A manager over the shared store and clock; closed after the test. */
  function createManager(
    config: AlertsConfigInput,
    extra: { generateId?: () => string; maxPendingNotifications?: number; store?: LocalSpanStore } = {},
  ) {
    const logs = capturingLogger();
    let next = 0;
    const manager = new AlertManager({
      store: extra.store ?? store,
      config,
      logger: logs.logger,
      now: () => clock,
      generateId: extra.generateId ?? (() => `episode-${++next}`),
      maxPendingNotifications: extra.maxPendingNotifications,
    });
    managers.push(manager);
    return { manager, ...logs };
  }

  async function receiver(plan?: ReceiverPlan) {
    const started = await startReceiver(plan);
    receivers.push(started);
    return started;
  }

  /** One request served with the fallback prompt, a minute before the clock. */
  const fallbackRequest = (traceId: string) =>
    store.insert([
      root({
        traceId,
        start: clock.getTime() - base - minute,
        datasource: 'shop',
        label: 'production',
        attributes: { promptIsFallback: true },
      }),
    ]);

  /** Moves the clock past the default 5-minute window, so a fallback rule resolves for lack of data. */
  const pastWindow = () => {
    clock = new Date(clock.getTime() + 10 * minute);
  };

  const fallbackRule: AlertRuleInput = { name: 'prompt-fallback', kind: 'fallback_prompt', datasource: 'shop', label: 'production' };

  it('logs one line per transition, nothing while it stays firing, and reports status', async () => {
    const { manager, entries, messages } = createManager({
      rules: [fallbackRule, { name: 'errors', kind: 'error_rate', threshold: 0.5, minRequests: 1 }],
    });
    expect(manager.status()[0]).toMatchObject({ rule: 'prompt-fallback', state: 'ok', value: null, since: null, evaluatedAt: null });

    await fallbackRequest('r1');
    const fired = await manager.evaluate();
    expect(fired).toEqual([
      {
        id: 'episode-1',
        status: 'firing',
        rule: 'prompt-fallback',
        kind: 'fallback_prompt',
        value: 1,
        threshold: 0,
        comparison: 'above',
        statistic: null,
        windowMs: 300_000,
        datasource: 'shop',
        label: 'production',
        requestCount: 1,
        firedAt: at(0),
        resolvedAt: null,
        resolvedBecause: null,
        evaluatedAt: at(0),
      },
    ]);
    expect(messages('alert firing')).toEqual([
      {
        level: 'warn',
        message: 'alert firing',
        fields: {
          rule: 'prompt-fallback',
          kind: 'fallback_prompt',
          value: 1,
          threshold: 0,
          comparison: 'above',
          windowMs: 300_000,
          datasource: 'shop',
          label: 'production',
          requestCount: 1,
          id: 'episode-1',
          firedAt: at(0),
        },
      },
    ]);
    expect(manager.status()).toEqual([
      {
        rule: 'prompt-fallback',
        kind: 'fallback_prompt',
        state: 'firing',
        value: 1,
        requestCount: 1,
        threshold: 0,
        since: at(0),
        evaluatedAt: at(0),
        episodeId: 'episode-1',
        lastError: null,
        pendingNotifications: 0,
      },
      {
        rule: 'errors',
        kind: 'error_rate',
        state: 'ok',
        value: 0,
        requestCount: 1,
        threshold: 0.5,
        since: at(0),
        evaluatedAt: at(0),
        episodeId: null,
        lastError: null,
        pendingNotifications: 0,
      },
    ]);

    clock = new Date(base + minute);
    await fallbackRequest('r2');
    expect(await manager.evaluate()).toEqual([]);
    expect(manager.status()[0]).toMatchObject({ state: 'firing', value: 2, since: at(0), evaluatedAt: at(minute) });

    pastWindow();
    const resolved = await manager.evaluate();
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      id: 'episode-1',
      status: 'resolved',
      value: 0,
      firedAt: at(0),
      resolvedAt: at(11 * minute),
      resolvedBecause: 'no_requests',
    });
    expect(messages('alert resolved')).toEqual([
      expect.objectContaining({
        level: 'info',
        fields: expect.objectContaining({ rule: 'prompt-fallback', id: 'episode-1', resolvedAt: at(11 * minute) }),
      }),
    ]);
    expect(manager.status()[0]).toMatchObject({ state: 'ok', episodeId: null, since: at(11 * minute) });
    // Exactly one line per transition, nothing else at info or above.
    expect(entries.filter((entry) => entry.level !== 'debug').map((entry) => entry.message)).toEqual(['alert firing', 'alert resolved']);

    // A new episode gets a new id.
    await fallbackRequest('r3');
    expect((await manager.evaluate())[0]).toMatchObject({ id: 'episode-2', status: 'firing' });
  });

  it('posts exactly one firing and one resolved message per episode, with a stable id', async () => {
    const hook = await receiver();
    const { manager } = createManager({ webhook: { url: hook.url, headers: { 'X-Team': 'data' } }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    clock = new Date(base + minute);
    await manager.evaluate();
    await manager.evaluate();
    expect(hook.requests).toHaveLength(1);
    pastWindow();
    await manager.evaluate();
    await manager.evaluate();

    expect(hook.requests.map((request) => [request.body.status, request.body.id])).toEqual([
      ['firing', 'episode-1'],
      ['resolved', 'episode-1'],
    ]);
    expect(hook.requests[0].url).toBe('/hooks/alerts');
    expect(hook.requests[0].headers).toMatchObject({
      'content-type': 'application/json',
      'x-team': 'data',
      'idempotency-key': 'episode-1:firing',
    });
    expect(hook.requests[1].headers['idempotency-key']).toBe('episode-1:resolved');
    expect(hook.requests[0].body).toEqual({
      id: 'episode-1',
      status: 'firing',
      rule: 'prompt-fallback',
      kind: 'fallback_prompt',
      value: 1,
      threshold: 0,
      comparison: 'above',
      statistic: null,
      windowMs: 300_000,
      datasource: 'shop',
      label: 'production',
      requestCount: 1,
      firedAt: at(0),
      resolvedAt: null,
      resolvedBecause: null,
      evaluatedAt: at(0),
    });
    expect(hook.requests[1].body).toMatchObject({
      status: 'resolved',
      firedAt: at(0),
      resolvedAt: at(11 * minute),
      evaluatedAt: at(11 * minute),
      value: 0,
    });
    expect(manager.deliveryFailures).toBe(0);
  });

  it('retries a 500 with backoff, then succeeds', async () => {
    const hook = await receiver((index) => (index === 0 ? 500 : 200));
    const { manager, entries } = createManager({ webhook: { url: hook.url, backoffMs: 50 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[1].body).toEqual(hook.requests[0].body);
    expect(hook.requests[1].receivedAt - hook.requests[0].receivedAt).toBeGreaterThanOrEqual(45);
    expect(manager.deliveryFailures).toBe(0);
    expect(manager.status()[0].pendingNotifications).toBe(0);
    expect(entries.filter((entry) => entry.level === 'error')).toEqual([]);
    // Delivered: nothing is sent again.
    clock = new Date(base + minute);
    await manager.evaluate();
    expect(hook.requests).toHaveLength(2);
  });

  it('retries a timed-out attempt', async () => {
    const hook = await receiver((index) => (index === 0 ? 'hang' : 200));
    const { manager } = createManager({ webhook: { url: hook.url, timeoutMs: 200, backoffMs: 0 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    const started = Date.now();
    await manager.evaluate();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(hook.requests).toHaveLength(2);
    expect(manager.deliveryFailures).toBe(0);
  });

  it('does not retry a 4xx: logged, counted, dropped', async () => {
    const hook = await receiver(() => 404);
    const { manager, messages } = createManager({ webhook: { url: hook.url, backoffMs: 0 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    expect(hook.requests).toHaveLength(1);
    expect(manager.deliveryFailures).toBe(1);
    expect(messages('alert notification rejected')).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({ rule: 'prompt-fallback', status: 'firing', httpStatus: 404, attempts: 1 }),
      }),
    ]);
    clock = new Date(base + minute);
    await manager.evaluate();
    expect(hook.requests).toHaveLength(1);
    expect(manager.status()[0]).toMatchObject({ state: 'firing', pendingNotifications: 0 });
  });

  it('a 429 is retried like a 5xx', async () => {
    const hook = await receiver((index) => (index === 0 ? 429 : 204));
    const { manager } = createManager({ webhook: { url: hook.url, backoffMs: 0 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    expect(hook.requests).toHaveLength(2);
    expect(manager.deliveryFailures).toBe(0);
  });

  it('webhook down for every retry: logged, counted, delivered once at a later evaluation', async () => {
    // retries 2 → 3 attempts per evaluation, all 503; from then on 200.
    const hook = await receiver((index) => (index < 3 ? 503 : 200));
    const { manager, messages } = createManager({ webhook: { url: hook.url, retries: 2, backoffMs: 20 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    const fired = await manager.evaluate();
    expect(fired).toHaveLength(1);
    expect(hook.requests).toHaveLength(3);
    // Backoff doubles: ≥ 20 ms, then ≥ 40 ms.
    expect(hook.requests[1].receivedAt - hook.requests[0].receivedAt).toBeGreaterThanOrEqual(15);
    expect(hook.requests[2].receivedAt - hook.requests[1].receivedAt).toBeGreaterThanOrEqual(35);
    expect(manager.deliveryFailures).toBe(1);
    expect(messages('alert notification failed')).toEqual([
      expect.objectContaining({
        level: 'error',
        fields: expect.objectContaining({
          rule: 'prompt-fallback',
          id: 'episode-1',
          status: 'firing',
          attempts: 3,
          httpStatus: 503,
          error: 'HTTP 503',
          webhook: hook.origin,
        }),
      }),
    ]);
    expect(manager.status()[0]).toMatchObject({ state: 'firing', pendingNotifications: 1 });

    // Still firing: no new transition, but the pending firing message goes out now, once.
    clock = new Date(base + minute);
    expect(await manager.evaluate()).toEqual([]);
    expect(hook.requests).toHaveLength(4);
    expect(hook.requests[3].body).toMatchObject({ status: 'firing', id: 'episode-1', evaluatedAt: at(0) });
    expect(manager.status()[0].pendingNotifications).toBe(0);
    clock = new Date(base + 2 * minute);
    await manager.evaluate();
    expect(hook.requests).toHaveLength(4);
    expect(manager.deliveryFailures).toBe(1);

    pastWindow();
    await manager.evaluate();
    const delivered = hook.requests.filter((request, index) => index >= 3).map((request) => request.body.status);
    expect(delivered).toEqual(['firing', 'resolved']);
  });

  it('an episode that fired and resolved while the webhook was down is delivered later as firing, then resolved', async () => {
    const hook = await receiver(() => 503);
    const { manager } = createManager({ webhook: { url: hook.url, retries: 0 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    pastWindow();
    await manager.evaluate();
    expect(manager.deliveryFailures).toBe(2);
    // The resolved message is not tried before its firing message went through.
    expect(hook.requests.map((request) => request.body.status)).toEqual(['firing', 'firing']);
    expect(manager.status()[0]).toMatchObject({ state: 'ok', pendingNotifications: 2 });

    hook.setPlan(() => 200);
    clock = new Date(clock.getTime() + minute);
    expect(await manager.evaluate()).toEqual([]);
    expect(hook.requests.slice(2).map((request) => [request.body.status, request.body.id])).toEqual([
      ['firing', 'episode-1'],
      ['resolved', 'episode-1'],
    ]);
    expect(manager.status()[0].pendingNotifications).toBe(0);
  });

  it('keeps at most maxPendingNotifications per rule while the webhook is down, dropping the oldest', async () => {
    const hook = await receiver(() => 503);
    const { manager, messages } = createManager(
      { webhook: { url: hook.url, retries: 0 }, rules: [fallbackRule] },
      { maxPendingNotifications: 2 },
    );
    await fallbackRequest('r1');
    await manager.evaluate(); // firing episode-1
    pastWindow();
    await manager.evaluate(); // resolved episode-1
    await fallbackRequest('r2');
    await manager.evaluate(); // firing episode-2: the queue overflows
    expect(manager.droppedNotifications).toBe(1);
    expect(messages('alert notification dropped')).toEqual([
      expect.objectContaining({ fields: expect.objectContaining({ id: 'episode-1', status: 'firing' }) }),
    ]);
    hook.setPlan(() => 200);
    const before = hook.requests.length;
    await manager.evaluate();
    expect(hook.requests.slice(before).map((request) => [request.body.status, request.body.id])).toEqual([
      ['resolved', 'episode-1'],
      ['firing', 'episode-2'],
    ]);
  });

  it('never logs the webhook URL or its credentials; sends userinfo as Basic auth', async () => {
    const hook = await receiver(() => 500);
    const secretUrl = hook.origin.replace('http://', 'http://alert-user:pa55-SECRET-word@') + '/hooks/tok-SECRET-path?token=SECRET-query';
    const { manager, entries } = createManager({ webhook: { url: secretUrl, retries: 1, backoffMs: 0 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    await manager.evaluate();
    expect(hook.requests).toHaveLength(2);
    expect(hook.requests[0].url).toBe('/hooks/tok-SECRET-path?token=SECRET-query');
    expect(hook.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('alert-user:pa55-SECRET-word').toString('base64')}`);
    expect(entries.some((entry) => entry.message === 'alert notification failed' && entry.fields.webhook === hook.origin)).toBe(true);

    // A connection error (nothing listening) must not leak it either.
    await hook.close();
    clock = new Date(base + minute);
    await manager.evaluate();
    const failures = entries.filter((entry) => entry.message === 'alert notification failed');
    expect(failures).toHaveLength(2);
    expect(failures[1].fields.httpStatus).toBeNull();
    expect(String(failures[1].fields.error)).toMatch(/ECONNREFUSED|fetch failed/);
    const text = JSON.stringify(entries);
    expect(text).not.toContain('SECRET');
    expect(text).not.toContain('/hooks/');
  });

  it('a rule whose query fails logs a warning, keeps its state, and evaluate does not throw', async () => {
    const failing = await createPgliteDriver({ datasourceId: 'app', url: 'pglite:memory' });
    const failingStore = new LocalSpanStore(await failing.kysely());
    await failingStore.migrate();
    await failingStore.insert([
      root({ traceId: 'r1', start: -minute, datasource: 'shop', label: 'production', attributes: { promptIsFallback: true } }),
    ]);
    const hook = await receiver();
    const { manager, messages } = createManager({ webhook: { url: hook.url }, rules: [fallbackRule] }, { store: failingStore });
    expect(await manager.evaluate()).toHaveLength(1);
    await failing.close();

    pastWindow();
    await expect(manager.evaluate()).resolves.toEqual([]);
    expect(messages('alert rule evaluation failed')).toEqual([
      expect.objectContaining({ level: 'warn', fields: expect.objectContaining({ rule: 'prompt-fallback', state: 'firing' }) }),
    ]);
    expect(manager.status()[0]).toMatchObject({ state: 'firing', episodeId: 'episode-1', evaluatedAt: at(0) });
    expect(manager.status()[0].lastError).toEqual(expect.any(String));
    expect(messages('alert resolved')).toEqual([]);
    expect(hook.requests.map((request) => request.body.status)).toEqual(['firing']);

    // The timer path does not throw either.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    manager.start();
    vi.advanceTimersByTime(60_000);
    await manager.stop();
    expect(messages('alert rule evaluation failed')).toHaveLength(2);
  });

  it('joins a concurrent evaluation instead of running a second one', async () => {
    const hook = await receiver();
    const { manager, messages } = createManager({ webhook: { url: hook.url }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    const first = manager.evaluate();
    const second = manager.evaluate();
    expect(second).toBe(first);
    const [a, b] = await Promise.all([first, second]);
    expect(a).toHaveLength(1);
    expect(b).toBe(a);
    expect(messages('alert firing')).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    // Once it is done, the next call runs a fresh evaluation.
    expect(manager.evaluate()).not.toBe(first);
  });

  it('start() evaluates every evaluationIntervalMs; stop() ends it', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { manager, messages } = createManager({ evaluationIntervalMs: 30_000, rules: [fallbackRule] });
    await fallbackRequest('r1');
    manager.start();
    manager.start();
    vi.advanceTimersByTime(29_999);
    await manager.stop();
    expect(manager.status()[0].evaluatedAt).toBeNull();
    manager.start();
    vi.advanceTimersByTime(30_000);
    await vi.waitFor(() => expect(messages('alert firing')).toHaveLength(1));
    await manager.stop();
    expect(manager.status()[0].state).toBe('firing');
    vi.advanceTimersByTime(300_000);
    expect(manager.status()[0].evaluatedAt).toBe(at(0));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('close() waits for a delivery under way', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hook = await receiver(() => 200);
    let fetchStarted = false;
    const slowFetch: typeof fetch = async (input, init) => {
      fetchStarted = true;
      await gate;
      return fetch(input, init);
    };
    const logs = capturingLogger();
    const manager = new AlertManager({
      store,
      config: { webhook: { url: hook.url }, rules: [fallbackRule] },
      logger: logs.logger,
      now: () => clock,
      fetch: slowFetch,
    });
    await fallbackRequest('r1');
    const evaluation = manager.evaluate();
    // Close once the attempt is under way (before that, close() would stop it from starting).
    await vi.waitFor(() => expect(fetchStarted).toBe(true));
    let closed = false;
    const closing = manager.close().then(() => {
      closed = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(false);
    release();
    await closing;
    expect(hook.requests).toHaveLength(1);
    expect(await evaluation).toHaveLength(1);
    expect(logs.messages('alert notification delivered')).toHaveLength(1);
    expect(logs.messages('alert notifications not delivered before shutdown')).toEqual([]);
    expect(await manager.evaluate()).toEqual([]);
  });

  it('close() cuts retry backoff short and logs what was not delivered', async () => {
    const hook = await receiver(() => 503);
    const { manager, messages } = createManager({ webhook: { url: hook.url, retries: 5, backoffMs: 30_000 }, rules: [fallbackRule] });
    await fallbackRequest('r1');
    const evaluation = manager.evaluate();
    await vi.waitFor(() => expect(hook.requests).toHaveLength(1));
    const started = Date.now();
    await manager.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await evaluation).toHaveLength(1);
    expect(hook.requests).toHaveLength(1);
    expect(messages('alert notifications not delivered before shutdown')).toEqual([
      expect.objectContaining({ level: 'warn', fields: { count: 1, rules: ['prompt-fallback'] } }),
    ]);
  });

  it('without a webhook, transitions are only logged', async () => {
    const { manager, entries } = createManager({ rules: [fallbackRule] });
    await fallbackRequest('r1');
    expect(await manager.evaluate()).toHaveLength(1);
    expect(manager.status()[0].pendingNotifications).toBe(0);
    expect(entries.map((entry) => entry.message)).toEqual(['alert firing']);
  });
});

describe('alerts config schema', () => {
  const issuesOf = (input: unknown) => {
    const result = alertsConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    return result.error!.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  };

  it('applies the documented defaults', () => {
    expect(alertsConfigSchema.parse({})).toEqual({ evaluationIntervalMs: 60_000, rules: [] });
    const parsed = alertsConfigSchema.parse({
      webhook: { url: 'https://hooks.example.com/alerts' },
      rules: [
        { name: 'slow', kind: 'latency', thresholdMs: 5000 },
        { name: 'errors', kind: 'error_rate', threshold: 0.1 },
        { name: 'spend', kind: 'daily_cost', thresholdUsd: 20 },
        { name: 'cache', kind: 'cache_hit_rate', threshold: 0.3 },
        { name: 'fallback', kind: 'fallback_prompt' },
      ],
    });
    expect(parsed.webhook).toEqual({ url: 'https://hooks.example.com/alerts', timeoutMs: 5000, retries: 3, backoffMs: 500 });
    expect(parsed.rules).toEqual([
      { name: 'slow', kind: 'latency', statistic: 'p95', thresholdMs: 5000, windowMs: 300_000, minRequests: 5 },
      { name: 'errors', kind: 'error_rate', threshold: 0.1, windowMs: 300_000, minRequests: 10 },
      { name: 'spend', kind: 'daily_cost', thresholdUsd: 20, windowMs: 86_400_000 },
      { name: 'cache', kind: 'cache_hit_rate', threshold: 0.3, windowMs: 300_000, minRequests: 10 },
      { name: 'fallback', kind: 'fallback_prompt', windowMs: 300_000 },
    ]);
  });

  it('rejects duplicate rule names, naming both', () => {
    const issues = issuesOf({
      rules: [
        { name: 'slow', kind: 'latency', thresholdMs: 5000 },
        { name: 'errors', kind: 'error_rate', threshold: 0.1 },
        { name: 'slow', kind: 'latency', statistic: 'mean', thresholdMs: 2000 },
      ],
    });
    expect(issues).toEqual([
      { path: 'rules.2.name', message: 'rule name "slow" is already used by rules.0.name; rule names must be unique' },
    ]);
    const parse = () =>
      parseAlertsConfig({
        rules: [
          { name: 'a', kind: 'fallback_prompt' },
          { name: 'a', kind: 'fallback_prompt' },
        ],
      });
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      'Invalid alerts configuration: rules.1.name: rule name "a" is already used by rules.0.name; rule names must be unique',
    );
  });

  it('rejects bad thresholds and settings with messages naming the field', () => {
    expect(issuesOf({ rules: [{ name: 'e', kind: 'error_rate', threshold: 1.5 }] })).toEqual([
      { path: 'rules.0.threshold', message: 'threshold must be a share from 0 to 1' },
    ]);
    expect(issuesOf({ rules: [{ name: 'c', kind: 'cache_hit_rate', threshold: -0.1 }] })).toEqual([
      { path: 'rules.0.threshold', message: 'threshold must be a share from 0 to 1' },
    ]);
    expect(issuesOf({ rules: [{ name: 'l', kind: 'latency', thresholdMs: 0 }] })).toEqual([
      { path: 'rules.0.thresholdMs', message: 'thresholdMs must be greater than 0' },
    ]);
    expect(issuesOf({ rules: [{ name: 'l', kind: 'latency', thresholdMs: 10, statistic: 'p99' }] })).toEqual([
      { path: 'rules.0.statistic', message: "statistic must be 'mean' or 'p95'" },
    ]);
    expect(issuesOf({ rules: [{ name: 'd', kind: 'daily_cost', thresholdUsd: -1 }] })).toEqual([
      { path: 'rules.0.thresholdUsd', message: 'thresholdUsd must be 0 or more' },
    ]);
    expect(issuesOf({ rules: [{ name: 'd', kind: 'daily_cost' }] })[0].path).toBe('rules.0.thresholdUsd');
    expect(issuesOf({ rules: [{ name: 'e', kind: 'error_rate', threshold: 0.1, minRequests: 0 }] })).toEqual([
      { path: 'rules.0.minRequests', message: 'minRequests must be at least 1' },
    ]);
    expect(issuesOf({ rules: [{ name: 'f', kind: 'fallback_prompt', windowMs: 10 }] })).toEqual([
      { path: 'rules.0.windowMs', message: 'windowMs must be at least 1000 (1 second)' },
    ]);
    expect(issuesOf({ rules: [{ name: 'x', kind: 'p99_latency' }] })[0]).toEqual({
      path: 'rules.0.kind',
      message: "kind must be one of 'latency', 'error_rate', 'daily_cost', 'cache_hit_rate', 'fallback_prompt'",
    });
    expect(issuesOf({ rules: [{ name: 'f', kind: 'fallback_prompt', threshold: 1 }] })[0].path).toBe('rules.0');
    expect(issuesOf({ webhook: { url: 'ftp://hooks.example.com/x' } })).toEqual([
      { path: 'webhook.url', message: 'webhook.url must be an http:// or https:// URL' },
    ]);
    expect(issuesOf({ webhook: { url: 'https://hooks.example.com', retries: -1 } })).toEqual([
      { path: 'webhook.retries', message: 'webhook.retries must be 0 or more' },
    ]);
    expect(issuesOf({ evaluationIntervalMs: 10 })).toEqual([
      { path: 'evaluationIntervalMs', message: 'evaluationIntervalMs must be at least 1000' },
    ]);
    expect(
      () =>
        new AlertManager({
          store: undefined as never,
          logger: capturingLogger().logger,
          config: { rules: [{ name: 'e', kind: 'error_rate', threshold: 2 }] },
        }),
    ).toThrow(/rules\.0\.threshold: threshold must be a share from 0 to 1/);
  });
});
