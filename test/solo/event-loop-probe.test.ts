import type { Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createHttpApp } from '../../src/http/index.ts';
import { OfflineChatModel } from '../../src/llm/offline/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';
import { listenOnLoopback } from '../support/http-helpers.ts';
import { adminToken, probes, send } from '../support/hostile-http.ts';

describe('no request holds the event loop', () => {
  let app: App;
  let server: Server;
  let base: string;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-probe-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    const config = loadConfig({
      env: { SQLAGENT_ADMIN_TOKEN: adminToken },
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        knowledge: { directory: path.join(dir, 'knowledge') },
      },
    });
    app = createApp(config, { logger: createLogger('silent') });
    ({ server, base } = await listenOnLoopback(createHttpApp(app, { chatCompletionsModel: new OfflineChatModel() })));
    // Open the datasource, its schema and the trace store before measuring: start-up is not a request.
    await app.datasources.schema('shop');
    await app.traceStore();
  });
  afterAll(async () => {
    server?.close();
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps the event-loop delay under 100 ms at p99 while 8 clients send maximum-size hostile bodies to every route', async () => {
    const all = probes();
    // One unmeasured pass first: the first request down each path loads modules on demand (under vitest,
    // transformed on the spot) and compiles code, once per process; that is start-up, not a request
    // holding the loop. Measured alone on an idle machine, the first question took 59-111 ms of the loop
    // this way, the same question afterwards 14.
    for (const probe of all) await send(base, probe);
    const histogram = monitorEventLoopDelay({ resolution: 10 });
    const statuses = new Map<number, number>();
    let next = 0;
    // Three passes, so the 99th percentile rests on a few hundred 10 ms samples, not on the one or two
    // largest of a short run.
    const passes = 3;
    const client = async () => {
      while (next < all.length * passes) {
        const probe = all[next++ % all.length];
        const status = await send(base, probe);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    histogram.enable();
    await Promise.all(Array.from({ length: 8 }, client));
    histogram.disable();

    // Each sample is the time between two ticks of a 10 ms timer: 10 ms when nothing held the loop.
    const p99Ms = histogram.percentile(99) / 1e6;
    const maxMs = histogram.max / 1e6;
    // Every probe was answered (no cut socket), and none failed inside (no 500).
    expect(statuses.get(0) ?? 0, JSON.stringify([...statuses])).toBe(0);
    expect(statuses.get(500) ?? 0, JSON.stringify([...statuses])).toBe(0);
    expect(p99Ms, `p99 ${p99Ms.toFixed(1)} ms, max ${maxMs.toFixed(1)} ms over ${all.length * passes} requests`).toBeLessThan(100);
  }, 300_000);
});
