import { instrumentId, type Instrument } from '../../../shared/domain/instruments.ts';
import type { WireMeta } from './wire-schemas.ts';

export const PERP_SUFFIX = '-PERP';

export function perpInstrumentId(coin: string): string {
  return instrumentId('hyperliquid', `${coin}${PERP_SUFFIX}`);
}

/**
 * Perp instruments from `meta`. The asset index is the position in `universe` (delisted entries
 * included), so it is kept beside each coin before anything is filtered.
 */
export function perpInstruments(meta: WireMeta): { instrument: Instrument; assetIndex: number }[] {
  return meta.universe
    .map((u, assetIndex) => ({ u, assetIndex }))
    .filter(({ u }) => !u.isDelisted)
    .map(({ u, assetIndex }) => ({
      assetIndex,
      instrument: {
        id: perpInstrumentId(u.name),
        venue: 'hyperliquid' as const,
        kind: 'perp' as const,
        venueSymbol: u.name,
        symbol: `${u.name}${PERP_SUFFIX}`,
        base: u.name,
        quote: 'USD',
        sizeDecimals: u.szDecimals,
        maxPriceDecimals: 6 - u.szDecimals,
        priceSigFigs: 5,
        maxLeverage: u.maxLeverage,
      },
    }));
}
