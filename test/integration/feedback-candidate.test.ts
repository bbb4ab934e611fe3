import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config/index.ts';
import { createLogger } from '../../src/logging/index.ts';
import type { GenerateRequest } from '../../src/llm/index.ts';
import { rejectionOf } from '../support/rejection.ts';
import { finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { shopWorkspace, type ShopWorkspace } from '../support/shop-workspace.ts';

/** The SQL the scripted model answers each question with. */
const answers: Record<string, string> = {
  'How many regions are there?': 'SELECT COUNT(*) AS regions FROM regions',
  'Which regions are in Germany?': "SELECT name FROM regions WHERE country = 'DE' ORDER BY name",
  'How many customers are in segment zero?': 'SELECT nothing_here FROM customers',
};

/** A model that answers the question of the conversation with its SQL from `answers`, at once. */
const scriptedModel = () =>
  new ScriptedChatModel((request: GenerateRequest) => {
    const question = String(request.messages.find((message) => message.role === 'user')?.content ?? '');
    const sql = Object.entries(answers).find(([known]) => question.includes(known))?.[1];
    if (!sql) throw new Error(`no scripted answer for: ${question}`);
    return finalAnswer(sql, 'Scripted answer.');
  });

describe('positive feedback files a candidate example (a real app: PGlite shop, local span store)', () => {
  let app: App;
  let workspace: ShopWorkspace;
  let knowledgeFile: string;
  const logLines: string[] = [];

  beforeAll(async () => {
    workspace = await shopWorkspace('feedback-candidate');
    knowledgeFile = workspace.knowledgeFile;
    const config = loadConfig({
      env: {},
      overrides: {
        dataDir: workspace.dir,
        knowledge: { directory: workspace.knowledgeDir },
        datasources: [{ id: 'shop', url: workspace.shopUrl, today: '2025-07-01' }],
        agent: { maxSteps: 2 },
      },
    });
    app = createApp(config, { logger: createLogger('info', (line) => logLines.push(line)), models: () => scriptedModel() });
  });
  afterAll(async () => {
    await app?.close();
    await workspace?.remove();
  });

  const ask = (question: string) => app.queries.ask({ datasource: 'shop', question, cache: 'bypass' });
  const candidates = () => app.knowledge.listExamples({ id: 'shop', config: {} }, 'candidate');
  const logged = (message: string) => logLines.map((line) => JSON.parse(line)).filter((entry) => entry.message === message);

  it('score 1 files the question and final SQL as a candidate with its trace as source; the verified library is untouched', async () => {
    const answered = await ask('How many regions are there?');
    const verifiedBefore = await app.knowledge.listExamples({ id: 'shop', config: {} }, 'verified');
    const result = await app.recordFeedback({ traceId: answered.traceId, score: 1 });
    expect(result.local).toMatchObject({ traceId: answered.traceId, score: 1 });
    expect(result.candidate).toEqual({ id: 'how-many-regions-are-there', datasource: 'shop' });
    expect(await candidates()).toEqual([
      {
        id: 'how-many-regions-are-there',
        question: 'How many regions are there?',
        sql: answers['How many regions are there?'],
        status: 'candidate',
        source: `feedback:${answered.traceId}`,
      },
    ]);
    expect(await app.knowledge.listExamples({ id: 'shop', config: {} }, 'verified')).toEqual(verifiedBefore);
    expect(logged('positive feedback filed a candidate example')).toEqual([
      expect.objectContaining({ traceId: answered.traceId, example: 'how-many-regions-are-there' }),
    ]);
    expect(await readFile(knowledgeFile, 'utf8')).toMatch(/^# Business knowledge for the `shop` datasource/);
  });

  it('a score below 1 files nothing', async () => {
    const answered = await ask('Which regions are in Germany?');
    const before = await readFile(knowledgeFile, 'utf8');
    for (const score of [0, 0.5, -1]) {
      const result = await app.recordFeedback({ traceId: answered.traceId, score });
      expect(result.local).toMatchObject({ score });
      expect(result).not.toHaveProperty('candidate');
    }
    expect(await readFile(knowledgeFile, 'utf8')).toBe(before);
  });

  it('a question already in the library is skipped, reported and logged, and the feedback still stands', async () => {
    const again = await ask('How many regions are there?');
    const before = await readFile(knowledgeFile, 'utf8');
    const result = await app.recordFeedback({ traceId: again.traceId, score: 1, comment: 'right again' });
    expect(result.local).toMatchObject({ traceId: again.traceId, score: 1, comment: 'right again' });
    expect(result.candidate).toEqual({
      skipped: expect.stringContaining('already has this question as example "how-many-regions-are-there"'),
    });
    expect(await readFile(knowledgeFile, 'utf8')).toBe(before);
    expect(logged('positive feedback filed no candidate example')).toContainEqual(
      expect.objectContaining({ level: 'warn', traceId: again.traceId, reason: expect.stringContaining('already has this question') }),
    );
  });

  it('a trace without an answer (the SQL failed) files nothing and says why', async () => {
    const failure = await rejectionOf(ask('How many customers are in segment zero?'));
    const traceId = String(failure.details?.traceId);
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const result = await app.recordFeedback({ traceId, score: 1 });
    expect(result.local).toMatchObject({ traceId });
    expect(result.candidate).toEqual({ skipped: 'the trace holds no answered question with its SQL' });
    expect((await candidates()).map((example) => example.id)).toEqual(['how-many-regions-are-there']);
  });

  it('an unknown trace is still trace_not_found, before any candidate is looked for', async () => {
    const error = await rejectionOf(app.recordFeedback({ traceId: 'f'.repeat(32), score: 1 }));
    expect(error.code).toBe('trace_not_found');
  });
});
