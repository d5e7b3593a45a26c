/*
 * Hedging as the screen and the engine share it (issue "Hedging"): a plan to bring one
 * underlying's delta to its target with one perp order, or the reason there is none.
 * Deltas in coins of the underlying, in the book's numeraire; prices USD; sizes in the venue's
 * unit (Hyperliquid coins, Deribit USD contracts).
 */
export const HEDGE_VENUES = ['hyperliquid', 'deribit'] as const;
export type HedgeVenue = (typeof HEDGE_VENUES)[number];

export interface HedgePlan {
  ok: true;
  underlying: string;
  venue: HedgeVenue;
  instrument: string;
  side: 'buy' | 'sell';
  size: number;
  /** The size was cut to the maximum clip. */
  clipped: boolean;
  /** Immediate-or-cancel limit: the last book level the plan needs. */
  limitPrice: number;
  /** Expected average price, walking the book. */
  avgPrice: number;
  mark: number;
  /** Against the mark, a cost positive. */
  slippageBps: number;
  feeUsd: number;
  notionalUsd: number;
  deltaBefore: number;
  deltaAfter: number;
  target: number;
  /** Initial margin of the hedge position after, USD (null: not projected on this venue). */
  marginAfterUsd: number | null;
  /** The hedge position's liquidation price before and after, USD (null: none, or not projected). */
  liqBefore: number | null;
  liqAfter: number | null;
}

export interface HedgeRefusal {
  ok: false;
  code: 'stale' | 'unreconciled' | 'no-price' | 'thin' | 'not-closer' | 'within-lot' | 'no-account' | 'vault' | 'budget' | 'moved' | 'expired';
  reason: string;
}

/** A preview the screen shows: the plan, the id that sends it, and until when. */
export interface HedgePreview {
  id: string;
  createdAt: number;
  expiresAt: number;
  result: HedgePlan | HedgeRefusal;
  /** The budget left today, USD, as main last reported it (null: not known). */
  budgetLeftUsd: number | null;
}

/**
 * A plan the engine makes again a few times a second for each underlying held, at both presets,
 * and streams: the hedge key opens it at once while the kept preview (the one that can be sent,
 * by its id) is asked for. Never sent itself, never journaled.
 */
export interface HedgeDraft {
  underlying: string;
  fraction: number;
  /** Engine clock when planned, ms. */
  at: number;
  result: HedgePlan | HedgeRefusal;
}

/** Per underlying: the delta to hedge to and where. */
export interface HedgeTarget {
  underlying: string;
  /** Target delta, coins. */
  delta: number;
  venue: HedgeVenue;
}

/** What the planner and the auto-hedger are limited by. */
export interface HedgeLimits {
  maxSlippageBps: number;
  /** Largest order, USD notional. */
  maxClipUsd: number;
  /** Data older than this blocks a hedge, ms. */
  maxAgeMs: number;
  /** A preview is good for this long, ms. */
  previewTtlMs: number;
  /** A confirm is refused if the plan's average price moved more than this since the preview, bps. */
  priceToleranceBps: number;
}

export const DEFAULT_HEDGE_LIMITS: HedgeLimits = { maxSlippageBps: 25, maxClipUsd: 2_000_000, maxAgeMs: 5_000, previewTtlMs: 8_000, priceToleranceBps: 10 };

/** How wide the no-trade band around the target is: fixed, or Whalley–Wilmott (pricing.md §4). */
export type HedgeBand = { kind: 'fixed'; halfWidthCoins: number } | { kind: 'whalley-wilmott'; riskAversionPerUsd: number };

export const AUTO_HEDGE_MODES = ['off', 'shadow', 'live'] as const;
export type AutoHedgeMode = (typeof AUTO_HEDGE_MODES)[number];

/** The auto-hedger of one underlying, as the trader sets it. */
export interface AutoHedgeConfig {
  underlying: string;
  /** Off; shadow decides and journals but sends nothing; live sends. */
  mode: AutoHedgeMode;
  band: HedgeBand;
  /** Least time between two hedges, ms. */
  minIntervalMs: number;
  /** Delta this far beyond the band's edge hedges even inside the interval, coins. */
  driftBypassCoins: number;
  /** Largest hedge order, USD notional. */
  maxClipUsd: number;
  /** Hedge notional in a rolling 24 h, USD; never more than the approved budget's (main checks that too). */
  dailyCapUsd: number;
  maxSlippageBps: number;
}

export const DEFAULT_AUTO_HEDGE: Omit<AutoHedgeConfig, 'underlying'> = {
  mode: 'off',
  band: { kind: 'fixed', halfWidthCoins: 0.25 },
  minIntervalMs: 30_000,
  driftBypassCoins: 0.5,
  maxClipUsd: 250_000,
  dailyCapUsd: 1_000_000,
  maxSlippageBps: 15,
};

export interface AutoHedgeDecision {
  at: number;
  /** 'hedge' sent; 'shadow' decided but not sent; 'skip' inside the band or the interval; 'refused' the planner said no. */
  what: 'hedge' | 'shadow' | 'skip' | 'refused' | 'rejected';
  detail: string;
}

export interface AutoHedgeStatus {
  config: AutoHedgeConfig;
  /** 'watching' the band; 'paused' with a reason; 'settling' until the venue shows the last hedge. */
  state: 'off' | 'watching' | 'paused' | 'settling' | 'hedging';
  reason: string | null;
  /** Paused until re-armed (repeated rejects, the cap spent, the vault locked). */
  latched: boolean;
  /** When it last looked at the book, ms since epoch (arming counts). */
  checkedAt: number;
  delta: number | null;
  target: number;
  /** The band's half-width now, coins (Whalley–Wilmott moves with gamma and spot). */
  bandHalfWidth: number | null;
  last: AutoHedgeDecision | null;
  nextCheckAt: number | null;
  /** Rolling 24 h: hedges sent, their notional, what they cost (fees + slippage against the mark), USD. */
  hedges24h: number;
  notional24hUsd: number;
  cost24hUsd: number;
  /** The hedges' PnL at the mark now, fees included, USD. */
  hedgesPnlUsd: number;
}
