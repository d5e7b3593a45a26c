/*
 * The kill switch as the screen and the engine share it (issue "Kill switch"): a plan that lists
 * every step before anything is sent, and a run that says per leg how far it got. Sizes are in
 * the venue's order unit (Hyperliquid and Deribit options: coins; Deribit perpetuals: USD;
 * Aave: tokens of the debt's reserve); costs in USD.
 */

import type { StopStatus } from './stops.ts';

export const DIVEST_VENUES = ['hyperliquid', 'deribit', 'derive', 'aave'] as const;
export type DivestVenue = (typeof DIVEST_VENUES)[number];
/** One venue (its protocol broke) or the whole book. */
export type DivestScope = 'all' | DivestVenue;

/**
 * The safe order: orders first (nothing new can fill), then options — shorts bought back before
 * longs are sold, since shorts carry the tail — then the perp hedges (kept while the options'
 * delta is there), then Aave debt, and — when asked — the Aave collateral back to the wallet.
 */
export const DIVEST_PHASES = ['cancel', 'buy-back-shorts', 'sell-longs', 'hedges', 'repay', 'withdraw'] as const;
export type DivestPhase = (typeof DIVEST_PHASES)[number];

export const DIVEST_PHASE_TITLES: Record<DivestPhase, string> = {
  cancel: 'Cancel every order',
  'buy-back-shorts': 'Buy back short options',
  'sell-longs': 'Sell long options',
  hedges: 'Close the perp hedges',
  repay: 'Repay Aave debt',
  withdraw: 'Withdraw Aave collateral',
};

export interface DivestLeg {
  /** `${phase}:${venue}:${instrument}` — stable within a plan. */
  id: string;
  phase: DivestPhase;
  venue: DivestVenue;
  /** The account it trades (Hyperliquid address, Deribit account, Aave borrower). */
  account: string;
  /** The venue's instrument (Hyperliquid coin, Deribit name, Aave reserve symbol). */
  instrument: string;
  underlying: string;
  side: 'buy' | 'sell' | 'repay' | 'withdraw';
  /** To trade, in the venue's unit, > 0. */
  size: number;
  unit: 'coin' | 'USD' | 'token';
  /** The position before, signed, in the same unit (Aave: the debt, positive). */
  positionBefore: number;
  /** Mark in the venue's price unit (options: coin per contract), null for Aave. */
  mark: number | null;
  /** What the book takes now within the slippage limit, in the venue's unit (Aave: the wallet's). */
  absorbableNow: number;
  /** Average price of what the book takes now, venue price unit (null: nothing within the limit). */
  estAvgPrice: number | null;
  /** Slippage against the mark plus fees, USD; the part the book cannot take now at the limit price. */
  estCostUsd: number;
  /** Notional traded, USD. */
  notionalUsd: number;
  /** Orders it is expected to take (the book's refill between slices). */
  slices: number;
  /** Said beside the leg: thin book, part kept as a hedge, wallet short of the debt… */
  note: string | null;
}

export interface DivestStep {
  phase: DivestPhase;
  title: string;
  legs: DivestLeg[];
  /** The cancel step: live orders per venue the engine knows of (the venue's own cancel-all also takes any others). */
  orders?: { venue: DivestVenue; count: number }[];
}

export interface DivestPlan {
  id: string;
  scope: DivestScope;
  /** Whether the plan also takes the Aave collateral back to the wallet once no debt is left. */
  withdraw: boolean;
  createdAt: number;
  /** Executing after this needs a new plan. */
  expiresAt: number;
  steps: DivestStep[];
  /** Held but not flattened here, and why (a watched account with no key, no market…). */
  left: { venue: string; account: string; instrument: string; reason: string }[];
  /** Σ estimated cost, USD. */
  totalCostUsd: number;
  /** Limits the plan was made with. */
  perpSlippageBps: number;
  optionSlippagePct: number;
  /** Venues in scope that cannot trade this moment (reconnecting, reconciling): their legs wait for them. Null when none. */
  waitsFor: string | null;
  /** Delta per underlying once every leg is done, coins (what stays unhedged). */
  deltaAfter: { underlying: string; coins: number }[];
  /** What the trader types to execute it. */
  confirmWord: string;
}

export type DivestLegState = 'waiting' | 'working' | 'flat' | 'residual' | 'stopped';

export interface DivestLegProgress {
  legId: string;
  state: DivestLegState;
  /** Traded so far, venue's unit. */
  done: number;
  /** Still held, venue's unit, as last read. */
  remaining: number;
  orders: number;
  rejects: number;
  /** The last thing that happened, in words. */
  detail: string;
}

export interface DivestRun {
  id: string;
  planId: string;
  scope: DivestScope;
  /** 'auto' when a "protocol broke" trigger started it. */
  startedBy: 'trader' | 'auto';
  trigger: string | null;
  state: 'running' | 'done' | 'stopped';
  startedAt: number;
  finishedAt: number | null;
  cancelled: { venue: DivestVenue; count: number; failed: string | null }[];
  legs: DivestLegProgress[];
  plan: DivestPlan;
  /** At the end: what is flat and what is not, with why. */
  report: { flat: string[]; notFlat: string[] } | null;
}

export interface DivestSnapshot {
  run: DivestRun | null;
  /** Venues whose divestment starts by itself on a "protocol broke" alert. */
  armed: DivestVenue[];
  /** Hyperliquid's dead-man switch: when its open orders cancel themselves unless renewed (null: not set), and why it failed. */
  deadMan: { armedUntil: number | null; error: string | null };
  /** Protective stops kept at Hyperliquid for the trading account's positions. */
  stops: StopStatus[];
}

export const DIVEST_CONFIRM_WORD = 'FLATTEN';
