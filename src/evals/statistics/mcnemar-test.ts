/** The paired outcome counts of two systems on the same items. */
export interface PairedCounts {
  /** Items both got right. */
  bothCorrect: number;
  /** Items only the first got right. */
  onlyFirst: number;
  /** Items only the second got right. */
  onlySecond: number;
  /** Items both got wrong. */
  bothWrong: number;
}

/**
 * The exact McNemar test: a two-sided binomial test (p = ½) on the discordant pairs, the items exactly
 * one of the two systems got right. Concordant items carry no information about which is better.
 * With no discordant pairs the p-value is 1.
 *
 * @example mcnemarExactP(1, 9) // 0.021484375 (= 2 · (1 + 10) / 1024)
 */
export function mcnemarExactP(onlyFirst: number, onlySecond: number): number {
  if (!Number.isInteger(onlyFirst) || !Number.isInteger(onlySecond) || onlyFirst < 0 || onlySecond < 0) {
    throw new RangeError(`mcnemarExactP needs two counts ≥ 0; got ${onlyFirst} and ${onlySecond}.`);
  }
  const n = onlyFirst + onlySecond;
  if (n === 0) return 1;
  const k = Math.min(onlyFirst, onlySecond);
  // P(X ≤ k) for X ~ Binomial(n, ½), summed in log space so large n does not underflow term by term.
  let logTerm = -n * Math.LN2;
  let tail = Math.exp(logTerm);
  for (let i = 0; i < k; i += 1) {
    logTerm += Math.log((n - i) / (i + 1));
    tail += Math.exp(logTerm);
  }
  return Math.min(1, 2 * tail);
}
