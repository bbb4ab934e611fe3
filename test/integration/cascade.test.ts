import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { DbAgent, type CascadeSettings } from '../../src/agent/index.ts';
import { DatasourceRegistry, datasourceConfigSchema } from '../../src/datasource/index.ts';
import { AgentFailedError, BudgetExceededError, ModelUnavailableError } from '../../src/errors/index.ts';
import {
  createTierProvider,
  defaultModelPrices,
  type ChatModel,
  type GenerateRequest,
  type GenerateResponse,
} from '../../src/llm/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { OpenAiTestServer, serverErrorStep } from '../support/openai-server.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';

const prompts = new PromptService(new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
  experiments: [],
  defaultLabel: 'production',
});
const limits = {
  maxSteps: 3,
  maxQuestionChars: 2000,
  maxToolOutputChars: 8000,
  maxTotalTokens: 60_000,
  rowsShownToModel: 20,
  defaultRowLimit: 100,
};
const price = (input: number, output: number, model: string) =>
  (input * defaultModelPrices[model].inputPerMillion + output * defaultModelPrices[model].outputPerMillion) / 1e6;

/** A tier whose API is down: every call fails as the OpenAI client would after its retries. */
class UnavailableModel implements ChatModel {
  readonly provider = 'test';
  calls = 0;
  constructor(readonly modelId: string) {}
  async generate(_request: GenerateRequest): Promise<GenerateResponse> {
    this.calls += 1;
    throw new ModelUnavailableError(`The model ${this.modelId} is unavailable (HTTP 503): overloaded`, {
      model: this.modelId,
      status: 503,
    });
  }
}

