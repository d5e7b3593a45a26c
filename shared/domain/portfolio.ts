import type { OptionKind, OptionSettlement } from './options.ts';

/**
 * Positions as the portfolio sees them, whatever their source. Quantities are signed coins
 * (long > 0). Prices carry their unit in their name; an inverse option's premium is in coin.
 */
export type PositionSource = 'hyperliquid' | 'deribit' | 'derive' | 'aave' | 'import' | 'what-if';

export const POSITION_SOURCE_LABELS: Record<PositionSource, string> = {
  hyperliquid: 'Hyperliquid',
  deribit: 'Deribit',
  derive: 'Derive',
  aave: 'Aave',
  import: 'Imported',
  'what-if': 'What-if',
};

interface PositionBase {
  /** Unique across the portfolio: `${source}:${account}:${instrument}`. */
  id: string;
  source: PositionSource;
  /** Address, API key label or file the position came from. */
  account: string;
  underlying: string;
  /** The venue's instrument name, or the name given in the import. */
  instrument: string;
  /** Signed size in coins (1 contract = 1 coin for Deribit options). */
  quantity: number;
}

export interface LinearPositionDef extends PositionBase {
  type: 'perp' | 'future' | 'spot';
  /** Entry price, USD per coin. */
  entryPrice: number;
  /** Inverse contracts (Deribit futures): the size in USD; `quantity` is then coins at the mark. */
  inverseUsd?: number;
  /** Hyperliquid's margin detail, when the venue reports it. */
  perp?: PerpDetail;
}

export interface OptionPositionDef extends PositionBase {
  type: 'option';
  kind: OptionKind;
  strike: number;
  /** ms since epoch, UTC. */
  expiry: number;
  settlement: OptionSettlement;
  /** Entry premium per coin: coin for inverse options, USD for linear ones. NaN when unknown. */
  entryPremium: number;
  /** Vol given with the position (import), annual fraction; used when the chain has no quote. */
  vol?: number;
  /** The venue's own Greeks for the whole position, canonical units (see PositionRow). */
  venueGreeks?: VenueGreeks;
}

export type PositionDef = LinearPositionDef | OptionPositionDef;

type OmitEach<T, K extends keyof PositionBase> = T extends unknown ? Omit<T, K> : never;
/** A position before the portfolio gives it an id and a source. */
export type NewPosition = OmitEach<PositionDef, 'id' | 'source' | 'account'>;

export interface PerpDetail {
  leverage: { type: 'cross' | 'isolated'; value: number };
  maxLeverage: number;
  /** USD. */
  marginUsed: number;
  /** Venue's liquidation price, USD (null: none). */
  liquidationPx: number | null;
  /** Funding paid since the position opened, USD (positive = paid by us, the venue's sign). */
  fundingSinceOpen: number;
  /** Venue's unrealised PnL, USD. */
  unrealizedPnl: number;
  /** Cross: account value; isolated: the position's margin with its PnL. USD, at markAtUpdate. */
  equity: number;
  /** The mark the venue valued the position at when it sent this (positionValue ÷ size), USD. */
  markAtUpdate: number;
  /** Cross: maintenance margin of the account's other positions, USD. */
  otherMaintenance: number;
}

export interface VenueGreeks {
  deltaCoin: number | null;
  gammaCoin: number | null;
  vegaUsd: number | null;
  thetaUsd: number | null;
}

/** Greeks of a position or a total, canonical units (DESIGN.md §5). */
export interface GreeksRow {
  valueUsd: number;
  deltaCoin: number;
  deltaUsd: number;
  gammaCoin: number;
  gammaUsdPer1Pct: number;
  vegaUsd: number;
  thetaUsd: number;
}

export type VolSource = 'venue mark' | 'surface' | 'import' | 'none';

export interface LiquidationView {
  /** Liquidation price as the venue reports it, USD. */
  venuePrice: number | null;
  /** Ours, from margin and maintenance rate, USD. */
  modelPrice: number | null;
  /** Move of the mark to the venue's (else our) liquidation price: fraction, USD per coin, daily σ. */
  distancePct: number | null;
  distanceUsd: number | null;
  distanceSigmas: number | null;
}

