import { futureName } from '../../venues/deribit/instrument-name.ts';
import type { OptionUpdate, PaperPosition, SimOption, SimOptionMarket } from '../options/option-market.ts';
import type { ExpiryKind } from '../options/expiries.ts';
import type { SimCoin } from '../sim-market.ts';
import { PERP_RULES, perpLevels, perpLiquidationPrice, perpMargins, type PerpPosition } from './perpetual.ts';

/** Deribit wire payloads built from the simulated option market (venues.md §2.3–2.6). */
const r = (x: number, dp: number): number => Math.round(x * 10 ** dp) / 10 ** dp;
/** Deribit's `settlement_period` per listing kind. */
const SETTLEMENT_PERIOD: Record<ExpiryKind, string> = { daily: 'day', weekly: 'week', monthly: 'month', quarterly: 'month' };
/** Futures expire at month- and quarter-ends; dailies and weeklies price off a synthetic future. */
const hasFuture = (kind: ExpiryKind): boolean => kind === 'monthly' || kind === 'quarterly';

export function optionInstrument(o: SimOption, now: number): Record<string, unknown> {
  return {
    instrument_name: o.spec.name,
    instrument_id: 100_000 + o.index,
    kind: 'option',
    option_type: o.spec.kind,
    strike: o.spec.strike,
    expiration_timestamp: o.spec.expiry,
    creation_timestamp: now - 30 * 86_400_000,
    is_active: true,
    state: 'open',
    settlement_period: SETTLEMENT_PERIOD[o.spec.expiryKind],
    settlement_currency: o.spec.coin,
    base_currency: o.spec.coin,
    quote_currency: o.spec.coin,
    counter_currency: 'USD',
    price_index: `${o.spec.coin.toLowerCase()}_usd`,
    instrument_type: 'reversed',
    contract_size: 1.0,
    min_trade_amount: o.spec.coin === 'BTC' ? 0.1 : 1,
    tick_size: 0.0001,
    tick_size_steps: [{ above_price: 0.005, tick_size: 0.0005 }],
    maker_commission: 0.0003,
    taker_commission: 0.0003,
    block_trade_tick_size: 0.0001,
    block_trade_min_trade_amount: 25,
    block_trade_commission: 0.00015,
  };
}

export function futureInstruments(m: SimOptionMarket, coin: string, now: number): Record<string, unknown>[] {
  const expiries = [...new Set(m.options.filter((o) => o.spec.coin === coin && hasFuture(o.spec.expiryKind)).map((o) => o.spec.expiry))];
  const base = { kind: 'future', base_currency: coin, quote_currency: 'USD', settlement_currency: coin, counter_currency: 'USD', instrument_type: 'reversed', contract_size: 10, min_trade_amount: 10, tick_size: coin === 'BTC' ? 2.5 : 0.25, maker_commission: 0, taker_commission: 0.0005, is_active: true, state: 'open', creation_timestamp: now - 90 * 86_400_000, price_index: `${coin.toLowerCase()}_usd` };
  return [
    // The perpetual as the simulator trades it (D11): BTC 10 USD contracts on a 0.5 tick, ETH 1 USD on 0.05.
    { ...base, contract_size: PERP_RULES[coin]?.contract ?? 10, min_trade_amount: PERP_RULES[coin]?.contract ?? 10, tick_size: PERP_RULES[coin]?.tick ?? 0.5, max_leverage: 50, instrument_name: `${coin}-PERPETUAL`, settlement_period: 'perpetual', expiration_timestamp: 32_503_708_800_000 },
    ...expiries.map((e) => ({ ...base, instrument_name: futureName(coin, e), settlement_period: 'month', expiration_timestamp: e })),
  ];
}

/** The option ticker with every field the venue sends (§2.4): premiums in coin, IVs in percent. */
export function optionTicker(m: SimOptionMarket, o: SimOption, now: number): Record<string, unknown> {
  const spot = m.spot(o.spec.coin);
  const g = o.greeks;
  return {
    instrument_name: o.spec.name,
    timestamp: now,
    state: 'open',
    best_bid_price: o.bid,
    best_bid_amount: o.bids[0]?.[1] ?? 0,
    best_ask_price: o.ask,
    best_ask_amount: o.asks[0]?.[1] ?? 0,
    mark_price: r(o.mark, 8),
    last_price: r(o.mark, 4),
    min_price: 0.0001,
    max_price: r(o.mark * 2 + 0.01, 4),
    bid_iv: o.bid > 0 ? r(o.bidIv * 100, 2) : 0,
    ask_iv: r(o.askIv * 100, 2),
    mark_iv: r(o.markIv * 100, 2),
    underlying_index: hasFuture(o.spec.expiryKind) ? futureName(o.spec.coin, o.spec.expiry) : `SYN.${futureName(o.spec.coin, o.spec.expiry)}`,
    underlying_price: r(o.forward, 2),
    index_price: r(spot, 2),
    estimated_delivery_price: r(spot, 2),
    interest_rate: 0.0,
    settlement_price: r(o.mark, 8),
    open_interest: o.openInterest,
    greeks: { delta: r(g.delta, 5), gamma: r(g.gamma, 5), vega: r(g.vega, 5), theta: r(g.theta, 5), rho: r(g.rho, 5) },
    stats: { high: null, low: null, price_change: null, volume: 0, volume_usd: 0 },
  };
}

