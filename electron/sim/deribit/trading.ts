import type { SimOption, SimOptionMarket } from '../options/option-market.ts';
import { optionTick, stepTick } from '../options/option-market.ts';
import { applyPerpFill, PERP_RULES, PERP_TAKER_FEE, perpCoin, perpLevels, perpMargins, type PerpPosition } from './perpetual.ts';

/*
 * The simulated Deribit's order entry for options (venues-trading D3–D6, D11–D13): private/buy
 * and sell (limit and market; good_til_cancelled, immediate_or_cancel, fill_or_kill; post_only,
 * reject_post_only, reduce_only; a label), edit, cancel, cancel_all, cancel_by_label, open orders,
 * order state and user trades, with the venue's order and trade objects and its error codes.
 * Orders take the simulated book at its levels (the book is a model around the mark, so a take
 * does not deplete it); resting orders fill as makers when the market moves through them. Fills
 * move the paper account's positions and its balance (fees in coin, realised PnL).
 */

export class DeribitError extends Error {
  readonly error: { code: number; message: string };
  constructor(code: number, message: string) {
    super(message);
    this.error = { code, message };
  }
}

export const DERIBIT_ERRORS = {
  orderNotFound: [10004, 'order_not_found'],
  notEnoughFunds: [10009, 'not_enough_funds'],
  invalidAmount: [10021, 'invalid_amount'],
  invalidPrice: [10023, 'invalid_price'],
  wrongTick: [10043, 'price_wrong_tick'],
  alreadyFilled: [11008, 'already_filled'],
  invalidArguments: [11029, 'invalid_arguments'],
  notOpenOrder: [11044, 'not_open_order'],
  postOnlyReject: [11054, 'post_only_reject'],
  notFound: [13020, 'not_found'],
  nonUniqueLabel: [13032, 'non_unique_order_label'],
} as const;
const fail = (e: readonly [number, string]): never => {
  throw new DeribitError(e[0], e[1]);
};

/** Options: 0.03 % of the underlying per contract (0.0003 coin), capped at 12.5 % of the premium. */
const OPTION_FEE = 0.0003;
const FEE_CAP = 0.125;
const MIN_AMOUNT: Record<string, number> = { BTC: 0.1, ETH: 1 };

export interface DeribitOrder {
  order_id: string;
  instrument_name: string;
  direction: 'buy' | 'sell';
  label: string;
  order_state: 'open' | 'filled' | 'rejected' | 'cancelled';
  order_type: 'limit' | 'market';
  time_in_force: 'good_til_cancelled' | 'immediate_or_cancel' | 'fill_or_kill' | 'good_til_day';
  post_only: boolean;
  reduce_only: boolean;
  price: number | 'market_price';
  amount: number;
  contracts: number;
  filled_amount: number;
  average_price: number;
  creation_timestamp: number;
  last_update_timestamp: number;
  api: true;
  web: false;
  replaced: boolean;
  is_liquidation: false;
  max_show: number;
  cancel_reason?: string;
}

export interface DeribitTrade {
  trade_id: string;
  trade_seq: number;
  instrument_name: string;
  timestamp: number;
  order_id: string;
  matching_id: null;
  direction: 'buy' | 'sell';
  price: number;
  amount: number;
  contracts: number;
  fee: number;
  fee_currency: string;
  liquidity: 'M' | 'T';
  index_price: number;
  mark_price: number;
  iv: number;
  underlying_price: number;
  tick_direction: number;
  state: DeribitOrder['order_state'];
  order_type: 'limit' | 'market';
  label: string;
  reduce_only: boolean;
  post_only: boolean;
  api: true;
}

export type TradingEvent = { kind: 'order'; coin: string; order: DeribitOrder } | { kind: 'trades'; coin: string; instrument: string; trades: DeribitTrade[] };

const round8 = (x: number): number => Math.round(x * 1e8) / 1e8;
const onTick = (price: number): boolean => {
  const t = optionTick(price);
  return Math.abs(price / t - Math.round(price / t)) < 1e-6;
};

