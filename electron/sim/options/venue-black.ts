/*
 * The simulated Deribit's own Black-76, written here from the venue's rules (marks and Greeks on
 * the forward; bid_iv/ask_iv as the vol that reprices a quote) rather than borrowed from the
 * engine: in paper mode "ours vs the venue's" must be able to differ, as it does live. Accuracy
 * is what a venue's display needs (the normal CDF to ~1e-7, an IV to 1e-6 vol), not the engine's.
 */

/** Abramowitz & Stegun 26.2.17: |error| < 7.5e-8. */
function cdf(x: number): number {
  const t = 1 / (1 + 0.2316419 * Math.abs(x));
  const poly = t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
  const tail = pdf(x) * poly;
  return x >= 0 ? 1 - tail : tail;
}

function pdf(x: number): number {
  return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
}

export interface VenueQuote {
  /** USD per coin of underlying. */
  price: number;
  delta: number;
  /** Per 1 USD of forward. */
  gamma: number;
  /** USD per 1.00 of vol. */
  vega: number;
  /** USD per year of time passing. */
  theta: number;
  /** USD per 1.00 of rate (undiscounted on the forward: −T·price). */
  rho: number;
}

/** Undiscounted Black-76 on the forward; null where the inputs leave no price. */
export function venueBlack(kind: 'call' | 'put', forward: number, strike: number, time: number, vol: number): VenueQuote | null {
  if (!(forward > 0 && strike > 0 && time > 0 && vol > 0)) return null;
  const sd = vol * Math.sqrt(time);
  const d1 = (Math.log(forward / strike) + 0.5 * sd * sd) / sd;
  const d2 = d1 - sd;
  const call = kind === 'call';
  const price = call ? forward * cdf(d1) - strike * cdf(d2) : strike * cdf(-d2) - forward * cdf(-d1);
  const vega = forward * pdf(d1) * Math.sqrt(time);
  return {
    price: Math.max(0, price),
    delta: call ? cdf(d1) : cdf(d1) - 1,
    gamma: pdf(d1) / (forward * sd),
    vega,
    theta: -(forward * pdf(d1) * vol) / (2 * Math.sqrt(time)),
    rho: -time * price,
  };
}

/** The vol that reprices `price` (USD per coin), by Newton from a Brenner–Subrahmanyam start, bisection when Newton leaves the bracket; 0 if none. */
export function venueImpliedVol(kind: 'call' | 'put', price: number, forward: number, strike: number, time: number): number {
  const intrinsic = Math.max(0, kind === 'call' ? forward - strike : strike - forward);
  const cap = kind === 'call' ? forward : strike;
  if (!(time > 0) || !(price > intrinsic) || !(price < cap)) return 0;
  let lo = 1e-4;
  let hi = 10;
  let vol = Math.min(5, Math.max(0.05, (Math.sqrt((2 * Math.PI) / time) * price) / forward));
  for (let i = 0; i < 60; i++) {
    const q = venueBlack(kind, forward, strike, time, vol);
    if (!q) return 0;
    const diff = q.price - price;
    if (Math.abs(diff) < 1e-9 * forward) return vol;
    if (diff > 0) hi = vol;
    else lo = vol;
    const next = q.vega > 1e-12 ? vol - diff / q.vega : NaN;
    vol = next > lo && next < hi ? next : 0.5 * (lo + hi);
    if (hi - lo < 1e-7) return vol;
  }
  return vol;
}
