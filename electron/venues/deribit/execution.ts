import { z } from 'zod';
import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../common/execution.ts';
import { DeribitError } from './json-rpc.ts';

/*
 * Deribit execution by label (venues-trading D3–D6): our client order id travels as the order's
 * `label`, so "what became of this order?" is `get_order_state_by_label`. Options are priced and
 * sized in coin (premium per contract, contracts = coins). A venue error is a refusal in its
 * words; no answer (timeout, drop) leaves the outcome unknown and nothing is resent before the
 * venue is asked.
 */

type Call = (method: string, params: Record<string, unknown>, schema: z.ZodType) => Promise<unknown>;

const order = z.object({ order_id: z.string(), order_state: z.string(), filled_amount: z.number(), average_price: z.number(), amount: z.number(), label: z.string(), instrument_name: z.string(), cancel_reason: z.string().optional() }).loose();
const placed = z.object({ order, trades: z.array(z.unknown()) }).loose();
const trade = z.object({ trade_id: z.string(), order_id: z.string(), label: z.string().optional(), price: z.number(), amount: z.number(), timestamp: z.number() }).loose();
const trades = z.object({ trades: z.array(trade), has_more: z.boolean() }).loose();

const TIF: Record<OrderRequest['tif'], Record<string, unknown>> = {
  Gtc: { time_in_force: 'good_til_cancelled' },
  Ioc: { time_in_force: 'immediate_or_cancel' },
  // Post-only as Hyperliquid's Alo means it: refused, never moved, if it would take.
  Alo: { time_in_force: 'good_til_cancelled', post_only: true, reject_post_only: true },
};

export class DeribitExecution implements ExecutionClient {
  private readonly call: Call;
  readonly account: string | null;

  /** `account`: how the account is named on screen (the API key's client id, or "paper"). */
  constructor(call: Call, account: string) {
    this.call = call;
    this.account = account;
  }

  place(o: OrderRequest): Promise<PlaceOutcome> {
    return this.send(o.side === 'buy' ? 'private/buy' : 'private/sell', { instrument_name: o.instrument, amount: o.size, type: 'limit', price: o.price, label: o.clientId, reduce_only: o.reduceOnly, ...TIF[o.tif] });
  }

  async modify(o: OrderRequest): Promise<PlaceOutcome> {
    const current = await this.byLabel(o.clientId, o.instrument);
    if (!current || current.order_state !== 'open') return { kind: 'rejected', reason: 'not_open_order: the order is no longer working' };
    return this.send('private/edit', { order_id: current.order_id, amount: o.size, price: o.price });
  }

  async cancel(clientId: string, instrument: string): Promise<boolean> {
    try {
      const n = (await this.call('private/cancel_by_label', { label: clientId, currency: currencyOf(instrument) }, z.number())) as number;
      return n > 0;
    } catch (err) {
      if (err instanceof DeribitError) return false;
      throw new OutcomeUnknown((err as Error).message);
    }
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
      const r = (await this.ask('private/get_user_trades_by_currency', { currency, kind: 'option', count: 1000 }, trades)) as z.infer<typeof trades>;
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

  private async send(method: string, params: Record<string, unknown>): Promise<PlaceOutcome> {
    let r: z.infer<typeof placed>;
    try {
      r = (await this.call(method, params, placed)) as z.infer<typeof placed>;
    } catch (err) {
      if (err instanceof DeribitError) return { kind: 'rejected', reason: err.message };
      throw new OutcomeUnknown((err as Error).message);
    }
    const o = r.order;
    if (o.filled_amount > 0 && (o.order_state === 'filled' || o.order_state === 'cancelled')) return { kind: 'filled', venueOrderId: o.order_id, filledSize: o.filled_amount, avgPrice: o.average_price };
    if (o.order_state === 'open') return { kind: 'resting', venueOrderId: o.order_id };
    return { kind: 'rejected', reason: o.order_state === 'cancelled' ? `nothing matched (${o.cancel_reason ?? 'cancelled'})` : `the venue answered ${o.order_state}` };
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

function currencyOf(instrument: string): string {
  return instrument.slice(0, instrument.indexOf('-'));
}
