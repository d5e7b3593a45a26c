import type { LadderField, LadderMargin, LadderSnapshot, LadderSpec, Numeraire, PortfolioSnapshot } from '../../../../shared/domain/portfolio.ts';
import { decimalsOf, formatFixed, formatSigned } from '../../../../shared/format/numbers.ts';

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
  title: (numeraire: Numeraire, coin: string) => string;
  hint: string;
}

const inUnit = (n: Numeraire, coin: string): string => (n === 'usd' ? '$' : coin);

export const COLUMNS: ColumnMeta[] = [
  { field: 'pnl', title: (n, c) => `PnL ${inUnit(n, c)}`, hint: 'Change in portfolio value from now if the underlying were at this price (with the vol shift and days forward), counted in the PnL unit (U switches USD / coin)' },
  { field: 'pnlVolDown', title: (n, c) => `PnL vol− ${inUnit(n, c)}`, hint: 'PnL at this price with vol lowered by the vol step' },
  { field: 'pnlVolUp', title: (n, c) => `PnL vol+ ${inUnit(n, c)}`, hint: 'PnL at this price with vol raised by the vol step' },
  { field: 'deltaCoin', title: (_n, c) => `Δ ${c}`, hint: 'Delta at this price, coins: the slope of the PnL column beside it (PnL in USD: ∂PnL/∂price; in coin: price × ∂PnL/∂price)' },
  { field: 'gammaCoin', title: (_n, c) => `Γ ${c}/1%`, hint: 'Change in delta, coins, for a 1 % move of the underlying' },
  { field: 'vegaUsd', title: (n, c) => `Vega ${inUnit(n, c)}/pt`, hint: 'Value change per 1 vol point' },
  { field: 'thetaUsd', title: (n, c) => `Θ ${inUnit(n, c)}/day`, hint: 'Value change per calendar day' },
];

/**
 * One ladder cell as shown. PnL columns come from the engine in the ladder's numeraire; delta is
 * coins; gamma is shown per 1 % move; vega and theta are USD from the engine, and in coin when
 * PnL is counted in coin (USD at that row's price ÷ the price).
 */
export function cellValue(l: LadderSnapshot, field: LadderField, row: number): number {
  const v = l.columns[field][row]!;
  const price = l.prices[row]!;
  switch (field) {
    case 'deltaCoin':
      return v;
    case 'gammaCoin':
      return v * price * 0.01;
    case 'vegaUsd':
    case 'thetaUsd':
      return l.numeraire === 'usd' ? v : v / price;
    default:
      return v;
  }
}

export function formatCell(field: LadderField, value: number, numeraire: Numeraire): string {
  if (field === 'deltaCoin' || field === 'gammaCoin') return formatSigned(value, 3);
  return formatSigned(value, numeraire === 'usd' ? 0 : 4);
}

export function formatPrice(l: LadderSnapshot, row: number): string {
  return formatFixed(l.prices[row]!, decimalsOf(l.spec.step));
}

/** Largest magnitude per column, for shading cells by value. */
export function columnScale(l: LadderSnapshot, field: LadderField): number {
  let max = 0;
  for (let i = 0; i < l.prices.length; i++) {
    const v = Math.abs(cellValue(l, field, i));
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

export interface RowMarks {
  labels: string[];
  liquidation: boolean;
  marginCall: boolean;
}

/** Ladder rows a marker falls in: the row whose half-step band holds its price. */
export function markerRows(l: LadderSnapshot): Map<number, RowMarks> {
  const out = new Map<number, RowMarks>();
  for (const m of l.markers) {
    const i = Math.round((l.prices[0]! - m.price) / l.spec.step);
    if (i < 0 || i >= l.prices.length) continue;
    const row = out.get(i) ?? { labels: [], liquidation: false, marginCall: false };
    row.labels.push(`${m.label} at ${formatFixed(m.price, 2)}`);
    if (m.kind === 'liquidation') row.liquidation = true;
    if (m.kind === 'margin-call') row.marginCall = true;
    out.set(i, row);
  }
  return out;
}

/** A margin-use cell: one decimal in every row, "∞" where no equity is left. */
export function formatMarginUse(v: number): string {
  if (v === Infinity) return '∞';
  return Number.isFinite(v) ? formatFixed(v, 1) : '—';
}

/** How a margin-use cell reads: past liquidation, past the margin call, or fine. */
export function marginLevel(v: number, callAt: number | null): 'liq' | 'call' | null {
  if (!(v >= 0)) return null;
  if (v >= 100) return 'liq';
  return callAt !== null && v >= callAt ? 'call' : null;
}

/** The column's hint: what the figure is, and where the venue acts. */
export function marginHint(m: LadderMargin): string {
  const call = m.callAt === null ? 'the margin alert is off, so no margin call is marked' : `a margin call (your margin alert's warning) starts at ${formatFixed(m.callAt, 0)} %`;
  return `${m.label}: ${m.basis} in %, the account's real positions revalued at this price (what-ifs have no margin); liquidation at 100 %, ${call}`;
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