/** An order's type, time in force and limit as the venue reads them (limit must be on the grid). */
function orderTerms(p: Record<string, unknown>, onGrid: (price: number) => boolean): { type: 'limit' | 'market'; tif: DeribitOrder['time_in_force']; price: number | 'market_price' } {
  const type: 'limit' | 'market' = p.type === undefined || p.type === 'limit' ? 'limit' : p.type === 'market' ? 'market' : fail(DERIBIT_ERRORS.invalidArguments);
  const tif = (p.time_in_force ?? 'good_til_cancelled') as DeribitOrder['time_in_force'];
  if (!['good_til_cancelled', 'immediate_or_cancel', 'fill_or_kill', 'good_til_day'].includes(tif)) fail(DERIBIT_ERRORS.invalidArguments);
  if (type === 'market') return { type, tif, price: 'market_price' };
  if (typeof p.price !== 'number' || !(p.price > 0)) fail(DERIBIT_ERRORS.invalidPrice);
  if (!onGrid(p.price as number)) fail(DERIBIT_ERRORS.wrongTick);
  return { type, tif, price: p.price as number };
}

export class DeribitPaperTrading {
  private readonly market: SimOptionMarket;
  private readonly now: () => number;
  private readonly emit: (e: TradingEvent) => void;
  private readonly orders = new Map<string, DeribitOrder>();
  private readonly trades: DeribitTrade[] = [];
  private readonly seqs = new Map<string, number>();
  /** Realised PnL per instrument, coin. */
  readonly realised = new Map<string, number>();
  /** Coin balance per currency: deposits, less fees, plus realised PnL. */
  readonly balance = new Map<string, number>([
    ['BTC', 10],
    ['ETH', 150],
  ]);
  private nextOrder = 7_000_001;
  private nextTrade = 90_000_001;

  constructor(market: SimOptionMarket, now: () => number, emit: (e: TradingEvent) => void = () => undefined) {
    this.market = market;
    this.now = now;
    this.emit = emit;
  }

  /** private/buy, private/sell. */
  place(direction: 'buy' | 'sell', p: Record<string, unknown>): { order: DeribitOrder; trades: DeribitTrade[] } {
    const perp = typeof p.instrument_name === 'string' ? perpCoin(p.instrument_name) : null;
    if (perp) return this.placePerp(perp, direction, p);
    const o = this.option(p.instrument_name);
    const coin = o.spec.coin;
    const amount = typeof p.amount === 'number' ? p.amount : typeof p.contracts === 'number' ? p.contracts : NaN;
    if (!(amount > 0)) fail(DERIBIT_ERRORS.invalidAmount);
    const min = MIN_AMOUNT[coin]!;
    if (Math.abs(amount / min - Math.round(amount / min)) > 1e-9) fail(DERIBIT_ERRORS.invalidAmount);
    const { type, tif, price } = orderTerms(p, onTick);
    const label = typeof p.label === 'string' ? p.label.slice(0, 64) : '';
    const postOnly = p.post_only === true;
    const reduceOnly = p.reduce_only === true;
    let size = amount;
    if (reduceOnly) {
      const held = this.position(o.spec.name);
      const reduces = held !== 0 && Math.sign(held) !== (direction === 'buy' ? 1 : -1);
      size = reduces ? Math.min(amount, Math.abs(held)) : 0;
      if (size === 0) fail(DERIBIT_ERRORS.notEnoughFunds);
    }
    const at = this.now();
    const order: DeribitOrder = {
      order_id: `${coin === 'BTC' ? '' : `${coin}-`}${this.nextOrder++}`,
      instrument_name: o.spec.name,
      direction,
      label,
      order_state: 'open',
      order_type: type,
      time_in_force: tif,
      post_only: postOnly,
      reduce_only: reduceOnly,
      price,
      amount: size,
      contracts: size,
      filled_amount: 0,
      average_price: 0,
      creation_timestamp: at,
      last_update_timestamp: at,
      api: true,
      web: false,
      replaced: false,
      is_liquidation: false,
      max_show: size,
    };
    const levels = direction === 'buy' ? o.asks : o.bids;
    const limit = price === 'market_price' ? (direction === 'buy' ? Infinity : 0) : price;
    const crosses = levels.length > 0 && (direction === 'buy' ? levels[0]![0] <= limit : levels[0]![0] >= limit);
    if (postOnly && crosses) {
      if (p.reject_post_only === true) fail(DERIBIT_ERRORS.postOnlyReject);
      // Post-only that would take: moved to just inside the spread, as the venue does.
      order.price = stepTick(levels[0]![0], direction === 'buy' ? -1 : 1);
      if (!((order.price) > 0)) fail(DERIBIT_ERRORS.postOnlyReject);
    }
    const available = levels.filter(([px]) => (direction === 'buy' ? px <= limit : px >= limit)).reduce((s, [, a]) => s + a, 0);
    if (tif === 'fill_or_kill' && available + 1e-9 < size) {
      order.order_state = 'cancelled';
      order.cancel_reason = 'user_request';
      this.remember(order);
      return { order, trades: [] };
    }
    this.checkFunds(o, direction, size, typeof order.price === 'number' ? order.price : o.ask);
    const trades = postOnly ? [] : this.take(order, o, levels, limit);
    if (order.filled_amount >= order.amount - 1e-9) order.order_state = 'filled';
    else if (tif !== 'good_til_cancelled' && tif !== 'good_til_day') {
      order.order_state = 'cancelled';
      order.cancel_reason = 'user_request';
    } else if (type === 'market') {
      // A market order that found too little: the rest is cancelled (no resting market orders).
      order.order_state = order.filled_amount > 0 ? 'filled' : 'cancelled';
      order.amount = order.filled_amount || order.amount;
    }
    this.remember(order);
    if (trades.length) this.emit({ kind: 'trades', coin, instrument: o.spec.name, trades });
    return { order: { ...order }, trades };
  }

