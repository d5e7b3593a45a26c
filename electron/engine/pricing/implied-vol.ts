import type { OptionKind } from './black.ts';
import { checkFields } from './inputs.ts';
import { logMoneyness } from './moneyness.ts';
import { normInv } from './normal.ts';
import { normalisedOtmCall, normalisedOtmCallComplement, normalisedVega } from './normalised-black.ts';

/*
 * Implied Black volatility without a starting guess, in the manner of Jäckel's "Let's be rational":
 * work in the normalised Black function; map puts and in-the-money calls to the out-of-the-money
 * call; split the problem at the inflection point s_c = √(2|x|); iterate third-order Householder
 * steps on an objective transformed so it is nearly linear in s (1/ln b below s_c, ln of the
 * distance to the maximum above it), from region-specific asymptotic guesses; and keep a bracket,
 * falling back to bisection if a step would leave it. Typically 2–4 iterations to full precision.
 * Unlike the reference implementation the initial guesses are asymptotic formulas, not Jäckel's
 * rational cubic interpolations; the bracket keeps convergence guaranteed whatever the guess.
 */

export type ImpliedVolStatus = 'ok' | 'zero-time-value' | 'below-intrinsic' | 'above-maximum' | 'invalid-input';

export type ImpliedVolResult =
  | { status: 'ok'; vol: number; iterations: number }
  | { status: 'zero-time-value'; vol: 0 }
  | { status: 'below-intrinsic' | 'above-maximum' | 'invalid-input'; message: string };

export interface ImpliedVolInput {
  kind: OptionKind;
  /** Option price, discounted (as quoted), quote currency. */
  price: number;
  forward: number;
  strike: number;
  /** Years to expiry, > 0. */
  time: number;
  /** Discount rate used to undiscount the price (0 for Deribit). */
  rate?: number;
}

const MAX_ITERATIONS = 40;
/** A Householder step this small (relative to s) is within rounding of the root once taken. */
const TRUSTED_STEP = 1e-5;
const inBracket = (s: number, lo: number, hi: number): boolean => s > lo && s < hi;
const EPS = Number.EPSILON;

export function impliedVol(input: ImpliedVolInput): ImpliedVolResult {
  if (input.kind !== 'call' && input.kind !== 'put') return { status: 'invalid-input', message: 'kind: expected "call" or "put"' };
  const bad = checkFields([
    ['price', input.price, 'finite'],
    ['forward', input.forward, 'positive'],
    ['strike', input.strike, 'positive'],
    ['time', input.time, 'positive'],
    ['rate', input.rate ?? 0, 'finite'],
  ]);
  if (bad) return { status: 'invalid-input', message: bad.error.message };
  const theta = input.kind === 'call' ? 1 : -1;
  // The bounds are checked in the price's own units, on the discounted price as quoted, before
  // anything is normalised or undiscounted: a call worth the (discounted) forward or a put worth
  // the strike is at its maximum, and normalisation must not round it a hair below and invent a
  // vol. A time value within the rounding of undiscounting is no time value.
  const df = Math.exp(-(input.rate ?? 0) * input.time);
  const discMax = (theta > 0 ? input.forward : input.strike) * df;
  const discIntrinsic = Math.max(theta * (input.forward - input.strike), 0) * df;
  // Two ulps of the bound: what one rounding of the discount (and of the price) can move it.
  if (input.price >= discMax * (1 - 2 * EPS)) return { status: 'above-maximum', message: describe('above-maximum', input) };
  if (input.price < discIntrinsic * (1 - 2 * EPS)) return { status: 'below-intrinsic', message: describe('below-intrinsic', input) };
  if (input.price <= discIntrinsic * (1 + 2 * EPS)) return { status: 'zero-time-value', vol: 0 };
  const undiscounted = input.price / df;
  const rootFK = Math.sqrt(input.forward * input.strike);
  // Intrinsic from F − K directly: near the money ln(F/K) has lost relative precision.
  const intrinsic = Math.max(theta * (input.forward - input.strike), 0) / rootFK;
  const x = logMoneyness(input.forward, input.strike);
  const r = impliedNormalisedVol(theta, undiscounted / rootFK, x, intrinsic);
  if (r.status === 'ok') return { status: 'ok', vol: r.s / Math.sqrt(input.time), iterations: r.iterations };
  return r.status === 'zero-time-value' ? { status: 'zero-time-value', vol: 0 } : { status: r.status, message: describe(r.status, input) };
}

