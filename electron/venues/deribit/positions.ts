import type { AccountSummary, Collateral, PositionDef } from '../../../shared/domain/portfolio.ts';
import { parseOptionName } from './instrument-name.ts';
import type { WireAccountSummary, WirePosition } from './wire-schemas.ts';

/**
 * Deribit positions in our terms. Options: size in contracts (= coins), premiums in coin, and the
 * venue's position Greeks already in canonical units (delta coin, gamma per 1 USD, vega USD per vol
 * point, theta USD per day). Futures: the venue counts size in USD; we count coins at the mark.
 */
export function normaliseDeribitPosition(account: string, p: WirePosition): PositionDef | string {
  if (p.size === 0) return 'empty position';
  if (p.kind === 'option') {
    const o = parseOptionName(p.instrument_name);
    if (!o) return `${p.instrument_name}: not an option name`;
    return {
      id: `deribit:${account}:${p.instrument_name}`,
      source: 'deribit',
      account,
      underlying: o.base.split('_')[0]!,
      instrument: p.instrument_name,
      type: 'option',
      quantity: p.size,
      kind: o.kind,
      strike: o.strike,
      expiry: o.expiry,
      settlement: o.settlement,
      entryPremium: p.average_price,
      venueGreeks: { deltaCoin: p.delta ?? null, gammaCoin: p.gamma ?? null, vegaUsd: p.vega ?? null, thetaUsd: p.theta ?? null },
    };
  }
  if (p.kind === 'future') {
    if (!(p.mark_price > 0)) return `${p.instrument_name}: no mark price`;
    const base = p.instrument_name.split('-')[0]!.split('_')[0]!;
    return {
      id: `deribit:${account}:${p.instrument_name}`,
      source: 'deribit',
      account,
      underlying: base,
      instrument: p.instrument_name,
      type: p.instrument_name.endsWith('-PERPETUAL') ? 'perp' : 'future',
      quantity: p.size / p.mark_price,
      entryPrice: p.average_price,
      inverseUsd: p.size,
    };
  }
  return `${p.instrument_name}: ${p.kind} positions are not tracked`;
}

/** The account's equity and margins, converted from coin to USD at the index. */
export function deribitSummary(account: string, s: WireAccountSummary, index: number | null, updatedAt: number): AccountSummary {
  const usd = (coin: number): number | null => (index && index > 0 ? coin * index : null);
  return {
    source: 'deribit',
    account: `${account} ${s.currency}`,
    equityUsd: usd(s.equity),
    marginUsedUsd: usd(s.initial_margin),
    maintenanceUsd: usd(s.maintenance_margin),
    updatedAt,
    error: null,
  };
}

/**
 * The coins an account holds beyond what its positions are worth: equity less the options at
 * their mark (coin) and less the futures' coin PnL N·(1/entry − 1/mark). Those are counted as
 * positions; this is the collateral, which is itself exposure to the coin when PnL is in USD.
 */
export function deribitCollateral(account: string, s: WireAccountSummary, positions: readonly WirePosition[]): Collateral {
  let inPositions = 0;
  for (const p of positions) {
    if (p.size === 0) continue;
    if (p.kind === 'option') inPositions += p.size * p.mark_price;
    else if (p.kind === 'future' && p.average_price > 0 && p.mark_price > 0) inPositions += p.size * (1 / p.average_price - 1 / p.mark_price);
  }
  return { source: 'deribit', account: `${account} ${s.currency}`, underlying: s.currency, coins: s.equity - inPositions };
}