  /** The perpetuals' positions, by instrument. */
  readonly perps = new Map<string, PerpPosition>();

  /** A perpetual order: USD amounts in whole contracts, a USD price on the tick, the shared book. */
  private placePerp(coin: string, direction: 'buy' | 'sell', p: Record<string, unknown>): { order: DeribitOrder; trades: DeribitTrade[] } {
    const rules = PERP_RULES[coin]!;
    const name = `${coin}-PERPETUAL`;
    const u = this.market.underlying(coin)!;
    const amount = typeof p.amount === 'number' ? p.amount : typeof p.contracts === 'number' ? p.contracts * rules.contract : NaN;
    if (!(amount > 0) || Math.abs(amount / rules.contract - Math.round(amount / rules.contract)) > 1e-9) fail(DERIBIT_ERRORS.invalidAmount);
    const { type, tif, price } = orderTerms(p, (px) => Math.abs(px / rules.tick - Math.round(px / rules.tick)) <= 1e-6);
    const position = this.perps.get(name) ?? { sizeUsd: 0, averagePrice: 0, realisedCoin: 0 };
    let size = amount;
    if (p.reduce_only === true) {
      const reduces = position.sizeUsd !== 0 && Math.sign(position.sizeUsd) !== (direction === 'buy' ? 1 : -1);
      size = reduces ? Math.min(amount, Math.abs(position.sizeUsd)) : 0;
      if (size === 0) fail(DERIBIT_ERRORS.notEnoughFunds);
    }
    const levels = perpLevels(u, direction);
    const limit = price === 'market_price' ? (direction === 'buy' ? Infinity : 0) : price;
    const crosses = levels.length > 0 && (direction === 'buy' ? levels[0]![0] <= limit : levels[0]![0] >= limit);
    const at = this.now();
    const order: DeribitOrder = { order_id: `${coin === 'BTC' ? '' : `${coin}-`}${this.nextOrder++}`, instrument_name: name, direction, label: typeof p.label === 'string' ? p.label.slice(0, 64) : '', order_state: 'open', order_type: type, time_in_force: tif, post_only: p.post_only === true, reduce_only: p.reduce_only === true, price, amount: size, contracts: size / rules.contract, filled_amount: 0, average_price: 0, creation_timestamp: at, last_update_timestamp: at, api: true, web: false, replaced: false, is_liquidation: false, max_show: size };
    if (order.post_only && crosses) {
      if (p.reject_post_only === true) fail(DERIBIT_ERRORS.postOnlyReject);
      order.price = direction === 'buy' ? levels[0]![0] - rules.tick : levels[0]![0] + rules.tick;
    }
    // Initial margin of what the order adds, out of the coin balance less the margin already used.
    const adds = Math.max(0, position.sizeUsd !== 0 && Math.sign(position.sizeUsd) !== (direction === 'buy' ? 1 : -1) ? size - Math.abs(position.sizeUsd) : size);
    if (adds > 0 && perpMargins(coin, adds, u.mid).initial > (this.balance.get(coin) ?? 0) - this.usedMargin(coin)) fail(DERIBIT_ERRORS.notEnoughFunds);
    const available = levels.filter(([px]) => (direction === 'buy' ? px <= limit : px >= limit)).reduce((t, [, a]) => t + a, 0);
    if (tif === 'fill_or_kill' && available + 1e-9 < size) {
      Object.assign(order, { order_state: 'cancelled', cancel_reason: 'user_request' });
      this.remember(order);
      return { order, trades: [] };
    }
    const trades: DeribitTrade[] = [];
    if (!order.post_only) {
      for (const [px, usd] of levels) {
        if (direction === 'buy' ? px > limit : px < limit) break;
        const left = order.amount - order.filled_amount;
        if (left <= 1e-9) break;
        const take = Math.min(left, Math.floor(usd / rules.contract) * rules.contract || rules.contract);
        trades.push(this.fillPerp(order, coin, position, px, take, 'T'));
      }
    }
    this.perps.set(name, position);
    if (order.filled_amount >= order.amount - 1e-9) order.order_state = 'filled';
    else if (tif !== 'good_til_cancelled' && tif !== 'good_til_day') Object.assign(order, { order_state: 'cancelled', cancel_reason: 'user_request' });
    else if (type === 'market') order.order_state = order.filled_amount > 0 ? 'filled' : 'cancelled';
    this.remember(order);
    if (trades.length) this.emit({ kind: 'trades', coin, instrument: name, trades });
    return { order: { ...order }, trades };
  }

