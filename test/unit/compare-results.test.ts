import { describe, expect, it } from 'vitest';
import { compareResults, type CompareOptions } from '../../src/evals/compare/compare-results.ts';
import { toResultValue } from '../../src/evals/compare/result-value.ts';

/** One gold/predicted pair and the verdict the specification asks for. */
interface Pair {
  name: string;
  gold: unknown[][];
  predicted: unknown[][];
  /** Default false. */
  orderMatters?: boolean;
  equal: boolean;
}

/** Both row orders of the same pair: equal when order does not matter, `whenOrdered` when it does. */
function bothOrders(name: string, gold: unknown[][], predicted: unknown[][], whenOrdered: boolean): Pair[] {
  return [
    { name: `${name} (order ignored)`, gold, predicted, orderMatters: false, equal: true },
    { name: `${name} (order matters)`, gold, predicted, orderMatters: true, equal: whenOrdered },
  ];
}

/** An n × n cyclic Latin square: every column holds the same values 0…n−1, in a different pairing. */
function latinSquare(size: number): number[][] {
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, column) => (row + column) % size));
}
const reverseColumns = (rows: unknown[][]) => rows.map((row) => [...row].reverse());

const themes: Record<string, Pair[]> = {
  'column permutations': [
    {
      name: 'two columns swapped',
      gold: [
        [1, 'a'],
        [2, 'b'],
      ],
      predicted: [
        ['a', 1],
        ['b', 2],
      ],
      equal: true,
    },
    {
      name: 'two columns swapped, rows in the same order',
      gold: [
        [1, 'a'],
        [2, 'b'],
      ],
      predicted: [
        ['a', 1],
        ['b', 2],
      ],
      orderMatters: true,
      equal: true,
    },
    {
      name: 'two columns with the same multiset, different pairings',
      gold: [
        [1, 2],
        [2, 1],
      ],
      predicted: [
        [1, 1],
        [2, 2],
      ],
      equal: false,
    },
    {
      name: 'two numeric columns with equal multisets: only the second candidate column works',
      gold: [
        [1, 2, 'a'],
        [2, 1, 'b'],
      ],
      predicted: [
        ['a', 2, 1],
        ['b', 1, 2],
      ],
      equal: true,
    },
    {
      name: 'every column has the gold values, but neither numeric assignment pairs them as the gold does',
      gold: [
        [1, 2, 'a'],
        [2, 3, 'b'],
        [3, 1, 'c'],
      ],
      predicted: [
        ['a', 1, 3],
        ['b', 2, 1],
        ['c', 3, 2],
      ],
      equal: false,
    },
    {
      name: 'a duplicated column, moved',
      gold: [
        [1, 1, 2],
        [3, 3, 4],
      ],
      predicted: [
        [1, 2, 1],
        [3, 4, 3],
      ],
      equal: true,
    },
    {
      name: 'a duplicated column in the gold, distinct columns predicted',
      gold: [
        [1, 1],
        [2, 2],
      ],
      predicted: [
        [1, 2],
        [2, 1],
      ],
      equal: false,
    },
    {
      name: 'a column swap that also puts the rows in the gold order',
      gold: [
        [1, 2],
        [2, 1],
      ],
      predicted: [
        [2, 1],
        [1, 2],
      ],
      orderMatters: true,
      equal: true,
    },
    {
      name: 'columns equal only within the numeric tolerance, swapped',
      gold: [[1.0000001, 'x', 7]],
      predicted: [[7, 'x', 1]],
      equal: true,
    },
    { name: '5×5 Latin square with its columns reversed', gold: latinSquare(5), predicted: reverseColumns(latinSquare(5)), equal: true },
    // Eight columns with the same values: the matching permutation (0, 7, 6, …, 1) is the 5017th in lexicographic order.
    {
      name: '8×8 Latin square with its columns reversed (beyond 5000 blind permutations)',
      gold: latinSquare(8),
      predicted: reverseColumns(latinSquare(8)),
      equal: true,
    },
    {
      name: '8×8 Latin square with its columns reversed and one cell changed',
      gold: latinSquare(8),
      predicted: reverseColumns(latinSquare(8)).map((row, index) => (index === 3 ? [row[1], row[0], ...row.slice(2)] : row)),
      equal: false,
    },
  ],

  'duplicates (bags, not sets)': [
    { name: '[1, 1, 2] vs [1, 2, 2]', gold: [[1], [1], [2]], predicted: [[1], [2], [2]], equal: false },
    { name: 'a missing duplicate', gold: [[1], [1], [2]], predicted: [[1], [2]], equal: false },
    { name: 'an extra duplicate', gold: [[1], [2]], predicted: [[1], [1], [2]], equal: false },
    { name: 'the same duplicates', gold: [[1], [1]], predicted: [[1], [1]], equal: true },
    {
      name: 'duplicated rows, shuffled',
      gold: [
        ['a', 1],
        ['a', 1],
        ['b', 2],
      ],
      predicted: [
        ['b', 2],
        ['a', 1],
        ['a', 1],
      ],
      equal: true,
    },
    {
      name: 'the duplicate moved to another row',
      gold: [
        ['a', 1],
        ['a', 1],
        ['b', 2],
      ],
      predicted: [
        ['a', 1],
        ['b', 2],
        ['b', 2],
      ],
      equal: false,
    },
    {
      name: 'same set of rows, same column bags, different multiplicities',
      gold: [
        [1, 'a'],
        [1, 'b'],
        [2, 'a'],
        [2, 'b'],
        [1, 'a'],
        [2, 'b'],
      ],
      predicted: [
        [1, 'a'],
        [1, 'b'],
        [2, 'a'],
        [2, 'b'],
        [1, 'b'],
        [2, 'a'],
      ],
      equal: false,
    },
  ],

  NULLs: [
    { name: 'NULL vs NULL', gold: [[null]], predicted: [[null]], equal: true },
    { name: 'NULL vs undefined (a driver leaving the field out)', gold: [[null]], predicted: [[undefined]], equal: true },
    { name: 'NULL vs 0', gold: [[null]], predicted: [[0]], equal: false },
    { name: 'NULL vs the empty string', gold: [[null]], predicted: [['']], equal: false },
    { name: "NULL vs the text 'NULL'", gold: [[null]], predicted: [['NULL']], equal: false },
    { name: 'NULL vs false', gold: [[null]], predicted: [[false]], equal: false },
    {
      name: 'NULLs in different columns, columns swapped',
      gold: [
        [null, 1],
        [2, null],
      ],
      predicted: [
        [1, null],
        [null, 2],
      ],
      equal: true,
    },
    {
      name: 'rows that differ only after a NULL, shuffled',
      gold: [
        [null, 'a'],
        [null, 'b'],
      ],
      predicted: [
        [null, 'b'],
        [null, 'a'],
      ],
      equal: true,
    },
    { name: 'a NULL replaced by a value', gold: [[null], [1]], predicted: [[1], [1]], equal: false },
    { name: 'a row of NULL (an aggregate over no rows) vs no rows', gold: [[null]], predicted: [], equal: false },
  ],

  'mixed numeric types': [
    { name: "1 vs '1.00' (a decimal from the driver)", gold: [[1]], predicted: [['1.00']], equal: true },
    { name: '1 vs 1n', gold: [[1]], predicted: [[1n]], equal: true },
    { name: "'1e0' vs 1", gold: [['1e0']], predicted: [[1]], equal: true },
    { name: "'1.00' vs 1n", gold: [['1.00']], predicted: [[1n]], equal: true },
    { name: "'-1.5' vs -1.5", gold: [['-1.5']], predicted: [[-1.5]], equal: true },
    { name: "'0.000' vs 0", gold: [['0.000']], predicted: [[0]], equal: true },
    { name: '-0 vs 0', gold: [[-0]], predicted: [[0]], equal: true },
    { name: '2^53 + 1 as a string vs as a bigint', gold: [['9007199254740993']], predicted: [[9007199254740993n]], equal: true },
    {
      name: '2^64 − 1 as a string vs as a decimal string',
      gold: [['18446744073709551615']],
      predicted: [['18446744073709551615.000']],
      equal: true,
    },
    {
      name: 'big integers beyond 2^53 differing at 1e-4 relative',
      gold: [['9007199254740993']],
      predicted: [['9008199254740993']],
      equal: false,
    },
    { name: '0.1 + 0.2 vs 0.3', gold: [[0.1 + 0.2]], predicted: [[0.3]], equal: true },
    { name: "0.1 + 0.2 vs '0.3'", gold: [[0.1 + 0.2]], predicted: [['0.3']], equal: true },
    { name: "10/3 in doubles vs Postgres's 10-digit numeric", gold: [[10 / 3]], predicted: [['3.3333333333']], equal: true },
    { name: 'values 3e-7 apart relatively', gold: [[1234567.0]], predicted: [[1234567.4]], equal: true },
    { name: 'values 1e-5 apart relatively', gold: [[100000]], predicted: [[100001]], equal: false },
    { name: '1.23456789 vs 1.23456 (rounded to 5 decimals)', gold: [[1.23456789]], predicted: [[1.23456]], equal: false },
    { name: 'near-zero float noise: 0.1 + 0.2 − 0.3 vs 0', gold: [[0.1 + 0.2 - 0.3]], predicted: [[0]], equal: true },
    { name: 'near-zero: 1e-12 vs 0', gold: [[0]], predicted: [[1e-12]], equal: true },
    { name: 'near-zero: 1e-6 vs 0 is a real difference', gold: [[0]], predicted: [[1e-6]], equal: false },
    { name: '1 vs −1', gold: [[1]], predicted: [[-1]], equal: false },
    { name: 'integer division: 2 vs 2.5', gold: [[2.5]], predicted: [[2]], equal: false },
  ],

  'row order and ties': [
    ...bothOrders('three rows reversed', [[1], [2], [3]], [[3], [2], [1]], false),
    ...bothOrders(
      'tied rows in the other order',
      [
        ['a', 10],
        ['b', 10],
        ['c', 5],
      ],
      [
        ['b', 10],
        ['a', 10],
        ['c', 5],
      ],
      false,
    ),
    ...bothOrders(
      'tied rows in the other order, columns swapped',
      [
        ['a', 10],
        ['b', 10],
      ],
      [
        [10, 'b'],
        [10, 'a'],
      ],
      false,
    ),
    ...bothOrders('duplicates in the same order', [[1], [1], [2]], [[1], [1], [2]], true),
    ...bothOrders('the same order within the numeric tolerance', [[1.0000001], [2]], [[1], [2]], true),
  ],

  'empty results': [
    { name: 'two empty results (from queries with different columns)', gold: [], predicted: [], equal: true },
    { name: 'two empty results, order matters', gold: [], predicted: [], orderMatters: true, equal: true },
    { name: 'empty gold vs one row', gold: [], predicted: [[1]], equal: false },
    { name: 'one row vs empty prediction', gold: [[1]], predicted: [], equal: false },
    { name: 'empty vs a row with no columns', gold: [], predicted: [[]], equal: false },
  ],

  'booleans vs 1/0': [
    { name: 'true vs 1', gold: [[true]], predicted: [[1]], equal: true },
    { name: 'false vs 0', gold: [[false]], predicted: [[0]], equal: true },
    { name: "true vs '1' (MySQL tinyint as text)", gold: [[true]], predicted: [['1']], equal: true },
    { name: 'true vs 1n', gold: [[true]], predicted: [[1n]], equal: true },
    { name: 'true vs false', gold: [[true]], predicted: [[false]], equal: false },
    { name: 'true vs 2', gold: [[true]], predicted: [[2]], equal: false },
    { name: "true vs the text 'true'", gold: [[true]], predicted: [['true']], equal: false },
    {
      name: 'two boolean columns vs 0/1 columns swapped',
      gold: [
        [true, false],
        [true, true],
      ],
      predicted: [
        [0, 1],
        [1, 1],
      ],
      equal: true,
    },
  ],

  'dates and timestamps': [
    {
      name: "'2025-06-01 10:00:00' vs '2025-06-01T10:00:00.000Z'",
      gold: [['2025-06-01 10:00:00']],
      predicted: [['2025-06-01T10:00:00.000Z']],
      equal: true,
    },
    {
      name: "'2025-06-01T10:00:00' vs '2025-06-01T10:00:00.000Z'",
      gold: [['2025-06-01T10:00:00']],
      predicted: [['2025-06-01T10:00:00.000Z']],
      equal: true,
    },
    {
      name: 'a Date vs the same instant as text',
      gold: [[new Date('2025-06-01T10:00:00Z')]],
      predicted: [['2025-06-01 10:00:00']],
      equal: true,
    },
    {
      name: "minutes only: '2025-06-01 10:00' vs '2025-06-01 10:00:00'",
      gold: [['2025-06-01 10:00']],
      predicted: [['2025-06-01 10:00:00']],
      equal: true,
    },
    { name: 'a timestamp at midnight vs the date', gold: [['2025-06-01T00:00:00']], predicted: [['2025-06-01']], equal: true },
    {
      name: 'a Date at midnight UTC vs the date',
      gold: [[new Date('2025-06-01T00:00:00.000Z')]],
      predicted: [['2025-06-01']],
      equal: true,
    },
    { name: 'a microsecond after midnight vs the date', gold: [['2025-06-01 00:00:00.000001']], predicted: [['2025-06-01']], equal: false },
    { name: "fractions: '.5' vs '.500Z'", gold: [['2025-06-01 10:00:00.5']], predicted: [['2025-06-01T10:00:00.500Z']], equal: true },
    { name: "'+00:00' vs no zone", gold: [['2025-06-01 10:00:00+00:00']], predicted: [['2025-06-01 10:00:00']], equal: true },
    { name: "'+02:00' vs UTC", gold: [['2025-06-01T12:00:00+02:00']], predicted: [['2025-06-01T10:00:00Z']], equal: true },
    { name: "Postgres's '+02' vs UTC", gold: [['2025-06-01 12:00:00+02']], predicted: [['2025-06-01 10:00:00']], equal: true },
    { name: "'+0200' vs UTC", gold: [['2025-06-01T12:00:00+0200']], predicted: [['2025-06-01T10:00:00Z']], equal: true },
    {
      name: "a half-hour offset '+05:30' vs UTC",
      gold: [['2025-06-01T15:30:00+05:30']],
      predicted: [['2025-06-01 10:00:00']],
      equal: true,
    },
    {
      name: 'an offset that moves to the previous day',
      gold: [['2025-06-01T01:30:00+02:00']],
      predicted: [['2025-05-31 23:30:00']],
      equal: true,
    },
    {
      name: 'a negative offset landing on midnight UTC vs the date',
      gold: [['2025-05-31T20:00:00-04:00']],
      predicted: [['2025-06-01']],
      equal: true,
    },
    {
      name: 'microseconds with an offset vs microseconds in UTC',
      gold: [['2025-06-01 12:00:00.123456+02']],
      predicted: [['2025-06-01 10:00:00.123456']],
      equal: true,
    },
    { name: 'one second apart', gold: [['2025-06-01 10:00:00']], predicted: [['2025-06-01 10:00:01']], equal: false },
    { name: 'one day apart', gold: [['2025-06-01']], predicted: [['2025-06-02']], equal: false },
    {
      name: 'the same wall time in another zone is another instant',
      gold: [['2025-06-01T10:00:00+02:00']],
      predicted: [['2025-06-01T10:00:00Z']],
      equal: false,
    },
    { name: 'a Date vs another day as text', gold: [[new Date('2025-06-01T00:00:00Z')]], predicted: [['2025-06-02']], equal: false },
  ],

  'text that merely looks numeric': [
    { name: "'1,000' vs 1000", gold: [['1,000']], predicted: [[1000]], equal: false },
    { name: "'$5' vs 5", gold: [['$5']], predicted: [[5]], equal: false },
    { name: "'5%' vs 5", gold: [['5%']], predicted: [[5]], equal: false },
    { name: "'0x10' vs 16", gold: [['0x10']], predicted: [[16]], equal: false },
    { name: "'1.2.3' vs 1.2", gold: [['1.2.3']], predicted: [[1.2]], equal: false },
    { name: "'1/2' vs 0.5", gold: [['1/2']], predicted: [[0.5]], equal: false },
    { name: "'12 apples' vs 12", gold: [['12 apples']], predicted: [[12]], equal: false },
    { name: "'' vs 0", gold: [['']], predicted: [[0]], equal: false },
    { name: "'1.2.3' vs '1.2.3'", gold: [['1.2.3']], predicted: [['1.2.3']], equal: true },
    { name: "'1e5' vs 100000", gold: [['1e5']], predicted: [[100000]], equal: true },
    { name: "'.5' vs 0.5", gold: [['.5']], predicted: [[0.5]], equal: true },
    {
      name: "'007' vs 7 (digits with a leading zero stay text: zip codes, phone numbers)",
      gold: [['007']],
      predicted: [[7]],
      equal: false,
    },
    { name: "'02139' vs '02139' (a zip code is still equal to itself)", gold: [['02139']], predicted: [['02139']], equal: true },
    { name: 'two integers compare exactly: 1234567 vs 1234568', gold: [[1234567]], predicted: [[1234568]], equal: false },
    { name: "phone-like digits as text: '5551234567' vs '5551234999'", gold: [['5551234567']], predicted: [['5551234999']], equal: false },
    {
      name: '16-digit numbers beyond 2^53 differing in the last digits',
      gold: [['4111111111111111']],
      predicted: [['4111111111111999']],
      equal: false,
    },
    { name: 'a COUNT as bigint vs one more', gold: [[1234567n]], predicted: [[1234568n]], equal: false },
    {
      name: 'an integer vs a computed float that is 3e-7 away (the tolerance applies)',
      gold: [[1234567]],
      predicted: [[1234567.3]],
      equal: true,
    },
  ],

  'case and whitespace in text': [
    { name: "'Germany' vs 'germany'", gold: [['Germany']], predicted: [['germany']], equal: false },
    { name: "'Germany' vs 'GERMANY'", gold: [['Germany']], predicted: [['GERMANY']], equal: false },
    { name: "'Germany ' vs 'Germany'", gold: [['Germany ']], predicted: [['Germany']], equal: false },
    { name: "' Germany' vs 'Germany'", gold: [[' Germany']], predicted: [['Germany']], equal: false },
    { name: "'New York' vs 'New  York'", gold: [['New York']], predicted: [['New  York']], equal: false },
    { name: "'a\\n' vs 'a'", gold: [['a\n']], predicted: [['a']], equal: false },
    { name: "' 42 ' (numeric text, padded) vs 42", gold: [[' 42 ']], predicted: [[42]], equal: true },
  ],

  'row and column counts, ragged rows': [
    { name: 'two rows vs three', gold: [[1], [2]], predicted: [[1], [2], [3]], equal: false },
    { name: 'two columns vs one', gold: [[1, 2]], predicted: [[1]], equal: false },
    { name: 'one column vs the same column twice', gold: [[1]], predicted: [[1, 1]], equal: false },
    {
      name: 'an extra id column',
      gold: [['a'], ['b']],
      predicted: [
        [1, 'a'],
        [2, 'b'],
      ],
      equal: false,
    },
    {
      name: 'a predicted row one cell short',
      gold: [
        [1, 2],
        [3, 4],
      ],
      predicted: [[1, 2], [3]],
      equal: false,
    },
    {
      name: 'a predicted row one cell long',
      gold: [
        [1, 2],
        [3, 4],
      ],
      predicted: [
        [1, 2],
        [3, 4, 5],
      ],
      equal: false,
    },
    {
      name: 'a ragged gold',
      gold: [[1, 2], [3]],
      predicted: [
        [1, 2],
        [3, 4],
      ],
      equal: false,
    },
  ],

  'JSON values': [
    { name: 'keys in another order', gold: [[{ a: 1, b: 2 }]], predicted: [[{ b: 2, a: 1 }]], equal: true },
    {
      name: 'nested keys in another order',
      gold: [[{ a: { x: 1, y: [1, 2] }, b: null }]],
      predicted: [[{ b: null, a: { y: [1, 2], x: 1 } }]],
      equal: true,
    },
    { name: 'arrays in another order', gold: [[[1, 2]]], predicted: [[[2, 1]]], equal: false },
    { name: 'another value under the same key', gold: [[{ a: 1 }]], predicted: [[{ a: 2 }]], equal: false },
    { name: 'an extra key', gold: [[{ a: 1 }]], predicted: [[{ a: 1, b: 2 }]], equal: false },
    {
      name: 'arrays of different dates',
      gold: [[[new Date('2025-06-01T00:00:00Z')]]],
      predicted: [[[new Date('2025-06-02T00:00:00Z')]]],
      equal: false,
    },
    {
      name: 'arrays of the same dates',
      gold: [[[new Date('2025-06-01T00:00:00Z')]]],
      predicted: [[[new Date('2025-06-01T00:00:00Z')]]],
      equal: true,
    },
    { name: 'arrays of different bigints', gold: [[[10n, 20n]]], predicted: [[[10n, 21n]]], equal: false },
  ],
};

