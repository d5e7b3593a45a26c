import type { LadderField, LadderSnapshot, LadderSpec, PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import { decimalsOf, formatFixed, formatSigned } from '../../../../shared/format/numbers.ts';
import type { RiskUnit } from '../../stores/view-store.ts';

/** Underlyings with positions, in the engine's order; the chosen one if still held, else the first. */
export function shownUnderlying(snapshot: PortfolioSnapshot | null, chosen: string | null): string | null {
  const held = snapshot?.totals.map((t) => t.underlying) ?? [];
  return chosen && held.includes(chosen) ? chosen : (held[0] ?? null);
}

/** The row whose price is nearest live spot. */
export function spotRow(l: LadderSnapshot): number {
  let best = 0;
  for (let i = 1; i < l.prices.length; i++) if (Math.abs(l.prices[i]! - l.spot) < Math.abs(l.prices[best]! - l.spot)) best = i;
  return best;
}

export interface ColumnMeta {
  field: LadderField;
  title: (unit: RiskUnit, coin: string) => string;
  hint: string;
}

export const COLUMNS: ColumnMeta[] = [
  { field: 'pnl', title: (u, c) => (u === 'usd' ? 'PnL $' : `PnL ${c}`), hint: 'Change in portfolio value from now if the underlying were at this price (with the vol shift and days forward)' },
  { field: 'pnlVolDown', title: (u, c) => (u === 'usd' ? 'PnL vol− $' : `PnL vol− ${c}`), hint: 'PnL at this price with vol lowered by the vol step' },
  { field: 'pnlVolUp', title: (u, c) => (u === 'usd' ? 'PnL vol+ $' : `PnL vol+ ${c}`), hint: 'PnL at this price with vol raised by the vol step' },
  { field: 'deltaCoin', title: (u, c) => (u === 'usd' ? 'Δ $' : `Δ ${c}`), hint: 'Delta at this price: coins (options premium-adjusted), or USD exposure' },
  { field: 'gammaCoin', title: (u, c) => (u === 'usd' ? 'Γ $Δ/1%' : `Γ ${c}/1%`), hint: 'Change in delta for a 1 % move of the underlying' },
  { field: 'vegaUsd', title: (u, c) => (u === 'usd' ? 'Vega $/pt' : `Vega ${c}/pt`), hint: 'Value change per 1 vol point' },
  { field: 'thetaUsd', title: (u, c) => (u === 'usd' ? 'Θ $/day' : `Θ ${c}/day`), hint: 'Value change per calendar day' },
];

/**
 * One ladder cell in the chosen unit. Engine columns are USD (delta and gamma in coin per USD);
 * coin figures are the USD figure at that row's price divided by the price.
 */
export function cellValue(l: LadderSnapshot, field: LadderField, row: number, unit: RiskUnit): number {
  const v = l.columns[field][row]!;
  const price = l.prices[row]!;
  switch (field) {
    case 'deltaCoin':
      return unit === 'usd' ? v * price : v;
    case 'gammaCoin':
      // Δ change for a 1 % move: coins, or USD delta.
      return unit === 'usd' ? v * price * price * 0.01 : v * price * 0.01;
    default:
      return unit === 'usd' ? v : v / price;
  }
}

export function formatCell(field: LadderField, value: number, unit: RiskUnit): string {
  return formatSigned(value, unit === 'usd' ? 0 : field === 'deltaCoin' || field === 'gammaCoin' ? 3 : 4);
}

export function formatPrice(l: LadderSnapshot, row: number): string {
  return formatFixed(l.prices[row]!, decimalsOf(l.spec.step));
}

/** Largest magnitude per column, for shading cells by value. */
export function columnScale(l: LadderSnapshot, field: LadderField, unit: RiskUnit): number {
  let max = 0;
  for (let i = 0; i < l.prices.length; i++) {
    const v = Math.abs(cellValue(l, field, i, unit));
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/** Ladder rows a marker falls in: the row whose half-step band holds its price. */
export function markerRows(l: LadderSnapshot): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const m of l.markers) {
    const i = Math.round((l.prices[0]! - m.price) / l.spec.step);
    if (i < 0 || i >= l.prices.length) continue;
    out.set(i, [...(out.get(i) ?? []), `${m.label} at ${formatFixed(m.price, 2)}`]);
  }
  return out;
}

const STEPS = [1, 2, 2.5, 5];
/** The next nicer step up or down (…, 250, 500, 1000, 2000, 2500, 5000, …). */
export function stepAfter(step: number, direction: 1 | -1): number {
  const p = 10 ** Math.floor(Math.log10(step));
  const ladder = [...STEPS.map((m) => m * p / 10), ...STEPS.map((m) => m * p), ...STEPS.map((m) => m * p * 10)];
  const i = ladder.findIndex((s) => Math.abs(s - step) < step * 1e-9);
  const at = i === -1 ? ladder.findIndex((s) => s > step) - (direction > 0 ? 1 : 0) : i;
  return ladder[Math.max(0, Math.min(ladder.length - 1, at + direction))]!;
}

export function withSpec(spec: LadderSpec, change: Partial<Omit<LadderSpec, 'underlying'>>): LadderSpec {
  const next = { ...spec, ...change };
  next.volShift = Math.max(-100, Math.min(500, Math.round(next.volShift * 10) / 10));
  next.days = Math.max(0, Math.min(3650, next.days));
  return next;
}
