/** The normal quantile for a two-sided 95% interval. */
export const z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/**
 * The Wilson score interval for a proportion: `successes` out of `trials`, at the confidence `z` gives
 * (default 95%). Unlike the normal approximation it stays inside [0, 1] and behaves at 0 and n successes.
 * With no trials it is the whole range [0, 1].
 *
 * @example wilsonInterval(8, 10) // { low: 0.4902, high: 0.9433 } (rounded)
 */
export function wilsonInterval(successes: number, trials: number, z = z95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(trials) || trials < 0 || successes < 0 || successes > trials) {
    throw new RangeError(`wilsonInterval needs 0 ≤ successes ≤ trials (integers); got ${successes} of ${trials}.`);
  }
  if (trials === 0) return { low: 0, high: 1 };
  const proportion = successes / trials;
  const z2 = z * z;
  const denominator = 1 + z2 / trials;
  const center = (proportion + z2 / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((proportion * (1 - proportion)) / trials + z2 / (4 * trials * trials))) / denominator;
  // Exact at the ends: 0 successes cannot have a lower bound above 0, nor n successes an upper bound below 1.
  return { low: successes === 0 ? 0 : Math.max(0, center - half), high: successes === trials ? 1 : Math.min(1, center + half) };
}
