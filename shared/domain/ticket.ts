import { liquidationPrice } from './liquidation.ts';

/*
 * What an order would do, before it is sent (issue "Orders, part 2", item 3): the price it walks
 * the book to, its fee and slippage, and the position, delta, margin and liquidation price after
 * it fills. Pure and small, so the order book can project every level under the pointer within
 * one frame, and the ticket shows the same numbers the hover did.
 */

/** A book level, best first on its side: price USD (an option: coin premium), size in the order's size unit. */
export interface Level {
  price: number;
  size: number;
}

export interface BookWalk {
  /** How much of the order the book fills now (at or better than the limit). */
  filled: number;
  /** What would rest (or, IOC, be cancelled). */
  unfilled: number;
  /** Volume-weighted price of the filled part, or null when nothing fills. */
  avgPrice: number | null;
  /** The last level reached. */
  worstPrice: number | null;
  levelsTaken: number;
}

/** Takes `size` from `levels` (the side the order takes from), not beyond `limit` (null: no limit). */
export function walkBook(levels: readonly Level[], side: 'buy' | 'sell', size: number, limit: number | null): BookWalk {
  let left = size;
  let cost = 0;
  let worst: number | null = null;
  let taken = 0;
  for (const l of levels) {
    if (left <= 1e-12) break;
    if (limit !== null && (side === 'buy' ? l.price > limit + 1e-12 : l.price < limit - 1e-12)) break;
    const take = Math.min(left, l.size);
    cost += take * l.price;
    left -= take;
    worst = l.price;
    taken++;
  }
  const filled = size - Math.max(0, left);
  return { filled, unfilled: Math.max(0, left), avgPrice: filled > 0 ? cost / filled : null, worstPrice: worst, levelsTaken: taken };
}

/** Fee rates as fractions of notional (Hyperliquid base tier: taker 0.045 %, maker 0.015 %). */
export interface FeeRates {
  taker: number;
  maker: number;
}

/** A linear perp account as the ticket needs it (Hyperliquid, cross or isolated). */
export interface PerpContext {
  mark: number;
  /** Signed coins held now on this venue (0: none). */
  position: number;
  /** Cross: the account value; isolated: the position's margin. USD. */
  equity: number;
  /** Cross: maintenance margin of the account's other positions, USD. */
  otherMaintenance: number;
  maxLeverage: number;
  /** The leverage the position trades at (initial margin = notional / leverage). */
  leverage: number;
  cross: boolean;
  /** The book's delta in this underlying now, coins (every venue, options included). */
  bookDelta: number | null;
  fees: FeeRates;
}

export interface Projection {
  side: 'buy' | 'sell';
  /** In the order's unit (coins). */
  size: number;
  avgPrice: number;
  notionalUsd: number;
  feeUsd: number;
  /** Average price against the mid, basis points, signed so a cost is positive. */
  slippageBps: number | null;
  positionAfter: number;
  deltaAfter: number | null;
  /** Initial margin of the position after, USD. */
  marginAfterUsd: number;
  liqAfter: number | null;
  /** The move of the mark to that liquidation, fraction (−0.19 = a 19 % fall). */
  liqDistancePct: number | null;
}

/**
 * A fill of `size` at `avgPrice` on a perp: the immediate mark-to-market and the fee come off the
 * equity, the position grows or shrinks, and the liquidation price is solved again (cross: with
 * the account's other positions held fixed). Isolated margin grows by the order's initial margin.
 */
export function projectPerp(ctx: PerpContext, side: 'buy' | 'sell', size: number, avgPrice: number, taker: boolean | number, mid: number | null): Projection {
  const signed = side === 'buy' ? size : -size;
  const notional = size * avgPrice;
  // `taker`: the share of the order that takes (the rest rests and pays the maker rate).
  const share = taker === true ? 1 : taker === false ? 0 : Math.min(1, Math.max(0, taker));
  const fee = notional * (share * ctx.fees.taker + (1 - share) * ctx.fees.maker);
  const positionAfter = ctx.position + signed;
  const reduces = ctx.position !== 0 && Math.sign(signed) !== Math.sign(ctx.position);
  const addedMargin = ctx.cross || reduces ? 0 : notional / ctx.leverage;
  const equityAfter = ctx.equity - fee + signed * (ctx.mark - avgPrice) + addedMargin;
  const liq = Math.abs(positionAfter) < 1e-12 ? null : liquidationPrice({ size: positionAfter, mark: ctx.mark, maxLeverage: ctx.maxLeverage, equity: equityAfter, otherMaintenance: ctx.cross ? ctx.otherMaintenance : 0 });
  return {
    side,
    size,
    avgPrice,
    notionalUsd: notional,
    feeUsd: fee,
    slippageBps: mid ? ((side === 'buy' ? avgPrice - mid : mid - avgPrice) / mid) * 10_000 : null,
    positionAfter,
    deltaAfter: ctx.bookDelta === null ? null : ctx.bookDelta + signed,
    marginAfterUsd: (Math.abs(positionAfter) * ctx.mark) / ctx.leverage,
    liqAfter: liq,
    liqDistancePct: liq === null ? null : liq / ctx.mark - 1,
  };
}

/** Every level of one side projected as "an order filled up to here" (the book's hover). */
export function projectLevels(ctx: PerpContext, levels: readonly Level[], side: 'buy' | 'sell', mid: number | null): Projection[] {
  const out: Projection[] = [];
  let size = 0;
  let cost = 0;
  for (const l of levels) {
    size += l.size;
    cost += l.size * l.price;
    out.push(projectPerp(ctx, side, size, cost / size, true, mid));
  }
  return out;
}
