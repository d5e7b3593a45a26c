import { DeriveMarketData, type DeriveMarketDataOptions } from '../../venues/derive/market-data.ts';
import { derivePeerListing, derivePeerQuote } from '../../venues/derive/wire-schemas.ts';
import type { VenueContext, VenueRegistration } from './registry.ts';

export interface DeriveVenueConfig {
  wsUrl: string;
  options?: Partial<DeriveMarketDataOptions>;
}

/**
 * Derive as a registration: its option listing and slim tickers onto the bus in canonical units,
 * where the chain sets them beside the same contracts on Deribit. Market data only so far: orders
 * with session keys are the next step (docs/derive.md).
 */
export function deriveVenue(ctx: VenueContext, config: DeriveVenueConfig): VenueRegistration {
  const { bus } = ctx;
  const marketData = new DeriveMarketData(
    { wsUrl: config.wsUrl, paper: ctx.paper, now: ctx.now, ...config.options },
    {
      options: (contracts) => bus.emit('peer-listing', { venue: 'derive', listings: contracts.map(derivePeerListing) }),
      quote: (q) => bus.emit('peer-quote', derivePeerQuote(q)),
      status: (s) => bus.emit('venue-status', s),
    },
  );
  return { id: 'derive', marketData };
}
