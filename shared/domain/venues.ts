/** Venues DeltaDesk knows. Only Hyperliquid is wired in paper mode today. */
export const VENUE_IDS = ['hyperliquid', 'deribit', 'derive', 'aave'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

export const VENUE_LABELS: Record<VenueId, string> = {
  hyperliquid: 'Hyperliquid',
  deribit: 'Deribit',
  derive: 'Derive',
  aave: 'Aave',
};

/**
 * What a trader needs to know about a feed at a glance.
 * - connecting: first connection not yet acknowledged
 * - connected: subscribed and data is fresh
 * - stale: connected, but some feed has not updated within its limit (automation must pause)
 * - reconnecting: the link dropped or a heartbeat failed; backing off before the next attempt
 * - disconnected: stopped on purpose (shutdown or configuration)
 */
export const CONNECTION_STATES = ['connecting', 'connected', 'stale', 'reconnecting', 'disconnected'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export interface VenueStatus {
  venue: VenueId;
  state: ConnectionState;
  /** Paper mode: the venue is DeltaDesk's built-in simulator on loopback. */
  paper: boolean;
  /** Human-readable reason for the current state, or the latest recoverable problem. */
  detail: string;
  /** When the state last changed, ms since epoch (UTC). */
  since: number;
  /** When any message last arrived from the venue, ms since epoch, or null before the first. */
  lastMessageAt: number | null;
  /** Reconnect attempts since the last healthy connection. */
  attempt: number;
}

/**
 * Fee rates the ticket estimates with, fractions of notional: the venues' base tiers (an account
 * with volume or staking pays less; the fill's own fee is what the journal keeps).
 * Hyperliquid perps: taker 0.045 %, maker 0.015 %. Deribit perpetuals: taker 0.05 %, maker 0 %.
 * Deribit options: 0.03 % of the underlying per contract, capped at 12.5 % of the premium.
 */
export const VENUE_FEES = {
  hyperliquid: { taker: 0.00045, maker: 0.00015 },
  deribitPerp: { taker: 0.0005, maker: 0 },
  deribitOption: { underlyingRate: 0.0003, premiumCap: 0.125 },
} as const;

/** Deribit's option fee per fill, coin: 0.03 % of the underlying per contract, at most 12.5 % of the premium. */
export function deribitOptionFeeCoin(contracts: number, premium: number): number {
  return Math.min(VENUE_FEES.deribitOption.underlyingRate * contracts, VENUE_FEES.deribitOption.premiumCap * premium * contracts);
}
