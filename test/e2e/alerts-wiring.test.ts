import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { listenOnLoopback, readBody } from '../support/http-helpers.ts';

describe('alert rules in the running service: config → traced requests → evaluation → webhook', () => {
  let app: App;
  let dir: string;
  let webhook: Awaited<ReturnType<typeof listenOnLoopback>>;
  const received: Array<{ status: string; rule: string; value: number }> = [];
  const logLines: string[] = [];

  beforeAll(async () => {
    webhook = await listenOnLoopback(async (request, response) => {
      received.push(JSON.parse(await readBody(request)));
      response.writeHead(204).end();
    });
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-alerts-'));
    // The webhook from the environment, the rules from a config file (here, overrides).
    expect(loadConfig({ env: { SQLAGENT_ALERT_WEBHOOK_URL: `${webhook.base}/hook` } }).alerts.webhook?.url).toBe(`${webhook.base}/hook`);
    const config = loadConfig({
      env: {},
      overrides: {
        dataDir: dir,
        datasources: [],
        alerts: {
          evaluationIntervalMs: 1000,
          webhook: { url: `${webhook.base}/hook` },
          rules: [{ name: 'failing', kind: 'error_rate', threshold: 0.5, minRequests: 2 }],
        },
      },
    });
    app = createApp(config, { logger: createLogger('info', (line) => logLines.push(line)) });
  });
  afterAll(async () => {
    await app?.close();
    webhook?.server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fires once on failing requests, from the traces the service recorded itself', async () => {
    app.startBackgroundTasks();
    await vi.waitFor(() => expect(app.alerts()).not.toBeNull(), { timeout: 20_000 });
    for (let index = 0; index < 3; index += 1) {
      await expect(app.queries.ask({ datasource: 'nowhere', question: 'How many regions are there?' })).rejects.toMatchObject({
        code: 'datasource_not_found',
      });
    }
    await app.tracing.forceFlush();
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000, interval: 200 });
    expect(received[0]).toMatchObject({ status: 'firing', rule: 'failing', value: 1 });
    expect(logLines.some((line) => line.includes('alert firing') && line.includes('failing'))).toBe(true);
    // Still failing on the next evaluations: no second notice.
    await app.alerts()!.evaluate();
    await app.alerts()!.evaluate();
    expect(received).toHaveLength(1);
  }, 40_000);

  it('refuses alert rules when local traces are off (there would be nothing to evaluate)', () => {
    expect(() =>
      loadConfig({ env: { SQLAGENT_LOCAL_TRACES: 'false' }, overrides: { alerts: { rules: [{ name: 'x', kind: 'fallback_prompt' }] } } }),
    ).toThrow(ConfigError);
  });
});