  private fillPerp(order: DeribitOrder, coin: string, position: PerpPosition, price: number, usd: number, liquidity: 'M' | 'T'): DeribitTrade {
    const at = this.now();
    const fee = liquidity === 'T' ? round8((PERP_TAKER_FEE * usd) / price) : 0;
    applyPerpFill(position, order.direction === 'buy' ? usd : -usd, price);
    this.balance.set(coin, (this.balance.get(coin) ?? 0) - fee);
    order.average_price = (order.average_price * order.filled_amount + price * usd) / (order.filled_amount + usd);
    order.filled_amount += usd;
    order.last_update_timestamp = at;
    const seq = (this.seqs.get(order.instrument_name) ?? 0) + 1;
    this.seqs.set(order.instrument_name, seq);
    const u = this.market.underlying(coin)!;
    const trade: DeribitTrade = { trade_id: `${coin === 'BTC' ? '' : `${coin}-`}${this.nextTrade++}`, trade_seq: seq, instrument_name: order.instrument_name, timestamp: at, order_id: order.order_id, matching_id: null, direction: order.direction, price, amount: usd, contracts: usd / PERP_RULES[coin]!.contract, fee, fee_currency: coin, liquidity, index_price: Math.round(u.mid * 100) / 100, mark_price: Math.round(u.mid * 100) / 100, iv: 0, underlying_price: Math.round(u.mid * 100) / 100, tick_direction: 0, state: order.filled_amount >= order.amount - 1e-9 ? 'filled' : 'open', order_type: order.order_type, label: order.label, reduce_only: order.reduce_only, post_only: order.post_only, api: true };
    this.trades.push(trade);
    return trade;
  }

