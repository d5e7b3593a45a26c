import { venueBlack, venueImpliedVol } from './venue-black.ts';
import { MS_PER_YEAR } from '../../../shared/domain/time.ts';
import { optionName } from '../../venues/deribit/instrument-name.ts';
import type { Random } from '../random.ts';
import type { SimCoin, SimMarket } from '../sim-market.ts';
import { listExpiries, type ExpiryKind } from './expiries.ts';
import { atmVol, BTC_SURFACE, ETH_SURFACE, modelImpliedVol, type SurfaceModelParams } from './surface-model.ts';

/** Deribit option ticks (coin): 0.0001 up to 0.005, 0.0005 above. */
const TICK = 0.0001;
const TICK_STEP_ABOVE = 0.005;
const TICK_ABOVE = 0.0005;
/** Levels a side where prices allow: the cursor book shows five, as the README says. */
const BOOK_LEVELS = 6;
/** A quote unchanged this long is published again anyway, as the venue's ticker keeps ticking. */
const REFRESH_MS = 1000;
/** Forward basis over spot, annual, as crypto futures usually trade in contango. */
const BASIS = 0.06;

export interface SimOptionSpec {
  name: string;
  coin: string;
  expiry: number;
  expiryKind: ExpiryKind;
  strike: number;
  kind: 'call' | 'put';
}

export type Level = [price: number, amount: number];
export type LevelChange = ['new' | 'change' | 'delete', number, number];

export interface SimOption {
  spec: SimOptionSpec;
  index: number;
  forward: number;
  markIv: number;
  mark: number;
  bid: number;
  ask: number;
  bidIv: number;
  askIv: number;
  greeks: { delta: number; gamma: number; vega: number; theta: number; rho: number };
  /** Book, best first. */
  bids: Level[];
  asks: Level[];
  changeId: number;
  openInterest: number;
  /** Vol points added to this option's bid and ask (not its mark): a quote off the surface. */
  misquoteVolPts: number;
  lastPublishedAt: number;
}

export interface OptionUpdate {
  option: SimOption;
  prevChangeId: number;
  bidChanges: LevelChange[];
  askChanges: LevelChange[];
}

export interface PaperPosition {
  name: string;
  /** Contracts (coins); negative short. */
  size: number;
  averagePrice: number;
}

const SURFACES: Record<string, SurfaceModelParams> = { BTC: BTC_SURFACE, ETH: ETH_SURFACE };

export function optionTick(price: number): number {
  return price >= TICK_STEP_ABOVE ? TICK_ABOVE : TICK;
}

const round4 = (x: number): number => Math.round(x * 1e4) / 1e4;

/**
 * One tick up or down from a price, landing on the grid of the range it lands in: 0.0049 → 0.0050
 * → 0.0055 going up, 0.0055 → 0.0050 → 0.0049 going down. Adding the tick of the price left from
 * would put levels at 0.0051, 0.0052… above 0.005, which the venue never shows nor accepts.
 */
export function stepTick(price: number, direction: 1 | -1): number {
  if (direction < 0) return round4(price - optionTick(price - 1e-12));
  const up = round4(price + optionTick(price));
  return up > TICK_STEP_ABOVE ? round4(Math.ceil(up / TICK_ABOVE - 1e-9) * TICK_ABOVE) : up;
}

/** Strikes either side of the money a daily lists (the venue lists fewer on dailies). */
const DAILY_STRIKES_PER_SIDE = 7;

/** 1, 2, 2.5, 5 × 10ⁿ: the strike grids venues use. */
function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

/**
 * Options on the simulated BTC and ETH: the listing calendar's expiries, strikes around spot at
 * listing, quotes priced from the SSVI surface in coin (inverse, like Deribit), a small book per
 * option, and a paper account. Spot comes from the simulated perp, so options and perps agree.
 */
export class SimOptionMarket {
  readonly options: SimOption[] = [];
  readonly byName = new Map<string, SimOption>();
  readonly positions: PaperPosition[] = [];
  private readonly volLevel = new Map<string, number>();
  private readonly market: SimMarket;
  private readonly rng: Random;
  private readonly strikesPerSide: number;
  private now: number;
  /** Instrument ids stay unique as expiries come and go. */
  private listed = 0;

  constructor(market: SimMarket, now: number, strikesPerSide = 10) {
    this.market = market;
    this.rng = market.rng;
    this.now = now;
    this.strikesPerSide = strikesPerSide;
    for (const [coinName, coin] of market.coins) {
      if (!SURFACES[coinName]) continue;
      this.volLevel.set(coinName, coin.process.annualisedVol);
      for (const { expiry, kind } of listExpiries(now)) this.listExpiry(coinName, expiry, kind, now);
    }
    this.step(now);
    this.openPaperPositions();
  }

