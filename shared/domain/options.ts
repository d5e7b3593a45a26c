import { sviTotalVariance, type SviParams } from './svi.ts';
import type { VenueId } from './venues.ts';

/**
 * Options as the whole app sees them, whatever the venue. Units are part of every name: premiums
 * come in the settlement coin for inverse options (Deribit BTC/ETH) and are shown in coin or USD.
 */
export type OptionKind = 'call' | 'put';
export type OptionSettlement = 'inverse' | 'linear';

export const OPTION_UNDERLYINGS = ['BTC', 'ETH'] as const;
export type OptionUnderlying = (typeof OPTION_UNDERLYINGS)[number];

/** What makes an option the contract it is, on any venue. */
export interface ContractTerms {
  underlying: OptionUnderlying;
  /** Expiry, ms since epoch (UTC; Deribit and Derive: 08:00). */
  expiry: number;
  /** Strike, USD. */
  strike: number;
  kind: OptionKind;
  settlement: OptionSettlement;
}

export interface OptionContract extends ContractTerms {
  /** Index into the chain's rows; stable for the session (stream rows refer to it). */
  row: number;
  /** Venue's name, e.g. `BTC-27DEC24-100000-C`. */
  name: string;
  /** Premium tick below `tickStepAbove`, and above it (coin for inverse options). */
  tick: number;
  tickStepAbove: number | null;
  tickAbove: number | null;
  /** Smallest order, contracts (1 contract = 1 coin for inverse options). */
  minTradeAmount: number;
  /** The same contract (underlying, expiry, strike, kind) listed on another venue, when it is. */
  peer?: PeerListing;
}

/**
 * A taker fee in canonical units, USD per contract of one coin:
 * `baseUsd + min(rateOfIndex × index, premiumCap × premium)`. Deribit's options are base 0, 0.03 %
 * of the index capped at 12.5 % of the premium; Derive's carry a base fee per contract on top.
 */
export interface OptionFeeSchedule {
  baseUsd: number;
  rateOfIndex: number;
  premiumCap: number;
}

export function optionTakerFeeUsd(f: OptionFeeSchedule, premiumUsd: number, indexUsd: number): number {
  return f.baseUsd + Math.min(f.rateOfIndex * indexUsd, f.premiumCap * premiumUsd);
}

/** An option as another venue (pool) lists it, in canonical units: USD premiums per contract of one coin. */
export interface PeerListing extends ContractTerms {
  venue: VenueId;
  /** The venue's own name, e.g. `BTC-20261225-100000-C`. */
  name: string;
  tickUsd: number;
  /** Contract step, coins. */
  amountStep: number;
  fee: OptionFeeSchedule;
}

/** One ticker of a peer venue's option, canonical units (USD premium, IV fraction); NaN: no quote on that side. */
export interface PeerQuote {
  venue: VenueId;
  name: string;
  time: number;
  receivedAt: number;
  bidUsd: number;
  askUsd: number;
  bidSize: number;
  askSize: number;
  markUsd: number;
  bidIv: number;
  askIv: number;
  markIv: number;
  forward: number;
  index: number;
}

/** The key that makes two venues' options the same contract. */
export const contractKey = (c: { underlying: string; expiry: number; strike: number; kind: OptionKind }): string => `${c.underlying}|${c.expiry}|${c.strike}|${c.kind}`;

/** Deribit's premium tick at a price: the small tick below `tickStepAbove`, the larger one above. */
export function optionTickAt(c: Pick<OptionContract, 'tick' | 'tickStepAbove' | 'tickAbove'>, price: number): number {
  return c.tickStepAbove !== null && c.tickAbove !== null && price >= c.tickStepAbove ? c.tickAbove : c.tick;
}

/** The static part of a chain: which options exist. Quotes tick through the stream. */
export interface OptionChain {
  venue: 'deribit';
  contracts: OptionContract[];
}

/**
 * One option's live row, packed as numbers so a whole chain crosses the process border as one
 * Float64Array. NaN means "venue has no value" (no bid, no IV yet).
 */
