import type { Instrument } from '../../../shared/domain/instruments.ts';
import type { Candle, Timeframe } from '../../../shared/domain/market.ts';
import type { MarketState } from '../market/market-state.ts';
import type { PerpMarkets, VenueRegistry } from '../venues/registry.ts';
import type { EngineHandlers } from './handlers.ts';

/** market.* and venues.*: instruments and candles from every venue with perp markets, and every venue's status. */
export function marketCommands(venues: VenueRegistry, state: MarketState): EngineHandlers<'market' | 'venues'> {
  const candleLoads = new Map<string, Promise<void>>();
  const instruments = (): Instrument[] => venues.having('perps').flatMap((v) => v.perps.instruments());

  /** The instrument and its venue's perp markets, or a refusal that says which is missing. */
  function perpsOf(instrumentId: string, serves: string): { instrument: Instrument; perps: PerpMarkets } {
    const instrument = instruments().find((i) => i.id === instrumentId);
    if (!instrument) throw new Error(`no instrument ${instrumentId} (markets ${instruments().length ? 'loaded' : 'still loading'})`);
    const perps = venues.get(instrument.venue)?.perps;
    if (!perps) throw new Error(`${instrument.venue} serves no ${serves}`);
    return { instrument, perps };
  }

  async function candles(instrumentId: string, timeframe: Timeframe): Promise<Candle[]> {
    const { instrument, perps } = perpsOf(instrumentId, 'candles');
    const k = `${instrumentId}|${timeframe}`;
    let load = candleLoads.get(k);
    if (!load) {
      state.candles.open(instrumentId, timeframe);
      load = perps.candles(instrument, timeframe).then((history) => state.candles.load(instrumentId, timeframe, history));
      // A failed load is retried by the next request rather than cached.
      load.catch(() => candleLoads.delete(k));
      candleLoads.set(k, load);
    }
    await load;
    return state.candles.get(instrumentId, timeframe);
  }

  return {
    'market.instruments': () => instruments(),
    'market.candles': (p) => candles(p.instrumentId, p.timeframe),
    'market.stats': (p) => {
      const { instrument, perps } = perpsOf(p.instrumentId, 'perp statistics');
      if (!perps.stats) throw new Error(`${instrument.venue} serves no perp statistics`);
      return perps.stats(instrument);
    },
    'market.groupBook': (p) => {
      const instrument = p.instrumentId ? instruments().find((i) => i.id === p.instrumentId) : undefined;
      if (p.instrumentId && !instrument) throw new Error(`no instrument ${p.instrumentId}`);
      const mid = instrument ? (state.mids.get(instrument.id) ?? null) : null;
      let grouped = false;
      // One book in view: every other venue stops grouping.
      for (const v of venues.having('perps')) {
        const mine = instrument?.venue === v.id;
        grouped = (v.perps.groupBook?.(mine ? instrument : null, p.step, mid) ?? false) || grouped;
      }
      if (!grouped) state.applyGroupedBook(null);
      return { grouped };
    },
    'venues.status': () => venues.statuses(),
  };
}
