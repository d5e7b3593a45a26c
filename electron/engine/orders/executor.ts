import { OutcomeUnknown, type ExecutionClient, type OrderRequest, type PlaceOutcome, type VenueFill, type VenueOrderStatus } from '../../venues/common/execution.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import { clientOrderId } from './client-order-id.ts';
import { applyOrderEvent, isLive, newOrder, type Order, type OrderEvent } from './order-state.ts';

/*
 * From an intent to an order at the venue, once. Submitting the same intent again returns the
 * order it already has; a lost answer is resolved by asking the venue for the client id before
 * anything is resent, and a resend reuses the same client id, so the venue itself refuses a
 * duplicate. Every event goes through the transition table and into the journal.
 */

export type OrderIntent = Omit<OrderRequest, 'clientId'> & { intentId: string };

export interface ExecutorOptions {
  now?: () => number;
  journal?: EngineJournal | null;
  /** How often the venue is asked after a lost answer, and how long between asks. */
  statusAttempts?: number;
  statusDelayMs?: number;
  /** How many times an order the venue never saw is sent again (same client id). */
  resends?: number;
  /** Clock difference allowed with the venue when waiting out an action's expiry, ms. */
  expiryMarginMs?: number;
  /** Which venue this executor trades (written on every journal row, read back at start). */
  venue?: string;
  onOrder?: (order: Order, intent: OrderIntent) => void;
  /** A fill counted for the first time (a fill seen again after a reconnect is not reported). */
  onFill?: (fill: { intent: OrderIntent; clientId: string; fillId: string; size: number; price: number; at: number }) => void;
}

/** How many "never seen" answers in a row it takes before an order is sent again. */
const UNKNOWN_CONFIRMATIONS = 2;

export class Executor {
  private readonly orders = new Map<string, Order>();
  private readonly intents = new Map<string, OrderIntent>();
  private readonly byClientId = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<Order>>();
  private readonly client: ExecutionClient;
  private readonly o: Required<Omit<ExecutorOptions, 'journal' | 'onOrder' | 'onFill'>> & Pick<ExecutorOptions, 'journal' | 'onOrder' | 'onFill'>;
  /** Journal rows that could not be read back at start, with why. */
  readonly restoreProblems: string[] = [];

  constructor(client: ExecutionClient, options: ExecutorOptions = {}) {
    this.client = client;
    this.o = { now: options.now ?? Date.now, statusAttempts: options.statusAttempts ?? 5, statusDelayMs: options.statusDelayMs ?? 250, resends: options.resends ?? 2, expiryMarginMs: options.expiryMarginMs ?? 1_000, journal: options.journal ?? null, venue: options.venue ?? 'venue', onOrder: options.onOrder, onFill: options.onFill };
  }

  /**
   * Rebuilds this venue's orders from the journal at start: each intent from its 'order' row,
   * then its events replayed through the same table. An order still live needs a reconciliation
   * before anything new is sent (the caller does it); a row that does not replay is reported in
   * `restoreProblems` and that order is left out, never guessed. Returns how many are live.
   */
  restore(rows: { kind: string; body: unknown }[]): number {
    for (const row of rows) {
      const b = row.body as Record<string, unknown> | null;
      if (!b || b.venue !== this.o.venue || typeof b.intentId !== 'string') continue;
      const intentId = b.intentId;
      try {
        if (row.kind === 'order') {
          const { venue: _venue, clientId, ...intent } = b as Record<string, unknown> & { clientId: string };
          void _venue;
          const full = { ...intent, intentId } as OrderIntent;
          this.intents.set(intentId, full);
          this.byClientId.set(clientId, intentId);
          this.orders.set(intentId, newOrder(clientId, full.side, full.size, Number((b as { at?: number }).at ?? 0) || this.o.now()));
        } else if (row.kind === 'order-event' && b.to !== null && b.to !== undefined && this.orders.has(intentId)) {
          this.orders.set(intentId, applyOrderEvent(this.orders.get(intentId)!, b.event as OrderEvent));
        }
      } catch (err) {
        this.restoreProblems.push(`${intentId}: ${(err as Error).message}`);
        this.orders.delete(intentId);
      }
    }
    let live = 0;
    for (const [intentId, order] of this.orders) {
      // One written as created may have been sent before its submit reached the disk: it is
      // taken as submitted, so the reconciliation asks the venue for it by client id.
      if (order.state === 'created') this.orders.set(intentId, applyOrderEvent(order, { type: 'submit', at: this.o.now() }));
      this.o.onOrder?.(this.orders.get(intentId)!, this.intents.get(intentId)!);
      if (isLive(this.orders.get(intentId)!)) live++;
    }
    return live;
  }

