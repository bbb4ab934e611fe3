import { describe, expect, it } from 'vitest';
import { chooseChart } from '../../console/src/ask/chart-rules.ts';
import { sideBySide } from '../../console/src/prompts/side-by-side.ts';
import { waterfallRows } from '../../console/src/trace/waterfall-rows.ts';

const column = (name: string, typeFamily: string) => ({ name, typeFamily });

describe("the console's chart rules: chosen from the result's shape, never by the model", () => {
  it('a category and a number is a bar chart, either way round', () => {
    expect(chooseChart([column('region', 'text'), column('revenue', 'decimal')], [['Europe', 10.5]])).toEqual({ kind: 'bar', x: 0, y: 1 });
    expect(chooseChart([column('orders', 'integer'), column('country', 'text')], [[3, 'France']])).toEqual({ kind: 'bar', x: 1, y: 0 });
  });

  it('a date, timestamp or month written as text, and a number, is a line chart', () => {
    expect(chooseChart([column('month', 'date'), column('orders', 'integer')], [['2024-01-01', 3]])).toMatchObject({ kind: 'line' });
    expect(chooseChart([column('at', 'timestamp'), column('total', 'decimal')], [['2024-01-01T00:00:00Z', 3]])).toMatchObject({
      kind: 'line',
    });
    expect(
      chooseChart(
        [column('month', 'text'), column('orders', 'integer')],
        [
          ['2024-01', 3],
          ['2024-02', 4],
        ],
      ),
    ).toMatchObject({ kind: 'line' });
  });

  it('two numbers are a scatter plot (big decimals arrive as strings), one number a big figure', () => {
    expect(chooseChart([column('price', 'decimal'), column('sold', 'integer')], [['12345678901234567.5', 3]])).toMatchObject({
      kind: 'scatter',
    });
    expect(chooseChart([column('count', 'integer')], [[383]])).toEqual({ kind: 'figure', value: 383, column: 0 });
  });

  it('anything else has no chart: no rows, three columns, one text value, two texts, a list of numbers', () => {
    expect(chooseChart([column('region', 'text'), column('revenue', 'decimal')], [])).toMatchObject({ kind: 'none' });
    expect(chooseChart([column('a', 'text'), column('b', 'integer'), column('c', 'integer')], [['x', 1, 2]])).toMatchObject({
      kind: 'none',
    });
    expect(chooseChart([column('name', 'text')], [['Ana']])).toMatchObject({ kind: 'none' });
    expect(chooseChart([column('first', 'text'), column('last', 'text')], [['Ana', 'Lee']])).toMatchObject({ kind: 'none' });
    expect(chooseChart([column('n', 'integer')], [[1], [2]])).toMatchObject({ kind: 'none' });
    expect(chooseChart([column('flag', 'boolean'), column('n', 'integer')], [[true, 2]])).toMatchObject({ kind: 'none' });
  });
});

describe("the console's trace waterfall layout", () => {
  const span = (spanId: string, name: string, kind: string, startMs: number, durationMs: number) => ({
    spanId,
    name,
    kind,
    startTime: new Date(Date.UTC(2025, 0, 1) + startMs).toISOString(),
    durationMs,
  });

  it('puts every span on one time axis, depth first, with its colour group', () => {
    const tree = {
      span: span('1', 'query', 'trace', 0, 100),
      children: [
        { span: span('2', 'prompt', 'span', 0, 10), children: [] },
        {
          span: span('3', 'tier:offline', 'span', 20, 80),
          children: [
            { span: span('4', 'generation', 'generation', 20, 30), children: [] },
            { span: span('5', 'tool:execute_sql', 'tool', 50, 50), children: [] },
          ],
        },
        { span: span('6', 'cache', 'span', 10, 0), children: [] },
      ],
    };
    const { rows, totalMs } = waterfallRows(tree);
    expect(totalMs).toBe(100);
    expect(rows.map((row) => [row.span.spanId, row.depth, row.group, row.offsetPercent, row.widthPercent])).toEqual([
      ['1', 0, 'trace', 0, 100],
      ['2', 1, 'prompt', 0, 10],
      ['3', 1, 'tier', 20, 80],
      ['4', 2, 'generation', 20, 30],
      ['5', 2, 'tool', 50, 50],
      ['6', 1, 'cache', 10, 0.3], // too short to see: a sliver
    ]);
  });
});

describe("the console's side-by-side prompt diff", () => {
  it('pairs removed and added runs, and keeps unchanged lines on both sides', () => {
    expect(sideBySide(['  same', '- old one', '- old two', '+ new one', '  tail', '+ added'])).toEqual([
      { left: 'same', right: 'same', change: 'same' },
      { left: 'old one', right: 'new one', change: 'changed' },
      { left: 'old two', right: null, change: 'removed' },
      { left: 'tail', right: 'tail', change: 'same' },
      { left: null, right: 'added', change: 'added' },
    ]);
  });
});
