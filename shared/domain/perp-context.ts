import type { Instrument } from './instruments.ts';
import type { PortfolioSnapshot } from './portfolio.ts';
import type { PerpContext } from './ticket.ts';
import { VENUE_FEES } from './venues.ts';

/** Hyperliquid puts a coin with no position at 20× cross (or its maximum, if lower). */
export const DEFAULT_LEVERAGE = 20;

/**
 * The Hyperliquid account the ticket projects onto: the trading account's position in this coin
 * (its leverage, equity and the rest of the account's maintenance), or, flat, the account's value
 * at the default leverage. A string says why there is nothing to project onto.
 */
export function perpContext(snapshot: Pick<PortfolioSnapshot, 'positions' | 'totals' | 'accounts'> | null, inst: Instrument, account: string | null, mid: number | null): PerpContext | string {
  if (!snapshot) return 'the portfolio has not been read yet';
  // Never another account's position: until main names the account it signs for, nothing is projected.
  if (account === null) return 'no trading account yet (approve an agent in Vault)';
  const mine = (a: string): boolean => a.toLowerCase() === account.toLowerCase();
  const row = snapshot.positions.find((p) => p.def.source === 'hyperliquid' && p.def.type === 'perp' && p.def.underlying === inst.base && mine(p.def.account));
  const totals = snapshot.totals.find((t) => t.underlying === inst.base);
  const bookDelta = totals ? totals.greeks.deltaCoin : 0;
  const fees = VENUE_FEES.hyperliquid;
  const detail = row && row.def.type === 'perp' ? row.def.perp : undefined;
  if (row && detail) {
    return {
      mark: row.mark,
      position: row.def.quantity,
      equity: detail.equity,
      otherMaintenance: detail.otherMaintenance,
      maxLeverage: detail.maxLeverage,
      leverage: detail.leverage.value,
      cross: detail.leverage.type === 'cross',
      bookDelta,
      fees,
    };
  }
  const acct = snapshot.accounts.find((a) => a.source === 'hyperliquid' && mine(a.account));
  if (!acct || acct.equityUsd === null) return acct?.error ? `the Hyperliquid account could not be read (${acct.error})` : 'no Hyperliquid account to trade with yet (approve an agent in Vault)';
  if (mid === null) return 'no price for this market';
  return { mark: mid, position: 0, equity: acct.equityUsd, otherMaintenance: acct.maintenanceUsd ?? 0, maxLeverage: inst.maxLeverage, leverage: Math.min(DEFAULT_LEVERAGE, inst.maxLeverage), cross: true, bookDelta, fees };
}
