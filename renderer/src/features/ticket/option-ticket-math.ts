import { optionTickAt, type OptionContract } from '../../../../shared/domain/options.ts';
import { deribitOptionFeeCoin } from '../../../../shared/domain/venues.ts';
import type { TicketOrder } from '../../stores/ticket-store.ts';

const onGrid = (x: number, step: number): boolean => Math.abs(x / step - Math.round(x / step)) < 1e-6;

/** The option order the ticket's fields describe, or why there is none. */
export function optionDraft(c: OptionContract, t: { side: 'buy' | 'sell'; sizeText: string; priceText: string; tif: 'Gtc' | 'Ioc'; postOnly: boolean; reduceOnly: boolean }): { order: TicketOrder | null; problem: string | null } {
  const price = Number(t.priceText);
  const size = Number(t.sizeText);
  if (!t.priceText.trim() || !(price > 0)) return { order: null, problem: `enter a premium in ${c.underlying} (or click a level in the book)` };
  const tick = optionTickAt(c, price);
  if (!onGrid(price, tick)) return { order: null, problem: `the premium must be on the tick (${tick} ${c.underlying} here)` };
  if (!t.sizeText.trim() || !(size > 0)) return { order: null, problem: 'enter a size in contracts' };
  if (!onGrid(size, c.minTradeAmount)) return { order: null, problem: `contracts come in steps of ${c.minTradeAmount}` };
  return { order: { venue: 'deribit', instrument: c.name, side: t.side, size, limit: price, tif: t.postOnly ? 'Alo' : t.tif, reduceOnly: t.reduceOnly }, problem: null };
}

/** Deribit's option fee per fill, coin (shared with the engine's kill-switch plan). */
export const optionFeeCoin = deribitOptionFeeCoin;

/**
 * Standard initial margin a short option adds, coin per contract (venues-trading D14, as the
 * simulator applies it): max(0.15 − OTM, 0.1) + mark. A long pays its premium and needs none.
 */
export function shortOptionMarginCoin(c: Pick<OptionContract, 'kind' | 'strike'>, spot: number, mark: number): number {
  const otm = Math.max(0, c.kind === 'call' ? (c.strike - spot) / spot : (spot - c.strike) / spot);
  return Math.max(0.15 - otm, 0.1) + mark;
}
