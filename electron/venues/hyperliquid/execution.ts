import { z } from 'zod';
import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../common/execution.ts';
import { postExchange } from './exchange-client.ts';
import { HyperliquidInfoClient } from './info-client.ts';
import { formatPrice, formatSize } from './order-format.ts';
import { NotSent, type WsPoster } from './ws-post.ts';

/*
 * Hyperliquid execution over /exchange and /info, by cloid. The signature comes from main through
 * `sign` (the adapter never holds a key); prices and sizes are formatted by the venue's rules.
 * A request that times out, drops, or answers 5xx throws OutcomeUnknown: the caller must ask
 * `status` before it may send that order again.
 */

/** Why an action is signed: an order's purpose, or a collateral top-up by the monitor. */
export type SignPurpose = OrderRequest['purpose'] | 'top-up';

export interface HyperliquidSign {
  /** `account`: the master the signing agent trades for (main picks the agent, so main says). */
  (request: { action: Record<string, unknown>; purpose: SignPurpose; summary: string; expiresAfter?: number }): Promise<{ nonce: number; signature: { r: string; s: string; v: number }; account?: string }>;
}

const statusSchema = z.object({
  resting: z.object({ oid: z.number() }).loose().optional(),
  filled: z.object({ totalSz: z.string(), avgPx: z.string(), oid: z.number() }).loose().optional(),
  error: z.string().optional(),
});
const orderAnswer = z.union([
  z.object({ status: z.literal('ok'), response: z.object({ type: z.literal('order'), data: z.object({ statuses: z.array(statusSchema).min(1) }) }) }),
  z.object({ status: z.literal('err'), response: z.string() }),
]);
const stopAnswer = z.union([
  z.object({ status: z.literal('ok'), response: z.object({ type: z.literal('order'), data: z.object({ statuses: z.array(z.union([z.literal('waitingForTrigger'), statusSchema])).min(1) }) }) }),
  z.object({ status: z.literal('err'), response: z.string() }),
]);
const openOrdersSchema = z.array(z.object({ coin: z.string(), oid: z.number().int().nonnegative(), sz: z.string().optional(), cloid: z.string().optional() }).loose()).max(10_000);
const cancelAnswer = z.union([z.object({ status: z.literal('ok'), response: z.object({ data: z.object({ statuses: z.array(z.unknown()) }) }) }), z.object({ status: z.literal('err'), response: z.string() })]);
const defaultAnswer = z.union([z.object({ status: z.literal('ok'), response: z.object({ type: z.literal('default') }).loose() }), z.object({ status: z.literal('err'), response: z.string() })]);
const orderStatusSchema = z.union([
  z.object({ status: z.literal('unknownOid') }),
  z.object({ status: z.literal('order'), order: z.object({ order: z.object({ oid: z.number(), sz: z.string() }).loose(), status: z.string() }) }),
]);
const fillsSchema = z.array(z.object({ px: z.string(), sz: z.string(), tid: z.number(), time: z.number(), cloid: z.string().optional() }).loose()).max(10_000);
const metaSchema = z.object({ universe: z.array(z.object({ name: z.string(), szDecimals: z.number().int().min(0).max(10) }).loose()) }).loose();

/** How long a signed order may take to reach Hyperliquid before it refuses it, ms. */
const DEFAULT_ACTION_TTL_MS = 4_000;

export interface HyperliquidExecutionOptions {
  httpUrl: () => Promise<string> | string;
  /**
   * The account the agent trades for (the master or a vault), lowercase; when absent it is learnt
   * from main's first signature (main knows which agent it signed with, and for whom).
   */
  user?: string;
  sign: HyperliquidSign;
  timeoutMs?: number;
  /**
   * Orders and modifies are signed with expiresAfter = now + this (Hyperliquid refuses them after
   * it), so one whose answer was lost cannot land after the executor has given it up.
   */
  actionTtlMs?: number;
  /** Told once the trading account is known (from a signature, or read back from the journal). */
  onAccount?: (account: string) => void;
  /** Actions over the open WebSocket (`post`); HTTP is used when it is not up. */
  poster?: WsPoster;
  /**
   * Asks main which account it would sign for (its approved agent's master), so the account's
   * streams, positions and the ticket's risk are the right ones before the first order.
   */
  askAccount?: () => Promise<string | null>;
  /** How often to ask until an account is known, ms. */
  askAccountEveryMs?: number;
}

export class HyperliquidExecution implements ExecutionClient {
  private meta: { names: string[]; szDecimals: Map<string, number> } | null = null;
  private readonly o: HyperliquidExecutionOptions;
  private user: string | null;
  /** How the last action went out (the socket, or HTTP when the socket was down). */
  lastTransport: 'websocket' | 'http' | null = null;

