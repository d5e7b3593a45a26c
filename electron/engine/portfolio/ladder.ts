import { LADDER_FIELDS, type LadderField, type LadderInputs, type LadderMarker, type LadderSnapshot, type RiskInput } from '../../../shared/domain/portfolio.ts';
import { emptyGreeks, greeksInto } from '../pricing/black.ts';
import { MS_PER_YEAR } from '../risk/positions.ts';

const DAY_MS = 86_400_000;
const PAYOFF_POINTS = 81;
const scratch = emptyGreeks();

/** Accumulates one scenario's portfolio value and Greeks; reused, so a cell allocates nothing. */
interface Sums {
  value: number;
  deltaCoin: number;
  gammaCoin: number;
  vegaUsd: number;
  thetaUsd: number;
}

/**
 * Revalues every position at underlying price `price` (spot moved by price/spot − 1; forwards and
 * perp marks move by the same fraction), vol shifted by `volPoints`, `days` later. Same model as
 * risk/portfolio.ts positionRisk (Black-76 on the forward, r = 0; inverse deltas premium-adjusted),
 * written flat for the ladder's 200 positions × 41 prices × 3 vols.
 */
function revalue(positions: RiskInput[], spot: number, price: number, volPoints: number, atTime: number, out: Sums): void {
  const move = price / spot;
  out.value = out.deltaCoin = out.gammaCoin = out.vegaUsd = out.thetaUsd = 0;
  for (let i = 0; i < positions.length; i++) {
    const p = positions[i]!;
    const q = p.quantity;
    if (p.type !== 'option') {
      out.value += q * (p.mark * move - p.entryPrice);
      out.deltaCoin += q;
      continue;
    }
    const F = p.forward * move;
    const T = Math.max(0, (p.expiry - atTime) / MS_PER_YEAR);
    const vol = Math.max(0, p.vol + volPoints / 100);
    greeksInto(p.kind === 'call' ? 1 : -1, F, p.strike, T, 0, 0, vol, scratch);
    out.value += q * scratch.price;
    out.deltaCoin += q * (p.settlement === 'inverse' ? scratch.delta - scratch.price / F : scratch.delta);
    out.gammaCoin += q * scratch.gamma;
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
 * vol, no days forward), so the row at spot with no shifts reads 0 and every other cell is "what
 * this move costs or earns". Rows at or below zero price stay NaN.
 */
export function computeLadder(
  inputs: LadderInputs,
  markers: LadderMarker[] = [],
  counts = { positions: inputs.positions.length, whatIfs: 0 },
  /** A payoff computed a moment ago: the chart redraws a few times a second, the ladder every frame. */
  reusePayoff: LadderSnapshot['payoff'] | null = null,
): LadderSnapshot {
  const { spec, spot, positions, computedAt } = inputs;
  const prices = ladderPrices(spot, spec.step, spec.rows);
  const columns = Object.fromEntries(LADDER_FIELDS.map((f) => [f, new Float64Array(spec.rows).fill(NaN)])) as Record<LadderField, Float64Array>;
  const sums: Sums = { value: 0, deltaCoin: 0, gammaCoin: 0, vegaUsd: 0, thetaUsd: 0 };
  revalue(positions, spot, spot, 0, computedAt, sums);
  const base = sums.value;
  const at = computedAt + spec.days * DAY_MS;
  for (let i = 0; i < spec.rows; i++) {
    const price = prices[i]!;
    if (!(price > 0)) continue;
    revalue(positions, spot, price, spec.volShift - spec.volStep, at, sums);
    columns.pnlVolDown[i] = sums.value - base;
    revalue(positions, spot, price, spec.volShift + spec.volStep, at, sums);
    columns.pnlVolUp[i] = sums.value - base;
    revalue(positions, spot, price, spec.volShift, at, sums);
    columns.pnl[i] = sums.value - base;
    columns.deltaCoin[i] = sums.deltaCoin;
    columns.gammaCoin[i] = sums.gammaCoin;
    columns.vegaUsd[i] = sums.vegaUsd;
    columns.thetaUsd[i] = sums.thetaUsd;
  }
  return {
    spec,
    computedAt,
    spot,
    prices,
    columns,
    markers: markers.filter((m) => m.price > 0),
    positions: counts.positions,
    whatIfs: counts.whatIfs,
    payoff: reusePayoff ?? payoff(inputs, base, prices),
  };
}

/**
 * PnL against price over a wider range than the ladder: "today" (with the ladder's days and vol
 * shift) and at the first option expiry, where that leg pays its intrinsic value and later legs
 * keep their remaining time value (not the expired leg graphed as if alive).
 */
function payoff(inputs: LadderInputs, base: number, ladder: Float64Array): LadderSnapshot['payoff'] {
  const { spot, positions, spec, computedAt } = inputs;
  const lo = Math.max(spot * 0.05, Math.min(spot * 0.7, ladder[ladder.length - 1]!));
  const hi = Math.max(spot * 1.3, ladder[0]!);
  const prices = new Float64Array(PAYOFF_POINTS);
  const today = new Float64Array(PAYOFF_POINTS);
  const atExpiry = new Float64Array(PAYOFF_POINTS);
  let expiry: number | null = null;
  for (const p of positions) if (p.type === 'option' && p.expiry > computedAt && (expiry === null || p.expiry < expiry)) expiry = p.expiry;
  const sums: Sums = { value: 0, deltaCoin: 0, gammaCoin: 0, vegaUsd: 0, thetaUsd: 0 };
  for (let i = 0; i < PAYOFF_POINTS; i++) {
    const price = lo + ((hi - lo) * i) / (PAYOFF_POINTS - 1);
    prices[i] = price;
    revalue(positions, spot, price, spec.volShift, computedAt + spec.days * DAY_MS, sums);
    today[i] = sums.value - base;
    revalue(positions, spot, price, spec.volShift, expiry ?? computedAt + spec.days * DAY_MS, sums);
    atExpiry[i] = sums.value - base;
  }
  return { prices, today, atExpiry, expiry };
}
