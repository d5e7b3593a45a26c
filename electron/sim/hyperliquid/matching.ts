import { isValidPrice, isValidSize, MIN_ORDER_VALUE_USD } from '../../venues/hyperliquid/order-format.ts';
import type { SimCoin, SimMarket } from '../sim-market.ts';
import type { PaperPerpAccount } from './paper-account.ts';
import { wireSize } from '../wire-format.ts';

/*
 * How the simulated Hyperliquid trades (venues-trading.md H6.3), written from the venue's rules:
 * price-time priority, fills at the resting price, taker fills `crossed`; Ioc fills what it can
 * and cancels the rest (nothing at all: the venue's error), Alo is refused if it would cross, Gtc
 * rests; reduce-only is clamped to the position and refused when it would grow one; prices off
 * the grid, sizes off the step and orders under $10 are refused in the venue's own words.
 * Resting orders fill when the simulated market trades through them. Fees: the base tier.
 */

export const TAKER_FEE = 0.00045;
export const MAKER_FEE = 0.00015;

export interface OrderWireIn {
  a: number;
  b: boolean;
  p: string;
  s: string;
  r: boolean;
  t: { limit?: { tif?: string }; trigger?: { isMarket?: boolean; triggerPx?: string; tpsl?: string } };
  c?: string;
}

export interface RestingOrder {
  oid: number;
  user: string;
  coin: string;
  asset: number;
  isBuy: boolean;
  limitPx: number;
  limitWire: string;
  origSz: number;
  sz: number;
  reduceOnly: boolean;
  tif: string;
  cloid: string | null;
  timestamp: number;
  /** A trigger order's trigger price (stop loss: a sell fires at or below it, a buy at or above). */
  triggerPx: number | null;
}

export interface SimFill {
  coin: string;
  px: string;
  sz: string;
  side: 'B' | 'A';
  time: number;
  startPosition: string;
  dir: string;
  closedPnl: string;
  hash: string;
  oid: number;
  crossed: boolean;
  fee: string;
  tid: number;
  cloid?: string;
  feeToken: 'USDC';
}

export type OrderStatusWire = { resting: { oid: number; cloid?: string } } | { filled: { totalSz: string; avgPx: string; oid: number; cloid?: string } } | { error: string } | 'waitingForTrigger';

/** How orderStatus names a refused order (venues-trading H6.1), by the refusal's words. */
const REJECTED_BY_PREFIX: [string, RejectedStatus][] = [
  ['Price must be divisible', 'tickRejected'],
  ['Order must have minimum value', 'minTradeNtlRejected'],
  ['Insufficient margin', 'perpMarginRejected'],
  ['Reduce only order would increase', 'reduceOnlyRejected'],
  ['Post only order would have immediately matched', 'badAloPxRejected'],
  ['Order could not immediately match', 'iocCancelRejected'],
];
type RejectedStatus = 'tickRejected' | 'minTradeNtlRejected' | 'perpMarginRejected' | 'reduceOnlyRejected' | 'badAloPxRejected' | 'iocCancelRejected' | 'rejected';

interface Finished {
  order: RestingOrder;
  status: 'filled' | 'canceled' | 'reduceOnlyCanceled' | RejectedStatus;
  at: number;
}

export class SimMatching {
  private readonly resting = new Map<number, RestingOrder>();
  private readonly finished = new Map<number, Finished>();
  private readonly fills = new Map<string, SimFill[]>();
  private nextTid = 1;
  private readonly market: SimMarket;
  private readonly account: (user: string) => PaperPerpAccount;
  private readonly now: () => number;
  private readonly onEvent: (user: string, kind: 'fill' | 'order', payload: unknown) => void;

  constructor(market: SimMarket, account: (user: string) => PaperPerpAccount, now: () => number, onEvent: (user: string, kind: 'fill' | 'order', payload: unknown) => void = () => undefined) {
    this.market = market;
    this.account = account;
    this.now = now;
    this.onEvent = onEvent;
  }

  private coinAt(asset: number): SimCoin | null {
    return [...this.market.coins.values()][asset] ?? null;
  }

  /** The coin at an asset index, as the venue numbers them. */
  coinName(asset: unknown): string | null {
    return typeof asset === 'number' ? (this.coinAt(asset)?.config.coin ?? null) : null;
  }

  maxLeverage(asset: number): number {
    return this.coinAt(asset)?.config.maxLeverage ?? 0;
  }

