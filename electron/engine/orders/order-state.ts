/*
 * An order's life as a table (DESIGN.md §4b). Every move an order can make is a row; an event
 * that has no row for the order's current state is an error, raised and never applied — a fill
 * on a cancelled order or an acceptance after a rejection is a bug or a venue we misread, and
 * patching over it is how books drift from the venue.
 */

import { ORDER_STATES, TERMINAL, type OrderState } from '../../../shared/domain/orders.ts';

export { ORDER_STATES, TERMINAL, type OrderState };

export type OrderEvent =
  /** The signed action left for the venue. */
  | { type: 'submit'; at: number }
  /** The venue rests it (its own id) or took it whole at once (a fill follows). */
  | { type: 'accept'; at: number; venueOrderId: string }
  /** A fill of `size` (coins, > 0) at `price`; `fillId` is the venue's, so a fill seen twice is seen once. */
  | { type: 'fill'; at: number; fillId: string; size: number; price: number }
  /** The venue accepted a modify: a new size (coins, not below what filled) and, maybe, a new venue id. */
  | { type: 'amend'; at: number; size: number; venueOrderId: string }
  | { type: 'cancel'; at: number; reason: string }
  | { type: 'reject'; at: number; reason: string }
  | { type: 'expire'; at: number };

type EventType = OrderEvent['type'];

/** The table: for each state, the events it accepts. `fill` decides between partial and full by size. */
const MOVES: Record<OrderState, Partial<Record<EventType, true>>> = {
  created: { submit: true, reject: true },
  // A fill can arrive before the acceptance (an Ioc that matched at once, or the answer lost).
  submitted: { accept: true, fill: true, reject: true, cancel: true, expire: true },
  accepted: { fill: true, amend: true, cancel: true, expire: true },
  'partially-filled': { fill: true, amend: true, cancel: true, expire: true },
  filled: {},
  cancelled: {},
  rejected: {},
  expired: {},
};

export interface Order {
  /** Our id for the intent's order; the venue's client order id (Hyperliquid cloid) derives from it. */
  clientId: string;
  venueOrderId: string | null;
  /** Coins, > 0. */
  size: number;
  side: 'buy' | 'sell';
  state: OrderState;
  filled: number;
  /** Volume-weighted fill price, USD per coin (0 before any fill). */
  avgPrice: number;
  fillIds: string[];
  reason: string | null;
  updatedAt: number;
}

export class IllegalTransition extends Error {
  override name = 'IllegalTransition';
  readonly from: OrderState;
  readonly event: OrderEvent;
  constructor(order: Order, event: OrderEvent, why?: string) {
    super(`order ${order.clientId}: "${event.type}" is not allowed when ${order.state}${why ? ` (${why})` : ''}`);
    this.from = order.state;
    this.event = event;
  }
}

export function newOrder(clientId: string, side: 'buy' | 'sell', size: number, at: number): Order {
  if (!(Number.isFinite(size) && size > 0)) throw new RangeError(`order size must be a positive number, got ${size}`);
  return { clientId, venueOrderId: null, size, side, state: 'created', filled: 0, avgPrice: 0, fillIds: [], reason: null, updatedAt: at };
}

/** Fills are compared within a billionth of the size, so decimal sizes that sum exactly still count as full. */
const FILL_TOLERANCE = 1e-9;

/**
 * The order after `event`, or an IllegalTransition. Pure: the order passed in is not changed.
 * A fill already seen (same fillId) returns the order as it was: venues resend fills after a
 * reconnect, and counting one twice would double a position.
 */
export function applyOrderEvent(order: Order, event: OrderEvent): Order {
  if (event.type === 'fill' && order.fillIds.includes(event.fillId)) return order;
  if (!MOVES[order.state][event.type]) throw new IllegalTransition(order, event);
  switch (event.type) {
    case 'submit':
      return { ...order, state: 'submitted', updatedAt: event.at };
    case 'accept':
      return { ...order, state: 'accepted', venueOrderId: event.venueOrderId, updatedAt: event.at };
    case 'fill': {
      if (!(Number.isFinite(event.size) && event.size > 0) || !(Number.isFinite(event.price) && event.price > 0)) throw new IllegalTransition(order, event, `a fill of ${event.size} at ${event.price}`);
      const filled = order.filled + event.size;
      if (filled > order.size * (1 + FILL_TOLERANCE)) throw new IllegalTransition(order, event, `fills of ${filled} exceed the order's ${order.size}`);
      const avgPrice = (order.avgPrice * order.filled + event.price * event.size) / filled;
      const full = filled >= order.size * (1 - FILL_TOLERANCE);
      return { ...order, state: full ? 'filled' : 'partially-filled', filled: full ? order.size : filled, avgPrice, fillIds: [...order.fillIds, event.fillId], updatedAt: event.at };
    }
    case 'amend': {
      if (!(Number.isFinite(event.size) && event.size > 0)) throw new IllegalTransition(order, event, `a size of ${event.size}`);
      if (event.size < order.filled * (1 - FILL_TOLERANCE)) throw new IllegalTransition(order, event, `the new size ${event.size} is below the ${order.filled} already filled`);
      return { ...order, size: event.size, venueOrderId: event.venueOrderId, updatedAt: event.at };
    }
    case 'cancel':
      return { ...order, state: 'cancelled', reason: event.reason, updatedAt: event.at };
    case 'reject':
      return { ...order, state: 'rejected', reason: event.reason, updatedAt: event.at };
    case 'expire':
      return { ...order, state: 'expired', updatedAt: event.at };
  }
}

/** Whether an order may still trade: the executor sends nothing new for an intent while one is live. */
export function isLive(order: Order): boolean {
  return !TERMINAL.has(order.state);
}

/** The table itself, for the screen and the docs: every state and the events it accepts. */
export function transitionTable(): Record<OrderState, EventType[]> {
  return Object.fromEntries(ORDER_STATES.map((s) => [s, Object.keys(MOVES[s]) as EventType[]])) as Record<OrderState, EventType[]>;
}
