import { describe, expect, it } from 'vitest';
import { mcnemarExactP } from '../../src/evals/statistics/mcnemar-test.ts';
import { wilsonInterval, z95 } from '../../src/evals/statistics/wilson-interval.ts';

/**
 * Every reference value below was computed independently of the code under test, in Python 3 with exact
 * arithmetic (50-digit `decimal` for Wilson, `fractions` + `math.comb` for McNemar), and printed with 17
 * significant digits:
 *
 *   from decimal import Decimal, getcontext
 *   from fractions import Fraction
 *   from math import comb
 *   getcontext().prec = 50
 *   Z = Decimal('1.959963984540054')            # the literal of z95
 *   def wilson(s, n, z=Z):
 *       p = Decimal(s) / n; z2 = z * z; d = 1 + z2 / n
 *       c = (p + z2 / (2 * n)) / d
 *       h = z * (p * (1 - p) / n + z2 / (4 * n * n)).sqrt() / d
 *       return (max(Decimal(0), c - h), min(Decimal(1), c + h))
 *   def mcnemar(b, c):
 *       n = b + c
 *       if n == 0: return Fraction(1)
 *       k = min(b, c)
 *       return min(Fraction(1), 2 * Fraction(sum(comb(n, i) for i in range(k + 1)), 2 ** n))
 *   print(format(wilson(8, 10)[0], '.17g'))     # and so on for each case
 *   p = mcnemar(10, 20); print(p, format(Decimal(p.numerator) / Decimal(p.denominator), '.17g'))
 */

/** `actual` within `relative` of `expected` (or exactly 0 when `expected` is 0). */
function expectNear(actual: number, expected: number, relative = 1e-12): void {
  if (expected === 0) {
    expect(actual).toBe(0);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(relative);
}

describe('wilsonInterval', () => {
  it('uses the two-sided 95% normal quantile by default', () => {
    expect(z95).toBeCloseTo(1.959963984540054, 15);
  });

  it.each([
    // [successes, trials, low, high] — Python reference values (see the top of the file).
    [0, 10, 0, 0.2775327998628892],
    [10, 10, 0.7224672001371108, 1],
    [8, 10, 0.49016247153664174, 0.94331784854562474],
    [50, 100, 0.40383153036599564, 0.59616846963400436],
    [1, 1, 0.20654931437723743, 1],
    [7, 1000, 0.0033948684009907651, 0.014378315465766586],
    [123_456, 1_000_000, 0.12281269653142285, 0.12410219641400438],
  ])('%i of %i gives [%f, %f]', (successes, trials, low, high) => {
    const interval = wilsonInterval(successes, trials);
    expectNear(interval.low, low);
    expectNear(interval.high, high);
    expect(interval.low).toBeGreaterThanOrEqual(0);
    expect(interval.high).toBeLessThanOrEqual(1);
    expect(interval.low).toBeLessThanOrEqual(successes / trials);
    expect(interval.high).toBeGreaterThanOrEqual(successes / trials);
  });

  it('is exactly 0 at no successes and exactly 1 at all successes', () => {
    expect(wilsonInterval(0, 10).low).toBe(0);
    expect(wilsonInterval(10, 10).high).toBe(1);
    expect(wilsonInterval(1, 1).high).toBe(1);
  });

  it('is symmetric: k of n mirrors n − k of n', () => {
    const left = wilsonInterval(3, 17);
    const right = wilsonInterval(14, 17);
    expectNear(left.low, 1 - right.high);
    expectNear(left.high, 1 - right.low);
  });

  it('is the whole range [0, 1] with no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });

  it('takes another z: z = 1 for 8 of 10', () => {
    // Python: wilson(8, 10, Decimal(1))
    const interval = wilsonInterval(8, 10, 1);
    expectNear(interval.low, 0.64907754082967779);
    expectNear(interval.high, 0.89637700462486767);
  });

  it('narrows as n grows at the same proportion', () => {
    const small = wilsonInterval(8, 10);
    const large = wilsonInterval(800, 1000);
    expect(large.high - large.low).toBeLessThan(small.high - small.low);
  });

  it.each([
    [-1, 10],
    [11, 10],
    [1.5, 10],
    [5, 10.5],
    [0, -1],
    [Number.NaN, 10],
    [1, Number.POSITIVE_INFINITY],
  ])('throws a RangeError for %f of %f', (successes, trials) => {
    expect(() => wilsonInterval(successes, trials)).toThrow(RangeError);
  });
});

describe('mcnemarExactP', () => {
  it.each([
    // [onlyFirst, onlySecond, p] — Python reference values (exact fractions where short).
    [0, 0, 1], // no discordant pairs
    [0, 1, 1], // 2 · 1/2, capped at 1
    [1, 9, 0.021484375], // 11/512
    [5, 5, 1], // 2 · 638/1024, capped at 1
    [2, 3, 1],
    [10, 20, 0.098737146705389023], // 26504551/268435456
    [0, 25, 5.9604644775390625e-8], // 1/16777216 = 2^-24
    [100, 130, 0.055613577781392386],
    [400, 500, 0.00095644413691894607],
  ])('(%i, %i) gives %f', (onlyFirst, onlySecond, p) => {
    expectNear(mcnemarExactP(onlyFirst, onlySecond), p, 1e-10);
  });

  it('is exactly 1 with no discordant pairs and when the doubled tail exceeds 1', () => {
    // (The other values are summed in log space, so they are only within a few ulps of the fraction.)
    expect(mcnemarExactP(0, 0)).toBe(1);
    expect(mcnemarExactP(5, 5)).toBe(1);
    expect(mcnemarExactP(0, 1)).toBe(1);
  });

  it.each([
    [0, 1],
    [1, 9],
    [10, 20],
    [0, 25],
    [100, 130],
    [37, 3],
  ])('is symmetric: (%i, %i) equals its mirror', (onlyFirst, onlySecond) => {
    expect(mcnemarExactP(onlyFirst, onlySecond)).toBe(mcnemarExactP(onlySecond, onlyFirst));
  });

  it('stays in (0, 1] for large counts without underflowing to NaN', () => {
    const p = mcnemarExactP(5000, 5400);
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThan(1e-3);
    expect(mcnemarExactP(5000, 5000)).toBe(1);
  });

  it.each([
    [-1, 3],
    [3, -1],
    [1.5, 3],
    [Number.NaN, 3],
  ])('throws a RangeError for (%f, %f)', (onlyFirst, onlySecond) => {
    expect(() => mcnemarExactP(onlyFirst, onlySecond)).toThrow(RangeError);
  });
});
