import { describe, expect, it } from 'vitest';
import { writeAnswer } from '../../src/llm/offline/answer-writer.ts';
import type { Execution } from '../../src/llm/offline/conversation-reader.ts';

const execution = (rowCount: number, truncated: boolean): Execution => ({
  sql: 'SELECT name FROM customers ORDER BY name LIMIT 100',
  error: null,
  columns: ['name'],
  rows: Array.from({ length: rowCount }, (_, index) => [`Customer ${index + 1}`]),
  rowCount,
  truncated,
});

describe("the offline model's answer sentence", () => {
  it('never lets a cut result read as the whole of it', () => {
    const cut = writeAnswer('Which customers are there?', null, execution(100, true));
    expect(cut).toMatch(
      /^The query returned 100 rows: Customer 1, .* and more\. These are the first 100 rows; there are or may be more\.$/,
    );
    const whole = writeAnswer('Which customers are there?', null, execution(12, false));
    expect(whole).not.toMatch(/may be more/);
  });
});
