import { positionLimitFor } from '../../shared/domain/budget.ts';
import { formatDollars } from '../../shared/format/numbers.ts';
import type { OrderLeg, ReadAction } from './guard/hyperliquid-action.ts';
import type { VenueView } from './guard/venue-view.ts';
import type { BudgetLimits } from './vault-file.ts';

export { positionLimitFor };

/*
 * The budget the trader approved, checked in main before any hot-key signature. No venue lets a
 * delegated key cap order size, position or daily turnover, so this is the only place they are
 * enforced. Every figure is derived here from the action that will be signed and from what main
 * itself asked the venue; nothing the caller claims is used. A refusal names the limit and says
 * by how much the request is over it.
 */

export type Purpose = 'hedge' | 'manual' | 'flatten' | 'top-up';

/** An order leg as the guard valued it, journaled with the signature. */
export interface GuardedLeg {
  coin: string;
  side: 'buy' | 'sell';
  size: number;
  limitPrice: number;
  reduceOnly: boolean;
  notionalUsd: number;
}

export interface OrderIntent {
  kind: 'order';
  venue: 'hyperliquid' | 'deribit' | 'derive';
  underlying: string;
  /** Σ |size| × max(limit, trigger, mid) in USD: the most the action can trade. */
  notionalUsd: number;
  /** Worst-case signed position value in USD before and after the action fills completely. */
  positionBeforeUsd: number;
  positionAfterUsd: number;
  legs?: GuardedLeg[];
  /** Why: shown in the journal. */
  purpose: Purpose;
  /** Every leg reduce-only, for the kill switch: let past the limits, and not counted in the daily usage. */
  reducesOnly?: true;
}

export interface CollateralIntent {
  kind: 'collateral';
  venue: string;
  amountUsd: number;
  purpose: 'top-up' | 'manual' | 'flatten';
  /** An Aave repay for the kill switch: let past the limit, and not counted in the daily usage. */
  reducesOnly?: true;
}

export type GuardedIntent = OrderIntent | CollateralIntent;

/** Totals over the rolling 24 hours before now (signed, plus reserved for signatures under way). */
export interface WindowUsage {
  hedgeNotionalUsd: number;
  collateralUsd: number;
}

/** Coins per coin that signatures under way (reserved, not yet journaled) may add. */
export interface PendingExposure {
  buys: Map<string, number>;
  sells: Map<string, number>;
}

export type BudgetLimitName = 'budget' | 'maxOrderNotionalUsd' | 'maxPositionUsd' | 'maxDailyHedgeNotionalUsd' | 'maxDailyCollateralUsd' | 'unreadable';

export type GuardVerdict = { ok: true; intents: GuardedIntent[] } | { ok: false; limit: BudgetLimitName; limitUsd: number | null; overByUsd: number | null; message: string };

const usd = formatDollars;

function over(limit: BudgetLimitName, what: string, attempted: number, limitUsd: number): GuardVerdict {
  const overBy = attempted - limitUsd;
  return { ok: false, limit, limitUsd, overByUsd: overBy, message: `${what} ${usd(attempted)} is over the limit of ${usd(limitUsd)} by ${usd(overBy)}` };
}

function refuse(limit: BudgetLimitName, message: string): GuardVerdict {
  return { ok: false, limit, limitUsd: null, overByUsd: null, message };
}


const finitePositive = (n: number): boolean => Number.isFinite(n) && n > 0;

export interface GuardInput {
  budget: { limits: BudgetLimits | null; valid: boolean; problem?: string | null };
  action: ReadAction;
  view: VenueView;
  usage: WindowUsage;
  pending: PendingExposure;
  purpose: Purpose;
  /** Which venue the action goes to (journaled); Hyperliquid when not said. */
  venue?: 'hyperliquid' | 'deribit' | 'derive' | 'aave';
}

