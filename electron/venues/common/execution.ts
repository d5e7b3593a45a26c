/*
 * The execution half of the venue seam (DESIGN.md §4b): every venue places, cancels and answers
 * "what became of this order?" by our client order id. The engine's executor knows venues only
 * through this interface.
 */

export interface OrderRequest {
  /** Our client order id (Hyperliquid cloid, Deribit label). */
  clientId: string;
  /** The venue's instrument (Hyperliquid: the coin, "BTC"). */
  instrument: string;
  side: 'buy' | 'sell';
  /** Coins, > 0. */
  size: number;
  /**
   * The worst price acceptable, in the venue's unit (Hyperliquid: USD per coin; Deribit options:
   * coin per contract); rounding onto the venue's grid never makes it worse.
   */
  price: number;
  tif: 'Gtc' | 'Ioc' | 'Alo';
  reduceOnly: boolean;
  /** Why, for main's journal; changes no limit. */
  purpose: 'hedge' | 'manual' | 'flatten';
}

export type PlaceOutcome =
  | { kind: 'resting'; venueOrderId: string }
  /** Filled at once (all of it, or for an Ioc what could match: the rest is cancelled). */
  | { kind: 'filled'; venueOrderId: string; filledSize: number; avgPrice: number }
  | { kind: 'rejected'; reason: string };

export type VenueOrderStatus =
  /** The venue has never seen this client id: it is safe to send (again). */
  | { kind: 'unknown' }
  | { kind: 'open'; venueOrderId: string; remaining: number }
  | { kind: 'filled'; venueOrderId: string; filledSize: number; avgPrice: number }
  | { kind: 'cancelled'; venueOrderId: string; reason: string }
  | { kind: 'rejected'; reason: string };

/**
 * The request may or may not have reached the venue (timeout, dropped connection, a 5xx): the
 * outcome is unknown, and nothing may be sent again for this order before the venue is asked.
 */
export class OutcomeUnknown extends Error {
  override name = 'OutcomeUnknown';
}

/** One fill of one of our orders, as the venue records it (its fill id makes it count once). */
export interface VenueFill {
  fillId: string;
  /** Coins, > 0. */
  size: number;
  price: number;
  at: number;
}

export interface ExecutionClient {
  /** The account orders are placed for, once known (null before). */
  readonly account: string | null;
  /**
   * The venue refuses an order action that reaches it later than this after it was signed (ms),
   * or undefined when it has no such rule. After a lost answer the executor waits this long
   * before it believes "never seen": the request still in flight can then no longer land.
   */
  readonly actionTtlMs?: number;
  /** The account read back from the journal at start, until a signature names it. */
  adoptAccount?(account: string): void;
  place(order: OrderRequest): Promise<PlaceOutcome>;
  /**
   * Moves a resting order to a new price and size, keeping its client id (the venue may give it
   * a new venue id). A modify the venue refuses comes back rejected; the old order is then as it was.
   */
  modify(order: OrderRequest): Promise<PlaceOutcome>;
  cancel(clientId: string, instrument: string): Promise<boolean>;
  /**
   * Every open order of the account at the venue, whoever placed it (the kill switch): how many
   * the venue says it cancelled.
   */
  cancelEverything?(): Promise<number>;
  /** A dead-man switch at the venue: every open order is cancelled at `at` (ms), or never (null). */
  scheduleCancel?(at: number | null): Promise<void>;
  /**
   * Why nothing can be sent for the account now (a Derive session not logged in: no session key),
   * or null. Absent: the venue answers for itself when asked.
   */
  cannotAct?(): string | null;
  status(clientId: string): Promise<VenueOrderStatus>;
  /** Every fill the venue has for this client id, oldest first. */
  fills(clientId: string): Promise<VenueFill[]>;
}
