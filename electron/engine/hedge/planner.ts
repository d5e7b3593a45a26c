import { projectPerp, walkBook, type FeeRates, type Level, type PerpContext } from '../../../shared/domain/ticket.ts';
import type { HedgePlan, HedgeRefusal, HedgeVenue } from '../../../shared/domain/hedge.ts';
import { deribitPerpMarginCoin, DERIBIT_PERP, isDeribitPerpCoin } from '../../../shared/domain/deribit-perp.ts';

/*
 * Hedge to target, pure (issue "Hedging", item 2): from where the book's delta is, where the
 * trader wants it, and the hedge instrument's live book, rules and fees, to one order — or a
 * refusal that says why. Nothing here reads a clock or a socket; the caller passes the ages.
 *
 * Units: deltas in coins of the underlying, in the book's numeraire (both numeraires give a perp
 * the same delta per unit: Hyperliquid mark ÷ index coins per coin; Deribit 1 ÷ mark coins per
 * USD contract). Hyperliquid sizes in coins, Deribit in USD.
 */

export interface HedgeInstrument {
  venue: HedgeVenue;
  /** The venue's instrument name: Hyperliquid the coin, Deribit `BTC-PERPETUAL`. */
  instrument: string;
  /** Size step in the venue's unit (Hyperliquid 10^-szDecimals coins; Deribit the contract in USD). */
  lot: number;
  /** Price tick at the book's prices, USD. */
  tick: number;
  fees: FeeRates;
}

export interface HedgeInputs {
  underlying: string;
  /** Index price, USD: what delta is measured against. */
  spot: number;
  /** The book's delta now, coins, or null when some position has no price. */
  bookDelta: number | null;
  /** Why the book's delta cannot be trusted now (positions unpriced…), or null. */
  bookProblem: string | null;
  /** Target delta, coins. */
  targetDelta: number;
  /** Share of the gap to close: 1 hedges to target, 0.5 half-way. */
  fraction: number;
  hedge: HedgeInstrument;
  /** The hedge instrument's book, best first; sizes in the venue's unit. */
  bids: readonly Level[];
  asks: readonly Level[];
  /** The venue's mark of the hedge instrument, USD. */
  mark: number;
  /** Age of the book and of the positions, ms; the limit past which the planner refuses. */
  bookAgeMs: number;
  positionsAgeMs: number;
  maxAgeMs: number;
  /** Null when the venue's state is reconciled; else why not (reconnecting, reconciling…). */
  unreconciled: string | null;
  /** Worst average price accepted against the mark, basis points. */
  maxSlippageBps: number;
  /** Largest order, in the venue's unit (null: none). */
  maxClip: number | null;
  /** Hyperliquid: the account the hedge lands in, for margin and liquidation after. */
  perp: PerpContext | null;
  /** Deribit: the coin balance backing the perp, for margin after. */
  deribitBalanceCoin: number | null;
  /** Deribit: the perpetual position now, USD (signed). */
  deribitPositionUsd: number;
}

/** Delta of one unit of the hedge instrument, coins. */
export function deltaPerUnit(venue: HedgeVenue, mark: number, spot: number): number {
  return venue === 'hyperliquid' ? mark / spot : 1 / mark;
}

const refuse = (code: HedgeRefusal['code'], reason: string): HedgeRefusal => ({ ok: false, code, reason });