/** One position with its live risk. */
export interface PositionRow {
  def: PositionDef;
  /** Current price per coin in the entry's unit (coin premium for inverse options). */
  mark: number;
  /** USD per coin of the underlying used for this position (perp mark, or the forward for options). */
  underlyingPrice: number;
  vol: number | null;
  volSource: VolSource;
  greeks: GreeksRow;
  /** Black–Scholes delta without the premium adjustment, coin: what Deribit reports, for comparison. */
  deltaBsCoin: number;
  /** PnL since entry, USD and coin (coin = USD ÷ spot, or the inverse option's coin PnL). */
  pnlUsd: number | null;
  pnlCoin: number | null;
  liquidation: LiquidationView | null;
  /** Why the position has no risk figures (no market, no vol…), or null. */
  problem: string | null;
}

export interface UnderlyingTotals {
  underlying: string;
  /** Spot / index used for the totals, USD. */
  spot: number;
  greeks: GreeksRow;
  pnlUsd: number;
  /** Σ of Black–Scholes deltas without the premium adjustment, coin: compare with venueDeltaCoin. */
  deltaBsCoin: number;
  /** Coin collateral counted in these totals (its delta: one per coin in USD, none in coin). */
  collateral: Collateral[];
  /** What PnL and delta are counted in. */
  numeraire: Numeraire;
  /** Positions with no price: their risk is missing from these totals, not zero. */
  unpriced: number;
  /** Σ of the venue-reported deltas (options: BS delta) where every position has one (else null). */
  venueDeltaCoin: number | null;
  positions: number;
  /** Nearest perp liquidation above and below spot (venue's price, else ours), USD. */
  liquidationAbove: number | null;
  liquidationBelow: number | null;
}

export interface AccountSummary {
  source: PositionSource;
  account: string;
  /** Account value / equity, USD. */
  equityUsd: number | null;
  marginUsedUsd: number | null;
  /** Aave: collateral × liquidation threshold, the debt it can carry before liquidation. */
  maintenanceUsd: number | null;
  /**
   * The equity maintenance is judged against when it is not the whole account's: Hyperliquid's
   * cross account value (isolated margins stand apart, on both sides). USD.
   */
  marginEquityUsd?: number;
  /** Aave: collateral × liquidation threshold ÷ debt; liquidation below 1 (null: no debt). */
  healthFactor?: number | null;
  /**
   * Deribit: our standard margin of the book beside the venue's figures, USD, and the underlying
   * prices at which maintenance margin would reach equity (the book revalued there; null: none).
   */
  model?: { initialUsd: number; maintenanceUsd: number; liquidationBelow: number | null; liquidationAbove: number | null };
  /** When this account was last read from the venue, ms since epoch. */
  updatedAt: number;
  /** Why it could not be read, or null. */
  error: string | null;
}

export interface PortfolioSnapshot {
  computedAt: number;
  numeraire: Numeraire;
  positions: PositionRow[];
  totals: UnderlyingTotals[];
  accounts: AccountSummary[];
  /** Configuration problems (a damaged settings file kept aside…), shown until dismissed. */
  notices: string[];
  /** Where settings are saved, or null when they are kept in memory only. */
  settingsFile: string | null;
}

/** How the ladder for an underlying is laid out; the screen sets it, the engine computes it. */
export interface LadderSpec {
  underlying: string;
  /** Price step between rows, USD. */
  step: number;
  /** Rows in the ladder (odd, so live spot sits in the middle row). */
  rows: number;
  /** Vol shift applied to every option, vol points. */
  volShift: number;
  /** The "vol down / vol up" PnL columns are at volShift ∓ this, vol points. */
  volStep: number;
  /** Days forward. */
  days: number;
  /** Include what-if positions. */
  includeWhatIf: boolean;
}

export const LADDER_FIELDS = ['pnl', 'pnlVolDown', 'pnlVolUp', 'deltaCoin', 'gammaCoin', 'vegaUsd', 'thetaUsd'] as const;
export type LadderField = (typeof LADDER_FIELDS)[number];