  /**
   * Places one order leg for `user` with the venue's oid; answers as the venue's statuses array
   * does. A refused order is still recorded under its oid and cloid with its rejection status,
   * as the venue's orderStatus reports it, so a client that lost the answer learns it was refused.
   */
  place(user: string, o: OrderWireIn, oid: number): OrderStatusWire {
    const answer = this.placeLeg(user, o, oid);
    const coin = this.coinAt(o.a);
    if (coin && typeof answer === 'object' && 'error' in answer && answer.error !== 'Duplicate cloid.') {
      const status = REJECTED_BY_PREFIX.find(([prefix]) => answer.error.startsWith(prefix))?.[1] ?? 'rejected';
      this.finish(this.restingOrder(user, coin, o, oid, 0, o.t.limit?.tif ?? 'Gtc', typeof o.c === 'string' ? o.c : null), status);
    }
    return answer;
  }

  private placeLeg(user: string, o: OrderWireIn, oid: number): OrderStatusWire {
    const coin = this.coinAt(o.a);
    if (!coin) return { error: `Asset ${o.a} is out of range.` };
    const sz = coin.config.szDecimals;
    if (!isValidPrice(o.p, sz)) return { error: `Price must be divisible by tick size. asset=${o.a}` };
    if (!isValidSize(o.s, sz)) return { error: 'Order has invalid size.' };
    const limitPx = Number(o.p);
    let size = Number(o.s);
    const cloid = typeof o.c === 'string' ? o.c : null;
    // One cloid, one order per user (the wording of the venue's refusal is not verified).
    if (cloid && [...this.resting.values(), ...[...this.finished.values()].map((f) => f.order)].some((r) => r.user === user && r.cloid === cloid)) return { error: 'Duplicate cloid.' };
    if (o.t.trigger) {
      const triggerPx = Number(o.t.trigger.triggerPx);
      if (!(triggerPx > 0)) return { error: `Invalid trigger price. asset=${o.a}` };
      this.resting.set(oid, { ...this.restingOrder(user, coin, o, oid, size, 'Trigger', cloid), triggerPx });
      return 'waitingForTrigger';
    }
    const tif = o.t.limit?.tif ?? 'Gtc';
    const position = this.account(user).position(coin.config.coin);
    if (o.r) {
      const reduces = position !== 0 && Math.sign(position) !== (o.b ? 1 : -1);
      if (!reduces) return { error: `Reduce only order would increase position. asset=${o.a}` };
      size = Math.min(size, Math.abs(position));
    }
    const reference = tif === 'Alo' || tif === 'Gtc' ? limitPx : coin.mid;
    if (size * reference < MIN_ORDER_VALUE_USD) return { error: `Order must have minimum value of $${MIN_ORDER_VALUE_USD}. asset=${o.a}` };
    // Initial margin for what the order adds to the position (a reducing part needs none), at
    // the account's leverage for the coin, out of the free cross collateral.
    const account = this.account(user);
    const adds = Math.max(0, position !== 0 && Math.sign(position) !== (o.b ? 1 : -1) ? size - Math.abs(position) : size);
    if (adds > 0 && (adds * reference) / account.leverageFor(coin.config.coin) > account.freeCollateral() - this.heldByOrders(user)) return { error: `Insufficient margin to place order. asset=${o.a}` };
    const crosses = o.b ? limitPx >= coin.bestAsk() : limitPx <= coin.bestBid();
    if (tif === 'Alo' && crosses) return { error: `Post only order would have immediately matched, bbo was ${coin.bestBid().toFixed(coin.priceDecimals)}@${coin.bestAsk().toFixed(coin.priceDecimals)}. asset=${o.a}` };
    const taken = crosses ? this.take(user, coin, o.b, limitPx, size, oid, cloid) : { filled: 0, notional: 0 };
    const remaining = size - taken.filled;
    const withCloid = cloid ? { cloid } : {};
    if (tif === 'Ioc' || tif === 'FrontendMarket') {
      if (taken.filled === 0) return { error: `Order could not immediately match against any resting orders. asset=${o.a}` };
      this.finish(this.restingOrder(user, coin, o, oid, 0, tif, cloid), 'filled');
      return { filled: { totalSz: wireSize(taken.filled, sz), avgPx: this.avgWire(coin, taken), oid, ...withCloid } };
    }
    if (remaining <= 10 ** -sz / 2) {
      this.finish(this.restingOrder(user, coin, o, oid, 0, tif, cloid), 'filled');
      return { filled: { totalSz: wireSize(taken.filled, sz), avgPx: this.avgWire(coin, taken), oid, ...withCloid } };
    }
    const rest = this.restingOrder(user, coin, o, oid, remaining, tif, cloid);
    this.resting.set(oid, rest);
    this.onEvent(user, 'order', this.orderUpdate(rest, 'open'));
    return { resting: { oid, ...withCloid } };
  }