export function checkBudget(input: GuardInput): GuardVerdict {
  const { budget, action, view, usage, pending } = input;
  if (action.kind === 'no-exposure') return { ok: true, intents: [] };
  if (!budget.limits) return refuse('budget', 'no budget approved yet: set one in Vault → Budget before hot keys can sign');
  if (!budget.valid) return refuse('budget', budget.problem ?? 'the budget in the vault file could not be trusted (or the vault is locked): approve it again');
  const limits = budget.limits;
  if (action.kind === 'collateral') {
    if (!finitePositive(action.amountUsd)) return refuse('unreadable', 'collateral amount is not a positive finite number; nothing signed');
    const after = usage.collateralUsd + action.amountUsd;
    // Repaying debt for the kill switch lowers exposure: it passes past the daily collateral limit.
    const repaying = input.purpose === 'flatten' && action.repay === true;
    if (!repaying && after > limits.maxDailyCollateralUsd) return over('maxDailyCollateralUsd', 'collateral moved in the last 24 h would be', after, limits.maxDailyCollateralUsd);
    return { ok: true, intents: [{ kind: 'collateral', venue: input.venue ?? 'hyperliquid', amountUsd: action.amountUsd, purpose: input.purpose === 'top-up' || input.purpose === 'hedge' ? 'top-up' : input.purpose === 'flatten' ? 'flatten' : 'manual', ...(repaying ? { reducesOnly: true as const } : {}) }] };
  }
  // The kill switch: an order whose every leg is reduce-only can only make positions smaller (the
  // venue clamps it to what is held), so flattening passes even past the daily and size limits.
  // Read from the action itself: a 'flatten' purpose alone changes nothing.
  const flattening = input.purpose === 'flatten' && action.legs.every((l) => l.reduceOnly);
  const byCoin = new Map<string, { legs: GuardedLeg[]; delta: number }>();
  for (const leg of action.legs) {
    const valued = valueLeg(leg, view);
    if (typeof valued === 'string') return refuse('unreadable', valued);
    if (!flattening && valued.notionalUsd > limits.maxOrderNotionalUsd) return over('maxOrderNotionalUsd', `order notional (${valued.side} ${valued.size} ${valued.coin})`, valued.notionalUsd, limits.maxOrderNotionalUsd);
    const entry = byCoin.get(valued.coin) ?? { legs: [], delta: 0 };
    entry.legs.push(valued);
    entry.delta += valued.side === 'buy' ? valued.size : -valued.size;
    byCoin.set(valued.coin, entry);
  }
  const intents: OrderIntent[] = [];
  let total = 0;
  for (const [coin, { legs, delta }] of byCoin) {
    const mid = view.mids.get(coin)!;
    // Worst case: every resting order and every signature under way on the same side fills too.
    const held = view.positions.get(coin) ?? 0;
    const before = delta >= 0 ? held + (view.openBuys.get(coin) ?? 0) + (pending.buys.get(coin) ?? 0) : held - (view.openSells.get(coin) ?? 0) - (pending.sells.get(coin) ?? 0);
    const after = before + delta;
    const limit = positionLimitFor(limits, coin);
    // Reducing a position is always allowed, even one already over its limit.
    if (!flattening && Math.abs(after) > Math.abs(before) && Math.abs(after) * mid > limit) return over('maxPositionUsd', `${coin} position after the order`, Math.abs(after) * mid, limit);
    const notionalUsd = legs.reduce((s, l) => s + l.notionalUsd, 0);
    total += notionalUsd;
    if (input.venue === 'aave') return refuse('unreadable', 'an Aave transaction carries no orders; nothing signed');
    intents.push({ kind: 'order', venue: input.venue ?? 'hyperliquid', underlying: coin, notionalUsd, positionBeforeUsd: before * mid, positionAfterUsd: after * mid, legs, purpose: input.purpose, ...(flattening ? { reducesOnly: true as const } : {}) });
  }
  // Flattening is not a hedge: it does not spend the day's budget (it is journaled all the same).
  const daily = usage.hedgeNotionalUsd + (flattening ? 0 : total);
  if (!flattening && daily > limits.maxDailyHedgeNotionalUsd) return over('maxDailyHedgeNotionalUsd', 'order notional signed in the last 24 h would be', daily, limits.maxDailyHedgeNotionalUsd);
  return { ok: true, intents };
}

/** Values one leg at the worst price it can trade at; a string says why it cannot be valued. */
function valueLeg(leg: OrderLeg, view: VenueView): GuardedLeg | string {
  const coin = view.coins[leg.asset];
  if (coin === undefined) return `asset ${leg.asset} is not listed on the venue; nothing signed`;
  const mid = view.mids.get(coin);
  if (mid === undefined || !finitePositive(mid)) return `no mid price for ${coin}; nothing signed`;
  if (!finitePositive(leg.size) || !finitePositive(leg.price) || (leg.triggerPrice !== null && !finitePositive(leg.triggerPrice))) return `order size and price must be positive finite numbers; nothing signed`;
  const worstPrice = Math.max(leg.price, leg.triggerPrice ?? 0, mid);
  return { coin, side: leg.isBuy ? 'buy' : 'sell', size: leg.size, limitPrice: leg.price, reduceOnly: leg.reduceOnly, notionalUsd: leg.size * worstPrice };
}