  /** Initial margin the coin's perpetual and short options already use. */
  private usedMargin(coin: string): number {
    const perp = this.perps.get(`${coin}-PERPETUAL`);
    const u = this.market.underlying(coin);
    return this.shortMargin(coin) + (perp && u ? perpMargins(coin, perp.sizeUsd, u.mid).initial : 0);
  }

  /**
   * private/close_position: a reduce-only order for the whole position, limit (with `price`) or
   * market, on the side that closes it.
   */
  closePosition(p: Record<string, unknown>): { order: DeribitOrder; trades: DeribitTrade[] } {
    const name = p.instrument_name;
    if (typeof name !== 'string') fail(DERIBIT_ERRORS.invalidArguments);
    const perp = perpCoin(name as string);
    const size = perp ? (this.perps.get(name as string)?.sizeUsd ?? 0) : this.position(name as string);
    if (size === 0) fail(DERIBIT_ERRORS.notOpenOrder);
    if (p.type !== 'limit' && p.type !== 'market') fail(DERIBIT_ERRORS.invalidArguments);
    return this.place(size > 0 ? 'sell' : 'buy', { instrument_name: name, amount: Math.abs(size), type: p.type, ...(p.type === 'limit' ? { price: p.price } : {}), reduce_only: true, label: typeof p.label === 'string' ? p.label : '' });
  }

  /** private/edit: same order id, new amount and/or price; `replaced: true`. */
  edit(p: Record<string, unknown>): { order: DeribitOrder; trades: DeribitTrade[] } {
    const order = this.openOrder(p.order_id);
    const perp = perpCoin(order.instrument_name);
    if (perp) {
      // A perpetual edit moves the resting order; if it now crosses, the next market step fills it.
      const rules = PERP_RULES[perp]!;
      const amount = typeof p.amount === 'number' ? p.amount : order.amount;
      const price = typeof p.price === 'number' ? p.price : order.price;
      if (!(amount > order.filled_amount) || Math.abs(amount / rules.contract - Math.round(amount / rules.contract)) > 1e-9) fail(DERIBIT_ERRORS.invalidAmount);
      if (typeof price !== 'number' || Math.abs(price / rules.tick - Math.round(price / rules.tick)) > 1e-6) fail(DERIBIT_ERRORS.wrongTick);
      Object.assign(order, { amount, contracts: amount / rules.contract, max_show: amount, price, replaced: true, last_update_timestamp: this.now() });
      this.emit({ kind: 'order', coin: perp, order: { ...order } });
      return { order: { ...order }, trades: [] };
    }
    const o = this.option(order.instrument_name);
    const amount = typeof p.amount === 'number' ? p.amount : order.amount;
    const price = typeof p.price === 'number' ? p.price : order.price;
    if (!(amount > order.filled_amount) || Math.abs(amount / MIN_AMOUNT[o.spec.coin]! - Math.round(amount / MIN_AMOUNT[o.spec.coin]!)) > 1e-9) fail(DERIBIT_ERRORS.invalidAmount);
    if (typeof price !== 'number' || !(price > 0)) fail(DERIBIT_ERRORS.invalidPrice);
    if (!onTick(price as number)) fail(DERIBIT_ERRORS.wrongTick);
    Object.assign(order, { amount, contracts: amount, max_show: amount, price, replaced: true, last_update_timestamp: this.now() });
    const levels = order.direction === 'buy' ? o.asks : o.bids;
    const trades = order.post_only ? [] : this.take(order, o, levels, price as number);
    if (order.filled_amount >= order.amount - 1e-9) order.order_state = 'filled';
    this.emit({ kind: 'order', coin: o.spec.coin, order: { ...order } });
    if (trades.length) this.emit({ kind: 'trades', coin: o.spec.coin, instrument: o.spec.name, trades });
    return { order: { ...order }, trades };
  }

  cancel(orderId: unknown): DeribitOrder {
    const order = this.openOrder(orderId);
    this.finish(order, 'user_request');
    return { ...order };
  }

  /** private/cancel_all (and by currency): how many were cancelled. */
  cancelAll(filter: (o: DeribitOrder) => boolean = () => true, reason = 'user_request'): number {
    let n = 0;
    for (const o of this.orders.values()) {
      if (o.order_state === 'open' && filter(o)) {
        this.finish(o, reason);
        n++;
      }
    }
    return n;
  }

