import { erfcx, normCdf } from './normal.ts';

/*
 * Jäckel's normalised Black function for an out-of-the-money call (x = ln(F/K) ≤ 0):
 *   b(x, s) = e^{x/2} Φ(x/s + s/2) − e^{−x/2} Φ(x/s − s/2),   s = σ√T
 * Computed so that tiny prices keep their relative accuracy. With h = x/s and t = s/2 both
 * terms share the factor e^{−(h²+t²)/2}, so b = e^{−(h²+t²)/2}·[Y(h+t) − Y(h−t)] with
 * Y(z) = ½·erfcx(−z/√2) = Φ(z)/e^{−z²/2}; the exponential is taken once and the bracket is a
 * difference of smooth, well-scaled numbers. For small t the bracket is expanded in t (odd Taylor
 * terms of Y, whose derivatives follow from Y' = zY + 1/√(2π)), which avoids the cancellation.
 */

const SQRT_HALF = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 0.3989422804014327;
const SMALL_T = 0.05;
const TAYLOR_H = 50;

/**
 * The Taylor form loses ~h² ulps (recursion for Y' cancels), the difference form ~|h|/(2t) ulps:
 * take whichever loses fewer.
 */
function useTaylor(h: number, t: number): boolean {
  return t < SMALL_T && -h < TAYLOR_H && -h * t < 0.25;
}

function Y(z: number): number {
  return 0.5 * erfcx(-z * SQRT_HALF);
}

/** Y(h+t) − Y(h−t) as 2·Σ t^{2k+1}/(2k+1)!·Y^{(2k+1)}(h), up to t^11. */
function bracketTaylor(h: number, t: number): number {
  // Derivatives by the recursion Y^{(n+1)} = n·Y^{(n−1)} + h·Y^{(n)}.
  const y0 = Y(h);
  const y1 = h * y0 + ONE_OVER_SQRT_2PI;
  const y2 = y0 + h * y1;
  const y3 = 2 * y1 + h * y2;
  const y4 = 3 * y2 + h * y3;
  const y5 = 4 * y3 + h * y4;
  const y6 = 5 * y4 + h * y5;
  const y7 = 6 * y5 + h * y6;
  const y8 = 7 * y6 + h * y7;
  const y9 = 8 * y7 + h * y8;
  const y10 = 9 * y8 + h * y9;
  const y11 = 10 * y9 + h * y10;
  const t2 = t * t;
  return 2 * t * (y1 + t2 * (y3 / 6 + t2 * (y5 / 120 + t2 * (y7 / 5040 + t2 * (y9 / 362880 + (t2 * y11) / 39916800)))));
}

/** Normalised OTM call value b(x, s) for x ≤ 0, s ≥ 0. */
export function normalisedOtmCall(x: number, s: number): number {
  if (s <= 0) return 0;
  const h = x / s;
  const t = 0.5 * s;
  if (h + t > 0) {
    // Not out of the money in the d1 sense: no small-price cancellation; direct form is accurate.
    if (useTaylor(h, t)) return Math.exp(-0.5 * (h * h + t * t)) * bracketTaylor(h, t);
    return Math.exp(0.5 * x) * normCdf(h + t) - Math.exp(-0.5 * x) * normCdf(h - t);
  }
  const scale = Math.exp(-0.5 * (h * h + t * t));
  if (scale === 0) return 0;
  if (useTaylor(h, t)) return scale * bracketTaylor(h, t);
  return scale * (Y(h + t) - Y(h - t));
}

/** e^{x/2} − b(x, s): the distance to the maximum, computed without cancellation (x ≤ 0). */
export function normalisedOtmCallComplement(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  return Math.exp(0.5 * x) * normCdf(-(h + t)) + Math.exp(-0.5 * x) * normCdf(h - t);
}

/** ∂b/∂s = φ(h + t)·e^{x/2} = (1/√2π)·exp(−½(h² + t²)). */
export function normalisedVega(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * (h * h + t * t));
}
