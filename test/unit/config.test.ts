import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.ts';
import { ConfigError } from '../../src/errors/index.ts';

describe('loadConfig', () => {
  it('starts the embedded demo with no config at all', () => {
    const config = loadConfig({ env: {} });
    expect(config.server).toEqual({
      host: '127.0.0.1',
      port: 8080,
      bodyLimit: '100kb',
      offlineModelEndpoint: false,
      requestTimeoutMs: 60_000,
      shutdownGraceMs: 20_000,
      apiKeys: [],
      corsOrigins: [],
      rateLimit: { requestsPerMinute: 120, dailySpendUsd: null },
      console: true,
    });
    expect(config.llm.provider).toBe('offline');
    expect(config.prompts.source).toBe('local');
    expect(config.datasources.map((entry) => [entry.id, entry.url, entry.fixture])).toEqual([
      ['shop', 'pglite:.data/shop', 'shop'],
      ['clinic', 'pglite:.data/clinic', 'clinic'],
    ]);
    expect(config.datasources[0]).toMatchObject({ rowCap: 1000, statementTimeoutMs: 10_000, sampleValues: true, poolSize: 5 });
  });

  it('chooses the OpenAI-compatible model and the Langfuse store when their keys are set', () => {
    const config = loadConfig({
      env: { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', LANGFUSE_PUBLIC_KEY: 'pk', LANGFUSE_SECRET_KEY: 'sk' },
    });
    expect(config.llm).toMatchObject({ provider: 'openai', baseUrl: 'http://127.0.0.1:11434/v1', maxRetries: 3 });
    expect(config.prompts.source).toBe('langfuse');
    expect(() => loadConfig({ env: { PROMPT_SOURCE: 'langfuse' } })).toThrow(/LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY/);
  });

  it('turns the web console off with server.console: false, and accepts only a boolean', () => {
    expect(loadConfig({ env: {}, overrides: { server: { console: false } } }).server.console).toBe(false);
    expect(() => loadConfig({ env: {}, overrides: { server: { console: 'no' } } })).toThrow(/console/);
  });

  it('is frozen', () => {
    const config = loadConfig({ env: {} });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.datasources[0])).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('reads the environment: PORT, data dir, and DATASOURCE_<ID>_URL adding or replacing datasources', () => {
    const config = loadConfig({
      env: {
        PORT: '9090',
        SQLAGENT_DATA_DIR: '/var/lib/sqlagent',
        DATASOURCE_SHOP_URL: 'postgres://reader:secret@db:5432/shop',
        DATASOURCE_HR_URL: 'mysql://reader@db/hr',
      },
    });
    expect(config.server.port).toBe(9090);
    const shop = config.datasources.find((entry) => entry.id === 'shop')!;
    expect(shop.url).toBe('postgres://reader:secret@db:5432/shop');
    expect(shop.fixture).toBeUndefined();
    expect(config.datasources.find((entry) => entry.id === 'clinic')!.url).toBe('pglite:/var/lib/sqlagent/clinic');
    expect(config.datasources.find((entry) => entry.id === 'hr')!.url).toBe('mysql://reader@db/hr');
  });

  it('reads a YAML file, and environment wins over it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-config-'));
    const file = path.join(dir, 'config.yaml');
    await writeFile(
      file,
      'server:\n  port: 7000\ndatasources:\n  - id: warehouse\n    url: postgres://127.0.0.1/warehouse\n    rowCap: 50\n',
    );
    const config = loadConfig({ file, env: { PORT: '7001' } });
    expect(config.server.port).toBe(7001);
    expect(config.datasources).toHaveLength(1);
    expect(config.datasources[0]).toMatchObject({ id: 'warehouse', rowCap: 50, statementTimeoutMs: 10_000 });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ DATASOURCE_X_URL: 'ftp://nowhere' }, /datasources\.2\.url: the url must start with/],
    [{ SQLAGENT_LOG_LEVEL: 'loud' }, /logLevel/],
  ])('names the bad field: %o', (env, message) => {
    expect(() => loadConfig({ env })).toThrow(ConfigError);
    expect(() => loadConfig({ env })).toThrow(message);
  });

  it('rejects unknown keys, duplicate ids, a bad row cap, and an unreadable or malformed file', async () => {
    expect(() => loadConfig({ env: {}, overrides: { sever: {} } })).toThrow(/Unrecognized key.*sever|sever/);
    expect(() =>
      loadConfig({
        env: {},
        overrides: {
          datasources: [
            { id: 'a', url: 'pglite:memory' },
            { id: 'a', url: 'pglite:memory' },
          ],
        },
      }),
    ).toThrow(/"a" appears twice/);
    expect(() => loadConfig({ env: {}, overrides: { datasources: [{ id: 'a', url: 'pglite:memory', rowCap: 0 }] } })).toThrow(
      /datasources\.0\.rowCap/,
    );
    expect(() => loadConfig({ env: {}, file: '/nonexistent/config.json' })).toThrow(/Cannot read the config file/);
    const dir = await mkdtemp(path.join(tmpdir(), 'sqlagent-config-'));
    await writeFile(path.join(dir, 'bad.json'), '{"server": ');
    expect(() => loadConfig({ env: {}, file: path.join(dir, 'bad.json') })).toThrow(/is not valid/);
  });
});
