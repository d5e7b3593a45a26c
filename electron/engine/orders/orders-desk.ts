import type { CommandRequest } from '../../../shared/contract/commands.ts';
import type { FillRow, OrderRow, OrdersSnapshot, TradingGate } from '../../../shared/domain/orders.ts';
import { VENUE_LABELS, type VenueId } from '../../../shared/domain/venues.ts';
import type { StreamFrame } from '../../../shared/stream/frame.ts';
import type { AccountClient } from '../../venues/common/account.ts';
import type { ExecutionClient } from '../../venues/common/execution.ts';
import type { EventBus } from '../bus.ts';
import type { EngineJournal } from '../journal/journal-db.ts';
import type { FramePart } from '../market/market-state.ts';
import type { OwnOrderStreams } from '../venues/registry.ts';
import { Executor, type OrderIntent } from './executor.ts';
import { TERMINAL, type Order } from './order-state.ts';

/*
 * Orders on screen and from the keyboard (issue "Orders, part 1", item 8): one executor per venue
 * that can trade, a gate per venue that closes while its link is down or being reconciled (no new
 * order before the venue's full status is read back), and the orders and fills the screen shows.
 */

const FINISHED_KEPT = 50;
const FILLS_KEPT = 200;

export interface OrdersDeskOptions {
  bus: EventBus;
  journal: EngineJournal | null;
  now: () => number;
  /** The mid of a coin (USD), for a market order's slippage cap; null when there is none. */
  mid: (venue: VenueId, instrument: string) => number | null;
  changed: () => void;
  /** Executor tuning (tests shorten the waits). */
  executor?: { statusDelayMs?: number; statusAttempts?: number };
}

export class OrdersDesk implements FramePart {
  private readonly executors = new Map<VenueId, Executor>();
  private readonly clients = new Map<VenueId, ExecutionClient>();
  private readonly accounts = new Map<VenueId, AccountClient>();
  private readonly gates = new Map<VenueId, TradingGate>();
  private readonly rows = new Map<string, OrderRow>();
  private fills: FillRow[] = [];
  private reconciling = new Map<VenueId, Promise<void>>();
  private isDirty = true;
  private readonly o: OrdersDeskOptions;

  constructor(options: OrdersDeskOptions) {
    this.o = options;
    options.bus.on('venue-status', (s) => {
      const gate = this.gates.get(s.venue);
      if (!gate || this.reconciling.has(s.venue)) return;
      if (s.state === 'reconnecting' || s.state === 'disconnected') this.setGate(s.venue, false, `${VENUE_LABELS[s.venue]} is ${s.state}: new orders wait for the link and a reconciliation`);
    });
    options.bus.on('reconnected', ({ venue }) => void this.reconcile(venue));
  }

  /** A venue that can trade: its execution client, and its gate (open until a drop closes it). */
  addVenue(venue: VenueId, client: ExecutionClient, account: AccountClient | null = null): void {
    if (account) this.accounts.set(venue, account);
    const executor = new Executor(client, {
      venue,
      now: this.o.now,
      journal: this.o.journal,
      ...this.o.executor,
      onOrder: (order, intent) => this.orderChanged(venue, order, intent),
      onFill: (f) => this.fillSeen(venue, f),
    });
    this.executors.set(venue, executor);
    this.clients.set(venue, client);
    this.setGate(venue, true, 'ready');
    this.readBack(venue, executor, client);
  }

  /**
   * Orders from before a restart, read back from the journal. Live ones keep the venue closed to
   * new orders until the first connection has reconciled them with what the venue says.
   */
  private readBack(venue: VenueId, executor: Executor, client: ExecutionClient): void {
    const journal = this.o.journal;
    if (!journal) return;
    const rows = [...journal.read({ kind: 'order' }), ...journal.read({ kind: 'order-event' })].sort((a, b) => a.seq - b.seq);
    const account = Executor.journaledAccount(rows, venue);
    if (account && client.adoptAccount) client.adoptAccount(account);
    const live = executor.restore(rows);
    // Orders whose journal rows did not replay are left out, and said so where trading is shown.
    const problems = executor.restoreProblems;
    const unread = problems.length ? `; ${problems.length} order${problems.length === 1 ? '' : 's'} in the journal could not be read back and ${problems.length === 1 ? 'was' : 'were'} left out (${problems[0]})` : '';
    if (live === 0) {
      if (unread) this.setGate(venue, true, `ready${unread}`);
      return;
    }
    this.setGate(venue, false, `${live} order${live === 1 ? '' : 's'} from the last session: reconciling with the venue before new orders${unread}`);
    const off = this.o.bus.on('venue-status', (s) => {
      if (s.venue !== venue || s.state !== 'connected') return;
      off();
      void this.reconcile(venue);
    });
  }

  get dirty(): boolean {
    return this.isDirty;
  }

  contribute(frame: StreamFrame): void {
    if (!this.isDirty) return;
    this.isDirty = false;
    frame.orders = this.snapshot();
  }

  republish(): void {
    this.isDirty = true;
  }

