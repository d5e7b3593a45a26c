import { checkFields, type PricingResult } from './inputs.ts';
import { normCdfFromPdf, normPdfAccurate } from './normal.ts';
import { logMoneyness } from './moneyness.ts';
import { normalisedOtmCall } from './normalised-black.ts';

export type OptionKind = 'call' | 'put';

/**
 * Generalised Black-Scholes-Merton with cost of carry b (Haug's notation):
 * b = r stock, b = r − q dividend yield, b = 0 Black-76 on a forward (S := F), b = r_d − r_f FX.
 * Time T in years (ACT/365 wall clock for crypto), rates and vol as annual fractions.
 */
export interface OptionInput {
  kind: OptionKind;
  /** Underlying price (the forward for Black-76), quote currency. */
  spot: number;
  strike: number;
  /** Time to expiry in years, ≥ 0. */
  time: number;
  /** Continuously compounded discount rate, annual. */
  rate: number;
  /** Cost of carry, annual. */
  carry: number;
  /** Volatility, annual, ≥ 0 (0.6 = 60 %). */
  vol: number;
}

/**
 * Price and sensitivities as plain partial derivatives. Units (quote currency = USD for our books):
 * - price: USD per unit of underlying
 * - delta ∂V/∂S: per 1 USD of underlying (= units of underlying)
 * - gamma ∂²V/∂S²: delta change per 1 USD
 * - vega ∂V/∂σ: USD per 1.00 of vol (divide by 100 for per vol point)
 * - theta ∂V/∂t: USD per year of calendar time passing (divide by 365 for per day)
 * - rho ∂V/∂r with carry held: USD per 1.00 of rate (divide by 100 for per 1 %)
 * - carryRho ∂V/∂b: USD per 1.00 of carry (stock rho = rho + carryRho, since b moves with r)
 * - vanna ∂²V/∂S∂σ, volga ∂²V/∂σ², speed ∂³V/∂S³, zomma ∂Γ/∂σ: per 1 USD / per 1.00 vol
 * - charm ∂Δ/∂t, colour ∂Γ/∂t, veta ∂vega/∂t: per year of calendar time passing
 */
export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  vega: number;
  theta: number;
  rho: number;
  carryRho: number;
  vanna: number;
  volga: number;
  charm: number;
  speed: number;
  zomma: number;
  colour: number;
  veta: number;
}

/** Below this σ√T the option is priced at its (discounted, forward) intrinsic value. */
const MIN_TOTAL_VOL = 1e-12;

/** Validates and prices one option with all Greeks. */
export function priceOption(input: OptionInput): PricingResult<Greeks> {
  if (input.kind !== 'call' && input.kind !== 'put') return { ok: false, error: { code: 'invalid-input', field: 'kind', message: 'kind: expected "call" or "put"' } };
  const bad = checkFields([
    ['spot', input.spot, 'positive'],
    ['strike', input.strike, 'positive'],
    ['time', input.time, 'nonNegative'],
    ['rate', input.rate, 'finite'],
    ['carry', input.carry, 'finite'],
    ['vol', input.vol, 'nonNegative'],
  ]);
  if (bad) return bad;
  const out = emptyGreeks();
  greeksInto(input.kind === 'call' ? 1 : -1, input.spot, input.strike, input.time, input.rate, input.carry, input.vol, out);
  return { ok: true, value: out };
}

export function emptyGreeks(): Greeks {
  return { price: 0, delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0, carryRho: 0, vanna: 0, volga: 0, charm: 0, speed: 0, zomma: 0, colour: 0, veta: 0 };
}

/** Price and the five first-order Greeks: what a chain, a ladder or a hedger reads. */
export type FirstOrderGreeks = Pick<Greeks, 'price' | 'delta' | 'gamma' | 'vega' | 'theta' | 'rho'>;

/** What the first-order kernel leaves for the higher orders (one module-level record, no allocation). */
const terms = { d1: 0, d2: 0, n1: 0, Nd1: 0, v: 0, carryDf: 0 };

/**
 * The unchecked first-order kernel: θ = +1 call, −1 put; writes price, delta, gamma, vega, theta
 * and rho into `out` (no allocation), for hot loops over validated inputs. Returns false (and
 * writes nothing) when σ√T is too small to price off the distribution; the caller then takes the
 * limit. One accurate Gaussian serves both CDFs (φ(d2) = φ(d1)·F/K), and a zero rate or carry
 * costs no exponential.
 */
