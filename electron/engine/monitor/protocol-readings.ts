import type { Instrument } from '../../../shared/domain/instruments.ts';
import { unpackSide } from '../../../shared/stream/packed-book.ts';
import type { MarketState } from '../market/market-state.ts';
import type { AaveWatch } from '../portfolio/aave-watch.ts';
import type { EngineMarketView } from '../portfolio/market-view.ts';
import type { OracleReading, PerpReading, ProtocolReadings } from './protocol-watch.ts';

/*
 * The "protocol broke" rules' inputs from the engine's state: every perp book (Hyperliquid's and
 * Deribit's perpetuals) with its best prices, its depth within 1 % and the index it is judged
 * against; and Aave's oracle prices of the watched accounts' reserves.
 */

/** What each Aave reserve follows on the perp venues. */
const TRACKS: Record<string, string> = { WETH: 'ETH', WBTC: 'BTC', CBBTC: 'BTC' };

export function protocolReadings(x: { state: MarketState; view: EngineMarketView; instruments: () => Instrument[]; aave: AaveWatch | null }): ProtocolReadings {
  const perps: PerpReading[] = [];
  const add = (venue: PerpReading['venue'], underlying: string, instrument: string, id: string, usdSized: boolean): void => {
    const book = x.state.books.get(id);
    if (!book) return;
    const bids = unpackSide(book.levels, 'bid');
    const asks = unpackSide(book.levels, 'ask');
    const bid = bids[0]?.price ?? null;
    const ask = asks[0]?.price ?? null;
    let depthUsd: number | null = null;
    if (bid !== null && ask !== null) {
      const mid = (bid + ask) / 2;
      const side = (levels: typeof bids, inside: (p: number) => boolean): number => levels.filter((l) => inside(l.price)).reduce((s, l) => s + (usdSized ? l.size : l.size * l.price), 0);
      depthUsd = Math.min(side(bids, (p) => p >= mid * 0.99), side(asks, (p) => p <= mid * 1.01));
    }
    perps.push({ venue, underlying, instrument, bid, ask, depthUsd, index: x.view.index(underlying), indexName: 'Deribit index' });
  };
  for (const inst of x.instruments()) if (inst.venue === 'hyperliquid' && inst.kind === 'perp') add('hyperliquid', inst.base, inst.symbol, inst.id, false);
  for (const u of ['BTC', 'ETH']) add('deribit', u, `${u}-PERPETUAL`, `deribit:${u}-PERPETUAL`, true);
  const oracles: OracleReading[] = [];
  const seen = new Set<string>();
  for (const s of x.aave?.summaries() ?? []) {
    for (const r of x.aave!.data(s.account)?.reserves ?? []) {
      if (seen.has(r.symbol) || !(r.priceUsd > 0)) continue;
      seen.add(r.symbol);
      oracles.push({ symbol: r.symbol, priceUsd: r.priceUsd, tracks: TRACKS[r.symbol.toUpperCase()] ?? null });
    }
  }
  return { perps, oracles, marketMid: (coin) => x.view.perpMark(coin) };
}