  /**
   * Expiry: every open order on an option that expired is cancelled, and every paper position in
   * one is settled at its intrinsic value in coin (an inverse option pays max(0, ±(S − K)) / S per
   * contract at the settlement price S; the index at that moment stands for the venue's half-hour
   * average before expiry), the difference to its average price realised into the
   * balance, as the venue does at 08:00 UTC. Returns the instruments settled.
   */
  settleExpired(expired: ReadonlyMap<string, { kind: 'call' | 'put'; strike: number; coin: string }>, settlementPrice: (coin: string) => number): string[] {
    this.cancelAll((o) => expired.has(o.instrument_name), 'settlement');
    const settled: string[] = [];
    const positions = this.market.positions;
    for (let i = positions.length - 1; i >= 0; i--) {
      const p = positions[i]!;
      const o = expired.get(p.name);
      if (!o) continue;
      const S = settlementPrice(o.coin);
      const payoff = S > 0 ? Math.max(0, o.kind === 'call' ? S - o.strike : o.strike - S) / S : 0;
      const pnl = p.size * (payoff - p.averagePrice);
      this.balance.set(o.coin, (this.balance.get(o.coin) ?? 0) + pnl);
      this.realised.set(p.name, (this.realised.get(p.name) ?? 0) + pnl);
      positions.splice(i, 1);
      settled.push(p.name);
    }
    return settled;
  }

  cancelByLabel(label: unknown, currency: unknown): number {
    if (typeof label !== 'string') fail(DERIBIT_ERRORS.invalidArguments);
    return this.cancelAll((o) => o.label === label && (currency === undefined || this.coinOf(o) === currency));
  }

  openOrders(currency: string): DeribitOrder[] {
    return [...this.orders.values()].filter((o) => o.order_state === 'open' && (currency === 'any' || this.coinOf(o) === currency)).map((o) => ({ ...o }));
  }

  orderState(orderId: unknown): DeribitOrder {
    const o = typeof orderId === 'string' ? this.orders.get(orderId) : undefined;
    if (!o) fail(DERIBIT_ERRORS.orderNotFound);
    return { ...o! };
  }

  /** Recent orders carrying a label, any state (private/get_order_state_by_label). */
  ordersByLabel(currency: string, label: unknown): DeribitOrder[] {
    if (typeof label !== 'string') fail(DERIBIT_ERRORS.invalidArguments);
    return [...this.orders.values()].filter((o) => o.label === label && (currency === 'any' || this.coinOf(o) === currency)).map((o) => ({ ...o }));
  }

  /** Most recent first, as `get_user_trades_by_currency` with the default sorting. */
  /** Newest first; by currency (`any`: all), or by one instrument. */
  userTrades(currency: string, count: number, instrument?: string): { trades: DeribitTrade[]; has_more: boolean } {
    const mine = this.trades.filter((t) => (instrument ? t.instrument_name === instrument : currency === 'any' || this.coinOfName(t.instrument_name) === currency)).reverse();
    return { trades: mine.slice(0, count), has_more: mine.length > count };
  }

  /** Resting orders the market moved through fill at their own price (makers). */
  onMarketStep(): void {
    for (const order of this.orders.values()) {
      if (order.order_state !== 'open' || typeof order.price !== 'number') continue;
      const perp = perpCoin(order.instrument_name);
      if (perp) {
        const u = this.market.underlying(perp)!;
        if (!(order.direction === 'buy' ? u.bestAsk() <= order.price : u.bestBid() >= order.price)) continue;
        const position = this.perps.get(order.instrument_name) ?? { sizeUsd: 0, averagePrice: 0, realisedCoin: 0 };
        const trade = this.fillPerp(order, perp, position, order.price, order.amount - order.filled_amount, 'M');
        this.perps.set(order.instrument_name, position);
        order.order_state = 'filled';
        this.emit({ kind: 'order', coin: perp, order: { ...order } });
        this.emit({ kind: 'trades', coin: perp, instrument: order.instrument_name, trades: [trade] });
        continue;
      }
      const o = this.market.byName.get(order.instrument_name);
      if (!o) continue;
      const through = order.direction === 'buy' ? o.ask > 0 && o.ask <= order.price : o.bid > 0 && o.bid >= order.price;
      if (!through) continue;
      const trade = this.fill(order, o, order.price, order.amount - order.filled_amount, 'M');
      order.order_state = 'filled';
      this.emit({ kind: 'order', coin: o.spec.coin, order: { ...order } });
      this.emit({ kind: 'trades', coin: o.spec.coin, instrument: o.spec.name, trades: [trade] });
    }
  }

