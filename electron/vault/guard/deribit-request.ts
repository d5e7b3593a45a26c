import { z } from 'zod';
import { isUsdSized } from '../../venues/deribit/execution.ts';
import type { DeribitWriteMethod } from '../../venues/deribit/write-methods.ts';
import type { OrderLeg, ReadAction } from './hyperliquid-action.ts';
import type { VenueView } from './venue-view.ts';

/*
 * What a Deribit order action does, read by main from the action it is about to send (never from
 * what the engine says it is). Deribit sizes perpetuals and futures in USD and options in coins;
 * the guard values everything in coins of the underlying at the worst USD price it can trade at,
 * the same way it values a Hyperliquid order, so one budget covers both venues.
 */

/** An order as the guard values it: amount in Deribit's unit (USD for perpetuals, coins for options). */
export interface DeribitOrderRead {
  currency: string;
  instrument: string;
  isBuy: boolean;
  amount: number;
  price: number | null;
  reduceOnly: boolean;
}

export type DeribitRead =
  | ({ kind: 'order' } & DeribitOrderRead)
  /** An edit: the order's own instrument and side are asked of Deribit before it is valued. */
  | { kind: 'edit'; orderId: string; amount: number; price: number | null }
  /** Cancels and closing a position add no exposure (a close is reduce-only at the venue). */
  | { kind: 'no-exposure'; what: string };

const INSTRUMENT = /^(BTC|ETH)-[A-Z0-9-]{1,40}$/;

const positiveNumber = (v: unknown): number | null => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : null;
};

export function readDeribitRequest(method: DeribitWriteMethod, p: Record<string, unknown>): { ok: true; read: DeribitRead } | { ok: false; reason: string } {
  switch (method) {
    case 'private/buy':
    case 'private/sell': {
      const instrument = typeof p.instrument_name === 'string' ? p.instrument_name : '';
      if (!INSTRUMENT.test(instrument)) return { ok: false, reason: `instrument ${JSON.stringify(instrument.slice(0, 60))} is not a BTC or ETH instrument; nothing sent` };
      if (p.contracts !== undefined) return { ok: false, reason: 'orders sized in contracts are not accepted here (give amount); nothing sent' };
      const amount = positiveNumber(p.amount);
      if (amount === null) return { ok: false, reason: 'order amount must be a positive number; nothing sent' };
      const type = p.type ?? 'limit';
      if (type !== 'limit' && type !== 'market') return { ok: false, reason: `order type ${JSON.stringify(type)} is not sent by DeltaDesk (limit or market only); nothing sent` };
      const price = type === 'limit' ? positiveNumber(p.price) : null;
      if (type === 'limit' && price === null) return { ok: false, reason: 'a limit order needs a positive price; nothing sent' };
      if (p.advanced !== undefined) return { ok: false, reason: 'orders priced in implied volatility or USD (advanced) are not accepted here; nothing sent' };
      return { ok: true, read: { kind: 'order', currency: instrument.slice(0, 3), instrument, isBuy: method === 'private/buy', amount, price, reduceOnly: p.reduce_only === true || p.reduce_only === 'true' } };
    }
    case 'private/edit': {
      const orderId = typeof p.order_id === 'string' && p.order_id.length > 0 && p.order_id.length <= 64 ? p.order_id : null;
      const amount = positiveNumber(p.amount);
      if (!orderId || amount === null) return { ok: false, reason: 'an edit needs the order id and a positive amount; nothing sent' };
      return { ok: true, read: { kind: 'edit', orderId, amount, price: p.price === undefined ? null : positiveNumber(p.price) } };
    }
    default:
      return { ok: true, read: { kind: 'no-exposure', what: method.slice('private/'.length) } };
  }
}

/** Deribit's own answers main reads for the guard. */
export const indexPriceSchema = z.looseObject({ index_price: z.number().positive() });
export const positionsSchema = z.array(z.looseObject({ instrument_name: z.string(), delta: z.number(), kind: z.string().optional() })).max(5_000);
export const openOrdersSchema = z.array(z.looseObject({ instrument_name: z.string(), direction: z.enum(['buy', 'sell']), amount: z.number(), filled_amount: z.number().optional() })).max(10_000);
export const orderStateSchema = z.looseObject({ instrument_name: z.string(), direction: z.enum(['buy', 'sell']), order_state: z.string(), reduce_only: z.boolean().optional() });

/** The account in one currency as the guard sees it: the index, the net coin delta, what rests. */
export function deribitView(currency: string, account: { index: number; positionDelta: number; openOrders: z.infer<typeof openOrdersSchema> }): VenueView {
  const coins = (instrument: string, amount: number): number => (isUsdSized(instrument) ? amount / account.index : amount);
  let buys = 0;
  let sells = 0;
  for (const o of account.openOrders) {
    const left = coins(o.instrument_name, o.amount - (o.filled_amount ?? 0));
    if (o.direction === 'buy') buys += left;
    else sells += left;
  }
  const c = currency;
  return { coins: [c], mids: new Map([[c, account.index]]), positions: new Map([[c, account.positionDelta]]), openBuys: new Map([[c, buys]]), openSells: new Map([[c, sells]]) };
}

/**
 * The order as a guard leg: coins of the underlying at the worst USD price it can trade at. A
 * perpetual's USD amount is coins at its limit; an option's coin exposure is counted as its whole
 * size (|delta| ≤ 1 per contract), its notional at the index.
 */
export function deribitAction(order: DeribitOrderRead, index: number): ReadAction {
  const usd = isUsdSized(order.instrument);
  const usdPrice = usd && order.price !== null ? order.price : index;
  const leg: OrderLeg = { asset: 0, isBuy: order.isBuy, price: usdPrice, triggerPrice: null, size: usd ? order.amount / usdPrice : order.amount, reduceOnly: order.reduceOnly };
  return { kind: 'orders', legs: [leg] };
}