export function planHedge(x: HedgeInputs): HedgePlan | HedgeRefusal {
  if (x.unreconciled) return refuse('unreconciled', `${x.hedge.venue} is not reconciled: ${x.unreconciled}`);
  if (x.bookDelta === null || x.bookProblem) return refuse('no-price', x.bookProblem ?? `the ${x.underlying} book has a position with no price; its delta is not known`);
  if (x.bookAgeMs > x.maxAgeMs) return refuse('stale', `the ${x.hedge.instrument} book is ${(x.bookAgeMs / 1000).toFixed(1)} s old (limit ${(x.maxAgeMs / 1000).toFixed(1)} s)`);
  if (x.positionsAgeMs > x.maxAgeMs) return refuse('stale', `positions were read ${(x.positionsAgeMs / 1000).toFixed(1)} s ago (limit ${(x.maxAgeMs / 1000).toFixed(1)} s)`);
  if (!(x.mark > 0) || !(x.spot > 0)) return refuse('no-price', `no price for ${x.hedge.instrument}`);
  const perUnit = deltaPerUnit(x.hedge.venue, x.mark, x.spot);
  const gap = (x.targetDelta - x.bookDelta) * x.fraction;
  const wanted = gap / perUnit;
  const side = wanted > 0 ? 'buy' : 'sell';
  // To the nearest lot: the delta lands within half a lot's delta of the target.
  let size = Math.round(Math.abs(wanted) / x.hedge.lot) * x.hedge.lot;
  let clipped = false;
  if (x.maxClip !== null && size > x.maxClip) {
    size = Math.floor(x.maxClip / x.hedge.lot + 1e-9) * x.hedge.lot;
    clipped = true;
  }
  size = roundTo(size, x.hedge.lot);
  if (!(size > 0)) return refuse('within-lot', `delta ${fmt(x.bookDelta)} is within one lot of the target ${fmt(x.targetDelta)} ${x.underlying}`);
  const levels = side === 'buy' ? x.asks : x.bids;
  const worstAccepted = side === 'buy' ? x.mark * (1 + x.maxSlippageBps / 10_000) : x.mark * (1 - x.maxSlippageBps / 10_000);
  const walk = walkBook(levels, side, size, worstAccepted);
  if (walk.unfilled > 1e-9 || walk.avgPrice === null || walk.worstPrice === null) {
    return refuse('thin', `only ${fmtSize(walk.filled, x.hedge.venue)} of ${fmtSize(size, x.hedge.venue)} ${x.hedge.instrument} is offered within ${x.maxSlippageBps} bps of the mark`);
  }
  const signed = side === 'buy' ? size : -size;
  const deltaAfter = x.bookDelta + signed * perUnit;
  if (Math.abs(deltaAfter - x.targetDelta) >= Math.abs(x.bookDelta - x.targetDelta) - 1e-12) {
    return refuse('not-closer', `a ${side} of ${fmtSize(size, x.hedge.venue)} would leave delta ${fmt(deltaAfter)}, no closer to ${fmt(x.targetDelta)}`);
  }
  const notionalUsd = x.hedge.venue === 'hyperliquid' ? size * walk.avgPrice : size;
  const feeUsd = notionalUsd * x.hedge.fees.taker;
  const slippageBps = ((side === 'buy' ? walk.avgPrice - x.mark : x.mark - walk.avgPrice) / x.mark) * 10_000;
  const after = marginAfter(x, side, size, walk.avgPrice);
  return {
    ok: true,
    underlying: x.underlying,
    venue: x.hedge.venue,
    instrument: x.hedge.instrument,
    side,
    size,
    clipped,
    // Immediate-or-cancel at the slippage cap (on the tick, inside it): it fills if the book
    // moves a little before it arrives, and never beyond the maximum slippage.
    limitPrice: capOnTick(worstAccepted, side, x.hedge.tick, walk.worstPrice),
    avgPrice: walk.avgPrice,
    mark: x.mark,
    slippageBps,
    feeUsd,
    notionalUsd,
    deltaBefore: x.bookDelta,
    deltaAfter,
    target: x.targetDelta,
    marginAfterUsd: after.marginUsd,
    liqBefore: after.liqBefore,
    liqAfter: after.liqAfter,
  };
}

function marginAfter(x: HedgeInputs, side: 'buy' | 'sell', size: number, avg: number): { marginUsd: number | null; liqBefore: number | null; liqAfter: number | null } {
  if (x.hedge.venue === 'hyperliquid' && x.perp) {
    const before = projectPerp(x.perp, side, 0, avg, true, null);
    const p = projectPerp(x.perp, side, size, avg, true, x.mark);
    return { marginUsd: p.marginAfterUsd, liqBefore: x.perp.position === 0 ? null : before.liqAfter, liqAfter: p.liqAfter };
  }
  if (x.hedge.venue === 'deribit' && isDeribitPerpCoin(x.underlying)) {
    const usdAfter = x.deribitPositionUsd + (side === 'buy' ? size : -size);
    return { marginUsd: deribitPerpMarginCoin(x.underlying, usdAfter, x.mark) * x.spot, liqBefore: null, liqAfter: null };
  }
  return { marginUsd: null, liqBefore: null, liqAfter: null };
}

/** The hedge instrument's rules: Hyperliquid from the instrument list, Deribit's perpetual from its contract. */
export function deribitPerpInstrument(coin: 'BTC' | 'ETH', fees: FeeRates): HedgeInstrument {
  const r = DERIBIT_PERP[coin];
  return { venue: 'deribit', instrument: `${coin}-PERPETUAL`, lot: r.contractUsd, tick: r.tick, fees };
}

/** The cap rounded inside itself to the tick; never less aggressive than the last level the walk needs. */
function capOnTick(cap: number, side: 'buy' | 'sell', tick: number, worstNeeded: number): number {
  if (!(tick > 0)) return worstNeeded;
  const onTick = side === 'buy' ? Math.floor(cap / tick + 1e-9) * tick : Math.ceil(cap / tick - 1e-9) * tick;
  const rounded = Number(onTick.toFixed(Math.max(0, Math.ceil(-Math.log10(tick)))));
  return side === 'buy' ? Math.max(rounded, worstNeeded) : Math.min(rounded, worstNeeded);
}

function roundTo(x: number, step: number): number {
  const decimals = Math.max(0, Math.ceil(-Math.log10(step)) + 1);
  return Number(x.toFixed(decimals));
}

const fmt = (v: number): string => `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(3)}`;
const fmtSize = (v: number, venue: HedgeVenue): string => (venue === 'deribit' ? `${Math.round(v)} USD` : `${Number(v.toFixed(6))}`);