  /** Lists one expiry's strikes around spot now, both kinds, as the venue does at 08:00 UTC. */
  private listExpiry(coinName: string, expiry: number, expiryKind: ExpiryKind, now: number): void {
    const level = this.volLevel.get(coinName)!;
    const spot = this.spot(coinName);
    const strikesPerSide = this.strikesPerSide;
    const t = (expiry - now) / MS_PER_YEAR;
    const step = niceStep(spot * atmVol(level, t, SURFACES[coinName]!) * Math.sqrt(t) * 0.3);
    const atm = Math.round(spot / step) * step;
    // Dailies list fewer strikes around the money, as on the venue.
    const perSide = expiryKind === 'daily' ? Math.min(DAILY_STRIKES_PER_SIDE, strikesPerSide) : strikesPerSide;
    for (let i = -perSide; i <= perSide; i++) {
      const strike = atm + i * step;
      if (strike <= 0) continue;
      for (const kind of ['call', 'put'] as const) {
        const spec: SimOptionSpec = { name: '', coin: coinName, expiry, expiryKind, strike, kind };
        spec.name = simOptionName(spec);
        const o: SimOption = {
          spec,
          index: this.listed++,
          forward: spot,
          markIv: level,
          mark: 0,
          bid: 0,
          ask: 0,
          bidIv: 0,
          askIv: 0,
          greeks: { delta: 0, gamma: 0, vega: 0, theta: 0, rho: 0 },
          bids: [],
          asks: [],
          changeId: 1_000_000 + this.rng.int(1_000_000) * 10,
          openInterest: Math.round(this.rng.logNormal(coinName === 'BTC' ? 150 : 1500, 1) * 10) / 10,
          misquoteVolPts: 0,
          lastPublishedAt: 0,
        };
        this.options.push(o);
        this.byName.set(spec.name, o);
      }
    }
  }

  /** The soonest expiry listed, ms (Infinity when nothing is). */
  get nextExpiry(): number {
    let soonest = Infinity;
    for (const o of this.options) if (o.spec.expiry < soonest) soonest = o.spec.expiry;
    return soonest;
  }

  /** The options whose expiry has come by `now` (settled by the venue, then delisted by `roll`). */
  expiredBy(now: number): SimOption[] {
    return this.options.filter((o) => o.spec.expiry <= now);
  }

  /**
   * The calendar moves on: options whose expiry has come leave the listing (their paper positions
   * settled first, by the venue: see the trading book) and the expiries the calendar lists at `now`
   * that are not listed yet join it, strikes around spot now, quoted from the next step. Returns
   * whether the listing changed.
   */
  roll(now: number): boolean {
    const gone = this.expiredBy(now);
    for (const o of gone) this.byName.delete(o.spec.name);
    const kept = this.options.filter((o) => o.spec.expiry > now);
    this.options.length = 0;
    this.options.push(...kept);
    // A position left in a delisted option (none once the venue has settled it) goes with it.
    const held = this.positions.filter((p) => this.byName.has(p.name));
    this.positions.length = 0;
    this.positions.push(...held);
    let added = 0;
    for (const coinName of this.volLevel.keys()) {
      const have = new Set(this.options.filter((o) => o.spec.coin === coinName).map((o) => o.spec.expiry));
      for (const { expiry, kind } of listExpiries(now)) {
        if (have.has(expiry)) continue;
        const before = this.options.length;
        this.listExpiry(coinName, expiry, kind, now);
        added += this.options.length - before;
      }
    }
    return gone.length > 0 || added > 0;
  }

  /** Requotes every option at `now`; returns the ones to publish (changed, or due a refresh). */
  step(now: number): OptionUpdate[] {
    this.now = now;
    const out: OptionUpdate[] = [];
    for (const [coinName, coin] of this.market.coins) {
      const prev = this.volLevel.get(coinName);
      // The surface breathes with realised volatility, smoothed so quotes do not jitter.
      if (prev !== undefined) this.volLevel.set(coinName, prev * 0.98 + coin.process.annualisedVol * 0.02);
    }
    for (const o of this.options) {
      const update = this.requote(o, now);
      if (update) out.push(update);
    }
    return out;
  }

  spot(coin: string): number {
    return this.market.coin(coin)!.mid;
  }

  /** The simulated underlying itself (its book is the Deribit perpetual's too). */
  underlying(coin: string): SimCoin | undefined {
    return this.market.coin(coin);
  }

  timeToExpiry(o: SimOption): number {
    return Math.max(0, (o.spec.expiry - this.now) / MS_PER_YEAR);
  }

