import type { VenueFill } from './execution.ts';

/*
 * The account half of the venue seam: what the venue says we hold and have working. After a
 * reconnect the engine asks for the whole of it and reconciles before any new order (§4b).
 */

/** One of our orders as the venue lists it. */
export interface VenueOpenOrder {
  /** Our client order id, if the order carries one (orders placed elsewhere may not). */
  clientId: string | null;
  venueOrderId: string;
  instrument: string;
  side: 'buy' | 'sell';
  /** Coins still working, > 0. */
  remaining: number;
  price: number;
  placedAt: number;
}

export interface AccountFill extends VenueFill {
  clientId: string | null;
  instrument: string;
  side: 'buy' | 'sell';
}

export interface AccountSnapshot {
  /** Signed size in coins per instrument (0s left out). */
  positions: Record<string, number>;
  openOrders: VenueOpenOrder[];
  /** Fills at or after `since`, oldest first. */
  fills: AccountFill[];
  at: number;
}

export interface AccountClient {
  /** The venue's full status of the account: positions, open orders, fills since `since` (ms). */
  snapshot(since: number): Promise<AccountSnapshot>;
}