export function bookSnapshot(o: SimOption, now: number): Record<string, unknown> {
  return {
    type: 'snapshot',
    timestamp: now,
    instrument_name: o.spec.name,
    change_id: o.changeId,
    bids: o.bids.map(([p, a]) => ['new', p, a]),
    asks: o.asks.map(([p, a]) => ['new', p, a]),
  };
}

export function bookChange(u: OptionUpdate, now: number): Record<string, unknown> {
  return {
    type: 'change',
    timestamp: now,
    instrument_name: u.option.spec.name,
    prev_change_id: u.prevChangeId,
    change_id: u.option.changeId,
    bids: u.bidChanges,
    asks: u.askChanges,
  };
}

/**
 * A perpetual's book (USD sizes on the shared simulated book, top 20 levels). The simulator sends
 * it whole every step with a new change id; the adapter takes a snapshot at any time.
 */
export function perpBookSnapshot(coin: SimCoin, name: string, changeId: number, now: number): Record<string, unknown> {
  const contract = PERP_RULES[name.slice(0, 3)]?.contract ?? 10;
  // Whole contracts, at least one per level, as the venue shows them.
  const side = (s: 'buy' | 'sell'): unknown[] => perpLevels(coin, s).slice(0, 20).map(([p, a]) => ['new', p, Math.max(contract, Math.round(a / contract) * contract)]);
  return { type: 'snapshot', timestamp: now, instrument_name: name, change_id: changeId, bids: side('sell'), asks: side('buy') };
}

export function orderBook(m: SimOptionMarket, o: SimOption, now: number, depth: number): Record<string, unknown> {
  return { ...optionTicker(m, o, now), change_id: o.changeId, bids: o.bids.slice(0, depth), asks: o.asks.slice(0, depth) };
}

/** `markprice.options.{index}` rows: note `iv` is a fraction here, unlike the ticker's percent. */
export function markPrices(m: SimOptionMarket, coin: string, now: number): Record<string, unknown>[] {
  return m.options.filter((o) => o.spec.coin === coin).map((o) => ({ instrument_name: o.spec.name, mark_price: r(o.mark, 8), iv: r(o.markIv, 4), timestamp: now }));
}

export function bookSummary(m: SimOptionMarket, coin: string, now: number): Record<string, unknown>[] {
  return m.options
    .filter((o) => o.spec.coin === coin)
    .map((o) => ({
      instrument_name: o.spec.name,
      base_currency: coin,
      quote_currency: coin,
      bid_price: o.bid || null,
      ask_price: o.ask,
      mid_price: o.bid ? r((o.bid + o.ask) / 2, 5) : null,
      mark_price: r(o.mark, 8),
      mark_iv: r(o.markIv * 100, 2),
      underlying_price: r(o.forward, 2),
      underlying_index: futureName(coin, o.spec.expiry),
      interest_rate: 0,
      open_interest: o.openInterest,
      volume: 0,
      creation_timestamp: now - 30 * 86_400_000,
    }));
}

/** What the positions need from the paper account's order entry: margins and realised PnL. */
export interface AccountBook {
  optionMargins(o: SimOption, size: number): { initial: number; maintenance: number };
  openOrdersMargin(name: string): number;
  readonly realised: Map<string, number>;
  readonly perps: Map<string, PerpPosition>;
  readonly balance: Map<string, number>;
}

/** The perpetual's position as get_positions reports a future (D7): USD size, coin PnL and margin. */
function perpRows(m: SimOptionMarket, coin: string, book: AccountBook): Record<string, unknown>[] {
  const name = `${coin}-PERPETUAL`;
  const p = book.perps.get(name);
  const mark = m.spot(coin);
  if (!p || p.sizeUsd === 0) return [];
  const { initial, maintenance, sizeCoin } = perpMargins(coin, p.sizeUsd, mark);
  const floating = p.sizeUsd * (1 / p.averagePrice - 1 / mark);
  const liq = perpLiquidationPrice(coin, p.sizeUsd, p.averagePrice, book.balance.get(coin) ?? 0);
  return [
    {
      instrument_name: name,
      kind: 'future',
      size: p.sizeUsd,
      size_currency: r(Math.sign(p.sizeUsd) * sizeCoin, 9),
      direction: p.sizeUsd > 0 ? 'buy' : 'sell',
      average_price: r(p.averagePrice, 2),
      mark_price: r(mark, 2),
      index_price: r(mark, 2),
      settlement_price: r(p.averagePrice, 2),
      initial_margin: r(initial, 9),
      maintenance_margin: r(maintenance, 9),
      open_orders_margin: 0,
      estimated_liquidation_price: liq === null ? null : r(liq, 2),
      delta: r(Math.sign(p.sizeUsd) * sizeCoin, 9),
      floating_profit_loss: r(floating, 9),
      realized_profit_loss: r(p.realisedCoin, 9),
      total_profit_loss: r(floating + p.realisedCoin, 9),
      leverage: 50,
      realized_funding: 0,
      interest_value: 0,
    },
  ];
}

