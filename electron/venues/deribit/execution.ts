import { z } from 'zod';
import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../common/execution.ts';
import { sizeUnitOf } from '../../../shared/domain/orders.ts';
import type { DeribitWriteMethod } from './write-methods.ts';
import { DeribitError } from './json-rpc.ts';

/*
 * Deribit execution by label (venues-trading D3–D6): our client order id travels as the order's
 * `label`, so "what became of this order?" is `get_order_state_by_label`. Options are priced and
 * sized in coin (premium per contract, contracts = coins); perpetuals priced in USD per coin and
 * sized in USD, as Deribit sizes them (an inverse contract's coin size moves with its price, so a
 * USD order filled in coins would never add up). A venue error is a refusal in its words; no answer (timeout, drop) leaves the outcome
 * unknown and nothing is resent before the venue is asked.
 *
 * Reads go on the engine's own session; order actions (`write`) go through main, which guards
 * and sends them (host-protocol), or, in tests with a key held here, on the same session.
 */

type Call = (method: string, params: Record<string, unknown>, schema: z.ZodType) => Promise<unknown>;
/** An order action; throws DeribitError (refused), OutcomeUnknown (no answer) or another Error (not sent). */
export type Write = (method: DeribitWriteMethod, params: Record<string, unknown>, purpose: OrderRequest['purpose'], summary: string) => Promise<unknown>;

const order = z.object({ order_id: z.string(), order_state: z.string(), filled_amount: z.number(), average_price: z.number(), amount: z.number(), label: z.string(), instrument_name: z.string(), cancel_reason: z.string().optional() }).loose();
const placed = z.object({ order, trades: z.array(z.unknown()) }).loose();
const trade = z.object({ trade_id: z.string(), order_id: z.string(), instrument_name: z.string(), label: z.string().optional(), price: z.number(), amount: z.number(), timestamp: z.number() }).loose();
const trades = z.object({ trades: z.array(trade), has_more: z.boolean() }).loose();

const TIF: Record<OrderRequest['tif'], Record<string, unknown>> = {
  Gtc: { time_in_force: 'good_til_cancelled' },
  Ioc: { time_in_force: 'immediate_or_cancel' },
  // Post-only as Hyperliquid's Alo means it: refused, never moved, if it would take.
  Alo: { time_in_force: 'good_til_cancelled', post_only: true, reject_post_only: true },
};

export class DeribitExecution implements ExecutionClient {
  private readonly call: Call;
  private readonly write: Write;
  account: string | null;

  /** `account`: how the account is named on screen (the API key's client id, or "paper"). */
  constructor(call: Call, write: Write, account: string | null) {
    this.call = call;
    this.write = write;
    this.account = account;
  }

  /** Sizes are Deribit's own: coins for options, USD for perpetuals and futures (venueSizeUnit). */
  place(o: OrderRequest): Promise<PlaceOutcome> {
    return this.send(o.side === 'buy' ? 'private/buy' : 'private/sell', { instrument_name: o.instrument, amount: o.size, type: 'limit', price: o.price, label: o.clientId, reduce_only: o.reduceOnly, ...TIF[o.tif] }, o);
  }

  async modify(o: OrderRequest): Promise<PlaceOutcome> {
    const current = await this.byLabel(o.clientId, o.instrument);
    if (!current || current.order_state !== 'open') return { kind: 'rejected', reason: 'not_open_order: the order is no longer working' };
    return this.send('private/edit', { order_id: current.order_id, amount: o.size, price: o.price }, o);
  }

  async cancel(clientId: string, instrument: string): Promise<boolean> {
    try {
      const n = await this.write('private/cancel_by_label', { label: clientId, currency: currencyOf(instrument) }, 'manual', `cancel ${clientId}`);
      return typeof n === 'number' && n > 0;
    } catch (err) {
      if (err instanceof DeribitError) return false;
      throw new OutcomeUnknown((err as Error).message);
    }
  }

  /** Every open order of the account (private/cancel_all), whoever placed it. */
  async cancelEverything(): Promise<number> {
    try {
      const n = await this.write('private/cancel_all', {}, 'flatten', 'cancel all open orders');
      return typeof n === 'number' ? n : 0;
    } catch (err) {
      if (err instanceof DeribitError) throw err;
      throw new OutcomeUnknown((err as Error).message);
    }
  }