  snapshot(): OrdersSnapshot {
    const all = [...this.rows.values()].sort((a, b) => b.updatedAt - a.updatedAt);
    const live = all.filter((r) => !TERMINAL.has(r.state));
    const done = all.filter((r) => TERMINAL.has(r.state)).slice(0, FINISHED_KEPT);
    return { orders: [...live, ...done], fills: this.fills, gates: [...this.gates.values()].map((g) => ({ ...g, account: this.accountOf(g.venue) })) };
  }

  /** Coins bought less coins sold by this session's orders on a venue's instrument (the journal's restored ones included). */
  netFilled(venue: VenueId, instrument: string): number {
    let net = 0;
    for (const r of this.rows.values()) if (r.venue === venue && r.instrument === instrument) net += r.side === 'buy' ? r.filled : -r.filled;
    return net;
  }

  /** A manual order. Refused with the gate's reason while the venue is down or being reconciled. */
  async place(req: CommandRequest<'orders.place'>): Promise<OrderRow> {
    const executor = this.executor(req.venue);
    if (this.rows.has(req.intentId)) {
      // The same intent again is the same order: wait for its submission if it is under way.
      await executor.pending(req.intentId);
      return this.rows.get(req.intentId)!;
    }
    const gate = this.gates.get(req.venue)!;
    if (!gate.ready) throw new Error(gate.reason);
    let price = req.limit;
    if (price === null) {
      const mid = this.o.mid(req.venue, req.instrument);
      if (mid === null) throw new Error(`no price for ${req.instrument}: a market order needs a mid to cap its slippage`);
      const slip = (req.slippageBps ?? 50) / 10_000;
      price = req.side === 'buy' ? mid * (1 + slip) : mid * (1 - slip);
    }
    const intent: OrderIntent = { intentId: req.intentId, instrument: req.instrument, side: req.side, size: req.size, price, tif: req.limit === null ? 'Ioc' : (req.tif ?? 'Gtc'), reduceOnly: req.reduceOnly ?? false, purpose: 'manual' };
    await executor.submit(intent);
    return this.rows.get(req.intentId)!;
  }

  /**
   * An order the engine decided on (a hedge, a flatten): the same gate and executor as a manual
   * one, and the same intent id again is the same order.
   */
  async submit(venue: VenueId, intent: OrderIntent): Promise<OrderRow> {
    const executor = this.executor(venue);
    if (this.rows.has(intent.intentId)) {
      await executor.pending(intent.intentId);
      return this.rows.get(intent.intentId)!;
    }
    const gate = this.gates.get(venue)!;
    if (!gate.ready) throw new Error(gate.reason);
    await executor.submit(intent);
    return this.rows.get(intent.intentId)!;
  }

  /** The venue's gate: ready, or why new orders wait. */
  gate(venue: VenueId): TradingGate | null {
    return this.gates.get(venue) ?? null;
  }

  /** A new limit and size for a working order; refused by the venue, it stands as it was and says why. */
  async modify(intentId: string, change: { limit: number; size: number }): Promise<OrderRow> {
    const row = this.rows.get(intentId);
    if (!row) throw new Error(`no order for intent ${intentId}`);
    const gate = this.gates.get(row.venue);
    if (gate && !gate.ready) throw new Error(gate.reason);
    const { refused } = await this.executor(row.venue).modify(intentId, { price: change.limit, size: change.size });
    if (refused) throw new Error(`the venue refused the change: ${refused}; the order stands as it was`);
    return this.rows.get(intentId)!;
  }

  async cancel(intentId: string): Promise<OrderRow> {
    const row = this.rows.get(intentId);
    if (!row) throw new Error(`no order for intent ${intentId}`);
    await this.executor(row.venue).cancel(intentId);
    return this.rows.get(intentId)!;
  }

  async cancelAll(venue: VenueId | null): Promise<{ cancelled: number; failed: string[] }> {
    const venues = venue ? [venue] : [...this.executors.keys()];
    let cancelled = 0;
    const failed: string[] = [];
    for (const v of venues) {
      const r = await this.executor(v).cancelAll();
      cancelled += r.cancelled;
      failed.push(...r.failed);
    }
    return { cancelled, failed };
  }

