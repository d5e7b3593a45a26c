import { LADDER_FIELDS, type LadderField, type LadderInputs, type LadderMargin, type LadderMarker, type LadderSnapshot, type RiskInput } from '../../../shared/domain/portfolio.ts';
import { emptyGreeks, firstOrderInto } from '../pricing/black.ts';
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
  revalue(positions, spot, spot, 0, computedAt, sums);
  const base = basisValue(n, spot, sums.value);
  const at = computedAt + spec.days * DAY_MS;
  for (let i = 0; i < spec.rows; i++) {
    const price = prices[i]!;
    if (!(price > 0)) continue;
    revalue(positions, spot, price, spec.volShift - spec.volStep, at, sums);
    columns.pnlVolDown[i] = basisValue(n, price, sums.value) - base;
    revalue(positions, spot, price, spec.volShift + spec.volStep, at, sums);
    columns.pnlVolUp[i] = basisValue(n, price, sums.value) - base;
    revalue(positions, spot, price, spec.volShift, at, sums);
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