export interface LadderMarker {
  price: number;
  label: string;
  /** margin-call: where the trader's margin alert would turn to a warning (no venue here sends one). */
  kind: 'liquidation' | 'margin-call' | 'strike';
}

/**
 * One venue account's margin use at each ladder row, its real positions revalued there (what-ifs
 * have no margin): maintenance ÷ equity in % (Aave: debt ÷ collateral × liquidation threshold,
 * 1 ÷ the health factor). 100 % is liquidation.
 */
export interface LadderMargin {
  source: PositionSource;
  account: string;
  /** Column name: "Deribit BTC", "HL 0x12…cdef", "HL 0x12…cdef iso", "Aave 0x70…79c8". */
  label: string;
  basis: 'maintenance ÷ equity' | '1 ÷ health factor';
  /** Per row, %; Infinity where no equity is left, NaN where it cannot be said. */
  use: Float64Array;
  /** Where a margin call starts, % (the trader's margin alert's warning level; null: that rule is off). */
  callAt: number | null;
}

/**
 * The Greeks ladder of one underlying: `prices[i]` is row i (highest first), and every column is a
 * Float64Array of the same length: PnL in the numeraire (USD or coin), deltaCoin and gammaCoin in
 * coin (per 1 USD for gamma), vega and theta in USD. PnL is against the portfolio's value at live
 * spot and vol, today; deltaCoin at a row is the derivative of the PnL column there (see Numeraire).
 */
export interface LadderSnapshot {
  spec: LadderSpec;
  computedAt: number;
  /** What the PnL columns are counted in (USD, or the underlying coin); Δ is their derivative. */
  numeraire: Numeraire;
  /** Live spot the ladder is centred on, USD. */
  spot: number;
  prices: Float64Array;
  columns: Record<LadderField, Float64Array>;
  markers: LadderMarker[];
  /** Each venue account's margin use per row (accounts with positions in this underlying). */
  margins: LadderMargin[];
  /** Positions included (what-ifs counted apart). */
  positions: number;
  whatIfs: number;
  /** PnL curve against the underlying price: today (with days forward) and at the first expiry. */
  payoff: { prices: Float64Array; today: Float64Array; atExpiry: Float64Array; expiry: number | null };
}

/** The exact inputs a ladder was computed from, so anyone can recompute it independently. */
export interface LadderInputs {
  computedAt: number;
  spec: LadderSpec;
  spot: number;
  positions: RiskInput[];
  numeraire: Numeraire;
}

/**
 * One holding as priced by the risk engine. Linear instruments: `quantity` coins at `mark`; an
 * inverse one (Deribit's futures, sized in USD) also carries `inverseUsd`, its contract size, and
 * is valued as Deribit settles it: coin PnL N·(1/entry − 1/mark), worth that many coins at spot.
 * `cash`: coins held as collateral, worth quantity × spot.
 */
export type RiskInput =
  | { id: string; type: 'perp' | 'future' | 'spot'; quantity: number; entryPrice: number; mark: number; inverseUsd?: number }
  | { id: string; type: 'option'; quantity: number; kind: OptionKind; strike: number; expiry: number; settlement: OptionSettlement; vol: number; forward: number }
  | { id: string; type: 'cash'; quantity: number };

/**
 * What PnL is counted in. Every delta on screen is the derivative of the PnL beside it:
 * - `usd`: PnL in USD; Δ = ∂V/∂S in coins (an inverse option's Black delta; coin collateral counts
 *   one for one).
 * - `coin`: PnL in the underlying coin; Δ = S·∂(V/S)/∂S in coins (the premium-adjusted delta;
 *   coin collateral has none).
 */
export type Numeraire = 'usd' | 'coin';
export const NUMERAIRE_LABELS: Record<Numeraire, string> = { usd: 'USD', coin: 'coin' };

/** Coins held as collateral on a venue, counted in the underlying's risk (see Numeraire). */
export interface Collateral {
  source: PositionSource;
  account: string;
  underlying: string;
  /** Coins: equity less what the positions are worth (they are counted as positions). */
  coins: number;
}