  /**
   * Reconcile, then trade: the gate closes, every live order is checked against the venue (missed
   * fills applied once, cancels adopted), and only then does it open. A failure keeps it closed
   * with the reason and tries again.
   */
  reconcile(venue: VenueId): Promise<void> {
    const executor = this.executors.get(venue);
    if (!executor) return Promise.resolve();
    const running = this.reconciling.get(venue);
    if (running) return running;
    this.setGate(venue, false, 'reconciling with the venue after a reconnect');
    const p = (async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          const changed = await executor.reconcile();
          const whole = await this.reconcileAccount(venue, executor);
          void this.o.journal?.append('order-event', { venue, reconciled: true, changed, ...whole }).catch(() => undefined);
          const notes = [changed ? `${changed} order${changed === 1 ? '' : 's'} updated from the venue` : '', whole.strayCancelled ? `${whole.strayCancelled} order${whole.strayCancelled === 1 ? '' : 's'} DeltaDesk had as finished found open and cancelled` : '', whole.foreign ? `${whole.foreign} open order${whole.foreign === 1 ? '' : 's'} at the venue not placed by DeltaDesk (left alone)` : ''].filter(Boolean);
          this.setGate(venue, true, notes.length ? `reconciled: ${notes.join('; ')}` : 'reconciled');
          return;
        } catch (err) {
          this.setGate(venue, false, `could not reconcile with the venue (attempt ${attempt}): ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, Math.min(10_000, 500 * attempt)));
        }
      }
    })().finally(() => this.reconciling.delete(venue));
    this.reconciling.set(venue, p);
    return p;
  }

  /**
   * The venue's whole account after the per-order check: fills of ours we have not counted are
   * applied (each once, by its fill id); an order of ours the venue still has open but we had as
   * finished is cancelled (the safe direction: it was meant to be gone); open orders that are not
   * ours are counted and left to their owner.
   */
  private async reconcileAccount(venue: VenueId, executor: Executor): Promise<{ strayCancelled: number; foreign: number; missedFills: number }> {
    const account = this.accounts.get(venue);
    const client = this.clients.get(venue);
    if (!account || !client?.account) return { strayCancelled: 0, foreign: 0, missedFills: 0 };
    const snapshot = await account.snapshot(this.o.now() - 24 * 3_600_000);
    let missedFills = 0;
    for (const f of snapshot.fills) if (f.clientId && executor.venueFill(f.clientId, f) === 'applied') missedFills++;
    let strayCancelled = 0;
    let foreign = 0;
    for (const o of snapshot.openOrders) {
      const state = o.clientId ? executor.stateOf(o.clientId) : null;
      if (state === null) foreign++;
      else if (TERMINAL.has(state)) {
        void this.o.journal?.append('order-event', { venue, clientId: o.clientId, stray: `open at the venue while DeltaDesk has it ${state}`, venueOrderId: o.venueOrderId }).catch(() => undefined);
        if (await client.cancel(o.clientId!, o.instrument)) strayCancelled++;
      }
    }
    return { strayCancelled, foreign, missedFills };
  }

  /** The account a venue's orders are placed for, once main has signed for it. */
  accountOf(venue: VenueId): string | null {
    return this.clients.get(venue)?.account ?? null;
  }

  /**
   * Where a venue's own user streams land: fills and cancels of our orders go to the executor;
   * one for a client id we never sent (a trade made elsewhere, or a venue's mistake) is journaled
   * as foreign and changes none of our orders (the account's positions still come from the venue).
   */
  ownStreams(venue: VenueId): OwnOrderStreams | null {
    const executor = this.executors.get(venue);
    if (!executor) return null;
    return {
      fill: (clientId, fill) => {
        if (!(fill.size > 0 && fill.price > 0)) {
          void this.o.journal?.append('fill', { venue, clientId, fill, refused: `a fill of ${fill.size} at ${fill.price} is not a fill` }).catch(() => undefined);
          return;
        }
        if (clientId && executor.venueFill(clientId, fill) !== 'foreign') return;
        this.foreignFills++;
        void this.o.journal?.append('fill', { venue, clientId, fill, foreign: true }).catch(() => undefined);
      },
      cancelled: (clientId, status) => {
        if (clientId) executor.venueCancelled(clientId, `the venue cancelled it (${status})`);
      },
    };
  }

  /** Fills the venue reported for orders that are not ours (counted, journaled, not applied). */
  foreignFills = 0;

  private executor(venue: VenueId): Executor {
    const e = this.executors.get(venue);
    if (!e) throw new Error(`${venue} cannot trade in this configuration`);
    return e;
  }

  private setGate(venue: VenueId, ready: boolean, reason: string): void {
    const before = this.gates.get(venue);
    if (before && before.ready === ready && before.reason === reason) return;
    this.gates.set(venue, { venue, ready, reason });
    this.touch();
  }

  private orderChanged(venue: VenueId, order: Order, intent: OrderIntent): void {
    this.rows.set(intent.intentId, {
      venue,
      intentId: intent.intentId,
      clientId: order.clientId,
      venueOrderId: order.venueOrderId,
      instrument: intent.instrument,
      side: intent.side,
      size: order.size,
      filled: order.filled,
      price: intent.price,
      avgPrice: order.avgPrice,
      tif: intent.tif,
      reduceOnly: intent.reduceOnly,
      purpose: intent.purpose,
      state: order.state,
      reason: order.reason,
      updatedAt: order.updatedAt,
    });
    this.o.bus.emit('order', { venue, intentId: intent.intentId, instrument: intent.instrument, order });
    this.touch();
  }

  private fillSeen(venue: VenueId, f: { intent: OrderIntent; clientId: string; fillId: string; size: number; price: number; at: number }): void {
    const row: FillRow = { venue, intentId: f.intent.intentId, clientId: f.clientId, instrument: f.intent.instrument, side: f.intent.side, fillId: f.fillId, size: f.size, price: f.price, at: f.at };
    this.fills = [row, ...this.fills].slice(0, FILLS_KEPT);
    this.o.bus.emit('fill', row);
    this.touch();
  }

  private touch(): void {
    this.isDirty = true;
    this.o.changed();
  }
}