  /** Closes a whole position at the venue (reduce-only by construction); a limit needs a price. */
  async closePosition(instrument: string, how: { type: 'market' } | { type: 'limit'; price: number }, purpose: OrderRequest['purpose'] = 'flatten'): Promise<PlaceOutcome> {
    return this.send('private/close_position', { instrument_name: instrument, ...how }, { purpose, side: 'close', size: 0, instrument });
  }

  async status(clientId: string): Promise<VenueOrderStatus> {
    const o = await this.byLabel(clientId, null);
    if (!o) return { kind: 'unknown' };
    if (o.order_state === 'open') return { kind: 'open', venueOrderId: o.order_id, remaining: o.amount - o.filled_amount };
    if (o.order_state === 'filled' || (o.order_state === 'cancelled' && o.filled_amount > 0 && o.filled_amount >= o.amount - 1e-9)) return { kind: 'filled', venueOrderId: o.order_id, filledSize: o.filled_amount, avgPrice: o.average_price };
    if (o.order_state === 'rejected') return { kind: 'rejected', reason: 'rejected by the venue' };
    return { kind: 'cancelled', venueOrderId: o.order_id, reason: o.cancel_reason ?? 'cancelled' };
  }

  async fills(clientId: string): Promise<VenueFill[]> {
    const out: VenueFill[] = [];
    for (const currency of ['BTC', 'ETH']) {
      const r = (await this.ask('private/get_user_trades_by_currency', { currency, count: 1000 }, trades)) as z.infer<typeof trades>;
      for (const t of r.trades) if (t.label === clientId && t.amount > 0 && t.price > 0) out.push({ fillId: `trade:${t.trade_id}`, size: t.amount, price: t.price, at: t.timestamp });
    }
    return out.sort((a, b) => a.at - b.at);
  }

  private async byLabel(label: string, instrument: string | null): Promise<z.infer<typeof order> | null> {
    const currencies = instrument ? [currencyOf(instrument)] : ['BTC', 'ETH'];
    for (const currency of currencies) {
      const list = (await this.ask('private/get_order_state_by_label', { currency, label }, z.array(order))) as z.infer<typeof order>[];
      if (list.length) return list[list.length - 1]!;
    }
    return null;
  }

  private async send(method: DeribitWriteMethod, params: Record<string, unknown>, o: Pick<OrderRequest, 'purpose' | 'size' | 'instrument'> & { side: string }): Promise<PlaceOutcome> {
    let r: z.infer<typeof placed>;
    try {
      const answer = placed.safeParse(await this.write(method, params, o.purpose, method === 'private/buy' || method === 'private/sell' ? `${o.side} ${o.size} ${o.instrument}` : `${method.slice(8)} ${o.side} ${o.size} ${o.instrument}`));
      if (!answer.success) throw new OutcomeUnknown(`Deribit answered ${method} in a shape DeltaDesk cannot read`);
      r = answer.data;
    } catch (err) {
      if (err instanceof DeribitError) return { kind: 'rejected', reason: err.message };
      throw err;
    }
    const v = r.order;
    if (v.filled_amount > 0 && (v.order_state === 'filled' || v.order_state === 'cancelled')) return { kind: 'filled', venueOrderId: v.order_id, filledSize: v.filled_amount, avgPrice: v.average_price };
    if (v.order_state === 'open') return { kind: 'resting', venueOrderId: v.order_id };
    return { kind: 'rejected', reason: v.order_state === 'cancelled' ? `nothing matched (${v.cancel_reason ?? 'cancelled'})` : `the venue answered ${v.order_state}` };
  }

  /** A read: any failure leaves what happened unknown, to be asked again. */
  private async ask(method: string, params: Record<string, unknown>, schema: z.ZodType): Promise<unknown> {
    try {
      return await this.call(method, params, schema);
    } catch (err) {
      throw new OutcomeUnknown((err as Error).message);
    }
  }
}

/** Perpetuals and futures are sized in USD on Deribit; options in coins. */
export const isUsdSized = (instrument: string): boolean => sizeUnitOf('deribit', instrument) === 'USD';

function currencyOf(instrument: string): string {
  return instrument.slice(0, instrument.indexOf('-'));
}
