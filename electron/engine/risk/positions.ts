import { MS_PER_YEAR } from '../../../shared/domain/time.ts';
import type { OptionKind } from '../pricing/black.ts';

/** What the risk engine needs of a position. Quantities are signed (long > 0) and in coins. */
export type RiskPosition =
  | {
      id: string;
      underlying: string;
      type: 'perp' | 'future' | 'spot';
      quantity: number;
      entryPrice: number;
      /** The instrument's own mark, USD (a perp trades off the index); defaults to the market's spot. */
      mark?: number;
      /** Inverse contract (Deribit futures): size in USD, valued as Deribit settles it. */
      inverseUsd?: number;
    }
  | {
      id: string;
      underlying: string;
      /** Coins held as collateral. */
      type: 'cash';
      quantity: number;
    }
  | {
      id: string;
      underlying: string;
      type: 'option';
      quantity: number;
      kind: OptionKind;
      strike: number;
      /** Expiry, ms since epoch (UTC). */
      expiry: number;
      /** Inverse: premium and settlement in the coin (Deribit BTC/ETH); linear: in USD(C). */
      settlement: 'inverse' | 'linear';
      /** Implied vol to value it with, annual fraction. */
      vol: number;
      /** Premium paid per coin, USD, for PnL since entry (optional). */
      entryPrice?: number;
      /** This expiry's forward, USD; defaults to the market's forward, then spot. */
      forward?: number;
    };

/** Market inputs per underlying. */
export interface UnderlyingMarket {
  /** Spot / index price, USD. */
  spot: number;
  /** Forward for options (the matching future or synthetic forward); defaults to spot. */
  forward?: number;
}

export { MS_PER_YEAR };

/** ACT/365 wall-clock year fraction, floored at 0. */
export function yearFraction(from: number, to: number): number {
  return Math.max(0, (to - from) / MS_PER_YEAR);
}