function describe(status: 'below-intrinsic' | 'above-maximum', input: ImpliedVolInput): string {
  const undiscounted = input.price * Math.exp((input.rate ?? 0) * input.time);
  const intrinsic = Math.max(input.kind === 'call' ? input.forward - input.strike : input.strike - input.forward, 0);
  const max = input.kind === 'call' ? input.forward : input.strike;
  return status === 'below-intrinsic'
    ? `price ${undiscounted} (undiscounted) is below the intrinsic value ${intrinsic}`
    : `price ${undiscounted} (undiscounted) is at or above the maximum ${max} a ${input.kind} can be worth`;
}

type NormalisedResult = { status: 'ok'; s: number; iterations: number } | { status: 'zero-time-value' | 'below-intrinsic' | 'above-maximum' };

/** Solves b(x, s) = β for s, θ = +1 call, −1 put; β = undiscounted price / √(FK). */
export function impliedNormalisedVol(theta: 1 | -1, beta: number, x: number, intrinsicValue?: number): NormalisedResult {
  const intrinsic = intrinsicValue ?? Math.max(theta * (Math.exp(0.5 * x) - Math.exp(-0.5 * x)), 0);
  const max = theta > 0 ? Math.exp(0.5 * x) : Math.exp(-0.5 * x);
  if (beta < intrinsic) return { status: 'below-intrinsic' };
  if (beta >= max) return { status: 'above-maximum' };
  // Puts become calls (x → −x); an in-the-money call becomes the OTM call on its time value.
  let xx = theta * x;
  let target = beta;
  if (xx > 0) {
    target = beta - intrinsic;
    xx = -xx;
  }
  if (target <= 0) return { status: 'zero-time-value' };
  return solveOtm(xx, target);
}