  /**
   * Moves a resting order (by oid or cloid) to the new price and size: the old one leaves the book
   * and the new one is placed under a new oid with the same cloid, as the venue does.
   */
  modify(user: string, id: number | string, o: OrderWireIn, oid: number): OrderStatusWire {
    const old = [...this.resting.values()].find((r) => r.user === user && (typeof id === 'number' ? r.oid === id : r.cloid === id));
    if (!old) return { error: 'Cannot modify canceled or filled order' };
    this.resting.delete(old.oid);
    const placed = this.placeLeg(user, { ...o, c: old.cloid ?? o.c }, oid);
    if (typeof placed === 'object' && 'error' in placed) {
      this.resting.set(old.oid, old); // refused: the old order stays as it was
      return placed;
    }
    return placed;
  }

  /** Initial margin the user's resting orders already hold (non-reduce-only, at their limit). */
  private heldByOrders(user: string): number {
    let held = 0;
    const account = this.account(user);
    for (const r of this.resting.values()) if (r.user === user && !r.reduceOnly && r.tif !== 'Trigger') held += (r.sz * r.limitPx) / account.leverageFor(r.coin);
    return held;
  }

  cancel(user: string, match: (o: RestingOrder) => boolean): boolean {
    for (const o of this.resting.values()) {
      if (o.user === user && match(o)) {
        this.finish(o, 'canceled');
        return true;
      }
    }
    return false;
  }

  cancelAll(user: string): number {
    let n = 0;
    for (const o of [...this.resting.values()]) if (o.user === user) n += this.finish(o, 'canceled') ? 1 : 0;
    return n;
  }

  /** Resting orders the market has traded through fill at their own price (makers); stops whose trigger the mid reached fire. */
  onMarketStep(): void {
    this.fireTriggers();
    const byTime = [...this.resting.values()].filter((o) => o.tif !== 'Trigger').sort((a, b) => a.timestamp - b.timestamp || a.oid - b.oid);
    for (const o of byTime) {
      const coin = this.market.coin(o.coin);
      if (!coin) continue;
      const through = o.isBuy ? coin.bestAsk() <= o.limitPx : coin.bestBid() >= o.limitPx;
      if (!through) continue;
      let size = o.sz;
      if (o.reduceOnly) {
        const pos = this.account(o.user).position(o.coin);
        const reduces = pos !== 0 && Math.sign(pos) !== (o.isBuy ? 1 : -1);
        if (!reduces) {
          this.finish(o, 'reduceOnlyCanceled');
          continue;
        }
        size = Math.min(size, Math.abs(pos));
      }
      this.record(o.user, coin, o.isBuy, o.limitPx, size, o.oid, o.cloid, false);
      o.sz -= size;
      if (o.sz <= 10 ** -coin.config.szDecimals / 2) this.finish(o, 'filled');
    }
  }

  /**
   * Stop-loss triggers: a sell stop fires when the mid is at or below its trigger, a buy stop at or
   * above; it then takes the book up to its limit price (a market trigger: 10 % through the mid, as
   * the venue's market orders are capped), reduce-only clamped to the position.
   */
  private fireTriggers(): void {
    for (const o of [...this.resting.values()]) {
      if (o.tif !== 'Trigger' || o.triggerPx === null) continue;
      const coin = this.market.coin(o.coin);
      if (!coin) continue;
      const reached = o.isBuy ? coin.mid >= o.triggerPx : coin.mid <= o.triggerPx;
      if (!reached) continue;
      let size = o.sz;
      if (o.reduceOnly) {
        const pos = this.account(o.user).position(o.coin);
        if (pos === 0 || Math.sign(pos) === (o.isBuy ? 1 : -1)) {
          this.finish(o, 'reduceOnlyCanceled');
          continue;
        }
        size = Math.min(size, Math.abs(pos));
      }
      const limit = o.isBuy ? Math.max(o.limitPx, coin.mid * 1.1) : Math.min(o.limitPx, coin.mid * 0.9);
      const taken = this.take(o.user, coin, o.isBuy, limit, size, o.oid, o.cloid);
      this.finish(o, taken.filled > 0 ? 'filled' : 'canceled');
    }
  }

  openOrders(user: string): Record<string, unknown>[] {
    return [...this.resting.values()].filter((o) => o.user === user).map((o) => this.openOrderWire(o));
  }

  orderStatus(user: string, id: number | string): Record<string, unknown> {
    const match = (o: RestingOrder): boolean => o.user === user && (typeof id === 'number' ? o.oid === id : o.cloid === id);
    const open = [...this.resting.values()].find(match);
    if (open) return { status: 'order', order: { order: this.openOrderWire(open), status: 'open', statusTimestamp: open.timestamp } };
    const done = [...this.finished.values()].find((f) => match(f.order));
    if (done) return { status: 'order', order: { order: this.openOrderWire(done.order), status: done.status, statusTimestamp: done.at } };
    return { status: 'unknownOid' };
  }