  constructor(options: HyperliquidExecutionOptions) {
    this.o = options;
    this.user = options.user ?? null;
    if (options.askAccount && !this.user) this.askForAccount(0);
  }

  private askForAccount(delayMs: number): void {
    // Unref'd: asking never keeps a stopped engine alive; it ends once an account is known.
    setTimeout(() => {
      if (this.user) return;
      this.o
        .askAccount!()
        .then((a) => a && this.learn(a))
        .catch(() => undefined)
        .finally(() => {
          if (!this.user) this.askForAccount(this.o.askAccountEveryMs ?? 3_000);
        });
    }, delayMs).unref();
  }

  /** The account orders are placed for, once known. */
  get account(): string | null {
    return this.user;
  }

  adoptAccount(account: string): void {
    this.learn(account);
  }

  private learn(account: string): void {
    const a = account.toLowerCase();
    if (this.user === a) return;
    this.user = a;
    this.o.onAccount?.(a);
  }

  get actionTtlMs(): number {
    return this.o.actionTtlMs ?? DEFAULT_ACTION_TTL_MS;
  }

  async place(order: OrderRequest): Promise<PlaceOutcome> {
    const wire = await this.orderWire(order);
    const action = { type: 'order', orders: [wire], grouping: 'na' };
    return this.orderOutcome(await this.exchange(action, order.purpose, `${order.side} ${wire.s} ${order.instrument} @ ${wire.p} ${order.tif}${order.reduceOnly ? ' reduce-only' : ''}`, Date.now() + this.actionTtlMs));
  }

  /**
   * A reduce-only stop-loss at the venue: a market order once the mark reaches `triggerPx`, no
   * worse than `limitPx`. The venue answers "waitingForTrigger"; it then rests like any order
   * (and is cancelled with the rest by a cancel-all or the dead-man switch).
   */
  async placeStop(stop: { clientId: string; coin: string; side: 'buy' | 'sell'; size: number; triggerPx: number; limitPx: number }): Promise<{ kind: 'waiting' } | { kind: 'rejected'; reason: string }> {
    const { asset, szDecimals } = await this.asset(stop.coin);
    const isBuy = stop.side === 'buy';
    const wire = { a: asset, b: isBuy, p: formatPrice(stop.limitPx, szDecimals, isBuy ? 'down' : 'up'), s: formatSize(stop.size, szDecimals), r: true, t: { trigger: { isMarket: true, triggerPx: formatPrice(stop.triggerPx, szDecimals, isBuy ? 'up' : 'down'), tpsl: 'sl' } }, c: stop.clientId };
    const raw = await this.exchange({ type: 'order', orders: [wire], grouping: 'na' }, 'flatten', `stop ${stop.side} ${wire.s} ${stop.coin} at ${wire.t.trigger.triggerPx} reduce-only`, Date.now() + this.actionTtlMs);
    const answer = stopAnswer.safeParse(raw);
    if (!answer.success) throw new OutcomeUnknown('Hyperliquid answered the stop in a shape DeltaDesk cannot read');
    if (answer.data.status === 'err') return { kind: 'rejected', reason: answer.data.response };
    const st = answer.data.response.data.statuses[0]!;
    if (st === 'waitingForTrigger') return { kind: 'waiting' };
    if (typeof st === 'object' && 'error' in st && typeof st.error === 'string') return { kind: 'rejected', reason: st.error };
    throw new OutcomeUnknown('Hyperliquid answered the stop with a status DeltaDesk cannot read');
  }

  async modify(order: OrderRequest): Promise<PlaceOutcome> {
    const wire = await this.orderWire(order);
    const action = { type: 'modify', oid: order.clientId, order: wire };
    const raw = await this.exchange(action, order.purpose, `modify ${order.clientId}: ${order.side} ${wire.s} ${order.instrument} @ ${wire.p}`, Date.now() + this.actionTtlMs);
    const plain = defaultAnswer.safeParse(raw);
    if (plain.success) {
      if (plain.data.status === 'err') return { kind: 'rejected', reason: plain.data.response };
      // The venue answers a modify with "default": what it became is asked by the client id.
      const status = await this.status(order.clientId);
      if (status.kind === 'open') return { kind: 'resting', venueOrderId: status.venueOrderId };
      if (status.kind === 'filled') return status;
      return { kind: 'rejected', reason: status.kind === 'cancelled' ? status.reason : 'the venue no longer has the order' };
    }
    return this.orderOutcome(raw);
  }

