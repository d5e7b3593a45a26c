import { priceDecimalsAt } from '../../shared/domain/instruments.ts';
import { BookModel, type BookShape } from './book-model.ts';
import { DEFAULT_PROCESS, PriceProcess, type PriceProcessParams } from './price-process.ts';
import { Random } from './random.ts';

export interface SimCoinConfig {
  coin: string;
  startPrice: number;
  szDecimals: number;
  maxLeverage: number;
  book: BookShape;
  /** Trades per second on average, and the median trade size in coin. */
  tradesPerSecond: number;
  medianTradeSize: number;
  process?: Partial<PriceProcessParams>;
}

export const DEFAULT_COINS: SimCoinConfig[] = [
  {
    coin: 'BTC',
    startPrice: 97_000,
    szDecimals: 5,
    maxLeverage: 40,
    book: { depth: 50, touchSize: 0.35, growthPerLevel: 0.12, orderSize: 0.12, churn: 0.18 },
    tradesPerSecond: 5,
    medianTradeSize: 0.015,
  },
  {
    coin: 'ETH',
    startPrice: 3_650,
    szDecimals: 4,
    maxLeverage: 25,
    book: { depth: 50, touchSize: 5, growthPerLevel: 0.12, orderSize: 1.5, churn: 0.18 },
    tradesPerSecond: 4,
    medianTradeSize: 0.4,
    process: { annualVol: 0.7 },
  },
];

export interface SimTrade {
  coin: string;
  side: 'B' | 'A';
  px: number;
  sz: number;
  time: number;
  tid: number;
  hash: string;
}

/** One-minute bar kept by the simulator for `candleSnapshot`. Volume in coin. */
export interface SimBar {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  n: number;
}

const MINUTE = 60_000;

export class SimCoin {
  readonly tick: number;
  readonly priceDecimals: number;
  readonly process: PriceProcess;
  readonly book: BookModel;
  readonly bars: SimBar[] = [];
  openInterest: number;
  dayOpen: number;

  readonly config: SimCoinConfig;

  constructor(config: SimCoinConfig, rng: Random) {
    this.config = config;
    // Hyperliquid perps: 5 significant figures, at most 6 − szDecimals decimals.
    this.priceDecimals = priceDecimalsAt(config.startPrice, { maxPriceDecimals: 6 - config.szDecimals, priceSigFigs: 5 });
    this.tick = 10 ** -this.priceDecimals;
    this.process = new PriceProcess(config.startPrice, { ...DEFAULT_PROCESS, ...config.process }, rng);
    this.book = new BookModel(config.book, rng);
    this.openInterest = config.book.touchSize * 2000;
    this.dayOpen = config.startPrice;
  }

  get mid(): number {
    return ((this.book.bestBidTicks + this.book.bestAskTicks) / 2) * this.tick;
  }

  bestBid(): number {
    return this.book.bestBidTicks * this.tick;
  }

  bestAsk(): number {
    return this.book.bestAskTicks * this.tick;
  }

  recordTrade(time: number, px: number, sz: number): void {
    const t = Math.floor(time / MINUTE) * MINUTE;
    const last = this.bars[this.bars.length - 1];
    if (last && last.t === t) {
      last.h = Math.max(last.h, px);
      last.l = Math.min(last.l, px);
      last.c = px;
      last.v += sz;
      last.n += 1;
    } else if (!last || t > last.t) {
      this.bars.push({ t, o: px, h: px, l: px, c: px, v: sz, n: 1 });
      if (this.bars.length > 20_000) this.bars.splice(0, this.bars.length - 20_000);
    }
  }
}

/**
 * The simulated market behind paper mode: BTC and ETH perps whose mid follows a seeded
 * clustered-volatility process with jumps, a persistent L2 book around it and a trade flow.
 * Same seed and same clock give the same session.
 */
export class SimMarket {
  readonly rng: Random;
  readonly coins = new Map<string, SimCoin>();
  private nextTid: number;
  private clock: number;

  constructor(options: { seed: number; now: number; coins?: SimCoinConfig[]; historyMs?: number }) {
    this.rng = new Random(options.seed);
    this.nextTid = 100_000_000_000 + this.rng.int(1_000_000);
    const historyMs = options.historyMs ?? 24 * 3600_000;
    this.clock = options.now - historyMs;
    for (const config of options.coins ?? DEFAULT_COINS) {
      const coin = new SimCoin(config, this.rng);
      coin.book.update(config.startPrice / coin.tick);
      this.coins.set(config.coin, coin);
    }
    this.fillHistory(options.now);
  }

  get now(): number {
    return this.clock;
  }

  coin(name: string): SimCoin | undefined {
    return this.coins.get(name);
  }

  /** Advances every coin to `now`; returns the trades printed on the way, oldest first. */
  advanceTo(now: number): SimTrade[] {
    const dt = now - this.clock;
    if (dt <= 0) return [];
    this.clock = now;
    const trades: SimTrade[] = [];
    for (const coin of this.coins.values()) this.stepCoin(coin, dt, now, trades);
    return trades.sort((a, b) => a.time - b.time);
  }

  /** History before `now` at one-second steps: bars only, no individual trades are kept. */
  private fillHistory(now: number): void {
    const step = 1000;
    while (this.clock + step <= now) {
      this.clock += step;
      for (const coin of this.coins.values()) this.stepCoin(coin, step, this.clock, null);
    }
    this.clock = now;
    for (const coin of this.coins.values()) coin.dayOpen = coin.bars[0]?.o ?? coin.mid;
  }

  private stepCoin(coin: SimCoin, dtMs: number, now: number, out: SimTrade[] | null): void {
    const before = coin.mid;
    coin.process.step(dtMs);
    coin.book.update(coin.process.current / coin.tick);
    const moved = coin.mid - before;
    const count = this.rng.poisson((coin.config.tradesPerSecond * dtMs) / 1000);
    const step = 10 ** -coin.config.szDecimals;
    for (let i = 0; i < count; i++) {
      // Aggressors lean with the move, as they do on real books.
      const buyBias = moved > 0 ? 0.65 : moved < 0 ? 0.35 : 0.5;
      const buy = this.rng.next() < buyBias;
      const raw = this.rng.logNormal(coin.config.medianTradeSize, 1.1);
      const sz = Math.max(step, Math.round(raw / step) * step);
      const px = buy ? coin.bestAsk() : coin.bestBid();
      const time = now - Math.floor(this.rng.next() * Math.min(dtMs, 1000));
      coin.recordTrade(time, px, sz);
      coin.book.consume(buy ? 'ask' : 'bid', sz);
      coin.openInterest = Math.max(0, coin.openInterest + (this.rng.next() - 0.5) * sz);
      if (out) {
        out.push({ coin: coin.config.coin, side: buy ? 'B' : 'A', px, sz, time, tid: this.nextTid++, hash: this.hash() });
      }
    }
  }

  private hash(): string {
    let s = '0x';
    for (let i = 0; i < 8; i++) s += ((this.rng.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    return s;
  }
}
