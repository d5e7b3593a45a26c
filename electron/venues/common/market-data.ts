import type { VenueId, VenueStatus } from '../../../shared/domain/venues.ts';

/*
 * The market-data half of the venue seam (DESIGN.md §4b): what every venue's feed does for the
 * engine. What it streams goes onto the engine's bus; the engine itself knows a feed only as this.
 */
export interface MarketDataClient {
  readonly venue: VenueId;
  start(): Promise<void> | void;
  stop(): void;
  /** The feed's health now (not only when it last changed). */
  status(): VenueStatus;
}
