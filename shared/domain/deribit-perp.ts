/*
 * Deribit's BTC and ETH perpetuals as the ticket needs them (venues-trading D11, D13, D14):
 * inverse, sized in whole USD contracts (BTC 10, ETH 1), priced on a 0.5 / 0.05 USD tick, taker
 * 0.05 %, maker 0 %; standard initial margin coin × (2 % + coin × k), k 0.005 % BTC, 0.0004 % ETH.
 */
export const DERIBIT_PERP: Record<'BTC' | 'ETH', { contractUsd: number; tick: number; k: number }> = {
  BTC: { contractUsd: 10, tick: 0.5, k: 0.00005 },
  ETH: { contractUsd: 1, tick: 0.05, k: 0.000004 },
};

export const isDeribitPerpCoin = (coin: string): coin is 'BTC' | 'ETH' => coin === 'BTC' || coin === 'ETH';

/** Standard initial margin of a perpetual position of `usd` (absolute) at `mark`, in coin. */
export function deribitPerpMarginCoin(coin: 'BTC' | 'ETH', usd: number, mark: number): number {
  const coins = Math.abs(usd) / mark;
  return coins * (0.02 + coins * DERIBIT_PERP[coin].k);
}
