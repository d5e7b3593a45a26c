import type { VenueId } from './venues.ts';

export type InstrumentKind = 'perp';

export interface Instrument {
  /** Stable id across the app: `<venue>:<symbol>`, e.g. `hyperliquid:BTC-PERP`. */
  id: string;
  venue: VenueId;
  kind: InstrumentKind;
  /** Venue's own name for the market (Hyperliquid: the coin, e.g. `BTC`). */
  venueSymbol: string;
  /** Display symbol, e.g. `BTC-PERP`. */
  symbol: string;
  base: string;
  quote: string;
  /** Size step is 10^-sizeDecimals coins. */
  sizeDecimals: number;
  /** Most decimals a price may carry on this venue (Hyperliquid perps: 6 − szDecimals). */
  maxPriceDecimals: number;
  /** Most significant figures a non-integer price may carry (Hyperliquid: 5). */
  priceSigFigs: number;
  maxLeverage: number;
}

export function instrumentId(venue: VenueId, symbol: string): string {
  return `${venue}:${symbol}`;
}

/**
 * Decimals the venue accepts for a price near `price`: limited both by significant figures
 * (integers always allowed) and by the instrument's decimal cap.
 */
export function priceDecimalsAt(price: number, inst: Pick<Instrument, 'maxPriceDecimals' | 'priceSigFigs'>): number {
  if (!(price > 0) || !Number.isFinite(price)) return inst.maxPriceDecimals;
  const intDigits = Math.floor(Math.log10(price)) + 1;
  return Math.max(0, Math.min(inst.maxPriceDecimals, inst.priceSigFigs - intDigits));
}

/** Smallest price increment the venue accepts near `price`. */
export function tickAt(price: number, inst: Pick<Instrument, 'maxPriceDecimals' | 'priceSigFigs'>): number {
  return 10 ** -priceDecimalsAt(price, inst);
}