  /** The account the journal says this venue's orders were placed for (the latest one written). */
  static journaledAccount(rows: { kind: string; body: unknown }[], venue: string): string | null {
    let account: string | null = null;
    for (const r of rows) {
      const b = r.body as { venue?: unknown; account?: unknown } | null;
      if (b?.venue === venue && typeof b.account === 'string') account = b.account;
    }
    return account;
  }

  /** The state of the order with this client id, or null if this executor never made it. */
  stateOf(clientId: string): Order['state'] | null {
    const intentId = this.byClientId.get(clientId);
    return intentId ? this.orders.get(intentId)!.state : null;
  }

  /** Settles when the intent's submission (if one is under way) has its answer. */
  async pending(intentId: string): Promise<void> {
    await this.inFlight.get(intentId)?.catch(() => undefined);
  }

  /** The order of an intent, if it has one. */
  order(intentId: string): Order | null {
    return this.orders.get(intentId) ?? null;
  }

  /**
   * A fill the venue pushed on its user stream (or listed in its account). Counted once by its
   * fill id, whichever of the answer, the stream or a reconciliation brings it first. Says what
   * became of it: 'applied' (new), 'known' (ours, already counted or left for the answer under
   * way), 'foreign' (a client id we never sent: not ours to apply, nothing changes).
   */
  venueFill(clientId: string, fill: VenueFill): 'applied' | 'known' | 'foreign' {
    const intentId = this.byClientId.get(clientId);
    if (!intentId) return 'foreign';
    const order = this.orders.get(intentId)!;
    if (order.fillIds.includes(fill.fillId)) return 'known';
    // An order whose fills could not be read when it filled was counted whole from the venue's
    // answer (one `order:` fill); the venue's own fills of it, seen later, are that same fill.
    if (!isLive(order) && order.fillIds.some((id) => id.startsWith('order:'))) return 'known';
    // An Ioc's fills arrive with its answer; one pushed first is applied when the answer comes.
    if (order.state === 'created' || (order.state === 'submitted' && this.inFlight.has(intentId))) return 'known';
    this.apply(intentId, { type: 'fill', at: fill.at, fillId: fill.fillId, size: fill.size, price: fill.price });
    return 'applied';
  }

  /** The venue says an order of ours was cancelled (by it, or a dead-man switch). */
  venueCancelled(clientId: string, reason: string): boolean {
    const intentId = this.byClientId.get(clientId);
    if (!intentId) return false;
    const order = this.orders.get(intentId)!;
    if (isLive(order) && order.state !== 'created' && !this.inFlight.has(intentId)) this.apply(intentId, { type: 'cancel', at: this.o.now(), reason });
    return true;
  }

