import { z } from 'zod';
import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../common/execution.ts';
import { DeriveRpcError } from './market-data.ts';
import { deriveOrder, derivePlaced, deriveTrade, type DeriveOptionContract } from './wire-schemas.ts';

/*
 * Derive execution by label (venues.md §3.8): our client order id travels as the order's `label`,
 * so "what became of this order?" is `private/get_orders` by label and its fills
 * `private/get_trade_history` by label. Prices are USDC per contract on the instrument's tick,
 * sizes coins on its amount step; both are written as the decimal strings the signed action is
 * rebuilt from. Every order action goes through main (`write`), which signs it with the session
 * key; reads go on the engine's own logged-in session.
 */

export type DeriveWriteMethod = 'private/order' | 'private/cancel_by_label' | 'private/cancel_all';
/** An order action through main; throws DeriveRpcError (refused), OutcomeUnknown (no answer) or another Error (not sent). */
export type DeriveWrite = (method: DeriveWriteMethod, params: Record<string, unknown>, purpose: OrderRequest['purpose'], summary: string) => Promise<unknown>;
export type DeriveRead = (method: string, params: Record<string, unknown>) => Promise<unknown>;

const TIF: Record<OrderRequest['tif'], string> = { Gtc: 'gtc', Ioc: 'ioc', Alo: 'post_only' };
/** How long a signed order stays valid at the venue (signature_expiry_sec − now): main signs for 5 min. */
export const DERIVE_ACTION_TTL_MS = 300_000;

/** `x` on the grid of `step`, in the worse-never direction; written as the venue reads it. */
export function onGrid(x: number, step: number, direction: 'down' | 'up'): { value: number; wire: string } {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const n = direction === 'down' ? Math.floor(x / step + 1e-9) : Math.ceil(x / step - 1e-9);
  const wire = (n * step).toFixed(decimals);
  return { value: Number(wire), wire };
}

export class DeriveExecution implements ExecutionClient {
  readonly actionTtlMs = DERIVE_ACTION_TTL_MS;
  private readonly read: DeriveRead;
  private readonly write: DeriveWrite;
  private readonly contract: (name: string) => DeriveOptionContract | undefined;
  private readonly wallet: () => string | null;

  constructor(deps: { read: DeriveRead; write: DeriveWrite; contract: (name: string) => DeriveOptionContract | undefined; wallet: () => string | null }) {
    this.read = deps.read;
    this.write = deps.write;
    this.contract = deps.contract;
    this.wallet = deps.wallet;
  }

  /** Not logged in (no live session key in the vault, or the vault locked): nothing of ours can be at the venue. */
  cannotAct(): string | null {
    return this.wallet() === null ? 'Derive is not logged in: register a session key in Vault' : null;
  }

  /** The owner wallet the session is logged in for (null before the first login). */
  get account(): string | null {
    return this.wallet();
  }

  async place(o: OrderRequest): Promise<PlaceOutcome> {
    const c = this.contract(o.instrument);
    if (!c) return { kind: 'rejected', reason: `${o.instrument} is not listed on Derive` };
    // A buy's limit rounds down, a sell's up: never a worse price than asked. The size rounds down.
    const price = onGrid(o.price, c.tick, o.side === 'buy' ? 'down' : 'up');
    const amount = onGrid(o.size, c.amountStep, 'down');
    if (!(amount.value > 0)) return { kind: 'rejected', reason: `${o.size} is under Derive's step of ${c.amountStep} contracts` };
    if (!(price.value > 0)) return { kind: 'rejected', reason: `a limit of ${o.price} USDC is under the tick of ${c.tick}` };
    // The fee is capped per contract; the cap is the most the published schedule can charge at this limit.
    const maxFee = onGrid(c.fees.base + c.fees.premiumCap * price.value, 0.01, 'up');
    const params = { instrument_name: o.instrument, direction: o.side, order_type: 'limit', time_in_force: TIF[o.tif], limit_price: price.wire, amount: amount.wire, max_fee: maxFee.wire, label: o.clientId, reduce_only: o.reduceOnly, mmp: false };
    let answer: unknown;
    try {
      answer = await this.write('private/order', params, o.purpose, `${o.side} ${amount.wire} ${o.instrument} at ${price.wire} USDC`);
    } catch (err) {
      if (err instanceof DeriveRpcError) return { kind: 'rejected', reason: err.message };
      throw err;
    }
    const r = derivePlaced.safeParse(answer);
    if (!r.success) throw new OutcomeUnknown('Derive answered private/order in a shape DeltaDesk cannot read');
    const v = r.data.order;
    if (v.filled_amount > 0 && (v.order_status === 'filled' || v.order_status === 'cancelled')) return { kind: 'filled', venueOrderId: v.order_id, filledSize: v.filled_amount, avgPrice: v.average_price };
    if (v.order_status === 'open') return { kind: 'resting', venueOrderId: v.order_id };
    return { kind: 'rejected', reason: v.order_status === 'cancelled' ? `nothing matched (${v.cancel_reason ?? 'cancelled'})` : `the venue answered ${v.order_status}` };
  }

