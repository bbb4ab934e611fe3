import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import { copyTemplate } from '../support/global-setup.ts';

// `serve` warms every datasource as it opens and `ask` the one it asks: the knowledge is parsed and checked
// against the schema before the first question, which then finds it checked.
describe('app.warm readies a datasource before its first question (PGlite shop)', () => {
  let dir: string;
  let app: App;
  const lines: Array<Record<string, unknown>> = [];
  /** The PGlite shop and the knowledge folder of this test. */
  const shopConfig = () =>
    loadConfig({
      env: {},
      overrides: {
        dataDir: dir,
        datasources: [{ id: 'shop', url: `pglite:${path.join(dir, 'shop')}`, today: '2025-07-01' }],
        knowledge: { directory: path.join(dir, 'knowledge') },
      },
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-warm-'));
    await copyTemplate(inject('testEnvironment').pgliteTemplates.shop, path.join(dir, 'shop'));
    await mkdir(path.join(dir, 'knowledge'));
    // One entry that fits the schema and one that does not: the check logs the second.
    await writeFile(
      path.join(dir, 'knowledge', 'shop.yaml'),
      'glossary:\n  - term: buyers\n    table: customers\n  - term: gadgets\n    table: gizmos\n',
    );
    app = createApp(shopConfig(), { logger: createLogger('warn', (line) => lines.push(JSON.parse(line))) });
  });
  afterAll(async () => {
    await app?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('checks the knowledge once, at warm-up, and never for an unknown datasource', async () => {
    await expect(app.warm('warehouse')).resolves.toBeUndefined();
    expect(app.datasources.openState('shop').state).toBe('closed');
    await app.warm('shop');
    expect(app.datasources.openState('shop').state).toBe('open');
    const leftOut = lines.filter((line) => line.message === 'knowledge entries left out: they do not fit the live schema');
    expect(leftOut).toHaveLength(1);
    expect(JSON.stringify(leftOut[0].problems)).toMatch(/gadgets.*gizmos/);
    // The question reuses the checked knowledge: nothing is checked (nor logged) again.
    const result = await app.queries.ask({ datasource: 'shop', question: 'How many buyers are there?', cache: 'bypass' });
    expect(result.rows).toEqual([[2000]]);
    expect(lines.filter((line) => line.message === 'knowledge entries left out: they do not fit the live schema')).toHaveLength(1);
    // The parsed file is kept for the next process, under the data directory.
    expect((await readdir(path.join(dir, 'knowledge-cache'))).filter((name) => name.endsWith('.json'))).toHaveLength(1);
    // The service records its questions in its metrics.
    expect(await app.metrics.exposition()).toMatch(/sqlagent_request_duration_seconds_count\{[^}]*outcome="answered"[^}]*\} 1/);
  });

  it('a one-shot app (recordMetrics false) records no metrics of its questions, and still has metrics to read', async () => {
    await app.close();
    const oneShot = createApp(shopConfig(), { recordMetrics: false, logger: createLogger('warn', () => undefined) });
    try {
      const result = await oneShot.queries.ask({ datasource: 'shop', question: 'How many buyers are there?', cache: 'bypass' });
      expect(result.rows).toEqual([[2000]]);
      const exposition = await oneShot.metrics.exposition();
      expect(exposition).toContain('sqlagent_request_duration_seconds');
      expect(exposition).not.toMatch(/outcome="answered"/);
    } finally {
      await oneShot.close();
    }
  });

  it('a warm-up that close overtakes ends quietly: no error logged, nothing left running', async () => {
    const logged: Array<Record<string, unknown>> = [];
    // The first app holds the PGlite directory: close it, then warm a second app and close it at once.
    await app.close();
    const second = createApp(shopConfig(), { logger: createLogger('warn', (line) => logged.push(JSON.parse(line))) });
    const warming = second.warm('shop');
    await second.close();
    await warming;
    expect(logged.filter((line) => line.level === 'error')).toEqual([]);
  });
});
