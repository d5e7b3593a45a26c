export const TIMEFRAMES = ['1m', '5m', '15m', '1h', '4h'] as const;
export type Timeframe = (typeof TIMEFRAMES)[number];

export const TIMEFRAME_MS: Record<Timeframe, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
};

/** One OHLCV bar. `time` is the bar's open, ms since epoch (UTC); volume in coin. */
export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export type Side = 'buy' | 'sell';

/** A public trade. `side` is the aggressor's side; price in quote (USD), size in coin. */
export interface Trade {
  instrumentId: string;
  time: number;
  price: number;
  size: number;
  side: Side;
  id: string;
}

/**
 * A perp's figures beside its book: the venue's mark (what liquidations use) and its oracle or
 * index, the 24 h change against the venue's previous-day price, the funding rate per hour (a
 * fraction; positive: longs pay) and when it is next paid, and open interest in coins.
 */
export interface PerpStats {
  instrumentId: string;
  mark: number;
  /** Hyperliquid's oracle price, Deribit's index. */
  index: number;
  indexLabel: 'oracle' | 'index';
  change24h: number | null;
  fundingPerHour: number | null;
  nextFundingAt: number | null;
  openInterestCoin: number | null;
  dayNotionalUsd: number | null;
  at: number;
}
