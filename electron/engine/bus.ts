import type { OptionContract, PeerListing, PeerQuote } from '../../shared/domain/options.ts';
import type { OptionTicker } from '../venues/deribit/normalise.ts';
import type { Trade } from '../../shared/domain/market.ts';
import type { VenueId, VenueStatus } from '../../shared/domain/venues.ts';
import type { BookUpdate, GroupedBookUpdate } from '../../shared/stream/frame.ts';
import type { PerpAccount } from '../venues/hyperliquid/account.ts';
import type { DeribitBook } from '../venues/deribit/order-book.ts';
import type { Order } from './orders/order-state.ts';
import type { FillRow } from '../../shared/domain/orders.ts';

/*
 * The engine's typed event bus (DESIGN.md §2, §4b). Venues publish what they see; desks, monitors
 * and the journal subscribe. A listener that throws is reported and skipped, never allowed to
 * stop the others: one broken desk must not blind the rest of the engine.
 */

/** One of our fills as the desks see it: the same row the screen shows. */
export type OrderFill = FillRow;

export interface EngineEvents {
  book: BookUpdate;
  /** The book in view, grouped by the venue for the screen; never used to trade. */
  'grouped-book': GroupedBookUpdate;
  trades: Trade[];
  /** Mid price per instrument id. */
  mids: Record<string, number>;
  'option-chain': OptionContract[];
  ticker: OptionTicker;
  'option-book': { name: string; book: DeribitBook; receivedAt: number };
  /** Another venue's option listing (every option it lists now), to sit beside the chain's own contracts. */
  'peer-listing': { venue: VenueId; listings: PeerListing[] };
  'peer-quote': PeerQuote;
  /** The cursor option's book on a peer venue: prices USD per contract, sizes in contracts, best first. */
  'peer-book': { venue: VenueId; name: string; time: number; receivedAt: number; bids: { price: number; size: number }[]; asks: { price: number; size: number }[] };
  /** A watched account's positions and margin (or why it could not be read). */
  position: PerpAccount | { address: string; error: string };
  'venue-status': VenueStatus;
  /** The account a venue's orders are placed for became known (main signed for it, or the journal says). */
  'trading-account': { venue: VenueId; account: string };
  /** A venue's link came back after a drop: reconcile before trading. */
  reconnected: { venue: VenueId; at: number };
  order: { venue: VenueId; intentId: string; instrument: string; order: Order };
  fill: OrderFill;
  /** The venue pushed a change to the account's positions (Deribit user.changes): read them again. */
  'account-changed': { venue: VenueId; instrument: string; at: number };
  /** Positions or the market under them changed: risk is worth asking for again. */
  risk: { at: number };
  alert: { venue: VenueId | null; severity: 'info' | 'warning' | 'critical'; message: string; at: number };
}

export type EngineEvent = keyof EngineEvents;
type Listener<K extends EngineEvent> = (payload: EngineEvents[K]) => void;

export class EventBus {
  private readonly listeners = new Map<EngineEvent, Set<Listener<never>>>();
  private readonly onError: (event: EngineEvent, err: unknown) => void;

  constructor(onError: (event: EngineEvent, err: unknown) => void = (event, err) => console.error(`engine: a ${event} listener failed:`, err)) {
    this.onError = onError;
  }

  on<K extends EngineEvent>(event: K, listener: Listener<K>): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  emit<K extends EngineEvent>(event: K, payload: EngineEvents[K]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const l of set) {
      try {
        (l as Listener<K>)(payload);
      } catch (err) {
        this.onError(event, err);
      }
    }
  }
}
