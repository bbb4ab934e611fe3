import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbAgent, type AskRequest } from '../../src/agent/index.ts';
import { DatasourceRegistry, datasourceConfigSchema, type SchemaMeta } from '../../src/datasource/index.ts';
import { AgentFailedError, ForbiddenError, InvalidInputError } from '../../src/errors/index.ts';
import { tableChecksums } from '../../src/fixtures/index.ts';
import { singleModelTiers, defaultModelPrices, type ChatModel } from '../../src/llm/index.ts';
import { LocalPromptStore, PromptService } from '../../src/prompts/index.ts';
import { dialectTargets, type OpenedTarget } from '../support/dialects.ts';
import { callTool, finalAnswer, ScriptedChatModel } from '../support/scripted-chat-model.ts';
import { shippedLabels } from '../support/shipped-labels.ts';

const prompts = new PromptService(new LocalPromptStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
  experiments: [],
  defaultLabel: 'production',
});
const limits = {
  maxSteps: 8,
  maxQuestionChars: 2000,
  maxToolOutputChars: 8000,
  maxTotalTokens: 60_000,
  rowsShownToModel: 20,
  defaultRowLimit: 100,
  parallelToolCalls: false,
};

for (const target of dialectTargets()) {
  describe.skipIf(target.skipReason !== null)(`the DB agent on ${target.name}`, () => {
    let opened: OpenedTarget;
    let registry: DatasourceRegistry;
    let meta: SchemaMeta;
    const agentWith = (model: ChatModel, overrides: Partial<typeof limits> = {}) =>
      new DbAgent({
        datasources: registry,
        prompts,
        tiers: singleModelTiers(() => model),
        limits: { ...limits, ...overrides },
        prices: defaultModelPrices,
      });
    const ask = (model: ChatModel, question = 'How many customers live in Germany?', extra: Partial<AskRequest> = {}) =>
      agentWith(model).ask({ datasource: 'shop', question, ...extra });

    beforeAll(async () => {
      opened = await target.open('shop');
      // Only the database is used; the registry opens its own connection (PGlite is one process's).
      await opened.datasource.close();
      registry = new DatasourceRegistry([datasourceConfigSchema.parse({ id: 'shop', url: opened.url, today: '2025-07-01' })], {
        introspectionTtlMs: 60_000,
        sampleBudgetMs: 5000,
      });
      meta = await registry.schema('shop');
    });
    afterAll(async () => {
      await registry?.closeAll();
      await opened?.close();
    });

    it('runs the full loop: search, show, execute, final answer; and records how it got there', async () => {
      const model = new ScriptedChatModel([
        callTool('search_metadata', { query: 'Germany customers' }, { inputTokens: 1200, outputTokens: 20 }),
        callTool('show_table', { table: 'customers' }, { inputTokens: 1500, outputTokens: 15 }),
        callTool(
          'execute_sql',
          { sql: "SELECT COUNT(*) AS customers FROM customers WHERE country = 'Germany'" },
          { inputTokens: 2000, outputTokens: 30 },
        ),
        finalAnswer("SELECT COUNT(*) AS customers FROM customers WHERE country = 'Germany'", '383 customers live in Germany.', {
          inputTokens: 2100,
          outputTokens: 40,
        }),
      ]);
      const result = await ask(model);
      expect(result).toMatchObject({
        answer: '383 customers live in Germany.',
        rows: [[383]],
        truncated: false,
        label: 'production',
        promptVersion: shippedLabels.production,
        routing: { reason: 'default' },
        model: 'gpt-4o-mini',
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(result.columns.map((column) => column.name)).toEqual(['customers']);
      expect(result.steps.map((step) => [step.tool, step.error])).toEqual([
        ['search_metadata', null],
        ['show_table', null],
        ['execute_sql', null],
        ['final_answer', null],
      ]);
      expect(result.steps[0].summary).toMatch(/customers\.country/);
      expect(result.steps[2]).toMatchObject({ rowCount: 1 });
      // Token and cost sums are exact.
      expect(result.usage).toEqual({
        'gpt-4o-mini': { inputTokens: 6800, outputTokens: 105, calls: 4, estimated: false, costUsd: (6800 * 0.15 + 105 * 0.6) / 1e6 },
      });
      expect(result.costUsd).toBeCloseTo((6800 * 0.15 + 105 * 0.6) / 1e6, 12);
      expect(result.latency.llmMs).toBe(20);
      // What the model saw: the compiled prompt, the question, the tools, one call at a time.
      const [first, second] = model.calls;
      expect(first.messages[0]).toMatchObject({ role: 'system' });
      expect(first.messages[0].content).toContain('Today is 2025-07-01.');
      expect(first.messages[1]).toEqual({ role: 'user', content: 'How many customers live in Germany?' });
      expect(first.tools!.map((tool) => tool.name)).toEqual(['search_metadata', 'show_table', 'execute_sql', 'final_answer']);
      expect(first.tools![2].parameters).toMatchObject({ type: 'object', properties: { sql: { type: 'string' } }, required: ['sql'] });
      expect(first.parallelToolCalls).toBe(false);
      const searchResult = JSON.parse(second.messages[3].content as string);
      expect(searchResult.hits).toContainEqual(
        expect.objectContaining({
          table: 'customers',
          column: 'country',
          reasons: expect.arrayContaining([expect.stringMatching(/sample value "Germany"/)]),
        }),
      );
    });

    it('with parallel tool calls allowed, runs every call of a turn in order and answers each by its id', async () => {
      const model = new ScriptedChatModel([
        {
          toolCalls: [
            { name: 'search_metadata', arguments: { query: 'Germany customers' } },
            { name: 'show_table', arguments: { table: 'customers' } },
          ],
        },
        callTool('execute_sql', { sql: "SELECT COUNT(*) AS n FROM customers WHERE country = 'Germany'" }),
        finalAnswer("SELECT COUNT(*) AS n FROM customers WHERE country = 'Germany'", 'Some customers live in Germany.'),
      ]);
      const result = await agentWith(model, { parallelToolCalls: true }).ask({
        datasource: 'shop',
        question: 'How many customers live in Germany?',
      });
      expect(model.calls[0].parallelToolCalls).toBe(true);
      expect(result.steps.map((step) => step.tool)).toEqual(['search_metadata', 'show_table', 'execute_sql', 'final_answer']);
      // The second call saw both results, each answering its own call.
      const results = model.calls[1].messages.filter((message) => message.role === 'tool');
      expect(results.map((message) => message.toolCallId)).toEqual(['call_1_1', 'call_1_2']);
      expect(JSON.parse(results[1].content as string).name).toMatch(/(^|\.)customers$/);
      expect(result.usage['gpt-4o-mini'].calls).toBe(3);
    });

    it('a final answer inside a turn of several calls ends the loop when its SQL runs, and is answered like any call when it fails', async () => {
      const sql = "SELECT COUNT(*) AS n FROM customers WHERE country = 'Germany'";
      const answered = new ScriptedChatModel([
        {
          toolCalls: [
            { name: 'execute_sql', arguments: { sql } },
            { name: 'final_answer', arguments: { sql, answer: 'Counted.', explanation: 'x' } },
          ],
        },
      ]);
      const result = await agentWith(answered, { parallelToolCalls: true }).ask({
        datasource: 'shop',
        question: 'How many customers live in Germany?',
      });
      expect(result.sql).toBe(sql);
      expect(result.steps.map((step) => step.tool)).toEqual(['execute_sql', 'final_answer']);

      const retried = new ScriptedChatModel([
        {
          toolCalls: [
            { name: 'final_answer', arguments: { sql: 'SELECT nope FROM customers', answer: 'x', explanation: 'x' } },
            { name: 'show_table', arguments: { table: 'customers' } },
          ],
        },
        finalAnswer(sql, 'Counted.'),
      ]);
      const second = await agentWith(retried, { parallelToolCalls: true }).ask({
        datasource: 'shop',
        question: 'How many customers live in Germany?',
      });
      expect(second.sql).toBe(sql);
      // Both calls of the first turn were answered, the failed final answer with what failed.
      const results = retried.calls[1].messages.filter((message) => message.role === 'tool');
      expect(results).toHaveLength(2);
      expect(JSON.parse(results[0].content as string).error).toMatch(/The final SQL failed/);
    });

    it('runs at most 8 calls of one turn; the rest are answered with an error, not run', async () => {
      const model = new ScriptedChatModel([
        {
          toolCalls: Array.from({ length: 10 }, (_, index) => ({
            name: 'show_table',
            arguments: { table: index % 2 ? 'orders' : 'customers' },
          })),
        },
        finalAnswer('SELECT COUNT(*) AS n FROM customers', 'Counted.'),
      ]);
      const result = await agentWith(model, { parallelToolCalls: true }).ask({
        datasource: 'shop',
        question: 'How many customers are there?',
      });
      expect(result.steps.filter((step) => step.tool === 'show_table')).toHaveLength(8);
      const results = model.calls[1].messages.filter((message) => message.role === 'tool');
      expect(results).toHaveLength(10);
      expect(results.slice(8).map((message) => JSON.parse(message.content as string).error)).toEqual([
        expect.stringMatching(/Not run: at most 8 tool calls/),
        expect.stringMatching(/Not run: at most 8 tool calls/),
      ]);
    });

    it("says when the rows stop at the default LIMIT, and only then: a smaller LIMIT is the question's own", async () => {
      const cut = 'SELECT id FROM order_items ORDER BY id LIMIT 100';
      const model = new ScriptedChatModel([callTool('execute_sql', { sql: cut }), finalAnswer(cut, 'The first order items.')]);
      const result = await ask(model, 'List the order items.');
      expect(result).toMatchObject({ truncated: true });
      expect(result.rows).toHaveLength(100);
      expect(result.warnings).toContain("The rows stop at the SQL's LIMIT 100, the default row limit: there may be more.");
      // What the model read after execute_sql said so too.
      const toolResult = JSON.parse(String(model.calls[1].messages.at(-1)?.content));
      expect(toolResult).toMatchObject({
        truncated: true,
        note: expect.stringMatching(/stopped at its LIMIT 100, the default row limit, so there may be more rows/),
      });

      for (const [sql, rows] of [
        ['SELECT id FROM regions ORDER BY id LIMIT 100', 12],
        ['SELECT id FROM order_items ORDER BY id LIMIT 10', 10],
      ] as const) {
        const whole = await ask(new ScriptedChatModel([finalAnswer(sql, 'Rows.')]), 'List them.');
        expect(whole).toMatchObject({ truncated: false });
        expect(whole.rows).toHaveLength(rows);
        expect(whole.warnings).toEqual([]);
      }
    });

    it('counts the whole request in latency.totalMs, the schema, knowledge and prompt included', async () => {
      // The agent's clock, moved only by a prompt store that takes 150 ms to answer: the time before the
      // first model call is the request's too.
      let clock = 0;
      class SlowStore extends LocalPromptStore {
        override async get(...args: Parameters<LocalPromptStore['get']>) {
          clock += 150;
          return super.get(...args);
        }
      }
      const slowPrompts = new PromptService(new SlowStore({ directory: path.resolve(import.meta.dirname, '../../prompts') }), {
        experiments: [],
        defaultLabel: 'production',
      });
      const sql = 'SELECT COUNT(*) AS regions FROM regions';
      const result = await new DbAgent({
        datasources: registry,
        prompts: slowPrompts,
        tiers: singleModelTiers(() => new ScriptedChatModel([callTool('execute_sql', { sql }), finalAnswer(sql, 'There are 12 regions.')])),
        limits,
        prices: defaultModelPrices,
        now: () => clock,
      }).ask({ datasource: 'shop', question: 'How many regions are there?' });
      expect(result.rows).toEqual([[12]]);
      expect(result.latency.totalMs).toBeGreaterThanOrEqual(150);
    });

    it('feeds a failing SQL back so the model corrects itself', async () => {
      const model = new ScriptedChatModel([
        callTool('execute_sql', { sql: "SELECT COUNT(*) FROM orders WHERE state = 'cancelled'" }),
        callTool('execute_sql', { sql: "SELECT COUNT(*) AS cancelled FROM orders WHERE status = 'cancelled'" }),
        finalAnswer("SELECT COUNT(*) AS cancelled FROM orders WHERE status = 'cancelled'", 'Some orders were cancelled.'),
      ]);
      const result = await ask(model, 'How many orders were cancelled?');
      expect(result.steps[0].error).toMatch(/state/);
      const feedback = JSON.parse(model.calls[1].messages.at(-1)!.content as string);
      expect(feedback.error).toMatch(/state/);
      expect(result.steps[1].error).toBeNull();
      expect(Number(result.rows[0][0])).toBeGreaterThan(0);
    });

    it('rejects a hostile final SQL, reports it to the model, and changes nothing', async () => {
      const datasource = await registry.get('shop');
      const before = await tableChecksums(datasource, meta);
      const model = new ScriptedChatModel([
        finalAnswer('DROP TABLE orders', 'Done.'),
        finalAnswer('SELECT 1; DELETE FROM payments', 'Done.'),
        finalAnswer('WITH gone AS (DELETE FROM payments RETURNING id) SELECT COUNT(*) FROM gone', 'Done.'),
      ]);
      const error = await agentWith(model, { maxSteps: 3 })
        .ask({ datasource: 'shop', question: 'Clean up the orders' })
        .catch((caught) => caught);
      expect(error).toBeInstanceOf(AgentFailedError);
      expect(error.details.reason).toBe('final_sql_failed');
      expect(error.details.steps.map((step: { error: string }) => step.error)).toEqual([
        expect.stringMatching(/only reads/),
        expect.stringMatching(/exactly one statement/),
        expect.stringMatching(/data-modifying|statement/),
      ]);
      expect(JSON.parse(model.calls[1].messages.at(-1)!.content as string).error).toMatch(/final SQL failed: SQL rejected/);
      expect(await tableChecksums(datasource, meta)).toEqual(before);
    });

    it('answers bad tool arguments and unknown tools with errors the model can fix', async () => {
      const model = new ScriptedChatModel([
        { toolCalls: [{ name: 'execute_sql', arguments: '{"sql": "SELECT 1' }] },
        callTool('execute_sql', { query: 'SELECT 1' }),
        callTool('drop_everything', {}),
        finalAnswer('SELECT COUNT(*) AS regions FROM regions', 'There are 12 regions.'),
      ]);
      const result = await ask(model, 'How many regions are there?');
      expect(result.steps.map((step) => step.error)).toEqual([
        expect.stringMatching(/arguments of execute_sql are not valid JSON/),
        expect.stringMatching(/Invalid arguments for execute_sql: .*sql/),
        expect.stringMatching(/Unknown tool "drop_everything". Available tools: search_metadata, show_table, execute_sql, final_answer/),
        null,
      ]);
      expect(result.rows).toEqual([[12]]);
    });

    it('sends tool definitions without string length bounds, and still holds the arguments to them', async () => {
      const model = new ScriptedChatModel([
        callTool('search_metadata', { query: '' }),
        callTool('search_metadata', { query: 'x'.repeat(501) }),
        finalAnswer('SELECT COUNT(*) AS regions FROM regions', 'There are 12 regions.'),
      ]);
      const result = await ask(model, 'How many regions are there?');
      const sent = JSON.stringify(model.calls[0].tools);
      expect(sent).toContain('"required":["query"]');
      expect(sent).toContain('"maximum":25');
      expect(sent).not.toMatch(/minLength|maxLength/);
      expect(result.steps.map((step) => step.error)).toEqual([
        expect.stringMatching(/Invalid arguments for search_metadata: query: .*>=1/),
        expect.stringMatching(/Invalid arguments for search_metadata: query: .*<=500/),
        null,
      ]);
    });

    it('stops when the model keeps answering in prose instead of with final_answer', async () => {
      const model = new ScriptedChatModel([{ content: 'I would rather not.' }, { content: 'Still no.' }]);
      const error = await ask(model, 'How many regions?').catch((caught) => caught);
      expect(error.details.reason).toBe('model_declined');
      expect(error.message).toMatch(/The model gave no SQL: Still no\./);
      expect(model.calls[1].messages.at(-1)).toMatchObject({ role: 'user', content: expect.stringMatching(/final_answer/) });
    });

    it('gives up with a clear reason when the step budget is spent', async () => {
      const model = new ScriptedChatModel(() => callTool('search_metadata', { query: 'orders' }));
      const error = await agentWith(model, { maxSteps: 3 })
        .ask({ datasource: 'shop', question: 'Tell me about orders' })
        .catch((caught) => caught);
      expect(error).toBeInstanceOf(AgentFailedError);
      expect(error.details.reason).toBe('step_budget_exhausted');
      expect(error.message).toMatch(/within 3 model turns/);
      expect(model.calls).toHaveLength(3);
    });

    it('stops at the token budget, accepts a JSON final answer, and reports an unknown price as null', async () => {
      const spender = new ScriptedChatModel(() =>
        callTool('search_metadata', { query: 'orders' }, { inputTokens: 40_000, outputTokens: 0 }),
      );
      const spent = await agentWith(spender)
        .ask({ datasource: 'shop', question: 'orders?' })
        .catch((caught) => caught);
      expect(spent.details.reason).toBe('token_budget_exhausted');
      expect(spender.calls).toHaveLength(2);

      const json = new ScriptedChatModel(
        [{ content: '```json\n{"sql": "SELECT COUNT(*) FROM regions", "answer": "12 regions."}\n```' }],
        'my-local-llama',
      );
      const result = await ask(json, 'How many regions?');
      expect(result).toMatchObject({ answer: '12 regions.', rows: [[12]], model: 'my-local-llama', costUsd: null });
      expect(result.usage['my-local-llama'].costUsd).toBeNull();
    });

    it('validates the question and the label override', async () => {
      const model = new ScriptedChatModel([]);
      await expect(ask(model, '   ')).rejects.toThrow(InvalidInputError);
      await expect(ask(model, 'x'.repeat(2001))).rejects.toThrow(/2001 characters long; the limit is 2000/);
      await expect(ask(model, 'How many?', { label: 'staging' })).rejects.toThrow(ForbiddenError);
      await expect(ask(model, 'How many?', { datasource: 'nope' })).rejects.toThrow(/Unknown datasource "nope"/);
      const staged = new ScriptedChatModel([finalAnswer('SELECT 1 AS one', 'One.')]);
      expect(await ask(staged, 'One?', { label: 'staging', labelAllowed: true })).toMatchObject({
        label: 'staging',
        promptVersion: shippedLabels.staging,
        routing: { reason: 'override' },
      });
    });
  });
}
