import { describe, expect, it } from 'vitest';
import { questionKnowledge, type KnowledgePromptVariables } from '../../src/knowledge/index.ts';

const term = (name: string, synonyms: string[] = []): KnowledgePromptVariables['glossary'][number] => ({
  term: name,
  synonyms,
  meaning: `table ${name.replace(/\s+/g, '_')}`,
  description: 'A description long enough to cost a few tokens in the prompt, as real entries do.',
});
const metric = (name: string, synonyms: string[] = []): KnowledgePromptVariables['metrics'][number] => ({
  name,
  synonyms,
  expression: 'SUM(x)',
  table: 'orders',
  filters: [],
  time_column: null,
  meaning: 'SUM(x) over orders',
  description: '',
});

describe('the glossary and metrics a prompt shows for a question (issue 17: a prompt of constant size)', () => {
  const knowledge = {
    glossary: [
      term('physicians', ['docs', 'medical staff']),
      term('ward', ['unit']),
      term('no-show', ['missed visit']),
      term('new patient'),
      ...Array.from({ length: 60 }, (_, index) => term(`filler term ${index}`)),
    ],
    metrics: [metric('payroll', ['salary bill']), metric('no-show rate'), metric('average order value', ['aov'])],
  };

  it('shows every entry while they fit the budget', () => {
    const all = questionKnowledge(knowledge, 'How many physicians?', 100_000);
    expect(all).toMatchObject({ knowledge_omitted: 0, key: 'all' });
    expect(all.question_glossary).toHaveLength(knowledge.glossary.length);
  });

  it('beyond the budget, shows the entries the question mentions by a whole phrase (a one-letter typo allowed in long words)', () => {
    const shown = questionKnowledge(knowledge, 'What is the payroll per ward of the medical staff, and how many new patients?', 300);
    expect(shown.question_glossary.map((entry) => entry.term)).toEqual(['physicians', 'ward', 'new patient']);
    expect(shown.question_metrics.map((entry) => entry.name)).toEqual(['payroll']);
    expect(shown.knowledge_omitted).toBe(knowledge.glossary.length + knowledge.metrics.length - 4);
    // "patient" alone is not "new patient"; "missed" alone is not "missed visit".
    expect(questionKnowledge(knowledge, 'Which patient missed the bus?', 300).question_glossary).toEqual([]);
    // A typo of one letter in a long word still counts; in a short word it does not.
    expect(questionKnowledge(knowledge, 'How many physicans work here?', 300).question_glossary.map((entry) => entry.term)).toEqual([
      'physicians',
    ]);
    expect(questionKnowledge(knowledge, 'How many dogs?', 300).question_glossary).toEqual([]);
    // The choice is named, so the compiled prompt is kept per choice.
    expect(questionKnowledge(knowledge, 'payroll per ward', 300).key).not.toBe(
      questionKnowledge(knowledge, 'payroll per unit and aov', 300).key,
    );
    expect(questionKnowledge(knowledge, 'payroll per ward', 300).key).toBe(questionKnowledge(knowledge, 'ward payroll', 300).key);
  });

  it('finds a term made of stop words only ("no-show"), by all of its words', () => {
    const stopWordsOnly = { ...knowledge, glossary: [term('no show'), ...knowledge.glossary.slice(4)] };
    expect(
      questionKnowledge(stopWordsOnly, 'Which patients were a no show in March?', 300).question_glossary.map((entry) => entry.term),
    ).toEqual(['no show']);
    // Both words, not one of them.
    expect(questionKnowledge(stopWordsOnly, 'Show the departments', 300).question_glossary).toEqual([]);
    expect(questionKnowledge(stopWordsOnly, 'Departments with no doctors', 300).question_glossary).toEqual([]);
  });

  it('works a question out once: asked again (a cache hit), it gets the same choice without comparing any phrase', () => {
    const first = questionKnowledge(knowledge, 'What is the payroll per ward?', 300);
    expect(questionKnowledge(knowledge, 'What is the payroll per ward?', 300)).toBe(first);
    // Another budget is another choice.
    expect(questionKnowledge(knowledge, 'What is the payroll per ward?', 100_000)).not.toBe(first);
  });
});
