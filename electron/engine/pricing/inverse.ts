import { black76, type OptionKind } from './black.ts';
import type { PricingResult } from './inputs.ts';

/**
 * Inverse (coin-settled) options as Deribit defines them for BTC and ETH: the premium is paid in
 * the coin, and coin price = undiscounted Black-76 USD price ÷ forward (pricing.md §5).
 */
export interface InverseOptionValue {
  /** Premium in coin per contract (1 contract = 1 coin). */
  priceCoin: number;
  /** Premium in USD (coin price × forward). */
  priceUsd: number;
  /** Black-Scholes delta N(d1) (call) or N(d1) − 1 (put), coins per contract, as Deribit reports it. */
  deltaBs: number;
  /**
   * Premium-adjusted delta in coin ("net transaction delta"): BS delta − coin price. A coin-settled
   * premium is itself coin exposure, which is what a hedger must offset.
   */
  deltaCoin: number;
}

export function inverseOption(kind: OptionKind, forward: number, strike: number, time: number, vol: number): PricingResult<InverseOptionValue> {
  const r = black76(kind, forward, strike, time, vol, 0);
  if (!r.ok) return r;
  const priceCoin = r.value.price / forward;
  return { ok: true, value: { priceCoin, priceUsd: r.value.price, deltaBs: r.value.delta, deltaCoin: r.value.delta - priceCoin } };
}