const pairs = Object.entries(themes).flatMap(([theme, list]) => list.map((pair) => ({ theme, ...pair })));

describe('compareResults: the table of pairs', () => {
  it('has at least 60 pairs', () => {
    expect(pairs.length).toBeGreaterThanOrEqual(60);
  });

  for (const [theme, list] of Object.entries(themes)) {
    describe(theme, () => {
      it.each(list)('$name → equal: $equal', ({ gold, predicted, orderMatters = false, equal }) => {
        const verdict = compareResults(gold, predicted, { orderMatters });
        expect(verdict.equal, verdict.reason).toBe(equal);
        if (!equal) {
          expect(typeof verdict.reason).toBe('string');
          expect(verdict.reason!.trim().length).toBeGreaterThan(10);
        }
        // The verdict does not depend on which side is the gold.
        expect(compareResults(predicted, gold, { orderMatters }).equal).toBe(equal);
      });
    });
  }
});

describe('compareResults: reasons name what differs', () => {
  const reason = (gold: unknown[][], predicted: unknown[][], options: CompareOptions = { orderMatters: false }) => {
    const verdict = compareResults(gold, predicted, options);
    expect(verdict.equal).toBe(false);
    return verdict.reason ?? '';
  };

  it('names the row counts', () => {
    const text = reason([[1], [2]], [[1], [2], [3]]);
    expect(text).toMatch(/\brows?\b/);
    expect(text).toMatch(/\b2\b/);
    expect(text).toMatch(/\b3\b/);
  });

  it('names the column counts', () => {
    const text = reason([[1, 2]], [[1]]);
    expect(text).toMatch(/\bcolumns?\b/);
    expect(text).toMatch(/\b2\b/);
    expect(text).toMatch(/\b1\b/);
  });

  it('says the order differs when it matters', () => {
    expect(reason([[1], [2]], [[2], [1]], { orderMatters: true })).toMatch(/\border\b/);
  });

  it('says which side is empty', () => {
    expect(reason([[1]], [])).toMatch(/prediction is empty/);
    expect(reason([], [[1]])).toMatch(/gold result is empty/);
  });

  it('names the gold column whose values no predicted column has', () => {
    expect(reason([['a', 1]], [['a', 2]])).toMatch(/column 2/);
  });

  it('says the values are combined into different rows when every column matches', () => {
    expect(
      reason(
        [
          [1, 2],
          [2, 1],
        ],
        [
          [1, 1],
          [2, 2],
        ],
      ),
    ).toMatch(/different rows/);
  });

  it('names ragged rows', () => {
    expect(
      reason(
        [
          [1, 2],
          [3, 4],
        ],
        [[1, 2], [3]],
      ),
    ).toMatch(/predicted rows .*columns/);
  });

  it('reports the column order it took for an equal verdict with a permutation, and none without', () => {
    expect(compareResults([[1, 'a']], [['a', 1]], { orderMatters: false })).toEqual({ equal: true, reason: expect.stringMatching(/2, 1/) });
    expect(compareResults([[1, 'a']], [[1, 'a']], { orderMatters: false })).toEqual({ equal: true });
  });
});

