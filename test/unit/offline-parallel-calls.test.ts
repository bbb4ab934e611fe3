import { describe, expect, it } from 'vitest';
import type { ChatMessage, GenerateRequest } from '../../src/llm/chat-model.ts';
import { OfflineChatModel } from '../../src/llm/offline/offline-chat-model.ts';

// Every model turn re-sends the conversation, so a model allowed to call tools in parallel (OpenAI's
// parallel_tool_calls, `agent.parallelToolCalls`) looks at what it needs in fewer turns (issue 17).
const systemPrompt = [
  'Today is 2025-07-01.',
  '## Tables',
  'public: regions(id, name, country); customers(id, name, region_id); orders(id, customer_id, order_date)',
].join('\n');

const ask = (messages: ChatMessage[], parallelToolCalls: boolean) =>
  new OfflineChatModel().generate({ messages, parallelToolCalls } satisfies GenerateRequest);

const calls = (reply: Awaited<ReturnType<OfflineChatModel['generate']>>) =>
  reply.message.toolCalls.map((call) => [call.name, JSON.parse(call.arguments)]);

describe('the offline model with parallel tool calls', () => {
  it('searches alone in its first turn, parallel calls or not', async () => {
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: 'How many regions are there?' },
    ];
    for (const parallel of [true, false])
      expect(calls(await ask(messages, parallel))).toEqual([['search_metadata', { query: 'regions', limit: 10 }]]);
  });

  it('looks at every table the search linked in one turn, where it looked at one a turn', async () => {
    const hits = [
      { kind: 'column', schema: 'public', table: 'customers', column: 'country', score: 3, reasons: ['sample value "Canada"'] },
      { kind: 'table', schema: 'public', table: 'orders', score: 2, reasons: ['name matches "orders"'] },
    ];
    const messages: ChatMessage[] = [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: 'How many orders did customers in Canada place?' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [
          { id: 'call_1', name: 'search_metadata', arguments: JSON.stringify({ query: 'orders customers Canada place', limit: 10 }) },
        ],
      },
      { role: 'tool', toolCallId: 'call_1', content: JSON.stringify({ hits }) },
    ];
    const parallel = await ask(messages, true);
    expect(calls(parallel)).toEqual([
      ['show_table', { table: 'public.customers' }],
      ['show_table', { table: 'public.orders' }],
    ]);
    // Each call has its own id, as the tool results must answer each.
    expect(new Set(parallel.message.toolCalls.map((call) => call.id)).size).toBe(2);
    expect(calls(await ask(messages, false))).toEqual([['show_table', { table: 'public.customers' }]]);
  });
});
