import type { SimCoin, SimMarket, SimTrade } from '../sim-market.ts';
import { wirePrice, wireSize } from '../wire-format.ts';

/** Hyperliquid's default: at most 20 levels a side in an l2Book snapshot. */
export const BOOK_LEVELS_PER_SIDE = 20;

export const CANDLE_INTERVALS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};
const MAX_CANDLES = 5000;

export interface WireLevel {
  px: string;
  sz: string;
  n: number;
}

export function meta(market: SimMarket): { universe: object[]; marginTables: [] } {
  return {
    universe: [...market.coins.values()].map((c) => ({
      name: c.config.coin,
      szDecimals: c.config.szDecimals,
      maxLeverage: c.config.maxLeverage,
    })),
    marginTables: [],
  };
}

export function assetCtx(coin: SimCoin): Record<string, unknown> {
  const d = coin.priceDecimals;
  const mid = coin.mid;
  const dayVolume = coin.bars.slice(-1440).reduce((s, b) => s + b.v, 0);
  return {
    funding: '0.0000125',
    openInterest: wireSize(coin.openInterest, coin.config.szDecimals),
    prevDayPx: wirePrice(coin.dayOpen, d),
    dayNtlVlm: (dayVolume * mid).toFixed(2),
    premium: '0.0',
    oraclePx: wirePrice(mid, d),
    markPx: wirePrice(mid, d),
    midPx: wirePrice(mid, d),
    impactPxs: [wirePrice(coin.bestBid(), d), wirePrice(coin.bestAsk(), d)],
    dayBaseVlm: wireSize(dayVolume, coin.config.szDecimals),
  };
}

export function bookLevels(coin: SimCoin): [WireLevel[], WireLevel[]] {
  const side = (s: 'bid' | 'ask'): WireLevel[] =>
    coin.book
      .sorted(s)
      .slice(0, BOOK_LEVELS_PER_SIDE)
      .map((l) => ({
        px: wirePrice(l.ticks * coin.tick, coin.priceDecimals),
        sz: wireSize(l.size, coin.config.szDecimals),
        n: l.orders,
      }));
  return [side('bid'), side('ask')];
}

export function l2Book(coin: SimCoin, time: number): { coin: string; time: number; levels: [WireLevel[], WireLevel[]] } {
  return { coin: coin.config.coin, time, levels: bookLevels(coin) };
}

export function allMids(market: SimMarket): Record<string, string> {
  const mids: Record<string, string> = {};
  for (const c of market.coins.values()) mids[c.config.coin] = wirePrice(c.mid, c.priceDecimals + 1);
  return mids;
}

export function wireTrade(market: SimMarket, t: SimTrade): Record<string, unknown> {
  const coin = market.coin(t.coin)!;
  return {
    coin: t.coin,
    side: t.side,
    px: wirePrice(t.px, coin.priceDecimals),
    sz: wireSize(t.sz, coin.config.szDecimals),
    hash: t.hash,
    time: t.time,
    tid: t.tid,
    users: ['0x0000000000000000000000000000000000000b0b', '0x0000000000000000000000000000000000000a11'],
  };
}

export interface CandleRequest {
  coin: string;
  interval: string;
  startTime: number;
  endTime?: number;
}

/** `candleSnapshot`: bars aggregated from the simulator's one-minute history; at most 5000, newest kept. */
export function candleSnapshot(market: SimMarket, req: CandleRequest): Record<string, unknown>[] | null {
  const coin = market.coin(req.coin);
  const width = CANDLE_INTERVALS[req.interval];
  if (!coin || !width) return null;
  const end = req.endTime ?? market.now;
  const out: { t: number; o: number; h: number; l: number; c: number; v: number; n: number }[] = [];
  for (const bar of coin.bars) {
    if (bar.t < req.startTime || bar.t > end) continue;
    const t = Math.floor(bar.t / width) * width;
    const last = out[out.length - 1];
    if (last && last.t === t) {
      last.h = Math.max(last.h, bar.h);
      last.l = Math.min(last.l, bar.l);
      last.c = bar.c;
      last.v += bar.v;
      last.n += bar.n;
    } else {
      out.push({ ...bar, t });
    }
  }
  const d = coin.priceDecimals;
  return out.slice(-MAX_CANDLES).map((b) => ({
    t: b.t,
    T: b.t + width - 1,
    s: req.coin,
    i: req.interval,
    o: wirePrice(b.o, d),
    c: wirePrice(b.c, d),
    h: wirePrice(b.h, d),
    l: wirePrice(b.l, d),
    v: wireSize(b.v, coin.config.szDecimals),
    n: b.n,
  }));
}
