import { describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../src/llm/chat-model.ts';
import { OfflineChatModel } from '../../src/llm/offline/offline-chat-model.ts';
import { withSearchedKnowledge } from '../../src/llm/offline/prompt-facts.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';

// A prompt may show only the glossary terms and metrics the question names, and say that search_metadata finds the
// others (v6 on). The offline model then takes what the search matched as a model would: a question whose word for
// a table is a synonym the prompt left out is answered, not declined. A garden centre of its own (no fixture).
const systemPrompt = [
  'Today is 2025-07-01.',
  '## Tables',
  'public: members(id, name, city, joined_on)',
  'The glossary and metrics below are those this question mentions; search_metadata finds the other 2.',
].join('\n');

const memberTable = {
  name: 'members',
  schema: 'public',
  comment: 'People with a loyalty card',
  columns: [
    { name: 'id', type: 'integer', family: 'integer', primaryKey: true },
    { name: 'name', type: 'text', family: 'text' },
    { name: 'city', type: 'text', family: 'text', sampleValues: ['Leeds', 'York'] },
    { name: 'joined_on', type: 'date', family: 'date', comment: 'Date the member joined.' },
  ],
  foreignKeys: [],
};

const conversation = (question: string, knowledge: unknown[]): ChatMessage[] => [
  { role: 'system', content: systemPrompt },
  { role: 'user', content: question },
  {
    role: 'assistant',
    content: null,
    toolCalls: [{ id: 'call_1', name: 'search_metadata', arguments: JSON.stringify({ query: 'gardeners Leeds', limit: 10 }) }],
  },
  { role: 'tool', toolCallId: 'call_1', content: JSON.stringify({ hits: [], knowledge }) },
  {
    role: 'assistant',
    content: null,
    toolCalls: [{ id: 'call_2', name: 'show_table', arguments: JSON.stringify({ table: 'public.members' }) }],
  },
  { role: 'tool', toolCallId: 'call_2', content: JSON.stringify(memberTable) },
];

const firstCall = async (messages: ChatMessage[]) => {
  const reply = await new OfflineChatModel().generate({ messages });
  return { call: reply.message.toolCalls[0], content: reply.message.content };
};

describe('the offline model and the knowledge search_metadata matched', () => {
  const gardeners = { kind: 'glossary' as const, name: 'member', meaning: 'table members', reason: 'synonym "gardeners" of "member"' };

  it('adds the matched term with the synonym that matched, and keeps the terms the prompt shows as they are', () => {
    const shown = [{ phrases: ['member', 'card holder'], meaning: { kind: 'table' as const, table: 'members' } }];
    const { glossary } = withSearchedKnowledge([], [], [gardeners]);
    expect(glossary).toEqual([{ phrases: ['member', 'gardeners'], meaning: { kind: 'table', table: 'members' } }]);
    expect(withSearchedKnowledge(shown, [], [gardeners]).glossary).toEqual(shown);
    const metric = {
      kind: 'metric' as const,
      name: 'member count',
      meaning: 'COUNT(members.id) over members',
      reason: 'metric "member count"',
    };
    expect(withSearchedKnowledge([], [], [metric]).metrics).toMatchObject([{ name: 'member count', table: 'members' }]);
    // A meaning it cannot read adds nothing.
    expect(withSearchedKnowledge([], [], [{ ...gardeners, meaning: 'something else' }]).glossary).toEqual([]);
  });

  it('answers with a synonym only the search found; without it the word is looked for among the values', async () => {
    const question = 'How many gardeners live in Leeds?';
    const answered = await firstCall(conversation(question, [gardeners]));
    expect(answered.call?.name).toBe('execute_sql');
    expect(JSON.parse(answered.call!.arguments).sql).toMatch(/^SELECT COUNT\(\*\) AS \w+ FROM members WHERE city = 'Leeds'/);
    // Without it, "gardeners" names nothing shown: the model looks for it among the values, and counts nothing.
    const unplaced = await firstCall(conversation(question, []));
    expect(unplaced.call?.name).toBe('execute_sql');
    expect(JSON.parse(unplaced.call!.arguments).sql).toMatch(/lookup_value .* LIKE '%gardener%'/);
    expect(JSON.parse(unplaced.call!.arguments).sql).not.toMatch(/COUNT/);
  });

  it("leaves the search's terms unread under a prompt that never mentions a glossary (as v2)", async () => {
    const plain = conversation('How many gardeners live in Leeds?', [gardeners]).map((message) =>
      message.role === 'system'
        ? { ...message, content: 'Today is 2025-07-01.\n## Tables\npublic: members(id, name, city, joined_on)' }
        : message,
    );
    const reply = await firstCall(plain);
    expect(reply.call?.arguments ?? '').not.toMatch(/COUNT/);
  });

  it('reads chat and business shorthand: "# of", "no. of", "ppl", "ytd", "qty", "amt"', () => {
    const read = (text: string) => wordsOf(text).map((word) => word.lower);
    expect(read('# of ppl in Leeds')).toEqual(['number', 'of', 'people', 'in', 'leeds']);
    expect(read('no. of loans ytd')).toEqual(['number', 'of', 'loans', 'this', 'year']);
    expect(read('total qty and amt month-to-date')).toEqual(['total', 'quantity', 'and', 'amount', 'this', 'month']);
    // Inside other words nothing changes.
    expect(read('mytd qtys')).toEqual(['mytd', 'qtys']);
  });
});
