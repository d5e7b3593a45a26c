import { z } from 'zod';
import { optionTakerFeeUsd, type OptionFeeSchedule, type OptionKind, type OptionUnderlying, type PeerListing, type PeerQuote } from '../../../shared/domain/options.ts';

/*
 * Derive's v3 payloads (venues.md §3.3–3.4), validated once at the adapter. Derive sends every
 * decimal as a string; each one is parsed here to a finite number and checked, so nothing past
 * this file sees a string price. Objects are open (the venue adds fields), but every field read
 * is checked.
 */
const dec = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string').transform(Number);
const decNonNegative = dec.refine((x) => x >= 0, 'expected ≥ 0');
const decPositive = dec.refine((x) => x > 0, 'expected > 0');
const millis = z.number().int().nonnegative();

export const deriveInstrument = z.object({
  instrument_name: z.string(),
  instrument_type: z.enum(['option', 'perp', 'erc20']),
  is_active: z.boolean(),
  base_currency: z.string(),
  quote_currency: z.string(),
  tick_size: decPositive,
  amount_step: decPositive,
  minimum_amount: decPositive,
  maker_fee_rate: decNonNegative,
  taker_fee_rate: decNonNegative,
  base_fee: decNonNegative,
  mark_price_fee_rate_cap: decNonNegative,
  base_asset_address: z.string().regex(/^0x[0-9a-fA-F]{40}$/),
  base_asset_sub_id: z.string().regex(/^\d+$/),
  option_details: z.object({ expiry: z.number().int().positive(), strike: decPositive, option_type: z.enum(['C', 'P']) }).nullish(),
});
export type WireDeriveInstrument = z.infer<typeof deriveInstrument>;

export const deriveInstrumentsPage = z.object({ instruments: z.array(deriveInstrument), pagination: z.object({ count: z.number().int().nonnegative(), num_pages: z.number().int().nonnegative() }) });

export const deriveSlimTicker = z.object({
  t: millis,
  I: decPositive,
  M: decNonNegative,
  b: decNonNegative,
  B: decNonNegative,
  a: decNonNegative,
  A: decNonNegative,
  option_pricing: z.object({ d: dec, g: dec, v: dec, t: dec, i: decNonNegative, bi: decNonNegative, ai: decNonNegative, m: decNonNegative, f: decPositive }).nullish(),
  stats: z.object({ oi: decNonNegative }).partial().nullish(),
});
export type WireDeriveTicker = z.infer<typeof deriveSlimTicker>;

const level = z.tuple([decPositive, decPositive]);
export const deriveBook = z.object({ instrument_name: z.string(), publish_id: z.number().int().nonnegative(), timestamp: millis, bids: z.array(level), asks: z.array(level) });

/** An order as `private/order`, `private/get_orders` and the `{subaccount}.orders` channel carry it (venues.md §3.8). */
export const deriveOrder = z.object({
  order_id: z.string(),
  instrument_name: z.string(),
  direction: z.enum(['buy', 'sell']),
  order_status: z.enum(['open', 'filled', 'rejected', 'cancelled', 'expired', 'untriggered', 'algo_active']),
  amount: decPositive,
  filled_amount: decNonNegative,
  average_price: decNonNegative,
  limit_price: decNonNegative,
  label: z.string().default(''),
  cancel_reason: z.string().nullish(),
});
export type WireDeriveOrder = z.infer<typeof deriveOrder>;
export const deriveTrade = z.object({
  trade_id: z.string(),
  order_id: z.string(),
  instrument_name: z.string(),
  direction: z.enum(['buy', 'sell']),
  trade_price: decPositive,
  trade_amount: decPositive,
  timestamp: millis,
  label: z.string().default(''),
});
export type WireDeriveTrade = z.infer<typeof deriveTrade>;
export const derivePlaced = z.object({ order: deriveOrder, trades: z.array(deriveTrade) });

/** A Derive option as the app lists it: USDC-settled, European, its fees as the venue publishes them. */
export interface DeriveOptionContract {
  name: string;
  underlying: OptionUnderlying;
  /** ms since epoch (the instrument's own expiry, unix s × 1000). */
  expiry: number;
  strike: number;
  kind: OptionKind;
  settlement: 'linear';
  /** USDC premium tick and the contract step, coins. */
  tick: number;
  amountStep: number;
  asset: string;
  subId: bigint;
  fees: { taker: number; maker: number; base: number; premiumCap: number };
}