  /**
   * Cancels the intent's order by its client id. The venue's answer decides: a cancel it refuses
   * (already filled or gone) leaves the order as it is until the venue's status says otherwise.
   */
  async cancel(intentId: string): Promise<Order> {
    const order = this.orders.get(intentId);
    if (!order) throw new Error(`no order for intent ${intentId}`);
    if (!isLive(order)) return order;
    const running = this.inFlight.get(intentId);
    if (running) await running.catch(() => undefined);
    const intent = this.intents.get(intentId)!;
    const cancelled = await this.client.cancel(this.orders.get(intentId)!.clientId, intent.instrument);
    if (!isLive(this.orders.get(intentId)!)) return this.orders.get(intentId)!;
    if (cancelled) this.apply(intentId, { type: 'cancel', at: this.o.now(), reason: 'cancelled by the trader' });
    else {
      // The venue says there is nothing to cancel: ask what became of it rather than guess.
      const status = await this.askVenue(order.clientId);
      if (status && status.kind !== 'unknown' && status.kind !== 'open') await this.adoptStatus(intentId, status);
    }
    return this.orders.get(intentId)!;
  }

  /**
   * Moves a working order to a new limit and size under the same client id. The venue decides: a
   * modify it refuses leaves the order as it was (and says why); one whose answer is lost is
   * settled by asking the venue, as for a place.
   */
  async modify(intentId: string, change: { price: number; size: number }): Promise<{ order: Order; refused: string | null }> {
    const order = this.orders.get(intentId);
    if (!order) throw new Error(`no order for intent ${intentId}`);
    if (order.state !== 'accepted' && order.state !== 'partially-filled') throw new Error(`the order is ${order.state}: only a working order can be modified`);
    if (!(change.size > order.filled)) throw new Error(`the new size ${change.size} must be above the ${order.filled} already filled`);
    const intent = this.intents.get(intentId)!;
    const { intentId: _id, ...rest } = intent;
    void _id;
    let outcome: PlaceOutcome;
    try {
      outcome = await this.client.modify({ ...rest, clientId: order.clientId, price: change.price, size: change.size });
    } catch (err) {
      if (!(err instanceof OutcomeUnknown)) throw err;
      const status = await this.askVenue(order.clientId);
      if (status?.kind === 'open') outcome = { kind: 'resting', venueOrderId: status.venueOrderId };
      else if (status && status.kind !== 'unknown') {
        await this.adoptStatus(intentId, status);
        return { order: this.orders.get(intentId)!, refused: null };
      } else throw err;
    }
    if (outcome.kind === 'rejected') return { order: this.orders.get(intentId)!, refused: outcome.reason };
    this.intents.set(intentId, { ...intent, price: change.price, size: change.size });
    this.apply(intentId, { type: 'amend', at: this.o.now(), size: change.size, venueOrderId: outcome.venueOrderId });
    if (outcome.kind === 'filled') {
      const fills = await this.client.fills(order.clientId).catch(() => []);
      this.applyFills(intentId, fills);
    }
    return { order: this.orders.get(intentId)!, refused: null };
  }

  /** Cancels every live order (one request per order: each answer is checked on its own). */
  async cancelAll(): Promise<{ cancelled: number; failed: string[] }> {
    const live = [...this.orders].filter(([, o]) => isLive(o)).map(([id]) => id);
    const results = await Promise.allSettled(live.map((id) => this.cancel(id)));
    const failed: string[] = [];
    let cancelled = 0;
    results.forEach((r, i) => {
      if (r.status === 'fulfilled' && r.value.state === 'cancelled') cancelled++;
      else if (r.status === 'rejected') failed.push(`${live[i]}: ${(r.reason as Error).message}`);
    });
    return { cancelled, failed };
  }

  /**
   * Places the intent's order, or returns the one it already has (live or done): one intent, one
   * order. Concurrent calls for one intent share one submission.
   */
  submit(intent: OrderIntent): Promise<Order> {
    const running = this.inFlight.get(intent.intentId);
    if (running) return running;
    const existing = this.orders.get(intent.intentId);
    if (existing) return Promise.resolve(existing);
    const p = this.run(intent).finally(() => this.inFlight.delete(intent.intentId));
    this.inFlight.set(intent.intentId, p);
    return p;
  }

