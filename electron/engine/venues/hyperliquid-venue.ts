import { HyperliquidAccountClient } from '../../venues/hyperliquid/account-client.ts';
import { HyperliquidExecution, type HyperliquidSign } from '../../venues/hyperliquid/execution.ts';
import { HyperliquidMarketData, type HyperliquidMarketDataOptions } from '../../venues/hyperliquid/market-data.ts';
import type { OwnOrderStreams, VenueContext, VenueRegistration } from './registry.ts';

export interface HyperliquidVenueConfig {
  httpUrl: string;
  wsUrl: string;
  options?: Partial<HyperliquidMarketDataOptions>;
  /** Main's signatures; absent, the venue is watched but cannot trade. */
  sign?: HyperliquidSign;
  /** Which account main would sign for (asked until known). */
  askAccount?: () => Promise<string | null>;
  /** How long an action's answer is awaited before its outcome counts as unknown, ms. */
  actionTimeoutMs?: number;
}

/**
 * Hyperliquid as a registration: market data onto the bus, accounts watched on request, and, when
 * main can sign, execution by cloid and the account's own fill and order streams. The trading
 * account is learnt from main's first signature (main picks the agent, and knows its master).
 */
export function hyperliquidVenue(ctx: VenueContext, config: HyperliquidVenueConfig, own: () => OwnOrderStreams | null): VenueRegistration {
  const { bus } = ctx;
  const marketData = new HyperliquidMarketData(
    { httpUrl: config.httpUrl, wsUrl: config.wsUrl, paper: ctx.paper, now: ctx.now, ...config.options },
    {
      book: (u) => bus.emit('book', u),
      groupedBook: (u) => bus.emit('grouped-book', u),
      trades: (t) => bus.emit('trades', t),
      mids: (m) => bus.emit('mids', m),
      account: (a) => bus.emit('position', a),
      status: (s) => bus.emit('venue-status', s),
      reconnected: () => bus.emit('reconnected', { venue: 'hyperliquid', at: ctx.now() }),
      ownFill: (f) => own()?.fill(f.cloid, { fillId: `tid:${f.tid}`, size: f.size, price: f.price, at: f.time }),
      ownOrder: (u) => {
        // Only the venue's cancels matter here; fills come with their own stream, rests with the answer.
        if (/canceled$/i.test(u.status) || u.status === 'rejected') own()?.cancelled(u.cloid, u.status);
      },
    },
  );
  const venue: VenueRegistration = {
    id: 'hyperliquid',
    marketData,
    perps: { instruments: () => marketData.instruments, candles: (i, tf) => marketData.candles(i, tf), stats: (i) => marketData.perpStats(i), groupBook: (i, step, mid) => marketData.groupBook(i, step, mid) },
    watchAccounts: (addresses) => marketData.watchAccounts(addresses),
  };
  if (config.sign) {
    const execution = new HyperliquidExecution({
      httpUrl: () => config.httpUrl,
      sign: config.sign,
      poster: marketData.poster,
      ...(config.askAccount ? { askAccount: config.askAccount } : {}),
      ...(config.actionTimeoutMs ? { timeoutMs: config.actionTimeoutMs } : {}),
      // The account's own streams, and the positions watched, follow the account main signs for.
      onAccount: (account) => {
        marketData.watchOwnOrders(account);
        bus.emit('trading-account', { venue: 'hyperliquid', account });
      },
    });
    venue.execution = execution;
    venue.collateral = { addIsolatedMargin: (coin, side, usd) => execution.updateIsolatedMargin(coin, side === 'long' ? 'buy' : 'sell', usd, 'top-up') };
    venue.account = new HyperliquidAccountClient(() => config.httpUrl, () => execution.account);
  }
  return venue;
}
