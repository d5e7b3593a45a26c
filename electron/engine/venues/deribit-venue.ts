import { DeribitMarketData, type DeribitCredentials, type DeribitMarketDataOptions } from '../../venues/deribit/market-data.ts';
import { DeribitExecution } from '../../venues/deribit/execution.ts';
import type { OwnOrderStreams, VenueContext, VenueRegistration } from './registry.ts';

export interface DeribitVenueConfig {
  wsUrl: string;
  credentials?: DeribitCredentials;
  options?: Partial<DeribitMarketDataOptions>;
}

/** Deribit as a registration: the option chain, tickers and books onto the bus; the options account with a key. */
export function deribitVenue(ctx: VenueContext, config: DeribitVenueConfig, own: () => OwnOrderStreams | null = () => null): VenueRegistration {
  const { bus } = ctx;
  const marketData = new DeribitMarketData(
    { wsUrl: config.wsUrl, paper: ctx.paper, now: ctx.now, ...(config.credentials ? { credentials: config.credentials } : {}), ...config.options },
    {
      chain: (contracts) => bus.emit('option-chain', contracts),
      ticker: (t) => bus.emit('ticker', t),
      book: (name, book, receivedAt) => bus.emit('option-book', { name, book, receivedAt }),
      status: (s) => bus.emit('venue-status', s),
      reconnected: () => bus.emit('reconnected', { venue: 'deribit', at: ctx.now() }),
      ...(config.credentials
        ? {
            ownTrade: (t: { label: string; tradeId: string; size: number; price: number; at: number }) => own()?.fill(t.label || null, { fillId: `trade:${t.tradeId}`, size: t.size, price: t.price, at: t.at }),
            ownCancel: (label: string, reason: string) => own()?.cancelled(label || null, reason),
          }
        : {}),
    },
  );
  return {
    id: 'deribit',
    marketData,
    optionBook: (name) => marketData.book(name),
    // With a key the account is read and options can be traded on its session, by label.
    ...(config.credentials
      ? { optionsAccount: () => marketData.account(), execution: new DeribitExecution((m, p, schema) => marketData.privateCall(m, p, schema), ctx.paper ? 'paper' : config.credentials.clientId) }
      : {}),
  };
}