  private async run(intent: OrderIntent): Promise<Order> {
    const clientId = clientOrderId(intent.intentId);
    const { intentId, ...rest } = intent;
    this.intents.set(intentId, intent);
    this.byClientId.set(clientId, intentId);
    this.set(intentId, newOrder(clientId, intent.side, intent.size, this.o.now()));
    void this.o.journal?.append('order', { venue: this.o.venue, intentId, clientId, ...rest }).catch(() => undefined);
    this.apply(intentId, { type: 'submit', at: this.o.now() });
    for (let attempt = 0; ; attempt++) {
      const sentAt = this.o.now();
      try {
        await this.adopt(intentId, await this.client.place({ ...rest, clientId }));
        return this.orders.get(intentId)!;
      } catch (err) {
        if (!(err instanceof OutcomeUnknown)) {
          this.apply(intentId, { type: 'reject', at: this.o.now(), reason: (err as Error).message });
          return this.orders.get(intentId)!;
        }
      }
      // The answer was lost: ask before anything else is sent. Where the venue refuses late
      // actions, "never seen" counts only once this one can no longer arrive.
      const ttl = this.client.actionTtlMs;
      const status = await this.askVenue(clientId, ttl === undefined ? 0 : sentAt + ttl + this.o.expiryMarginMs);
      if (status === null) return this.orders.get(intentId)!; // still unknown: left submitted, for reconciliation
      if (status.kind !== 'unknown') {
        await this.adoptStatus(intentId, status);
        return this.orders.get(intentId)!;
      }
      if (attempt >= this.o.resends) {
        this.apply(intentId, { type: 'reject', at: this.o.now(), reason: 'the venue never received the order after retries' });
        return this.orders.get(intentId)!;
      }
    }
  }

  /**
   * What the venue says of an order whose answer was lost. "Never seen" is believed only when it
   * is said twice, `statusDelayMs` apart: an order still in flight on its own connection can reach
   * the venue after a status request sent later on another one, and one early "unknown" would
   * then become a second order for the same intent.
   */
  private async askVenue(clientId: string, notBefore = 0): Promise<VenueOrderStatus | null> {
    let unknowns = 0;
    // Asks before `notBefore` only look for the order; the attempts that decide come after it.
    for (let decisive = 0; decisive < this.o.statusAttempts; ) {
      const late = this.o.now() >= notBefore;
      if (late) decisive++;
      try {
        const status = await this.client.status(clientId);
        if (status.kind !== 'unknown') return status;
        if (late && ++unknowns >= UNKNOWN_CONFIRMATIONS) return status;
      } catch {
        // no answer: ask again after the delay
      }
      await new Promise((r) => setTimeout(r, this.o.statusDelayMs));
    }
    return null;
  }

  private async adopt(intentId: string, outcome: PlaceOutcome): Promise<void> {
    const at = this.o.now();
    if (outcome.kind === 'rejected') return this.apply(intentId, { type: 'reject', at, reason: outcome.reason });
    // An order we already knew was working (a cancel that found it filled) is not accepted twice.
    if (this.orders.get(intentId)!.state === 'submitted') this.apply(intentId, { type: 'accept', at, venueOrderId: outcome.venueOrderId });
    if (outcome.kind === 'filled') {
      // The venue's own fills (with their ids), so a later reconciliation counts none twice.
      const fills = await this.client.fills(this.orders.get(intentId)!.clientId).catch(() => []);
      if (fills.length) this.applyFills(intentId, fills);
      else {
        // The rest of what the venue says filled, beyond what we already counted.
        const rest = outcome.filledSize - this.orders.get(intentId)!.filled;
        if (rest > 1e-12) this.apply(intentId, { type: 'fill', at, fillId: `order:${outcome.venueOrderId}`, size: rest, price: outcome.avgPrice });
      }
      // An Ioc that filled in part: the venue cancelled the rest.
      if (isLive(this.orders.get(intentId)!)) this.apply(intentId, { type: 'cancel', at, reason: 'the rest did not match (Ioc)' });
    }
  }