  private requote(o: SimOption, now: number): OptionUpdate | null {
    const spot = this.spot(o.spec.coin);
    const t = this.timeToExpiry(o);
    if (t <= 0) return null;
    const forward = spot * Math.exp(BASIS * t);
    const params = SURFACES[o.spec.coin]!;
    const level = this.volLevel.get(o.spec.coin)!;
    const k = Math.log(o.spec.strike / forward);
    const markIv = modelImpliedVol(level, k, t, params);
    const g = venueBlack(o.spec.kind, forward, o.spec.strike, t, markIv);
    if (!g) return null;
    const mark = g.price / forward;
    // Spread widens in the wings and for the shortest expiries, as on the venue.
    const halfSpreadVol = Math.min(0.08, 0.006 + 0.012 * Math.abs(k) / Math.sqrt(t) + 0.002 / Math.sqrt(t));
    const shift = o.misquoteVolPts / 100;
    const bidPx = this.coinPrice(o, forward, t, markIv - halfSpreadVol + shift);
    const askPx = this.coinPrice(o, forward, t, markIv + halfSpreadVol + shift);
    const bid = Math.floor(bidPx / optionTick(bidPx) + 1e-9) * optionTick(bidPx);
    const ask = Math.max(stepTick(bid, 1), Math.ceil(askPx / optionTick(askPx) - 1e-9) * optionTick(askPx));
    o.forward = forward;
    o.markIv = markIv;
    o.mark = mark;
    o.greeks = { delta: g.delta, gamma: g.gamma, vega: g.vega / 100, theta: g.theta / 365, rho: g.rho / 100 };
    const nextBid = round4(bid);
    const nextAsk = round4(ask);
    const moved = nextBid !== o.bid || nextAsk !== o.ask;
    o.bid = nextBid;
    o.ask = nextAsk;
    o.bidIv = o.bid > 0 ? this.ivOf(o, o.bid, forward, t) : 0;
    o.askIv = this.ivOf(o, o.ask, forward, t);
    if (!moved && now - o.lastPublishedAt < REFRESH_MS) return null;
    o.lastPublishedAt = now;
    const bids = this.levels(o, o.bid, -1);
    const asks = this.levels(o, o.ask, 1);
    const update: OptionUpdate = { option: o, prevChangeId: o.changeId, bidChanges: diff(o.bids, bids), askChanges: diff(o.asks, asks) };
    o.bids = bids;
    o.asks = asks;
    // A change_id is spent only on a book change that is sent: a step with no change sends no book
    // message, and spending one there would look like a gap to every client (a false resync). The
    // draw happens either way so the seeded market is the same.
    const step = 1 + this.rng.int(3);
    if (update.bidChanges.length || update.askChanges.length) o.changeId += step;
    return update;
  }

  private coinPrice(o: SimOption, forward: number, t: number, vol: number): number {
    const q = venueBlack(o.spec.kind, forward, o.spec.strike, t, Math.max(0.01, vol));
    return q ? q.price / forward : 0;
  }

  private ivOf(o: SimOption, coinPrice: number, forward: number, t: number): number {
    return venueImpliedVol(o.spec.kind, coinPrice * forward, forward, o.spec.strike, t);
  }

  /** Book levels away from the touch; sizes persist per price so the book does not flicker. */
  private levels(o: SimOption, touch: number, direction: 1 | -1): Level[] {
    if (!(touch > 0)) return [];
    const previous = new Map(direction < 0 ? o.bids : o.asks);
    const out: Level[] = [];
    const median = o.spec.coin === 'BTC' ? 3 : 30;
    let px = touch;
    for (let i = 0; i < BOOK_LEVELS && px > 0; i++) {
      const size = previous.get(px) ?? Math.max(0.1, Math.round(this.rng.logNormal(median * (1 + i), 0.8) * 10) / 10);
      out.push([px, size]);
      for (let n = 1 + this.rng.int(3); n > 0 && px > 0; n--) px = stepTick(px, direction);
    }
    return out;
  }

  private openPaperPositions(): void {
    const pick = (coin: string, expiryRank: number, kind: 'call' | 'put', moneyness: number): SimOption | undefined => {
      // Ranked among weeklies and longer: a book held in dailies would be a different book every day.
      const expiries = [...new Set(this.options.filter((o) => o.spec.coin === coin && o.spec.expiryKind !== 'daily').map((o) => o.spec.expiry))].sort((a, b) => a - b);
      const expiry = expiries[Math.min(expiryRank, expiries.length - 1)];
      const target = this.spot(coin) * moneyness;
      let best: SimOption | undefined;
      for (const o of this.options) {
        if (o.spec.coin !== coin || o.spec.expiry !== expiry || o.spec.kind !== kind) continue;
        if (!best || Math.abs(o.spec.strike - target) < Math.abs(best.spec.strike - target)) best = o;
      }
      return best;
    };
    const book: [string, number, 'call' | 'put', number, number][] = [
      ['BTC', 2, 'call', 1.0, 5],
      ['BTC', 1, 'put', 0.9, -8],
      ['ETH', 4, 'call', 1.05, 40],
      ['ETH', 0, 'put', 0.95, -25],
    ];
    for (const [coin, rank, kind, m, size] of book) {
      const o = pick(coin, rank, kind, m);
      if (o) this.positions.push({ name: o.spec.name, size, averagePrice: round4(o.mark * (1 + (this.rng.next() - 0.5) * 0.1)) });
    }
  }
}

function diff(before: Level[], after: Level[]): LevelChange[] {
  const old = new Map(before);
  const out: LevelChange[] = [];
  for (const [p, a] of after) {
    const was = old.get(p);
    if (was === undefined) out.push(['new', p, a]);
    else if (was !== a) out.push(['change', p, a]);
    old.delete(p);
  }
  for (const p of old.keys()) out.push(['delete', p, 0]);
  return out;
}

function simOptionName(s: SimOptionSpec): string {
  return optionName(s.coin, s.expiry, s.strike, s.kind);
}
