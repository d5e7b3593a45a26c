import { addGreeks, zeroGreeks, type CanonicalGreeks } from './canonical-greeks.ts';
import { positionRisk } from './portfolio.ts';
import type { RiskPosition, UnderlyingMarket } from './positions.ts';

export interface GridSpec {
  /** Relative spot moves, e.g. [-0.1, -0.05, 0, 0.05, 0.1]. */
  spotShifts: number[];
  /** Vol shifts in vol points. */
  volShifts: number[];
  /** Days forward. */
  days: number[];
}

export interface GridCell {
  spotShift: number;
  volShift: number;
  days: number;
  /** Underlying price in this cell, USD. */
  spot: number;
  /** PnL against today's unshifted value, USD. */
  pnlUsd: number;
  greeks: CanonicalGreeks;
}

/**
 * The engine behind the Greeks ladder: one underlying's positions revalued in every cell of
 * (spot shift × vol shift × days forward). Cells are ordered days, then vol, then spot.
 */
export function scenarioGrid(positions: RiskPosition[], underlying: string, market: UnderlyingMarket, now: number, spec: GridSpec): GridCell[] {
  const mine = positions.filter((p) => p.underlying === underlying);
  let base = 0;
  for (const p of mine) base += positionRisk(p, market, now).valueUsd;
  const cells: GridCell[] = [];
  for (const days of spec.days) {
    for (const volShift of spec.volShifts) {
      for (const spotShift of spec.spotShifts) {
        const total = zeroGreeks();
        for (const p of mine) addGreeks(total, positionRisk(p, market, now, { spot: spotShift, volPoints: volShift, days }));
        cells.push({ spotShift, volShift, days, spot: market.spot * (1 + spotShift), pnlUsd: total.valueUsd - base, greeks: total });
      }
    }
  }
  return cells;
}