  private take(order: DeribitOrder, o: SimOption, levels: [number, number][], limit: number): DeribitTrade[] {
    const trades: DeribitTrade[] = [];
    for (const [px, size] of levels) {
      if (order.direction === 'buy' ? px > limit : px < limit) break;
      const left = order.amount - order.filled_amount;
      if (left <= 1e-9) break;
      trades.push(this.fill(order, o, px, Math.min(left, size), 'T'));
    }
    return trades;
  }

  private fill(order: DeribitOrder, o: SimOption, price: number, amount: number, liquidity: 'M' | 'T'): DeribitTrade {
    const coin = o.spec.coin;
    const at = this.now();
    const signed = order.direction === 'buy' ? amount : -amount;
    const fee = round8(Math.min(OPTION_FEE * amount, FEE_CAP * price * amount));
    this.applyToPosition(o.spec.name, coin, signed, price);
    this.balance.set(coin, (this.balance.get(coin) ?? 0) - fee);
    order.average_price = round8((order.average_price * order.filled_amount + price * amount) / (order.filled_amount + amount));
    order.filled_amount = Math.round((order.filled_amount + amount) * 1e8) / 1e8;
    order.last_update_timestamp = at;
    const seq = (this.seqs.get(o.spec.name) ?? 0) + 1;
    this.seqs.set(o.spec.name, seq);
    const trade: DeribitTrade = {
      trade_id: `${coin === 'BTC' ? '' : `${coin}-`}${this.nextTrade++}`,
      trade_seq: seq,
      instrument_name: o.spec.name,
      timestamp: at,
      order_id: order.order_id,
      matching_id: null,
      direction: order.direction,
      price,
      amount,
      contracts: amount,
      fee,
      fee_currency: coin,
      liquidity,
      index_price: Math.round(this.market.spot(coin) * 100) / 100,
      mark_price: round8(o.mark),
      iv: Math.round(o.markIv * 10_000) / 100,
      underlying_price: Math.round(o.forward * 100) / 100,
      tick_direction: 0,
      state: order.filled_amount >= order.amount - 1e-9 ? 'filled' : 'open',
      order_type: order.order_type,
      label: order.label,
      reduce_only: order.reduce_only,
      post_only: order.post_only,
      api: true,
    };
    this.trades.push(trade);
    if (this.trades.length > 20_000) this.trades.shift();
    return trade;
  }

  /** Adds to a position at a new average, or reduces it and realises the coin PnL into the balance. */
  private applyToPosition(name: string, coin: string, signed: number, price: number): void {
    const positions = this.market.positions;
    const p = positions.find((x) => x.name === name);
    if (!p) {
      positions.push({ name, size: signed, averagePrice: price });
      return;
    }
    if (Math.sign(p.size) === Math.sign(signed) || p.size === 0) {
      const size = p.size + signed;
      p.averagePrice = (p.averagePrice * p.size + price * signed) / size;
      p.size = Math.round(size * 1e8) / 1e8;
      return;
    }
    const closing = Math.min(Math.abs(signed), Math.abs(p.size));
    const pnl = closing * (price - p.averagePrice) * Math.sign(p.size);
    this.balance.set(coin, (this.balance.get(coin) ?? 0) + pnl);
    this.realised.set(name, (this.realised.get(name) ?? 0) + pnl);
    const after = Math.round((p.size + signed) * 1e8) / 1e8;
    if (after === 0) positions.splice(positions.indexOf(p), 1);
    else if (Math.sign(after) !== Math.sign(p.size)) Object.assign(p, { size: after, averagePrice: price });
    else p.size = after;
  }