describe('compareResults: tolerance options', () => {
  it("treats MySQL's 4-decimal AVG as equal only with the cross-engine absolute tolerance", () => {
    expect(compareResults([[2.98765432]], [[2.9877]], { orderMatters: false }).equal).toBe(false);
    expect(compareResults([[2.98765432]], [['2.9877']], { orderMatters: false, absoluteTolerance: 5e-5 }).equal).toBe(true);
    expect(compareResults([[2.98765432]], [[2.9876]], { orderMatters: false, absoluteTolerance: 5e-5 }).equal).toBe(false);
  });

  it('uses a relative tolerance of 1e-6 by default', () => {
    expect(compareResults([[1]], [[1 + 5e-7]], { orderMatters: false }).equal).toBe(true);
    expect(compareResults([[1]], [[1 + 2e-6]], { orderMatters: false }).equal).toBe(false);
    expect(compareResults([[1e12 + 0.25]], [[1e12 + 5e5 + 0.25]], { orderMatters: false }).equal).toBe(true);
    expect(compareResults([[1e12 + 0.25]], [[1e12 + 2e6 + 0.25]], { orderMatters: false }).equal).toBe(false);
    // Two integers never get the tolerance: counts and ids are exact.
    expect(compareResults([[1e12]], [[1e12 + 5e5]], { orderMatters: false }).equal).toBe(false);
  });

  it('takes another relative tolerance', () => {
    expect(compareResults([[1000]], [[1000.9]], { orderMatters: false, relativeTolerance: 1e-3 }).equal).toBe(true);
    expect(compareResults([[1000]], [[1002]], { orderMatters: false, relativeTolerance: 1e-3 }).equal).toBe(false);
  });

  it('compares exactly with both tolerances 0', () => {
    const exact = { orderMatters: false, relativeTolerance: 0, absoluteTolerance: 0 };
    expect(compareResults([[0.1 + 0.2]], [[0.3]], exact).equal).toBe(false);
    expect(compareResults([[0.5]], [['0.50']], exact).equal).toBe(true);
    // The absolute default alone still absorbs float noise when the relative one is 0.
    expect(compareResults([[0.1 + 0.2]], [[0.3]], { orderMatters: false, relativeTolerance: 0 }).equal).toBe(true);
  });

  it('pairs rows across a tolerance even when sorting pairs them the wrong way', () => {
    // Sorted by the first column, (1.0, 0) meets (1.1, 10); only the crosswise pairing matches.
    const options = { orderMatters: false, relativeTolerance: 0, absoluteTolerance: 0.2 };
    expect(
      compareResults(
        [
          [1.0, 0],
          [1.2, 10],
        ],
        [
          [1.1, 10],
          [1.15, 0],
        ],
        options,
      ).equal,
    ).toBe(true);
    expect(
      compareResults(
        [
          [1.0, 0],
          [1.2, 10],
        ],
        [
          [1.1, 10],
          [1.5, 0],
        ],
        options,
      ).equal,
    ).toBe(false);
  });

  it('applies the tolerance in ordered comparisons too', () => {
    const options = { orderMatters: true, absoluteTolerance: 5e-5 };
    expect(compareResults([[1.23456], [2.5]], [[1.2346], [2.5]], options).equal).toBe(true);
    expect(compareResults([[1.23456], [2.5]], [[2.5], [1.2346]], options).equal).toBe(false);
  });
});

