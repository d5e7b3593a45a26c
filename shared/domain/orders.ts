import type { VenueId } from './venues.ts';

/** An order's states (the engine's transition table in electron/engine/orders/order-state.ts moves between them). */
export const ORDER_STATES = ['created', 'submitted', 'accepted', 'partially-filled', 'filled', 'cancelled', 'rejected', 'expired'] as const;
export type OrderState = (typeof ORDER_STATES)[number];

/** States an order never leaves: nothing more can fill or be cancelled. */
export const TERMINAL: ReadonlySet<OrderState> = new Set(['filled', 'cancelled', 'rejected', 'expired']);

/**
 * The unit an order's size is in: the venue's own. Coins everywhere except Deribit's perpetuals
 * and futures, which are inverse contracts sized in USD (an order for 200 USD fills 200 USD; its
 * coin size depends on the price each part fills at). Options are sized in coins everywhere.
 */
export type SizeUnit = 'coin' | 'USD';
export function sizeUnitOf(venue: VenueId, instrument: string): SizeUnit {
  return venue === 'deribit' && !/-[CP]$/.test(instrument) ? 'USD' : 'coin';
}

/** An order as the screen shows it (the engine's Order and its intent, flattened). */
export interface OrderRow {
  venue: VenueId;
  intentId: string;
  /** The venue's client order id (Hyperliquid cloid). */
  clientId: string;
  venueOrderId: string | null;
  instrument: string;
  side: 'buy' | 'sell';
  /** In the instrument's size unit (sizeUnitOf): coins, or USD for a Deribit perpetual. */
  size: number;
  filled: number;
  /** USD per coin (an option: coin premium per contract); the limit (for a market order, its slippage cap). */
  price: number;
  /** Volume-weighted fill price, USD per coin (0 before any fill). */
  avgPrice: number;
  tif: 'Gtc' | 'Ioc' | 'Alo';
  reduceOnly: boolean;
  purpose: 'hedge' | 'manual' | 'flatten';
  state: OrderState;
  reason: string | null;
  updatedAt: number;
}

export interface FillRow {
  venue: VenueId;
  intentId: string;
  clientId: string;
  instrument: string;
  side: 'buy' | 'sell';
  /** The venue's fill id: one fill counts once. */
  fillId: string;
  size: number;
  price: number;
  at: number;
}

/** Whether a venue may take new orders now, and if not, why (shown where orders are entered). */
export interface TradingGate {
  venue: VenueId;
  ready: boolean;
  reason: string;
  /** The account orders on this venue go to (Hyperliquid: the master; Deribit: the API key's), once known. */
  account?: string | null;
}

export interface OrdersSnapshot {
  /** Live orders, then the most recent finished ones, newest first. */
  orders: OrderRow[];
  /** Newest first. */
  fills: FillRow[];
  gates: TradingGate[];
}
