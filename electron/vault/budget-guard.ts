import type { BudgetLimits } from './vault-file.ts';

/*
 * The budget the trader approved, checked in main before any hot-key signature. No venue lets a
 * delegated key cap order size, position or daily turnover, so this is the only place they are
 * enforced. A refusal names the limit and says by how much the request is over it.
 */

export interface OrderIntent {
  kind: 'order';
  venue: 'hyperliquid';
  underlying: string;
  /** |size × price| in USD. */
  notionalUsd: number;
  /** Signed position value in USD before and after this order fills completely. */
  positionBeforeUsd: number;
  positionAfterUsd: number;
  /** Why: shown in the journal. */
  purpose: 'hedge' | 'manual' | 'flatten';
}

export interface CollateralIntent {
  kind: 'collateral';
  venue: string;
  amountUsd: number;
  purpose: 'top-up' | 'manual';
}

export type GuardedIntent = OrderIntent | CollateralIntent;

export interface DailyUsage {
  /** UTC day the totals belong to (YYYY-MM-DD). */
  day: string;
  hedgeNotionalUsd: number;
  collateralUsd: number;
}

export type BudgetLimitName = 'budget' | 'maxOrderNotionalUsd' | 'maxPositionUsd' | 'maxDailyHedgeNotionalUsd' | 'maxDailyCollateralUsd';

export type GuardVerdict = { ok: true } | { ok: false; limit: BudgetLimitName; limitUsd: number | null; overByUsd: number | null; message: string };

const usd = (n: number): string => `$${Math.round(n).toLocaleString('en-US')}`;

function over(limit: BudgetLimitName, what: string, attempted: number, limitUsd: number): GuardVerdict {
  const overBy = attempted - limitUsd;
  return { ok: false, limit, limitUsd, overByUsd: overBy, message: `${what} ${usd(attempted)} is over the limit of ${usd(limitUsd)} by ${usd(overBy)}` };
}

export function positionLimitFor(limits: BudgetLimits, underlying: string): number {
  return limits.maxPositionUsd[underlying] ?? limits.maxPositionUsd['*'] ?? 0;
}

export function checkBudget(budget: { limits: BudgetLimits | null; valid: boolean }, intent: GuardedIntent, usage: DailyUsage): GuardVerdict {
  if (!budget.limits) return { ok: false, limit: 'budget', limitUsd: null, overByUsd: null, message: 'no budget approved yet: set one in Vault → Budget before hot keys can sign' };
  if (!budget.valid) return { ok: false, limit: 'budget', limitUsd: null, overByUsd: null, message: 'the budget in the vault file was changed outside DeltaDesk (or the vault is locked): approve it again' };
  const limits = budget.limits;
  if (intent.kind === 'collateral') {
    const after = usage.collateralUsd + intent.amountUsd;
    return after > limits.maxDailyCollateralUsd ? over('maxDailyCollateralUsd', `collateral moved today would be`, after, limits.maxDailyCollateralUsd) : { ok: true };
  }
  if (!(intent.notionalUsd >= 0) || !Number.isFinite(intent.positionAfterUsd) || !Number.isFinite(intent.positionBeforeUsd)) {
    return { ok: false, limit: 'budget', limitUsd: null, overByUsd: null, message: 'order value is not a finite number; nothing signed' };
  }
  if (intent.notionalUsd > limits.maxOrderNotionalUsd) return over('maxOrderNotionalUsd', 'order notional', intent.notionalUsd, limits.maxOrderNotionalUsd);
  const positionLimit = positionLimitFor(limits, intent.underlying);
  const growing = Math.abs(intent.positionAfterUsd) > Math.abs(intent.positionBeforeUsd);
  // Reducing a position is always allowed, even one already over its limit.
  if (growing && Math.abs(intent.positionAfterUsd) > positionLimit) return over('maxPositionUsd', `${intent.underlying} position after the order`, Math.abs(intent.positionAfterUsd), positionLimit);
  const daily = usage.hedgeNotionalUsd + intent.notionalUsd;
  if (daily > limits.maxDailyHedgeNotionalUsd) return over('maxDailyHedgeNotionalUsd', 'order notional signed today would be', daily, limits.maxDailyHedgeNotionalUsd);
  return { ok: true };
}
