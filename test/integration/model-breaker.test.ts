import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbAgent } from '../../src/agent/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { createTierProvider, defaultModelPrices } from '../../src/llm/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { OpenAiTestServer, serverErrorStep } from '../support/openai-server.ts';

describe('a model tier that is down is skipped for a while, and the offline model can be the last tier (issue 13, item 5)', () => {
  let opened: OpenedTarget;
  let registry: DatasourceRegistry;
  let llm: OpenAiTestServer;

  beforeAll(async () => {
    llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    llm.respond(() => serverErrorStep({ message: 'overloaded' }));
    opened = await dialectTargets()[0].open('shop');
    await opened.datasource.close();
    registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: opened.url, today: '2025-07-01' })], {
      introspectionTtlMs: 60_000,
      sampleBudgetMs: 0,
    });
  });
  afterAll(async () => {
    await registry?.closeAll();
    await opened?.close();
    await llm?.close();
  });

  it('asks a failed tier again only after the cool-down; meanwhile the cascade goes straight to the next tier', async () => {
    let clock = 5_000_000;
    const tiers = createTierProvider(
      {
        provider: 'openai',
        apiKey: 'sk-test',
        baseUrl: llm.baseUrl,
        timeoutMs: 5000,
        maxRetries: 0,
        breakerCooldownMs: 30_000,
        now: () => clock,
      },
      [
        { name: 'cheap', model: 'gpt-4o-mini' },
        { name: 'offline', provider: 'offline' },
      ],
    );
    const agent = new DbAgent({
      datasources: registry,
      prompts: new PromptService(new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
        experiments: [],
        defaultLabel: 'production',
      }),
      tiers,
      limits: {
        maxSteps: 8,
        maxQuestionChars: 2000,
        maxToolOutputChars: 8000,
        maxTotalTokens: 60_000,
        rowsShownToModel: 20,
        defaultRowLimit: 100,
      },
      prices: defaultModelPrices,
    });
    const ask = () => agent.ask({ datasource: 'shop', question: 'How many regions are there?' });

    const first = await ask();
    expect(first).toMatchObject({ tier: 'offline', rows: [[12]] });
    expect(first.attempts.map((attempt) => [attempt.tier, attempt.reason])).toEqual([
      ['cheap', 'model_unavailable'],
      ['offline', null],
    ]);
    expect(llm.requests).toHaveLength(1);

    clock += 29_000;
    const second = await ask();
    expect(second).toMatchObject({ tier: 'offline', rows: [[12]] });
    expect(second.attempts[0]).toMatchObject({ tier: 'cheap', reason: 'model_unavailable' });
    expect(second.attempts[0].message).toMatch(/was unavailable moments ago; it is skipped until/);
    expect(llm.requests).toHaveLength(1);

    clock += 2_000;
    await ask();
    expect(llm.requests).toHaveLength(2);
  });
});
