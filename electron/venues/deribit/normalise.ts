import type { OptionContract, OptionUnderlying } from '../../../shared/domain/options.ts';
import { parseOptionName } from './instrument-name.ts';
import type { WireInstrument, WireTicker } from './wire-schemas.ts';

/**
 * A Deribit option ticker in canonical units (DESIGN.md §5). Deribit's option Greeks already use
 * the units we show per contract (venues.md §2.4, verified numerically): delta in coin (undiscounted
 * N(d1), not premium-adjusted), gamma per 1 USD, vega USD per vol point, theta USD per calendar day
 * (capped at the one-day decay in the last day). IVs arrive in percent and leave as fractions.
 */
export interface OptionTicker {
  name: string;
  /** Venue timestamp, ms; and when the adapter read the frame, high-resolution ms. */
  time: number;
  receivedAt: number;
  /** Premiums in the settlement coin per contract (inverse) or USDC (linear). NaN: no quote. */
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
  mark: number;
  /** Annual fractions; NaN when the venue has none (e.g. no bid). */
  bidIv: number;
  askIv: number;
  markIv: number;
  /** USD. The forward the venue prices against, and the index that converts coin to USD. */
  forward: number;
  index: number;
  openInterest: number;
  venue: { delta: number; gamma: number; vega: number; theta: number } | null;
}

const orNaN = (x: number | null | undefined): number => (x === null || x === undefined ? NaN : x);
const pct = (x: number | null | undefined): number => (x === null || x === undefined || x === 0 ? NaN : x / 100);

export function normaliseTicker(t: WireTicker, receivedAt: number): OptionTicker {
  const bid = orNaN(t.best_bid_price);
  const ask = orNaN(t.best_ask_price);
  return {
    name: t.instrument_name,
    time: t.timestamp,
    receivedAt,
    // Deribit reports an empty side as price 0 with amount 0.
    bid: bid > 0 ? bid : NaN,
    ask: ask > 0 ? ask : NaN,
    bidSize: bid > 0 ? orNaN(t.best_bid_amount) : 0,
    askSize: ask > 0 ? orNaN(t.best_ask_amount) : 0,
    mark: t.mark_price,
    bidIv: bid > 0 ? pct(t.bid_iv) : NaN,
    askIv: ask > 0 ? pct(t.ask_iv) : NaN,
    markIv: pct(t.mark_iv),
    forward: t.underlying_price ?? t.index_price,
    index: t.index_price,
    openInterest: orNaN(t.open_interest),
    venue: t.greeks ? { delta: t.greeks.delta, gamma: t.greeks.gamma, vega: t.greeks.vega, theta: t.greeks.theta } : null,
  };
}

/** An option instrument from `public/get_instruments`, or the reason it is not one we list. */
export function normaliseOption(w: WireInstrument, row: number): OptionContract | string {
  if (w.kind !== 'option') return `${w.instrument_name}: not an option`;
  const parsed = parseOptionName(w.instrument_name);
  if (!parsed) return `${w.instrument_name}: unrecognised option name`;
  const underlying = w.base_currency as OptionUnderlying;
  if (underlying !== 'BTC' && underlying !== 'ETH') return `${w.instrument_name}: underlying ${w.base_currency} not shown`;
  const step = w.tick_size_steps?.[0];
  return {
    row,
    name: w.instrument_name,
    underlying,
    expiry: w.expiration_timestamp,
    strike: w.strike ?? parsed.strike,
    kind: w.option_type ?? parsed.kind,
    settlement: w.instrument_type === 'linear' || parsed.settlement === 'linear' ? 'linear' : 'inverse',
    tick: w.tick_size,
    tickStepAbove: step ? step.above_price : null,
    tickAbove: step ? step.tick_size : null,
    minTradeAmount: w.min_trade_amount,
  };
}