  userFills(user: string): SimFill[] {
    return [...(this.fills.get(user) ?? [])].reverse().slice(0, 2000);
  }

  private take(user: string, coin: SimCoin, isBuy: boolean, limitPx: number, size: number, oid: number, cloid: string | null): { filled: number; notional: number } {
    let filled = 0;
    let notional = 0;
    const levels = coin.book.sorted(isBuy ? 'ask' : 'bid');
    for (const level of levels) {
      const px = level.ticks * coin.tick;
      if (isBuy ? px > limitPx : px < limitPx) break;
      const take = Math.min(level.size, size - filled);
      if (take <= 0) break;
      const rounded = Number(take.toFixed(coin.config.szDecimals));
      if (rounded <= 0) {
        // A level worn below one lot (the Deribit perpetual, sized in USD, trades the same book in
        // coin fractions) is dust no order can take: it goes, and the walk goes on past it.
        if (level.size < 10 ** -coin.config.szDecimals) {
          (isBuy ? coin.book.asks : coin.book.bids).delete(level.ticks);
          continue;
        }
        break;
      }
      this.record(user, coin, isBuy, px, rounded, oid, cloid, true);
      level.size -= rounded;
      if (level.size <= 1e-12) (isBuy ? coin.book.asks : coin.book.bids).delete(level.ticks);
      filled += rounded;
      notional += rounded * px;
      if (size - filled <= 10 ** -coin.config.szDecimals / 2) break;
    }
    return { filled, notional };
  }

  private record(user: string, coin: SimCoin, isBuy: boolean, px: number, size: number, oid: number, cloid: string | null, crossed: boolean): void {
    const fee = size * px * (crossed ? TAKER_FEE : MAKER_FEE);
    const { closedPnl, startPosition } = this.account(user).applyFill(coin.config.coin, isBuy ? size : -size, px, fee);
    const opening = startPosition === 0 || Math.sign(startPosition) === (isBuy ? 1 : -1);
    const dir = opening ? (isBuy ? 'Open Long' : 'Open Short') : isBuy ? 'Close Short' : 'Close Long';
    const tid = this.nextTid++;
    const fill: SimFill = {
      coin: coin.config.coin,
      px: px.toFixed(coin.priceDecimals),
      sz: wireSize(size, coin.config.szDecimals),
      side: isBuy ? 'B' : 'A',
      time: this.now(),
      startPosition: wireSize(startPosition, coin.config.szDecimals),
      dir,
      closedPnl: wireSize(closedPnl, 6),
      hash: `0x${tid.toString(16).padStart(64, '0')}`,
      oid,
      crossed,
      fee: wireSize(fee, 6),
      tid,
      ...(cloid ? { cloid } : {}),
      feeToken: 'USDC',
    };
    const list = this.fills.get(user) ?? [];
    list.push(fill);
    if (list.length > 10_000) list.splice(0, list.length - 10_000);
    this.fills.set(user, list);
    this.onEvent(user, 'fill', fill);
  }

  private finish(o: RestingOrder, status: Finished['status']): boolean {
    const was = this.resting.delete(o.oid);
    this.finished.set(o.oid, { order: o, status, at: this.now() });
    if (this.finished.size > 20_000) this.finished.delete(this.finished.keys().next().value!);
    this.onEvent(o.user, 'order', this.orderUpdate(o, status));
    return was;
  }

  private restingOrder(user: string, coin: SimCoin, o: OrderWireIn, oid: number, sz: number, tif: string, cloid: string | null): RestingOrder {
    return { oid, user, coin: coin.config.coin, asset: o.a, isBuy: o.b, limitPx: Number(o.p), limitWire: o.p, origSz: Number(o.s), sz, reduceOnly: o.r, tif, cloid, timestamp: this.now(), triggerPx: null };
  }

  private openOrderWire(o: RestingOrder): Record<string, unknown> {
    const dec = this.market.coin(o.coin)?.config.szDecimals ?? 4;
    return { coin: o.coin, side: o.isBuy ? 'B' : 'A', limitPx: o.limitWire, sz: wireSize(o.sz, dec), oid: o.oid, timestamp: o.timestamp, origSz: wireSize(o.origSz, dec), ...(o.reduceOnly ? { reduceOnly: true } : {}), ...(o.cloid ? { cloid: o.cloid } : {}), ...(o.triggerPx !== null ? { isTrigger: true, triggerPx: String(o.triggerPx), orderType: 'Stop Market' } : {}) };
  }

  private orderUpdate(o: RestingOrder, status: string): Record<string, unknown> {
    return { order: this.openOrderWire(o), status, statusTimestamp: this.now() };
  }

  private avgWire(coin: SimCoin, t: { filled: number; notional: number }): string {
    return (t.notional / t.filled).toFixed(coin.priceDecimals);
  }
}