export const ROW_FIELDS = [
  'bid', // best bid, coin per contract (inverse)
  'ask',
  'bidSize', // contracts
  'askSize',
  'mark', // coin per contract
  'bidIv', // annual fraction (0.6 = 60 %)
  'askIv',
  'markIv',
  'forward', // USD: the venue's underlying_price (future or synthetic forward)
  'index', // USD: index price, converts coin premiums to USD
  'delta', // ours: Black-76 N(d1) per contract, coin
  'deltaNet', // ours: premium-adjusted (inverse: delta − mark in coin)
  'gamma', // ours: coin delta change per 1 USD move
  'vega', // ours: USD per 1 vol point
  'theta', // ours: USD per calendar day
  'venueDelta', // as the venue reports, converted to the same units as ours
  'venueGamma',
  'venueVega',
  'venueTheta',
  'openInterest', // contracts
  'fitIv', // fitted surface at this strike, annual fraction
  'time', // venue timestamp, ms
  'receivedAt', // when the adapter read it, high-resolution ms since epoch
  // The same contract on its peer venue (contract.peer), canonical: USD per contract of one coin.
  'peerBid',
  'peerAsk',
  'peerBidSize', // contracts
  'peerAskSize',
  'peerMark',
  'peerBidIv', // annual fraction
  'peerAskIv',
  'peerMarkIv',
  'peerTime', // the peer venue's timestamp, ms
] as const;
export type RowField = (typeof ROW_FIELDS)[number];
export const ROW_STRIDE = ROW_FIELDS.length + 1; // + the row index
export const F = Object.fromEntries(ROW_FIELDS.map((f, i) => [f, i + 1])) as Record<RowField, number>;

/** Where a field of a row sits in a chain's value array (ROW_FIELDS per row, no row index). */
export function rowIndex(row: number, field: RowField): number {
  return row * ROW_FIELDS.length + F[field] - 1;
}

/** Fitted raw-SVI slice per expiry, for drawing the smile (k = ln(K/F), w = σ²T). */
export interface SmileSlice {
  expiry: number;
  /** Years to expiry at the fit. */
  time: number;
  forward: number;
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
  /** Root-mean-square fit error in implied vol, annual fraction. */
  rmsIvError: number;
  quotes: number;
}

export interface SurfaceSnapshot {
  underlying: OptionUnderlying;
  fittedAt: number;
  slices: SmileSlice[];
}

export type MispricingKind = 'rich-bid' | 'cheap-ask' | 'cross-venue' | 'butterfly' | 'calendar' | 'vertical';

/** One leg of a mispricing as it would trade: at the touch of one venue, net price and fee in USD per contract. */
export interface MispricingLeg {
  venue: VenueId;
  /** The venue's own instrument name. */
  name: string;
  /** The chain's contract this leg is (its Deribit name), for the screen to find it. */
  contract: string;
  side: 'buy' | 'sell';
  /** Contracts of this leg per unit of the combination (a butterfly's wings carry λ and 1 − λ). */
  ratio: number;
  /** The quoted price, USD per contract of one coin. */
  priceUsd: number;
  feeUsd: number;
  /** Contracts offered at that price. */
  size: number;
}

/** An option (or a combination) whose quotes sit off the joint fitted surface, cross between venues, or violate no-arbitrage. */
export interface Mispricing {
  kind: MispricingKind;
  underlying: OptionUnderlying;
  /** The legs, first the one traded at the quoted side (for rich/cheap, the only one). */
  legs: MispricingLeg[];
  /** Edge net of every leg's taker fee: vol points for rich-bid / cheap-ask, USD per unit for the rest. */
  edge: number;
  edgeUnit: 'vol-pt' | 'usd';
  /** Units executable at the quoted prices: the thinnest leg's size over its ratio. */
  size: number;
  /** Human-readable: what to do and why. */
  detail: string;
  /** When it was first seen in this form (kind and legs), ms: how long it has persisted. */
  since: number;
}

/** The kinds a trader can send from the list as one combination (every leg one contract per unit). */
export const TRADEABLE_KINDS: ReadonlySet<MispricingKind> = new Set<MispricingKind>(['cross-venue', 'vertical', 'butterfly', 'calendar']);

/** What makes two scans' findings the same mispricing (persistence is counted per key). */
export const mispricingKey = (m: Pick<Mispricing, 'kind' | 'legs'>): string => `${m.kind}|${m.legs.map((l) => `${l.side}:${l.venue}:${l.name}`).join(',')}`;

/** A fitted slice's implied vol at log-moneyness k (annual fraction; NaN where w ≤ 0). */
export function sviImpliedVol(s: SviParams & { time: number }, k: number): number {
  const w = sviTotalVariance(s, k);
  return s.time > 0 && w > 0 ? Math.sqrt(w / s.time) : NaN;
}