function solveOtm(x: number, beta: number): NormalisedResult {
  const bMax = Math.exp(0.5 * x);
  const sC = Math.sqrt(-2 * x);
  const bC = sC > 0 ? normalisedOtmCall(x, sC) : 0;
  const low = beta < bC;
  // Above the inflection point, ln(bMax − b) is the well-conditioned objective only once the
  // price is a sizeable fraction of its maximum; below that, ln b is.
  const region = low ? 'low' : beta < 0.5 * bMax ? 'middle' : 'high';
  let lo = low ? 0 : sC;
  let hi = low ? sC : Infinity;
  let s = low ? lowGuess(x, beta, sC) : highGuess(x, beta, bMax, sC);
  if (!(s > lo && s < hi)) s = Number.isFinite(hi) ? 0.5 * (lo + hi) : Math.max(2 * lo, 1);
  const lnBeta = Math.log(beta);
  const lnGapTarget = Math.log(bMax - beta);
  for (let i = 1; i <= MAX_ITERATIONS; i++) {
    const b = normalisedOtmCall(x, s);
    // Derivatives of b in s: b' = vega, b'' = b'·(x²/s³ − s/4), b''' = b'·[(x²/s³ − s/4)² − 3x²/s⁴ − 1/4].
    const b1 = normalisedVega(x, s);
    const k = (x * x) / (s * s * s) - 0.25 * s;
    const b2 = b1 * k;
    const b3 = b1 * (k * k - (3 * x * x) / (s * s * s * s) - 0.25);
    let f: number;
    let f1: number;
    let f2: number;
    let f3: number;
    if (region === 'middle') {
      // f = ln b − ln β
      const L1 = b1 / b;
      f = Math.log(b) - lnBeta;
      f1 = L1;
      f2 = b2 / b - L1 * L1;
      f3 = b3 / b - 3 * L1 * (b2 / b) + 2 * L1 * L1 * L1;
    } else if (low) {
      // f = 1/ln b − 1/ln β
      const L = Math.log(b);
      const L1 = b1 / b;
      const L2 = b2 / b - L1 * L1;
      const L3 = b3 / b - 3 * L1 * (b2 / b) + 2 * L1 * L1 * L1;
      f = 1 / L - 1 / lnBeta;
      f1 = -L1 / (L * L);
      f2 = -L2 / (L * L) + (2 * L1 * L1) / (L * L * L);
      f3 = -L3 / (L * L) + (6 * L1 * L2) / (L * L * L) - (6 * L1 * L1 * L1) / (L * L * L * L);
    } else {
      // f = ln(bMax − β) − ln(bMax − b), with u = bMax − b computed without cancellation
      const u = normalisedOtmCallComplement(x, s);
      const U1 = -b1 / u;
      const U2 = -b2 / u;
      const U3 = -b3 / u;
      f = lnGapTarget - Math.log(u);
      f1 = -U1;
      f2 = -U2 + U1 * U1;
      f3 = -U3 + 3 * U1 * U2 - 2 * U1 * U1 * U1;
    }
    // Every objective is monotone in s (1/ln b falls; ln b and −ln(bMax − b) rise): the sign of f says
    // on which side of the root s lies, consistently with the value the step uses.
    if (f === 0) return { status: 'ok', s, iterations: i };
    if (low ? f > 0 : f < 0) lo = s;
    else hi = s;
    let next: number;
    if (f1 !== 0 && Number.isFinite(f1)) {
      const nu = -f / f1;
      const h2 = f2 / f1;
      const h3 = f3 / f1;
      const step = (nu * (1 + 0.5 * h2 * nu)) / (1 + h2 * nu + (h3 * nu * nu) / 6);
      const move = Number.isFinite(step) ? step : nu;
      // Converged to within a few ulps: the step no longer changes s. A Householder step of the
      // third order leaves an error of the order of its own size to the fourth power (times the
      // objective's curvature, which the transforms keep near 1): a step under 1e-5 of s lands
      // within ~1e-20 of the root, so it is taken without one more evaluation to confirm it.
      if (Math.abs(move) <= 4 * EPS * s || (Math.abs(move) <= TRUSTED_STEP * s && inBracket(s + move, lo, hi))) return { status: 'ok', s: s + move, iterations: i };
      next = s + move;
    } else {
      next = Number.NaN;
    }
    if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? 0.5 * (lo + hi) : 2 * s;
    if (Math.abs(next - s) <= 4 * EPS * next || (Number.isFinite(hi) && hi - lo <= 4 * EPS * hi)) return { status: 'ok', s: next, iterations: i };
    s = next;
  }
  return { status: 'ok', s, iterations: MAX_ITERATIONS };
}

/** Far below the inflection point b ≈ exp(−x²/(2s²))·(…): leading order s ≈ |x|/√(−2 ln β). */
function lowGuess(x: number, beta: number, sC: number): number {
  const lnb = Math.log(beta);
  if (!(lnb < 0)) return 0.5 * sC;
  return Math.min(0.99 * sC, -x / Math.sqrt(-2 * lnb));
}

/** Far above it bMax − b ≈ (e^{x/2} + e^{−x/2})·Φ(−s/2): s ≈ −2Φ⁻¹((bMax − β)/(e^{x/2} + e^{−x/2})). */
function highGuess(x: number, beta: number, bMax: number, sC: number): number {
  const g = -2 * normInv((bMax - beta) / (Math.exp(0.5 * x) + Math.exp(-0.5 * x)));
  return Number.isFinite(g) && g > sC ? g : 1.01 * sC + 1e-12;
}
