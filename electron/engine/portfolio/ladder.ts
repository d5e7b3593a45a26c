import { LADDER_FIELDS, type LadderField, type LadderInputs, type LadderMargin, type LadderMarker, type LadderSnapshot, type RiskInput } from '../../../shared/domain/portfolio.ts';
import { emptyGreeks, firstOrderInto } from '../pricing/black.ts';
import { normCdfFromPdf, normPdfAccurate } from '../pricing/normal.ts';
import { basisDelta, basisGamma, basisValue } from '../risk/numeraire.ts';
import { MS_PER_YEAR } from '../risk/positions.ts';

const DAY_MS = 86_400_000;
const PAYOFF_POINTS = 81;
const scratch = emptyGreeks();

/** One scenario's USD value, its spot derivatives, vega and theta; reused, so a cell allocates nothing. */
interface Sums {
  value: number;
  dv: number;
  d2v: number;
  vegaUsd: number;
  thetaUsd: number;
}

/**
 * Revalues every holding at underlying price `price` (spot moved by price/spot − 1; forwards and
 * perp marks move by the same fraction), vol shifted by `volPoints`, `days` later, in USD with
 * ∂V/∂S and ∂²V/∂S². Same model as risk/portfolio.ts positionRisk (Black-76 on the forward, r = 0;
 * inverse contracts as Deribit settles them; cash at spot), written flat for the ladder's 200
 * positions × 41 prices × 3 vols. The numeraire is applied per cell by numeraire.ts.
 */
function revalue(positions: RiskInput[], spot: number, price: number, volPoints: number, atTime: number, out: Sums): void {
  const move = price / spot;
  out.value = out.dv = out.d2v = out.vegaUsd = out.thetaUsd = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const q = p.quantity;
    if (p.type === 'cash') {
      out.value += q * price;
      out.dv += q;
      continue;
    }
    if (p.type !== 'option') {
      if (p.inverseUsd !== undefined) {
        out.value += (p.inverseUsd * price) / p.entryPrice - (p.inverseUsd * spot) / p.mark;
        out.dv += p.inverseUsd / p.entryPrice;
      } else {
        out.value += q * (p.mark * move - p.entryPrice);
        out.dv += (q * p.mark) / spot;
      }
      continue;
    }
    const F = p.forward * move;
    const k = p.forward / spot;
    const T = Math.max(0, (p.expiry - atTime) / MS_PER_YEAR);
    const vol = Math.max(0, p.vol + volPoints / 100);
    firstOrderInto(p.kind === 'call' ? 1 : -1, F, p.strike, T, 0, 0, vol, scratch);
    out.value += q * scratch.price;
    out.dv += q * scratch.delta * k;
    out.d2v += q * scratch.gamma * k * k;
    out.vegaUsd += (q * scratch.vega) / 100;
    out.thetaUsd += (q * scratch.theta) / 365;
  }
}

/**
 * The ladder's options with what stays fixed across its rows and vols taken out of the loop: each
 * one's log-moneyness at spot, √T and σ√T per vol, so a cell costs one exponential and two normal
 * CDFs, not a logarithm and a square root besides. The price is Black's textbook form: in the wings
 * its two terms cancel to an absolute error of ~1e-16 of the forward per contract (a hundred-
 * billionth of a dollar on BTC), which a PnL in dollars never sees; the general kernel's care for
 * relative accuracy there is for implied vols. Options at or past expiry (σ√T ≈ 0) go through the
 * general kernel. Perps, futures and cash are linear and summed directly.
 */
class LadderBook {
  readonly n: number;
  private readonly theta: Float64Array;
  private readonly q: Float64Array;
  private readonly forward: Float64Array;
  private readonly strike: Float64Array;
  private readonly lnFK: Float64Array;
  private readonly sqrtT: Float64Array;
  /** σ√T per vol (vols.length per option), and σ itself. */
  private readonly v: Float64Array;
  private readonly sigma: Float64Array;
  private readonly vols: number;
  /** Positions the kernel does not take: revalued the general way, cell by cell. */
  readonly others: RiskInput[];