export function positions(m: SimOptionMarket, coin: string, book?: AccountBook): Record<string, unknown>[] {
  return [...(book ? perpRows(m, coin, book) : []), ...optionRows(m, coin, book)];
}

function optionRows(m: SimOptionMarket, coin: string, book?: AccountBook): Record<string, unknown>[] {
  return m.positions
    .map((p) => ({ p, o: m.byName.get(p.name) }))
    .filter((x): x is { p: PaperPosition; o: SimOption } => x.o !== undefined && x.o.spec.coin === coin)
    .map(({ p, o }) => ({
      instrument_name: p.name,
      kind: 'option',
      size: p.size,
      size_currency: p.size,
      direction: p.size > 0 ? 'buy' : p.size < 0 ? 'sell' : 'zero',
      average_price: p.averagePrice,
      average_price_usd: r(p.averagePrice * m.spot(coin), 2),
      mark_price: r(o.mark, 8),
      index_price: r(m.spot(coin), 2),
      settlement_price: 0,
      ...(book
        ? {
            initial_margin: r(book.optionMargins(o, p.size).initial, 8),
            maintenance_margin: r(book.optionMargins(o, p.size).maintenance, 8),
            open_orders_margin: r(book.openOrdersMargin(p.name), 8),
            realized_profit_loss: r(book.realised.get(p.name) ?? 0, 8),
            total_profit_loss: r((o.mark - p.averagePrice) * p.size + (book.realised.get(p.name) ?? 0), 8),
          }
        : {}),
      floating_profit_loss_usd: r((o.mark - p.averagePrice) * p.size * m.spot(coin), 2),
      floating_profit_loss: r((o.mark - p.averagePrice) * p.size, 8),
      delta: r(o.greeks.delta * p.size, 5),
      gamma: r(o.greeks.gamma * p.size, 5),
      vega: r(o.greeks.vega * p.size, 5),
      theta: r(o.greeks.theta * p.size, 5),
    }));
}

export function accountSummary(m: SimOptionMarket, coin: string, accountBalance?: number, book?: AccountBook): Record<string, unknown> {
  const rows = positions(m, coin, book);
  const sum = (f: string): number => rows.reduce((s, x) => s + (x[f] as number), 0);
  const optionSum = (f: string): number => rows.filter((x) => x.kind === 'option').reduce((s, x) => s + (x[f] as number), 0);
  const balance = accountBalance ?? (coin === 'BTC' ? 10 : 150);
  const upl = sum('floating_profit_loss');
  // Net transaction delta: the coin premium is itself coin exposure (pricing.md §5).
  const optionValue = m.positions.filter((p) => m.byName.get(p.name)?.spec.coin === coin).reduce((s, p) => s + p.size * m.byName.get(p.name)!.mark, 0);
  const mm = book ? sum('maintenance_margin') : m.positions.filter((p) => p.size < 0 && m.byName.get(p.name)?.spec.coin === coin).reduce((s, p) => s + Math.abs(p.size) * 0.075, 0);
  const im = book ? sum('initial_margin') : mm * 1.3;
  return {
    currency: coin,
    balance,
    equity: r(balance + upl, 8),
    margin_balance: r(balance + upl, 8),
    available_funds: r(balance + upl - im, 8),
    initial_margin: r(im, 8),
    maintenance_margin: r(mm, 8),
    delta_total: r(sum('delta') - optionValue, 5),
    options_delta: r(optionSum('delta'), 5),
    options_gamma: r(optionSum('gamma'), 5),
    options_vega: r(optionSum('vega'), 5),
    options_theta: r(optionSum('theta'), 5),
    options_pl: r(optionSum('floating_profit_loss'), 8),
    portfolio_margining_enabled: false,
  };
}

/** public/get_currencies (D9), for the two currencies the simulator lists. */
export function currencies(): Record<string, unknown>[] {
  return [
    { coin_type: 'BITCOIN', currency: 'BTC', currency_long: 'Bitcoin', min_confirmations: 1, min_withdrawal_fee: 0.0001, withdrawal_fee: 0.0001, withdrawal_priorities: [], network_currency: 'BTC', network_fee: 0.0001, decimals: 8 },
    { coin_type: 'ETHER', currency: 'ETH', currency_long: 'Ethereum', min_confirmations: 1, min_withdrawal_fee: 0.0001, withdrawal_fee: 0.0006, withdrawal_priorities: [], network_currency: 'ETH', network_fee: 0.0006, decimals: 6 },
  ];
}
