import { countTokens as referenceCount } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { OfflineChatModel, maxQuestionChars } from '../../src/llm/offline/offline-chat-model.ts';
import { estimateTokens, exactTokenChars } from '../../src/text/index.ts';

describe('bounded work on unbounded input (issue 13, item 1)', () => {
  it('counts tokens exactly up to the bound and estimates beyond it at the rate of the counted part', () => {
    const short = 'How many orders were placed per month in 2024? '.repeat(100);
    expect(short.length).toBeLessThan(exactTokenChars);
    expect(estimateTokens(short)).toEqual({ tokens: referenceCount(short), exact: true });
    const long = 'How many orders were placed per month in 2024? '.repeat(2000);
    const estimate = estimateTokens(long);
    expect(estimate.exact).toBe(false);
    const reference = referenceCount(long);
    expect(Math.abs(estimate.tokens - reference) / reference).toBeLessThan(0.01);
  });

  it('declines a question longer than it reads, without parsing it, and says its usage is estimated', async () => {
    const model = new OfflineChatModel();
    const question = `How many orders ${'and '.repeat(maxQuestionChars * 2)}?`;
    const response = await model.generate({ messages: [{ role: 'user', content: question }] });
    expect(response.message.toolCalls).toEqual([]);
    expect(response.message.content).toMatch(new RegExp(`question is ${question.length} characters long.*up to ${maxQuestionChars}`));
    // Longer than the tokenizer counts whole, too.
    expect(question.length).toBeGreaterThan(exactTokenChars);
    expect(response.usage.estimated).toBe(true);
    // A question within the bound is read (its first step is a metadata search) and counted exactly.
    const read = await model.generate({ messages: [{ role: 'user', content: 'How many orders are there?' }] });
    expect(read.message.toolCalls[0]?.name).toBe('search_metadata');
    expect(read.usage.estimated).toBe(false);
  });
});