  constructor(positions: RiskInput[], spot: number, atTime: number, volPoints: readonly number[]) {
    const fast: Extract<RiskInput, { type: 'option' }>[] = [];
    const others: RiskInput[] = [];
    const lowestShift = Math.min(...volPoints) / 100;
    for (const p of positions) {
      if (p.type !== 'option') {
        others.push(p);
        continue;
      }
      const T = (p.expiry - atTime) / MS_PER_YEAR;
      if (T > 0 && Math.max(0, p.vol + lowestShift) * Math.sqrt(T) > 1e-6 && p.forward > 0 && p.strike > 0) fast.push(p);
      else others.push(p);
    }
    this.others = others;
    this.n = fast.length;
    this.vols = volPoints.length;
    const n = fast.length;
    this.theta = new Float64Array(n);
    this.q = new Float64Array(n);
    this.forward = new Float64Array(n);
    this.strike = new Float64Array(n);
    this.lnFK = new Float64Array(n);
    this.sqrtT = new Float64Array(n);
    this.v = new Float64Array(n * this.vols);
    this.sigma = new Float64Array(n * this.vols);
    for (let i = 0; i < n; i++) {
      const p = fast[i]!;
      const sqrtT = Math.sqrt((p.expiry - atTime) / MS_PER_YEAR);
      this.theta[i] = p.kind === 'call' ? 1 : -1;
      this.q[i] = p.quantity;
      // The forward as the ladder moves it: by the same fraction as spot.
      this.forward[i] = p.forward / spot;
      this.strike[i] = p.strike;
      this.lnFK[i] = Math.log(p.forward / p.strike);
      this.sqrtT[i] = sqrtT;
      for (let j = 0; j < this.vols; j++) {
        const sigma = Math.max(0, p.vol + volPoints[j]! / 100);
        this.sigma[i * this.vols + j] = sigma;
        this.v[i * this.vols + j] = sigma * sqrtT;
      }
    }
  }

  /**
   * Adds every prepared option at underlying `price` and vol `j` into `out`: USD value, and with
   * `greeks` ∂/∂S, ∂²/∂S², vega and theta (the vol-shifted PnL columns need the value only).
   */
  addOptions(spot: number, price: number, j: number, out: Sums, greeks = true): void {
    const lnMove = Math.log(price / spot);
    let value = 0;
    let dv = 0;
    let d2v = 0;
    let vega = 0;
    let theta = 0;
    const vols = this.vols;
    for (let i = 0; i < this.n; i++) {
      const th = this.theta[i]!;
      const q = this.q[i]!;
      const kf = this.forward[i]!; // F/S: dF/dS
      const F = kf * price;
      const K = this.strike[i]!;
      const v = this.v[i * vols + j]!;
      const x = this.lnFK[i]! + lnMove;
      const d1 = x / v + 0.5 * v;
      const d2 = d1 - v;
      const n1 = normPdfAccurate(d1);
      const n2 = n1 > 1e-280 ? n1 * (F / K) : normPdfAccurate(d2);
      const Nd1 = normCdfFromPdf(th * d1, n1);
      const Nd2 = normCdfFromPdf(th * d2, n2);
      const intrinsic = th * (F - K) > 0 ? th * (F - K) : 0;
      const raw = th * (F * Nd1 - K * Nd2);
      value += q * (raw > intrinsic ? raw : intrinsic);
      if (!greeks) continue;
      dv += q * th * Nd1 * kf;
      d2v += (q * n1 * kf * kf) / (F * v);
      const sqrtT = this.sqrtT[i]!;
      vega += (q * F * n1 * sqrtT) / 100;
      theta += (q * (-F * n1 * this.sigma[i * vols + j]!)) / (2 * sqrtT) / 365;
    }
    out.value += value;
    out.dv += dv;
    out.d2v += d2v;
    out.vegaUsd += vega;
    out.thetaUsd += theta;
  }
}

/** Ladder prices: `rows` levels `step` apart, centred on spot rounded to the step, highest first. */
export function ladderPrices(spot: number, step: number, rows: number): Float64Array {
  const centre = Math.round(spot / step) * step;
  const half = (rows - 1) / 2;
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) out[i] = centre + (half - i) * step;
  return out;
}

/**
 * The Greeks ladder of one underlying. PnL is against the portfolio's value now (live spot and
 * vol, no days forward), in the inputs' numeraire, so the row at spot with no shifts reads 0 and
 * every other cell is "what this move costs or earns"; Δ at a row is that column's derivative
 * there. Rows at or below zero price stay NaN.
 */