function firstOrderCore(theta: 1 | -1, S: number, K: number, T: number, r: number, b: number, sigma: number, out: FirstOrderGreeks): boolean {
  const sqrtT = Math.sqrt(T);
  const v = sigma * sqrtT;
  if (!(v > MIN_TOTAL_VOL) || T === 0) return false;
  const df = r === 0 ? 1 : Math.exp(-r * T);
  const growth = b === 0 ? 1 : Math.exp(b * T);
  const carryDf = growth * df; // e^{(b−r)T}
  const x = logMoneyness(S, K) + b * T; // ln(F/K)
  const d1 = x / v + 0.5 * v;
  const d2 = d1 - v;
  const n1 = normPdfAccurate(d1);
  // φ(d2) = φ(d1)·F/K holds to a few ulps; where φ(d1) has underflowed it is taken directly.
  const n2 = n1 > 1e-280 ? n1 * ((S / K) * growth) : normPdfAccurate(d2);
  const Nd1 = normCdfFromPdf(theta * d1, n1);
  const Nd2 = normCdfFromPdf(theta * d2, n2);
  const forwardDf = S * carryDf; // = F·e^{−rT}
  // Near the money with some time value the textbook formula loses at most ~10 ulps. Elsewhere
  // (wings, minutes to expiry, deep in the money) its two terms cancel, so the price is the
  // discounted intrinsic plus the normalised Black time value, accurate down to 1e-300.
  const nearMoney = v > 0.05 && theta * d1 > -1.5 && theta * d2 < 1.5;
  const discIntrinsic = Math.max(theta * (forwardDf - K * df), 0);
  const raw = nearMoney ? theta * (forwardDf * Nd1 - K * df * Nd2) : discIntrinsic + Math.sqrt(forwardDf * K * df) * normalisedOtmCall(-Math.abs(x), v);
  // Rounding can land an ulp outside the no-arbitrage bounds (a call above the discounted forward,
  // a put above the discounted strike, either below intrinsic); the price never leaves them, so
  // the implied vol of our own price is always defined.
  const price = Math.min(Math.max(raw, discIntrinsic), theta > 0 ? forwardDf : K * df);
  out.price = price;
  out.delta = theta * carryDf * Nd1;
  out.gamma = (carryDf * n1) / (S * v);
  out.vega = S * carryDf * n1 * sqrtT;
  out.theta = (-S * carryDf * n1 * sigma) / (2 * sqrtT) - theta * (b - r) * S * carryDf * Nd1 - theta * r * K * df * Nd2;
  out.rho = -T * price;
  terms.d1 = d1;
  terms.d2 = d2;
  terms.n1 = n1;
  terms.Nd1 = Nd1;
  terms.v = v;
  terms.carryDf = carryDf;
  return true;
}

/**
 * Price and first-order Greeks only, for hot loops over validated inputs (θ = +1 call, −1 put):
 * the chain, the ladder, the portfolio and the hedger need nothing more.
 */
export function firstOrderInto(theta: 1 | -1, S: number, K: number, T: number, r: number, b: number, sigma: number, out: FirstOrderGreeks): void {
  if (!firstOrderCore(theta, S, K, T, r, b, sigma, out)) limitFirstOrder(theta, S, K, T, r, b, out);
}

/** The unchecked kernel with every Greek: θ = +1 call, −1 put. Writes into `out` (no allocation). */
export function greeksInto(theta: 1 | -1, S: number, K: number, T: number, r: number, b: number, sigma: number, out: Greeks): void {
  if (!firstOrderCore(theta, S, K, T, r, b, sigma, out)) {
    limitInto(theta, S, K, T, r, b, out);
    return;
  }
  const { d1, d2, n1, Nd1, v, carryDf } = terms;
  const gamma = out.gamma;
  const vega = out.vega;
  out.carryRho = theta * T * S * carryDf * Nd1;
  out.vanna = (-carryDf * n1 * d2) / sigma;
  out.volga = (vega * d1 * d2) / sigma;
  out.charm = -carryDf * (n1 * (b / v - d2 / (2 * T)) + theta * (b - r) * Nd1);
  out.speed = (-gamma * (1 + d1 / v)) / S;
  out.zomma = (gamma * (d1 * d2 - 1)) / sigma;
  out.colour = gamma * (r - b + (b * d1) / v + (1 - d1 * d2) / (2 * T));
  out.veta = vega * (r - b + (b * d1) / v - (1 + d1 * d2) / (2 * T));
}

/**
 * σ√T → 0: the option is worth its discounted forward intrinsic value; the densities vanish. At the
 * money the delta is the one-sided limit ½. Nothing here is NaN or infinite.
 */
function limitFirstOrder(theta: 1 | -1, S: number, K: number, T: number, r: number, b: number, out: FirstOrderGreeks): number {
  const df = Math.exp(-r * T);
  const carryDf = Math.exp((b - r) * T);
  const F = S * Math.exp(b * T);
  const itm = theta * (F - K) > 0 ? 1 : F === K ? 0.5 : 0;
  out.price = itm === 1 ? theta * (S * carryDf - K * df) : 0;
  out.delta = theta * carryDf * itm;
  out.gamma = 0;
  out.vega = 0;
  out.theta = itm === 1 ? -theta * (b - r) * S * carryDf - theta * r * K * df : 0;
  out.rho = -T * out.price;
  return itm;
}

function limitInto(theta: 1 | -1, S: number, K: number, T: number, r: number, b: number, out: Greeks): void {
  const itm = limitFirstOrder(theta, S, K, T, r, b, out);
  const carryDf = Math.exp((b - r) * T);
  out.carryRho = theta * T * S * carryDf * itm;
  out.vanna = 0;
  out.volga = 0;
  out.charm = -theta * carryDf * (b - r) * itm;
  out.speed = 0;
  out.zomma = 0;
  out.colour = 0;
  out.veta = 0;
}

/** Black-76 on a forward: carry 0; `rate` discounts the premium (0 on Deribit). */
export function black76(kind: OptionKind, forward: number, strike: number, time: number, vol: number, rate = 0): PricingResult<Greeks> {
  return priceOption({ kind, spot: forward, strike, time, rate, carry: 0, vol });
}