  /** Price and size by the venue's rules; never worse than asked: a buy's limit rounds down, a sell's up, the size down. */
  private async orderWire(order: OrderRequest): Promise<Record<string, unknown> & { p: string; s: string }> {
    const { asset, szDecimals } = await this.asset(order.instrument);
    const isBuy = order.side === 'buy';
    return { a: asset, b: isBuy, p: formatPrice(order.price, szDecimals, isBuy ? 'down' : 'up'), s: formatSize(order.size, szDecimals), r: order.reduceOnly, t: { limit: { tif: order.tif } }, c: order.clientId };
  }

  private orderOutcome(raw: unknown): PlaceOutcome {
    const answer = orderAnswer.safeParse(raw);
    if (!answer.success) throw new OutcomeUnknown('Hyperliquid answered the order in a shape DeltaDesk cannot read');
    if (answer.data.status === 'err') return { kind: 'rejected', reason: answer.data.response };
    const s = answer.data.response.data.statuses[0]!;
    if (s.error !== undefined) return { kind: 'rejected', reason: s.error };
    if (s.filled) return { kind: 'filled', venueOrderId: String(s.filled.oid), filledSize: Number(s.filled.totalSz), avgPrice: Number(s.filled.avgPx) };
    if (s.resting) return { kind: 'resting', venueOrderId: String(s.resting.oid) };
    throw new OutcomeUnknown('Hyperliquid answered the order with a status DeltaDesk cannot read');
  }

  async cancel(clientId: string, instrument: string): Promise<boolean> {
    const { asset } = await this.asset(instrument);
    const answer = cancelAnswer.safeParse(await this.exchange({ type: 'cancelByCloid', cancels: [{ asset, cloid: clientId }] }, 'manual', `cancel ${clientId}`));
    return answer.success && answer.data.status === 'ok' && answer.data.response.data.statuses[0] === 'success';
  }

  /** The account's open orders as the venue lists them (client id, coin, size left). */
  async openOrders(): Promise<{ cloid: string | null; coin: string; size: number }[]> {
    const open = await this.info({ type: 'openOrders', user: this.requireUser() }, openOrdersSchema);
    return open.map((o) => ({ cloid: typeof o.cloid === 'string' ? o.cloid : null, coin: o.coin, size: Number(o.sz) }));
  }

  /** Every open order of the account, ours or not, in one cancel action (by venue order id). */
  async cancelEverything(): Promise<number> {
    const open = await this.info({ type: 'openOrders', user: this.requireUser() }, openOrdersSchema);
    if (!open.length) return 0;
    const cancels = [];
    for (const o of open) cancels.push({ a: (await this.asset(o.coin)).asset, o: o.oid });
    const answer = cancelAnswer.safeParse(await this.exchange({ type: 'cancel', cancels }, 'flatten', `cancel all ${cancels.length} open orders`));
    if (!answer.success) throw new OutcomeUnknown('Hyperliquid answered the cancel in a shape DeltaDesk cannot read');
    if (answer.data.status === 'err') throw new Error(answer.data.response);
    return answer.data.response.data.statuses.filter((x) => x === 'success').length;
  }

  /** A dead-man switch: every open order is cancelled at `at` (ms, at least 5 s ahead), or never (null). */
  async scheduleCancel(at: number | null): Promise<void> {
    await this.plain(at === null ? { type: 'scheduleCancel' } : { type: 'scheduleCancel', time: at }, 'flatten', at === null ? 'clear the dead-man cancel' : `cancel all at ${new Date(at).toISOString()}`);
  }

  /** Leverage and margin mode of one coin (an integer, as the venue takes it). */
  async updateLeverage(coin: string, leverage: number, cross: boolean): Promise<void> {
    if (!Number.isInteger(leverage) || leverage < 1) throw new RangeError(`leverage must be a whole number ≥ 1, got ${leverage}`);
    const { asset } = await this.asset(coin);
    await this.plain({ type: 'updateLeverage', asset, isCross: cross, leverage }, 'manual', `${coin} leverage ${leverage}× ${cross ? 'cross' : 'isolated'}`);
  }

  /** Adds (or, negative, removes) isolated margin on a coin's position, USD; the venue takes micro-USD. */
  async updateIsolatedMargin(coin: string, side: 'buy' | 'sell', usd: number, purpose: SignPurpose = 'manual'): Promise<void> {
    if (!Number.isFinite(usd) || usd === 0) throw new RangeError(`the margin change must be a non-zero amount, got ${usd}`);
    const { asset } = await this.asset(coin);
    await this.plain({ type: 'updateIsolatedMargin', asset, isBuy: side === 'buy', ntli: Math.round(usd * 1e6) }, purpose, `${usd > 0 ? 'add' : 'remove'} ${Math.abs(usd).toFixed(2)} USD isolated margin on ${coin}`);
  }