describe('compareResults: bounded work', () => {
  it('gives up on look-alike columns after a bounded number of checks instead of trying every column order', () => {
    // 400 rows of eight 0/1 columns with the same bag of values each: every column order is a candidate,
    // and each check sorts 400 rows. The search stops at its work budget and says why.
    const gold = Array.from({ length: 400 }, (_, row) => Array.from({ length: 8 }, (_, column) => (row * (column + 3) + column * 7) % 2));
    // Each column shuffled on its own (a deterministic LCG), so every column keeps its bag of values.
    let seed = 42;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const predicted = gold.map((row) => [...row]);
    for (let column = 0; column < 8; column += 1) {
      const values = predicted.map((row) => row[column]);
      for (let index = values.length - 1; index > 0; index -= 1) {
        const other = Math.floor(next() * (index + 1));
        [values[index], values[other]] = [values[other], values[index]];
      }
      predicted.forEach((row, index) => (row[column] = values[index]));
    }
    const verdict = compareResults(gold, predicted, { orderMatters: false });
    expect(verdict.equal).toBe(false);
    expect(verdict.reason).toMatch(/^no match found within \d+ column orders \(too many look-alike columns to try them all\)$/);
  });
});

describe('compareResults: properties on generated results', () => {
  /** A small deterministic generator (mulberry32), so failures reproduce. */
  function random(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffle<T>(items: T[], next: () => number): T[] {
    const copy = [...items];
    for (let index = copy.length - 1; index > 0; index -= 1) {
      const other = Math.floor(next() * (index + 1));
      [copy[index], copy[other]] = [copy[other], copy[index]];
    }
    return copy;
  }
  function table(next: () => number, rows: number, columns: number): unknown[][] {
    // Few distinct values, so columns share values and rows repeat.
    const cell = () => [null, 0, 1, 2, 'a', 'b', 1.5][Math.floor(next() * 7)];
    return Array.from({ length: rows }, () => Array.from({ length: columns }, cell));
  }

  it('finds shuffled rows and columns equal, and one changed cell unequal', () => {
    for (let seed = 1; seed <= 200; seed += 1) {
      const next = random(seed);
      const rows = 1 + Math.floor(next() * 12);
      const columns = 1 + Math.floor(next() * 5);
      const gold = table(next, rows, columns);
      const order = shuffle(
        Array.from({ length: columns }, (_, index) => index),
        next,
      );
      const predicted = shuffle(gold, next).map((row) => order.map((index) => row[index]));
      expect(compareResults(gold, predicted, { orderMatters: false }).equal, `seed ${seed}`).toBe(true);
      const unshuffled = gold.map((row) => order.map((index) => row[index]));
      expect(compareResults(gold, unshuffled, { orderMatters: true }).equal, `seed ${seed}`).toBe(true);

      const changed = predicted.map((row) => [...row]);
      const row = Math.floor(next() * rows);
      const column = Math.floor(next() * columns);
      changed[row][column] = 'changed';
      expect(compareResults(gold, changed, { orderMatters: false }).equal, `seed ${seed}`).toBe(false);
    }
  });

  it('compares 20,000 shuffled rows quickly', () => {
    const gold = Array.from({ length: 20_000 }, (_, index) => [index % 97, `name ${index % 13}`, (index * 0.37) % 11, index % 2 === 0]);
    const predicted = shuffle(gold, random(7)).map(([a, b, c, d]) => [d, String(c), b, a]);
    const started = performance.now();
    expect(compareResults(gold, predicted, { orderMatters: false }).equal).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a permutation search without a match in reasonable time (10 columns with the same values)', () => {
    // A 10×10 cyclic Latin square, and one with a 2×2 subsquare swapped: every row and every column keeps
    // the values 0…9, so every column is a candidate for every other, but no column order gives the gold.
    const gold = latinSquare(10);
    const predicted = latinSquare(10).map((row) => [...row]);
    [predicted[0][0], predicted[0][5], predicted[5][0], predicted[5][5]] = [5, 0, 0, 5];
    const started = performance.now();
    expect(compareResults(gold, reverseColumns(predicted), { orderMatters: false }).equal).toBe(false);
    expect(compareResults(gold, reverseColumns(latinSquare(10)), { orderMatters: false }).equal).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('toResultValue', () => {
  it.each([
    [null, null],
    [undefined, null],
    [1n, 1],
    ['1.50', 1.5],
    [true, 1],
    [false, 0],
    ['2025-06-01 10:00:00', '2025-06-01T10:00:00'],
    ['2025-06-01T10:00:00.000Z', '2025-06-01T10:00:00'],
    ['2025-06-01 00:00:00', '2025-06-01'],
    [new Date('2025-06-01T10:00:00.250Z'), '2025-06-01T10:00:00.25'],
    ['2025-06-01T12:00:00+02:00', '2025-06-01T10:00:00'],
    ['2025-06-01 12:00:00.123456+02', '2025-06-01T10:00:00.123456'],
    [[new Date('2025-06-01T10:00:00Z'), 10n], '["2025-06-01T10:00:00",10]'],
    [{ b: 1, a: [2, { d: 3, c: 4 }] }, '{"a":[2,{"c":4,"d":3}],"b":1}'],
    ['Germany ', 'Germany '],
  ])('%o → %o', (input, expected) => {
    expect(toResultValue(input)).toEqual(expected);
  });
});
