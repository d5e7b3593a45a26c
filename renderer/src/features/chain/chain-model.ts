import type { OptionContract, OptionKind, OptionUnderlying } from '../../../../shared/domain/options.ts';
import { rowValue } from '../../stores/options-store.ts';

export interface StrikeRow {
  strike: number;
  call?: OptionContract;
  put?: OptionContract;
}

export function expiriesOf(contracts: readonly OptionContract[], underlying: string): number[] {
  return [...new Set(contracts.filter((c) => c.underlying === underlying).map((c) => c.expiry))].sort((a, b) => a - b);
}

/** The expiry on screen: the chosen one while it is listed, else the nearest. */
export function shownExpiry(expiries: readonly number[], chosen: number | null): number | null {
  return chosen !== null && expiries.includes(chosen) ? chosen : (expiries[0] ?? null);
}

export function strikeRows(contracts: readonly OptionContract[], underlying: OptionUnderlying, expiry: number): StrikeRow[] {
  const rows = new Map<number, StrikeRow>();
  for (const c of contracts) {
    if (c.underlying !== underlying || c.expiry !== expiry) continue;
    const r = rows.get(c.strike) ?? { strike: c.strike };
    r[c.kind] = c;
    rows.set(c.strike, r);
  }
  return [...rows.values()].sort((a, b) => a.strike - b.strike);
}

/** The forward of an expiry as the venue quotes it (median over its options), NaN before quotes. */
export function expiryForward(rows: readonly StrikeRow[], values: Float64Array): number {
  const fs: number[] = [];
  for (const r of rows) {
    for (const c of [r.call, r.put]) {
      const f = c ? rowValue(values, c.row, 'forward') : NaN;
      if (f > 0) fs.push(f);
    }
  }
  fs.sort((a, b) => a - b);
  return fs.length ? fs[fs.length >> 1]! : NaN;
}

export function atmStrike(rows: readonly StrikeRow[], forward: number): number | null {
  if (!(forward > 0) || rows.length === 0) return null;
  return rows.reduce((best, r) => (Math.abs(r.strike - forward) < Math.abs(best.strike - forward) ? r : best)).strike;
}

/**
 * Whether the venue's Greek differs from ours by more than its rounding and conventions explain.
 * Deribit rounds Greeks to 5 decimals (gamma per USD is then coarse) and caps theta at one day's
 * decay in the last day, so tolerances are absolute plus relative.
 */
const TOLERANCE = {
  delta: { abs: 0.003, rel: 0 },
  gamma: { abs: 6e-6, rel: 0.02 },
  vega: { abs: 0.05, rel: 0.02 },
  theta: { abs: 0.5, rel: 0.02 },
} as const;

export function greekDiffers(field: keyof typeof TOLERANCE, ours: number, venue: number): boolean {
  if (!Number.isFinite(ours) || !Number.isFinite(venue)) return false;
  const t = TOLERANCE[field];
  return Math.abs(ours - venue) > t.abs + t.rel * Math.abs(ours);
}

/** Time to expiry as a trader says it: 2d 4h, 5h 12m, 38m. */
export function timeLeft(expiry: number, now: number): string {
  const ms = expiry - now;
  if (ms <= 0) return 'expired';
  const m = Math.floor(ms / 60_000);
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  if (d > 0) return `${d}d ${h}h`;
  return h > 0 ? `${h}h ${m % 60}m` : `${m}m`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 27 Dec 24 — the expiry date (08:00 UTC) the way tabs show it. */
export function expiryLabel(expiry: number): string {
  const d = new Date(expiry);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCFullYear() % 100).padStart(2, '0')}`;
}

/** Moves the cursor to the next strike up or down, starting at the ATM strike. */
export function stepStrike(rows: readonly StrikeRow[], current: number | null, atm: number | null, direction: 1 | -1): number | null {
  if (rows.length === 0) return null;
  const start = current ?? atm;
  const i = rows.findIndex((r) => r.strike === start);
  // A cursor on a strike this expiry does not list lands on the nearest one first, not a jump.
  if (i < 0) return start === null ? rows[Math.floor(rows.length / 2)]!.strike : rows.reduce((a, r) => (Math.abs(r.strike - start) < Math.abs(a.strike - start) ? r : a)).strike;
  return rows[Math.max(0, Math.min(rows.length - 1, i + direction))]!.strike;
}

export function otherKind(k: OptionKind): OptionKind {
  return k === 'call' ? 'put' : 'call';
}