  /** Derive's `replace` is not used yet: a change is refused, and the order stands as it was. */
  modify(): Promise<PlaceOutcome> {
    return Promise.resolve({ kind: 'rejected', reason: 'changing a Derive order in place is not supported yet; cancel it and place a new one' });
  }

  async cancel(clientId: string, instrument: string): Promise<boolean> {
    try {
      const r = z.object({ cancelled_orders: z.number().int() }).loose().safeParse(await this.write('private/cancel_by_label', { label: clientId, instrument_name: instrument }, 'manual', `cancel ${clientId}`));
      return r.success && r.data.cancelled_orders > 0;
    } catch (err) {
      if (err instanceof DeriveRpcError) return false;
      throw new OutcomeUnknown((err as Error).message);
    }
  }

  async cancelEverything(): Promise<number> {
    try {
      const r = z.object({ cancelled: z.number().int() }).loose().safeParse(await this.write('private/cancel_all', {}, 'flatten', 'cancel all open orders'));
      return r.success ? r.data.cancelled : 0;
    } catch (err) {
      if (err instanceof DeriveRpcError) throw err;
      throw new OutcomeUnknown((err as Error).message);
    }
  }

  async status(clientId: string): Promise<VenueOrderStatus> {
    const list = (await this.ask('private/get_orders', { label: clientId }, z.object({ orders: z.array(deriveOrder) }).loose())).orders;
    // Newest first: the label's latest order is its state.
    const o = list[0];
    if (!o) return { kind: 'unknown' };
    if (o.order_status === 'open') return { kind: 'open', venueOrderId: o.order_id, remaining: o.amount - o.filled_amount };
    if (o.order_status === 'filled' || (o.filled_amount > 0 && o.filled_amount >= o.amount - 1e-9)) return { kind: 'filled', venueOrderId: o.order_id, filledSize: o.filled_amount, avgPrice: o.average_price };
    if (o.order_status === 'rejected') return { kind: 'rejected', reason: 'rejected by the venue' };
    return { kind: 'cancelled', venueOrderId: o.order_id, reason: o.cancel_reason ?? o.order_status };
  }

  async fills(clientId: string): Promise<VenueFill[]> {
    const trades = (await this.ask('private/get_trade_history', { label: clientId }, z.object({ trades: z.array(deriveTrade) }).loose())).trades;
    return trades.map((t) => ({ fillId: `trade:${t.trade_id}`, size: t.trade_amount, price: t.trade_price, at: t.timestamp })).sort((a, b) => a.at - b.at);
  }

  /** A read: any failure (no answer, or one that does not parse) leaves what happened unknown, to be asked again. */
  private async ask<T>(method: string, params: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    try {
      return schema.parse(await this.read(method, params));
    } catch (err) {
      throw new OutcomeUnknown(`Derive ${method}: ${(err as Error).message}`);
    }
  }
}