export function normaliseDeriveOption(w: WireDeriveInstrument): DeriveOptionContract | string {
  if (w.instrument_type !== 'option' || !w.option_details) return `${w.instrument_name}: not an option`;
  if (w.base_currency !== 'BTC' && w.base_currency !== 'ETH') return `${w.instrument_name}: underlying ${w.base_currency} not shown`;
  if (w.quote_currency !== 'USDC') return `${w.instrument_name}: quoted in ${w.quote_currency}, not USDC`;
  return {
    name: w.instrument_name,
    underlying: w.base_currency,
    expiry: w.option_details.expiry * 1000,
    strike: w.option_details.strike,
    kind: w.option_details.option_type === 'C' ? 'call' : 'put',
    settlement: 'linear',
    tick: w.tick_size,
    amountStep: w.amount_step,
    asset: w.base_asset_address,
    subId: BigInt(w.base_asset_sub_id),
    fees: { taker: w.taker_fee_rate, maker: w.maker_fee_rate, base: w.base_fee, premiumCap: w.mark_price_fee_rate_cap },
  };
}

/**
 * A Derive quote in canonical units (DESIGN.md §5): premiums USD per contract (1 coin), IVs annual
 * fractions (Derive already sends fractions, unlike Deribit's percent), NaN where a side is empty
 * (the venue sends "0"). Greeks as the venue reports them: delta per contract, gamma per USD, vega
 * USD per vol point, theta USD per calendar day (venues.md §3.3, checked against Black-76). It is
 * the chain's peer quote with the venue's own Greeks beside it.
 */
export interface DeriveQuote extends Omit<PeerQuote, 'venue'> {
  venue: { delta: number; gamma: number; vega: number; theta: number } | null;
}

export function normaliseDeriveTicker(name: string, t: WireDeriveTicker, receivedAt: number): DeriveQuote {
  const p = t.option_pricing;
  const has = (x: number): boolean => x > 0;
  return {
    name,
    time: t.t,
    receivedAt,
    bidUsd: has(t.b) ? t.b : NaN,
    askUsd: has(t.a) ? t.a : NaN,
    bidSize: has(t.b) ? t.B : 0,
    askSize: has(t.a) ? t.A : 0,
    markUsd: t.M,
    bidIv: has(t.b) && p && has(p.bi) ? p.bi : NaN,
    askIv: has(t.a) && p && has(p.ai) ? p.ai : NaN,
    markIv: p && has(p.i) ? p.i : NaN,
    forward: p?.f ?? t.I,
    index: t.I,
    venue: p ? { delta: p.d, gamma: p.g, vega: p.v, theta: p.t } : null,
  };
}

/** Derive's published fees as a schedule: the base fee plus the taker rate of the index, capped at a share of the premium. */
export function deriveFeeSchedule(c: DeriveOptionContract): OptionFeeSchedule {
  return { baseUsd: c.fees.base, rateOfIndex: c.fees.taker, premiumCap: c.fees.premiumCap };
}

/** The fee per contract a taker pays at `premiumUsd` with the index at `indexUsd`. */
export function deriveTakerFeeUsd(c: DeriveOptionContract, premiumUsd: number, indexUsd: number): number {
  return optionTakerFeeUsd(deriveFeeSchedule(c), premiumUsd, indexUsd);
}

/** A Derive option as the chain lists it beside the same contract on another venue. */
export function derivePeerListing(c: DeriveOptionContract): PeerListing {
  return { venue: 'derive', name: c.name, underlying: c.underlying, expiry: c.expiry, strike: c.strike, kind: c.kind, settlement: 'linear', tickUsd: c.tick, amountStep: c.amountStep, fee: deriveFeeSchedule(c) };
}

/** A Derive quote in the chain's peer units (already canonical: USD premiums, IV fractions). */
export function derivePeerQuote(q: DeriveQuote): PeerQuote {
  const { venue: _greeks, ...quote } = q;
  return { venue: 'derive', ...quote };
}