export function computeLadder(
  inputs: LadderInputs,
  markers: LadderMarker[] = [],
  counts = { positions: inputs.positions.length, whatIfs: 0 },
  /** A payoff computed a moment ago: the chart redraws a few times a second, the ladder every frame. */
  reusePayoff: LadderSnapshot['payoff'] | null = null,
  /** Each venue account's margin use at these rows (risk/ladder-margin.ts). */
  margins: LadderMargin[] = [],
): LadderSnapshot {
  const { spec, spot, positions, computedAt, numeraire: n } = inputs;
  const prices = ladderPrices(spot, spec.step, spec.rows);
  const columns = Object.fromEntries(LADDER_FIELDS.map((f) => [f, new Float64Array(spec.rows).fill(NaN)])) as Record<LadderField, Float64Array>;
  const sums: Sums = { value: 0, dv: 0, d2v: 0, vegaUsd: 0, thetaUsd: 0 };
  // The value now through the same kernel as every cell, so the row at spot with no shifts reads 0.
  const now = new LadderBook(positions, spot, computedAt, [0]);
  revalue(now.others, spot, spot, 0, computedAt, sums);
  now.addOptions(spot, spot, 0, sums);
  const base = basisValue(n, spot, sums.value);
  const at = computedAt + spec.days * DAY_MS;
  const vols = [spec.volShift - spec.volStep, spec.volShift + spec.volStep, spec.volShift];
  const book = new LadderBook(positions, spot, at, vols);
  const cell = (price: number, j: number): void => {
    revalue(book.others, spot, price, vols[j]!, at, sums);
    book.addOptions(spot, price, j, sums, j === 2);
  };
  for (let i = 0; i < spec.rows; i++) {
    const price = prices[i]!;
    if (!(price > 0)) continue;
    cell(price, 0);
    columns.pnlVolDown[i] = basisValue(n, price, sums.value) - base;
    cell(price, 1);
    columns.pnlVolUp[i] = basisValue(n, price, sums.value) - base;
    cell(price, 2);
    columns.pnl[i] = basisValue(n, price, sums.value) - base;
    columns.deltaCoin[i] = basisDelta(n, price, sums.value, sums.dv);
    columns.gammaCoin[i] = basisGamma(n, price, sums.value, sums.dv, sums.d2v);
    columns.vegaUsd[i] = sums.vegaUsd;
    columns.thetaUsd[i] = sums.thetaUsd;
  }
  return {
    spec,
    computedAt,
    numeraire: n,
    spot,
    prices,
    columns,
    markers: markers.filter((m) => m.price > 0),
    margins,
    positions: counts.positions,
    whatIfs: counts.whatIfs,
    payoff: reusePayoff ?? payoff(inputs, base, prices),
  };
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `x` (portfolio-desk's niceStep rounds to the nearest; a range must be covered). */
export function niceStepAtLeast(x: number): number {
  if (!(x > 0)) return 1;
  const k = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * k >= x * (1 - 1e-12)) return m * k;
  return 10 * k;
}

/**
 * PnL against price over a wider range than the ladder: "today" (with the ladder's days and vol
 * shift) and at the first option expiry, where that leg pays its intrinsic value and later legs
 * keep their remaining time value (not the expired leg graphed as if alive).
 */
function payoff(inputs: LadderInputs, base: number, ladder: Float64Array): LadderSnapshot['payoff'] {
  const { spot, positions, spec, computedAt, numeraire: n } = inputs;
  const wantLo = Math.max(spot * 0.05, Math.min(spot * 0.7, ladder[ladder.length - 1]!));
  const wantHi = Math.max(spot * 1.3, ladder[0]!);
  // Points on round prices (a 1-2-2.5-5 step), so the chart's axis reads 70,000 / 75,000, not 71,390.
  const step = niceStepAtLeast((wantHi - wantLo) / (PAYOFF_POINTS - 1));
  const lo = Math.max(step, Math.floor(wantLo / step) * step);
  const hi = lo + step * (PAYOFF_POINTS - 1);
  const prices = new Float64Array(PAYOFF_POINTS);
  const today = new Float64Array(PAYOFF_POINTS);
  const atExpiry = new Float64Array(PAYOFF_POINTS);
  let expiry: number | null = null;
  for (const p of positions) if (p.type === 'option' && p.expiry > computedAt && (expiry === null || p.expiry < expiry)) expiry = p.expiry;
  const sums: Sums = { value: 0, dv: 0, d2v: 0, vegaUsd: 0, thetaUsd: 0 };
  for (let i = 0; i < PAYOFF_POINTS; i++) {
    const price = lo + ((hi - lo) * i) / (PAYOFF_POINTS - 1);
    prices[i] = price;
    revalue(positions, spot, price, spec.volShift, computedAt + spec.days * DAY_MS, sums);
    today[i] = basisValue(n, price, sums.value) - base;
    revalue(positions, spot, price, spec.volShift, expiry ?? computedAt + spec.days * DAY_MS, sums);
    atExpiry[i] = basisValue(n, price, sums.value) - base;
  }
  return { prices, today, atExpiry, expiry };
}