describe('the model cascade (scripted tiers, PGlite)', () => {
  let opened: OpenedTarget;
  let registry: DatasourceRegistry;
  const strongAnswer = () =>
    new ScriptedChatModel(
      [finalAnswer('SELECT COUNT(*) AS regions FROM regions', 'There are 12 regions.', { inputTokens: 2000, outputTokens: 50 })],
      'gpt-4o',
    );
  const agent = (cheap: ChatModel, strong: ChatModel, cascade: CascadeSettings = {}) =>
    new DbAgent({
      datasources: registry,
      prompts,
      tiers: () => [
        { name: 'cheap', model: cheap },
        { name: 'strong', model: strong },
      ],
      cascade,
      limits,
      prices: defaultModelPrices,
    });

  beforeAll(async () => {
    opened = await dialectTargets()[0].open('shop');
    // Only the directory is used; the registry opens the one PGlite instance on it.
    await opened.datasource.close();
    registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: opened.url, today: '2025-07-01' })], {
      introspectionTtlMs: 60_000,
      sampleBudgetMs: 0,
    });
  });
  afterAll(async () => {
    await registry?.closeAll();
    await opened?.close();
  });

  const reasons: Array<[string, () => ChatModel]> = [
    ['model_unavailable', () => new UnavailableModel('gpt-4o-mini')],
    [
      'model_declined',
      () =>
        new ScriptedChatModel([
          { content: 'No idea.', usage: { inputTokens: 1000, outputTokens: 5 } },
          { content: 'Still no idea.', usage: { inputTokens: 1000, outputTokens: 5 } },
        ]),
    ],
    [
      'final_sql_failed',
      () =>
        new ScriptedChatModel([
          finalAnswer('DROP TABLE regions', 'Done.', { inputTokens: 1000, outputTokens: 5 }),
          finalAnswer('SELECT nope FROM regions', 'Done.', { inputTokens: 1000, outputTokens: 5 }),
          finalAnswer('SELECT 1; SELECT 2', 'Done.', { inputTokens: 1000, outputTokens: 5 }),
        ]),
    ],
    [
      'step_budget_exhausted',
      () => new ScriptedChatModel(() => callTool('search_metadata', { query: 'regions' }, { inputTokens: 1000, outputTokens: 5 })),
    ],
    [
      'validator_rejected',
      () =>
        new ScriptedChatModel([
          finalAnswer('SELECT COUNT(*) AS regions FROM regions WHERE 1 = 0 HAVING COUNT(*) > 0', 'None.', {
            inputTokens: 1000,
            outputTokens: 5,
          }),
        ]),
    ],
  ];

  it.each(reasons)('escalates once on %s, the strong tier answers, and attempts and costs add up', async (reason, makeCheap) => {
    const cheap = makeCheap();
    const strong = strongAnswer();
    const result = await agent(cheap, strong).ask({ datasource: 'shop', question: 'How many regions are there?' });
    expect(result).toMatchObject({ tier: 'strong', model: 'gpt-4o', rows: [[12]] });
    expect(result.attempts.map((attempt) => [attempt.tier, attempt.outcome, attempt.reason])).toEqual([
      ['cheap', 'escalated', reason],
      ['strong', 'answered', null],
    ]);
    expect(result.attempts[0].message).toBeTruthy();
    const cheapCalls = reason === 'model_unavailable' ? 0 : (cheap as ScriptedChatModel).calls.length;
    const cheapCost = price(1000 * cheapCalls, 5 * cheapCalls, 'gpt-4o-mini');
    expect(result.attempts[0].costUsd).toBeCloseTo(cheapCost, 12);
    expect(result.costUsd).toBeCloseTo(cheapCost + price(2000, 50, 'gpt-4o'), 12);
    expect(result.usage['gpt-4o']).toMatchObject({ inputTokens: 2000, outputTokens: 50, calls: 1 });
    if (cheapCalls) expect(result.usage['gpt-4o-mini']).toMatchObject({ inputTokens: 1000 * cheapCalls, calls: cheapCalls });
  });

  it('fails with every attempt listed when all tiers fail', async () => {
    const declines = () => new ScriptedChatModel([{ content: 'No.' }, { content: 'No.' }]);
    const error = await agent(new UnavailableModel('gpt-4o-mini'), declines())
      .ask({ datasource: 'shop', question: 'How many regions?' })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(AgentFailedError);
    expect(error.message).toMatch(/No tier gave a usable answer: cheap: model_unavailable \(.*\); strong: model_declined/);
    expect(error.details.attempts.map((attempt: { tier: string }) => attempt.tier)).toEqual(['cheap', 'strong']);
    // Every tier down is an outage, reported as such (503), still listing the attempts.
    const outage = await agent(new UnavailableModel('gpt-4o-mini'), new UnavailableModel('gpt-4o'))
      .ask({ datasource: 'shop', question: 'How many regions?' })
      .catch((caught) => caught);
    expect(outage).toBeInstanceOf(ModelUnavailableError);
    expect(outage.message).toMatch(/No model tier is available: cheap: model_unavailable .*; strong: model_unavailable/);
    expect(outage.details.attempts).toHaveLength(2);
  });

  it('stops escalating at the cost budget, naming it', async () => {
    const cheap = new ScriptedChatModel(() => callTool('search_metadata', { query: 'regions' }, { inputTokens: 100_000, outputTokens: 0 }));
    const strong = strongAnswer();
    const error = await agent(cheap, strong, { maxCostUsd: 0.01 })
      .ask({ datasource: 'shop', question: 'How many regions?' })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.message).toMatch(
      /cost budget of \$0\.0100 \(cascade\.maxCostUsd\) was spent after 1 attempt \(\$0\.0150\); not escalating to strong/,
    );
    expect(strong.calls).toHaveLength(0);
    expect(
      (
        await agent(new UnavailableModel('x'), strongAnswer(), { maxAttempts: 1 })
          .ask({ datasource: 'shop', question: 'How many regions?' })
          .catch((caught) => caught)
      ).details.attempts,
    ).toHaveLength(1);
  });

  it('keeps a doubted answer when the budget leaves no room for another tier, and treats an unknown price as spent', async () => {
    const pricey = new ScriptedChatModel([
      finalAnswer("SELECT name FROM regions WHERE country = 'Atlantis'", 'None.', { inputTokens: 100_000, outputTokens: 0 }),
    ]);
    const strong = strongAnswer();
    const kept = await agent(pricey, strong, { maxCostUsd: 0.01 }).ask({ datasource: 'shop', question: 'Which regions are in Atlantis?' });
    expect(kept).toMatchObject({ tier: 'cheap', rows: [], warnings: [expect.stringMatching(/asks for a list/)] });
    expect(strong.calls).toHaveLength(0);

    const unpriced = new ScriptedChatModel(() => callTool('search_metadata', { query: 'regions' }), 'my-local-model');
    const error = await agent(unpriced, strongAnswer(), { maxCostUsd: 1 })
      .ask({ datasource: 'shop', question: 'How many regions?' })
      .catch((caught) => caught);
    expect(error).toBeInstanceOf(BudgetExceededError);
    expect(error.message).toMatch(/an unknown amount \(a model without a price in llm\.prices\)/);
  });

  it('routes complex questions straight to the strong tier when enabled, and records it', async () => {
    const cheap = new ScriptedChatModel([]);
    const question = 'Compare the average order value per customer segment than last year for each region, except cancelled orders';
    const result = await agent(cheap, strongAnswer(), { complexityRouting: { enabled: true, threshold: 4, startTier: 1 } }).ask({
      datasource: 'shop',
      question,
    });
    expect(result.tier).toBe('strong');
    expect(result.complexity).toMatchObject({ startTier: 1 });
    expect(result.complexity!.score).toBeGreaterThanOrEqual(4);
    expect(cheap.calls).toHaveLength(0);
    const simple = await agent(new ScriptedChatModel([finalAnswer('SELECT COUNT(*) FROM regions', '12.')]), strongAnswer(), {
      complexityRouting: { enabled: true, threshold: 4, startTier: 1 },
    }).ask({ datasource: 'shop', question: 'How many regions?' });
    expect(simple).toMatchObject({ tier: 'cheap', complexity: { startTier: 0 } });
  });

  it('accepts a validator-doubted answer from the last tier, with a warning', async () => {
    const empty = () => new ScriptedChatModel([finalAnswer("SELECT name FROM regions WHERE country = 'Atlantis'", 'None.')]);
    const result = await agent(empty(), empty()).ask({ datasource: 'shop', question: 'Which regions are in Atlantis?' });
    expect(result).toMatchObject({
      tier: 'strong',
      rows: [],
      warnings: [expect.stringMatching(/asks for a list but the result is empty/)],
    });
    expect(result.attempts.map((attempt) => attempt.reason)).toEqual(['validator_rejected', null]);
  });

  it('skips a tier found down until its cool-down ends, and ends on the offline model when configured last (issue 13, item 5)', async () => {
    const llm = await OpenAiTestServer.start({ apiKey: 'sk-test' });
    llm.respond(() => serverErrorStep({ message: 'overloaded' }));
    onTestFinished(() => llm.close());
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
    const agent = new DbAgent({ datasources: registry, prompts, tiers, limits: { ...limits, maxSteps: 8 }, prices: defaultModelPrices });
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
