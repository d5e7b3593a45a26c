import { formatFixed } from '../../../../shared/format/numbers.ts';
import type { PremiumUnit } from '../../stores/view-store.ts';

/**
 * Option premiums as the chain, the cursor's book and the ticket show them: one precision per
 * column, set by the venue's tick in the unit shown (Deribit's 0.0001 BTC is about $9, so BTC
 * premiums in USD are whole dollars; 0.0001 ETH is about $0.37, so ETH's carry one decimal). A
 * premium below half a tick reads "<tick", never 0.
 */
export function premiumDecimals(tickCoin: number, index: number, unit: PremiumUnit): number {
  const step = unit === 'coin' ? tickCoin : tickCoin * index;
  if (!(step > 0)) return unit === 'coin' ? 4 : 2;
  return Math.min(8, Math.max(0, Math.ceil(-Math.log10(step) - 1e-9)));
}

export function premiumText(coin: number, index: number, unit: PremiumUnit, tickCoin: number): string {
  if (!(coin > 0)) return '–';
  const decimals = premiumDecimals(tickCoin, index, unit);
  const value = unit === 'coin' ? coin : coin * index;
  const smallest = 10 ** -decimals;
  if (value < smallest / 2) return `<${formatFixed(smallest, decimals)}`;
  return formatFixed(value, decimals);
}

/** "BTC" or "USD": the unit a premium column's header names. */
export function premiumUnitLabel(unit: PremiumUnit, underlying: string): string {
  return unit === 'coin' ? underlying : 'USD';
}