  /**
   * Standard margin, simplified: buying pays the premium from the balance; a short option needs
   * max(0.15 − OTM, 0.1) of the underlying per contract plus its mark (D14) in available funds.
   */
  private checkFunds(o: SimOption, direction: 'buy' | 'sell', amount: number, price: number): void {
    const coin = o.spec.coin;
    const balance = this.balance.get(coin) ?? 0;
    const held = this.position(o.spec.name);
    const opens = direction === 'buy' ? Math.max(0, amount - Math.max(0, -held)) : Math.max(0, amount - Math.max(0, held));
    if (opens === 0) return;
    const spot = this.market.spot(coin);
    const otm = Math.max(0, o.spec.kind === 'call' ? (o.spec.strike - spot) / spot : (spot - o.spec.strike) / spot);
    const need = direction === 'buy' ? price * opens : (Math.max(0.15 - otm, 0.1) + o.mark) * opens;
    if (need > balance - this.shortMargin(coin)) fail(DERIBIT_ERRORS.notEnoughFunds);
  }

  /**
   * Standard margin of an option position (D14, simplified): a long needs none (its premium is
   * paid); a short needs max(0.15 − OTM, 0.1) + mark initial and 0.075 + mark maintenance, per
   * contract, in coin.
   */
  optionMargins(o: SimOption, size: number): { initial: number; maintenance: number } {
    if (size >= 0) return { initial: 0, maintenance: 0 };
    const spot = this.market.spot(o.spec.coin);
    const otm = Math.max(0, o.spec.kind === 'call' ? (o.spec.strike - spot) / spot : (spot - o.spec.strike) / spot);
    return { initial: (Math.max(0.15 - otm, 0.1) + o.mark) * -size, maintenance: (0.075 + o.mark) * -size };
  }

  /** Margin the open orders would need if filled (shorts only), coin. */
  openOrdersMargin(name: string): number {
    const o = this.market.byName.get(name);
    if (!o) return 0;
    let m = 0;
    for (const x of this.orders.values()) if (x.order_state === 'open' && x.instrument_name === name && x.direction === 'sell') m += this.optionMargins(o, -(x.amount - x.filled_amount)).initial;
    return m;
  }

  private shortMargin(coin: string): number {
    let m = 0;
    for (const p of this.market.positions) if (p.size < 0 && this.coinOfName(p.name) === coin) m += -p.size * 0.15;
    return m;
  }

  private position(name: string): number {
    return this.market.positions.find((p) => p.name === name)?.size ?? 0;
  }

  private option(name: unknown): SimOption {
    const o = typeof name === 'string' ? this.market.byName.get(name) : undefined;
    if (!o) fail(DERIBIT_ERRORS.notFound);
    return o!;
  }

  private openOrder(orderId: unknown): DeribitOrder {
    const o = typeof orderId === 'string' ? this.orders.get(orderId) : undefined;
    if (!o) fail(DERIBIT_ERRORS.orderNotFound);
    if (o!.order_state === 'filled') fail(DERIBIT_ERRORS.alreadyFilled);
    if (o!.order_state !== 'open') fail(DERIBIT_ERRORS.notOpenOrder);
    return o!;
  }

  private finish(order: DeribitOrder, reason: string): void {
    order.order_state = 'cancelled';
    order.cancel_reason = reason;
    order.last_update_timestamp = this.now();
    this.emit({ kind: 'order', coin: this.coinOf(order), order: { ...order } });
  }

  private remember(order: DeribitOrder): void {
    this.orders.set(order.order_id, order);
    if (this.orders.size > 20_000) this.orders.delete(this.orders.keys().next().value!);
    this.emit({ kind: 'order', coin: this.coinOf(order), order: { ...order } });
  }

  private coinOf(o: DeribitOrder): string {
    return this.coinOfName(o.instrument_name);
  }

  private coinOfName(name: string): string {
    return name.slice(0, name.indexOf('-'));
  }
}
