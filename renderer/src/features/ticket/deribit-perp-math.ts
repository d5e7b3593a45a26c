import { DERIBIT_PERP } from '../../../../shared/domain/deribit-perp.ts';
import type { TicketOrder } from '../../stores/ticket-store.ts';

export { DERIBIT_PERP, deribitPerpMarginCoin, isDeribitPerpCoin } from '../../../../shared/domain/deribit-perp.ts';

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
