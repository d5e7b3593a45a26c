import { sviImpliedVol, type SmileSlice } from '../../../../shared/domain/options.ts';
import { rowValue } from '../../stores/options-store.ts';
import type { StrikeRow } from './chain-model.ts';

export interface Point {
  time: number;
  value: number;
}

export interface SmileSeries {
  curve: Point[];
  mark: Point[];
  bid: Point[];
  ask: Point[];
  /** The peer venue's mark IVs (Derive), against the same joint fit. */
  peerMark: Point[];
}

const MAX_GRID = 240;

/**
 * The smile's points on one strike grid. The chart spaces horizontal items evenly, so every series
 * uses the same evenly spaced grid (fine enough to hold every listed strike) and strikes stay in
 * proportion. IVs in percent. Each strike shows its out-of-the-money option's quotes, on both venues.
 */
export function smileSeries(rows: readonly StrikeRow[], values: Float64Array, slice: SmileSlice | undefined, forward: number): SmileSeries {
  const out: SmileSeries = { curve: [], mark: [], bid: [], ask: [], peerMark: [] };
  if (rows.length < 2) return out;
  const lo = rows[0]!.strike;
  const hi = rows[rows.length - 1]!.strike;
  let step = Infinity;
  for (let i = 1; i < rows.length; i++) step = Math.min(step, rows[i]!.strike - rows[i - 1]!.strike);
  step = Math.max(step / 4, (hi - lo) / MAX_GRID);
  const snap = (k: number): number => lo + Math.round((k - lo) / step) * step;
  const steps = Math.round((hi - lo) / step);
  for (let i = 0; slice && i <= steps; i++) {
    const x = lo + i * step;
    const iv = sviImpliedVol(slice, Math.log(x / slice.forward));
    if (Number.isFinite(iv)) out.curve.push({ time: x, value: iv * 100 });
  }
  const seen = new Set<number>();
  for (const r of rows) {
    const c = forward > 0 && r.strike < forward ? (r.put ?? r.call) : (r.call ?? r.put);
    if (!c) continue;
    const x = snap(r.strike);
    // Same float arithmetic as the curve's grid, so both series share the x values exactly.
    if (seen.has(x)) continue;
    seen.add(x);
    const push = (into: Point[], v: number): void => {
      if (v > 0) into.push({ time: x, value: v * 100 });
    };
    push(out.mark, rowValue(values, c.row, 'markIv'));
    push(out.bid, rowValue(values, c.row, 'bidIv'));
    push(out.ask, rowValue(values, c.row, 'askIv'));
    push(out.peerMark, rowValue(values, c.row, 'peerMarkIv'));
  }
  return out;
}

/** ATM implied vol per expiry from the fitted slices, for the term structure, in percent. */
export function termStructure(slices: readonly SmileSlice[]): { days: number; iv: number; expiry: number }[] {
  return slices.map((s) => ({ days: s.time * 365, iv: sviImpliedVol(s, 0) * 100, expiry: s.expiry })).filter((p) => Number.isFinite(p.iv));
}
