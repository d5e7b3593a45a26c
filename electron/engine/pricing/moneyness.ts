/**
 * ln(F/K), accurate in relative terms also near the money: there ln(F/K)'s rounding is large
 * relative to the result, and deep in the wings a price's relative error is (x/σ√T)² times the
 * relative error of x. Near the money F − K is exact (Sterbenz), so log1p of it is accurate.
 */
export function logMoneyness(forward: number, strike: number): number {
  const ratio = forward / strike;
  return ratio > 0.5 && ratio < 2 ? Math.log1p((forward - strike) / strike) : Math.log(ratio);
}
