import { walkBook, type Level } from '../../../shared/domain/ticket.ts';

/*
 * One slice of an unwind: what the live book takes now, within the slippage limit, of what is
 * still held — never more than is held, always on the side that makes the position smaller.
 * Pure; the divestment runs it again against the book before every order it sends.
 */

export interface SliceMarket {
  /** Signed position, venue's unit. */
  position: number;
  mark: number;
  bids: readonly Level[];
  asks: readonly Level[];
  lot: number;
  tick: number;
  /** The tick at a price, where it changes with the price (Deribit options: a larger tick above a step). */
  tickAt?: (price: number) => number;
  /**
   * Worst price accepted: perps in basis points of the mark; options a share of the mark, at least
   * `minTicks` ticks and `minRoom` (price units): a near-worthless short is bought back at a few
   * dollars over its mark rather than left open because 25 % of nothing is under one tick.
   */
  limit: { kind: 'bps'; bps: number } | { kind: 'premium'; pct: number; minTicks: number; minRoom?: number };
  /** Largest single order, venue's unit (null: none). */
  maxClip: number | null;
}

export interface Slice {
  side: 'buy' | 'sell';
  size: number;
  /** Immediate-or-cancel limit: the slippage cap on the tick, inside it. */
  limitPrice: number;
  avgPrice: number;
}

/** The worst price the unwind accepts on `side`, on the tick and inside the limit. */
export function capPrice(side: 'buy' | 'sell', m: Pick<SliceMarket, 'mark' | 'tick' | 'limit' | 'tickAt'>): number {
  const room = m.limit.kind === 'bps' ? (m.mark * m.limit.bps) / 10_000 : Math.max(m.mark * m.limit.pct, m.limit.minTicks * m.tick, m.limit.minRoom ?? 0);
  const raw = side === 'buy' ? m.mark + room : m.mark - room;
  // The grid at the price itself: a cap above an option's tick step must sit on the larger tick.
  const tick = m.tickAt?.(Math.max(raw, m.tick)) ?? m.tick;
  if (!(tick > 0)) return raw;
  const steps = side === 'buy' ? Math.floor(raw / tick + 1e-9) : Math.ceil(raw / tick - 1e-9);
  const decimals = Math.max(0, Math.ceil(-Math.log10(tick)));
  // A sale never goes below one tick: an option is not given away for nothing.
  return Number((Math.max(side === 'sell' ? 1 : 0, steps) * tick).toFixed(decimals));
}

/** Floors `x` to the lot without floating dust (0.3 / 0.1 is 2.9999…). */
export function floorToLot(x: number, lot: number): number {
  const n = Math.floor(x / lot + 1e-9);
  const decimals = Math.max(0, Math.ceil(-Math.log10(lot)) + 1);
  return Number((n * lot).toFixed(decimals));
}

/** What the book takes within the limit, up to `size`, on the closing side. */
export function absorbable(m: SliceMarket, size: number): { filled: number; avgPrice: number | null; cap: number } {
  const side = m.position > 0 ? 'sell' : 'buy';
  const cap = capPrice(side, m);
  const walk = walkBook(side === 'buy' ? m.asks : m.bids, side, size, cap);
  return { filled: walk.filled, avgPrice: walk.avgPrice, cap };
}

/** The next order of the unwind, or null when the book takes less than one lot within the limit. */
export function nextSlice(m: SliceMarket, remaining: number): Slice | null {
  const held = Math.abs(m.position);
  const want = Math.min(remaining, held, m.maxClip ?? Infinity);
  if (!(want >= m.lot - 1e-12) || !(m.mark > 0)) return null;
  const side = m.position > 0 ? 'sell' : 'buy';
  const { filled, cap } = absorbable(m, want);
  const size = floorToLot(filled, m.lot);
  if (!(size > 0)) return null;
  const walk = walkBook(side === 'buy' ? m.asks : m.bids, side, size, cap);
  return { side, size, limitPrice: cap, avgPrice: walk.avgPrice ?? cap };
}