  private applyFills(intentId: string, fills: VenueFill[]): void {
    for (const f of fills) {
      const order = this.orders.get(intentId)!;
      if (!isLive(order)) break;
      // Fills the user stream already brought count once.
      if (order.fillIds.includes(f.fillId)) continue;
      this.apply(intentId, { type: 'fill', at: f.at, fillId: f.fillId, size: f.size, price: f.price });
    }
  }

  /**
   * After a reconnect, before anything new is sent: every order still live is checked against the
   * venue — fills we missed are applied (each once, by the venue's fill id), an order the venue
   * cancelled is cancelled, one it never received is rejected. Returns how many orders changed.
   */
  async reconcile(): Promise<number> {
    let changed = 0;
    for (const [intentId, order] of this.orders) {
      if (!isLive(order) || order.state === 'created' || this.inFlight.has(intentId)) continue;
      const before = this.orders.get(intentId)!;
      this.applyFills(intentId, await this.client.fills(order.clientId));
      const now = this.orders.get(intentId)!;
      if (isLive(now)) {
        const status = await this.client.status(order.clientId);
        // An order whose answer we never had is taken as the venue describes it; one it accepted
        // can only have been cancelled meanwhile (its fills were applied above).
        if (now.state === 'submitted') {
          if (status.kind === 'unknown') this.apply(intentId, { type: 'reject', at: this.o.now(), reason: 'the venue never received the order' });
          else await this.adoptStatus(intentId, status);
        } else if (status.kind === 'cancelled') this.apply(intentId, { type: 'cancel', at: this.o.now(), reason: status.reason });
      }
      if (this.orders.get(intentId) !== before) changed++;
    }
    return changed;
  }

  /** What the venue says it did with the order, taken as if its answer had arrived. */
  private async adoptStatus(intentId: string, status: Exclude<VenueOrderStatus, { kind: 'unknown' }>): Promise<void> {
    if (status.kind === 'open') return this.adopt(intentId, { kind: 'resting', venueOrderId: status.venueOrderId });
    if (status.kind !== 'cancelled') return this.adopt(intentId, status);
    await this.adopt(intentId, { kind: 'resting', venueOrderId: status.venueOrderId });
    this.apply(intentId, { type: 'cancel', at: this.o.now(), reason: status.reason });
  }

  /**
   * One event through the table. An illegal one (a fill past the size, a fill on a cancelled
   * order) is journaled and raised, never applied: it means a venue we misread or a bug.
   */
  private apply(intentId: string, event: OrderEvent): void {
    const before = this.orders.get(intentId)!;
    let after: Order;
    try {
      after = applyOrderEvent(before, event);
    } catch (err) {
      void this.o.journal?.append('order-event', { venue: this.o.venue, intentId, clientId: before.clientId, event, from: before.state, to: null, illegal: (err as Error).message }).catch(() => undefined);
      throw err;
    }
    if (after === before) return;
    this.set(intentId, after);
    void this.o.journal?.append('order-event', { venue: this.o.venue, account: this.client.account, intentId, clientId: before.clientId, event, from: before.state, to: after.state }).catch(() => undefined);
    if (event.type === 'fill') {
      const fill = { intent: this.intents.get(intentId)!, clientId: before.clientId, fillId: event.fillId, size: event.size, price: event.price, at: event.at };
      void this.o.journal?.append('fill', { venue: this.o.venue, intentId, clientId: before.clientId, instrument: fill.intent.instrument, side: fill.intent.side, fillId: event.fillId, size: event.size, price: event.price, at: event.at }).catch(() => undefined);
      this.o.onFill?.(fill);
    }
  }

  private set(intentId: string, order: Order): void {
    this.orders.set(intentId, order);
    this.o.onOrder?.(order, this.intents.get(intentId)!);
  }
}