  private async plain(action: Record<string, unknown>, purpose: SignPurpose, summary: string): Promise<void> {
    const answer = defaultAnswer.safeParse(await this.exchange(action, purpose, summary));
    if (!answer.success) throw new OutcomeUnknown(`Hyperliquid answered ${String(action.type)} in a shape DeltaDesk cannot read`);
    if (answer.data.status === 'err') throw new Error(answer.data.response);
  }

  async status(clientId: string): Promise<VenueOrderStatus> {
    const answer = await this.info({ type: 'orderStatus', user: this.requireUser(), oid: clientId }, orderStatusSchema);
    if (answer.status === 'unknownOid') return { kind: 'unknown' };
    const { order, status } = answer.order;
    const venueOrderId = String(order.oid);
    if (status === 'open') return { kind: 'open', venueOrderId, remaining: Number(order.sz) };
    if (status === 'filled') {
      // orderStatus says filled but not at what: the fills with this cloid say that.
      const mine = await this.fills(clientId);
      const filledSize = mine.reduce((t, f) => t + f.size, 0);
      if (!(filledSize > 0)) throw new OutcomeUnknown(`Hyperliquid says ${clientId} filled but lists no fill for it yet`);
      return { kind: 'filled', venueOrderId, filledSize, avgPrice: mine.reduce((t, f) => t + f.price * f.size, 0) / filledSize };
    }
    // The venue names each refusal (tickRejected, iocCancelRejected, perpMarginRejected, …).
    if (/rejected$/i.test(status)) return { kind: 'rejected', reason: `rejected by the venue (${status})` };
    return { kind: 'cancelled', venueOrderId, reason: status };
  }

  async fills(clientId: string): Promise<VenueFill[]> {
    const fills = await this.info({ type: 'userFills', user: this.requireUser() }, fillsSchema);
    return fills
      .filter((f) => f.cloid === clientId)
      .map((f) => ({ fillId: `tid:${f.tid}`, size: Number(f.sz), price: Number(f.px), at: f.time }))
      .filter((f) => f.size > 0 && f.price > 0)
      .sort((a, b) => a.at - b.at);
  }

  private async asset(coin: string): Promise<{ asset: number; szDecimals: number }> {
    if (!this.meta) {
      const m = await this.info({ type: 'meta' }, metaSchema);
      this.meta = { names: m.universe.map((u) => u.name), szDecimals: new Map(m.universe.map((u) => [u.name, u.szDecimals])) };
    }
    const asset = this.meta.names.indexOf(coin);
    if (asset < 0) throw new Error(`${coin} is not listed on Hyperliquid`);
    return { asset, szDecimals: this.meta.szDecimals.get(coin)! };
  }

  private requireUser(): string {
    if (!this.user) throw new OutcomeUnknown('the trading account is not known yet (no order has been signed in this session)');
    return this.user;
  }

  private async exchange(action: Record<string, unknown>, purpose: SignPurpose, summary: string, expiresAfter?: number): Promise<unknown> {
    const { nonce, signature, account } = await this.o.sign({ action, purpose, summary, ...(expiresAfter ? { expiresAfter } : {}) });
    if (account) this.learn(account);
    const envelope = { action, nonce, signature, vaultAddress: null, ...(expiresAfter ? { expiresAfter } : {}) };
    const timeoutMs = this.o.timeoutMs ?? 5_000;
    const viaSocket = this.o.poster?.action(envelope, timeoutMs);
    if (viaSocket) {
      try {
        const answer = await viaSocket;
        this.lastTransport = 'websocket';
        return answer;
      } catch (err) {
        if (!(err instanceof NotSent)) throw err;
      }
    }
    this.lastTransport = 'http';
    return postExchange(String(await this.o.httpUrl()), envelope, timeoutMs);
  }

  /** Any failure to read the venue leaves the outcome unknown: the caller asks again later. */
  private async info<T>(body: Record<string, unknown>, schema: z.ZodType<T>): Promise<T> {
    try {
      return await new HyperliquidInfoClient(String(await this.o.httpUrl()).replace(/\/$/, ''), this.o.timeoutMs ?? 5_000).query(body, schema);
    } catch (err) {
      throw new OutcomeUnknown((err as Error).message);
    }
  }
}
