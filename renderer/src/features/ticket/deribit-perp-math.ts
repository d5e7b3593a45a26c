import type { TicketOrder } from '../../stores/ticket-store.ts';

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

/** The order for Deribit's perpetual: a USD amount in whole contracts (coins typed are converted at the limit). */
export function deribitPerpDraft(coin: 'BTC' | 'ETH', t: { side: 'buy' | 'sell'; sizeText: string; sizeUnit: 'coin' | 'usd'; priceText: string; tif: 'Gtc' | 'Ioc'; postOnly: boolean; reduceOnly: boolean }): { order: TicketOrder | null; problem: string | null; usd: number; price: number } {
  const rules = DERIBIT_PERP[coin];
  const price = Number(t.priceText);
  const raw = Number(t.sizeText);
  const none = { order: null, usd: 0, price };
  if (!t.priceText.trim() || !(price > 0)) return { ...none, problem: 'enter a limit price (or click a level)' };
  if (Math.abs(price / rules.tick - Math.round(price / rules.tick)) > 1e-6) return { ...none, problem: `the price must be on the tick (${rules.tick} here)` };
  if (!t.sizeText.trim() || !(raw > 0)) return { ...none, problem: 'enter a size' };
  const usd = Math.floor((t.sizeUnit === 'usd' ? raw : raw * price) / rules.contractUsd + 1e-9) * rules.contractUsd;
  if (!(usd > 0)) return { ...none, problem: `the size is under one contract (${rules.contractUsd} USD)` };
  return { order: { venue: 'deribit', instrument: `${coin}-PERPETUAL`, side: t.side, size: usd, limit: price, tif: t.postOnly ? 'Alo' : t.tif, reduceOnly: t.reduceOnly }, problem: null, usd, price };
}

/** Standard initial margin of a perpetual position of `usd` (absolute) at `mark`, in coin. */
export function deribitPerpMarginCoin(coin: 'BTC' | 'ETH', usd: number, mark: number): number {
  const coins = Math.abs(usd) / mark;
  return coins * (0.02 + coins * DERIBIT_PERP[coin].k);
}
