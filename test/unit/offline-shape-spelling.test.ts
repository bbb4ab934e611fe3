import { describe, expect, it } from 'vitest';
import { withShapeSpelling } from '../../src/llm/offline/question-spelling.ts';
import { wordsOf } from '../../src/llm/offline/question-words.ts';

// Typos in the words a question's shape rests on, read as the words meant; the schema's own words have typo matching
// of their own in the linker.

describe('a typo in a word the shape of a question rests on', () => {
  it('is read as the word ("averge"), while other words and numbers stay as written', () => {
    const words = withShapeSpelling(wordsOf('averge amount per county in 2024, between 5 and 10'));
    expect(words.map((word) => word.lower)).toEqual(['average', 'amount', 'per', 'county', 'in', '2024', 'between', '5', 'and', '10']);
    expect(words.map((word) => word.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(withShapeSpelling(wordsOf('sales per district'))[2].lower).toBe('district');
  });
});
