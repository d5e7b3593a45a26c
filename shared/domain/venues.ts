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
