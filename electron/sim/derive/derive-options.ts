import { MS_PER_YEAR } from '../../../shared/domain/time.ts';
import { deriveOptionName, optionSubId } from '../../venues/derive/instrument-name.ts';
import type { SimOptionMarket } from '../options/option-market.ts';
import { venueBlack, venueImpliedVol } from '../options/venue-black.ts';
import { modelImpliedVol, type SurfaceModelParams } from '../options/surface-model.ts';
import { Random } from '../random.ts';

/*
 * The simulated Derive options market: a crowd and a surface of its own. It lists fewer expiries
 * and a coarser strike grid than the Deribit simulator on the same spot, prices in USDC off an
 * SSVI surface whose level, skew and term structure differ from Deribit's and drift on their own
 * (mean-reverting, minutes), so the same contract is sometimes cheaper here and sometimes there,
 * as cross-venue edges appear and vanish live. Books are full top-N snapshots with a publish id.
 */

export type Level = [price: number, amount: number];

/**
 * Derive's own smile per coin: a little flatter skew and a little steeper term structure than the
 * Deribit simulator's. Close, as two venues arbitraged against each other are: their quotes differ by
 * a vol point or two and cross only now and then, when the drifts below line up against the spreads.
 */
const SURFACES: Record<string, SurfaceModelParams> = {
  BTC: { rho: -0.21, eta: 1.05, gamma: 0.45, termSlope: 0.095 },
  ETH: { rho: -0.26, eta: 1.15, gamma: 0.45, termSlope: 0.075 },
};
/** Forward basis over spot, annual: Derive's perp-funded forward sits a little under Deribit's futures (6 %). */
const BASIS = 0.057;
const BOOK_LEVELS = 5;
const REFRESH_MS = 1000;
/** The fees each instrument publishes (USDC): a base fee per contract plus a rate of the index, capped at a share of the premium. */
export const DERIVE_SIM_FEES = { takerRate: 0.0003, makerRate: 0.0001, baseFee: 0.5, premiumCap: 0.125 };
/** The paper option assets, one per coin (the ETH one is the testnet's; BTC's is made up for paper). */
export const OPTION_ASSETS: Record<string, string> = { ETH: '0x4BB4C3CDc7562f08e9910A0C7D8bB7e108861eB4', BTC: '0xAFB6Bb95cd70D5367e2C39e9dbEb422B9815339D' };

export interface DeriveSimOption {
  name: string;
  coin: string;
  /** ms since epoch, 08:00 UTC. */
  expiry: number;
  strike: number;
  kind: 'call' | 'put';
  asset: string;
  subId: bigint;
  /** USDC premium tick and contract step. */
  tick: number;
  amountStep: number;
  index: number;
  forward: number;
  markIv: number;
  mark: number;
  bid: number;
  ask: number;
  bidIv: number;
  askIv: number;
  greeks: { delta: number; gamma: number; vega: number; theta: number };
  bids: Level[];
  asks: Level[];
  publishId: number;
  lastPublishedAt: number;
  /** Vol points added to the quotes (not the mark): a misquote injected by a test. */
  misquoteVolPts: number;
  openInterest: number;
}

/** A mean-reverting wander (Ornstein–Uhlenbeck), stepped at irregular intervals. */
class Drift {
  value: number;
  private readonly mean: number;
  private readonly sd: number;
  private readonly halfLifeMs: number;
  constructor(mean: number, sd: number, halfLifeMs: number, rng: Random) {
    this.mean = mean;
    this.sd = sd;
    this.halfLifeMs = halfLifeMs;
    this.value = mean + sd * rng.normal();
  }
  step(dtMs: number, rng: Random): number {
    const k = Math.exp((-Math.LN2 * dtMs) / this.halfLifeMs);
    this.value = this.mean + (this.value - this.mean) * k + this.sd * Math.sqrt(1 - k * k) * rng.normal();
    return this.value;
  }
}

export class DeriveOptionMarket {
  readonly options: DeriveSimOption[] = [];
  readonly byName = new Map<string, DeriveSimOption>();
  private readonly rng: Random;
  private readonly listing: SimOptionMarket;
  /** Per coin: the vol level's premium over realised (fraction) and the skew's tilt. */
  private readonly level = new Map<string, Drift>();
  private readonly skew = new Map<string, Drift>();
  private readonly smoothed = new Map<string, number>();
  private now: number;

  constructor(listing: SimOptionMarket, seed: number, now: number) {
    this.listing = listing;
    this.rng = new Random(seed ^ 0x5eed_d1ce);
    this.now = now;
    const byCoinExpiry = new Map<string, { expiry: number; strikes: Set<number> }>();
    for (const o of listing.options) {
      if (!SURFACES[o.spec.coin]) continue;
      const key = `${o.spec.coin}|${o.spec.expiry}`;
      let e = byCoinExpiry.get(key);
      if (!e) byCoinExpiry.set(key, (e = { expiry: o.spec.expiry, strikes: new Set() }));
      e.strikes.add(o.spec.strike);
    }
    for (const coin of Object.keys(SURFACES)) {
      const u = listing.underlying(coin);
      if (!u) continue;
      // The level wanders ±1.5 % of itself (about ±0.7 vol point) over minutes, the skew ±0.03 of ρ.
      this.level.set(coin, new Drift(0, 0.015, 4 * 60_000, this.rng));
      this.skew.set(coin, new Drift(0, 0.03, 6 * 60_000, this.rng));
      this.smoothed.set(coin, u.process.annualisedVol);
      // Derive lists the nearer expiries only, every other strike of the deeper venue's grid.
      const expiries = [...byCoinExpiry.entries()].filter(([k]) => k.startsWith(`${coin}|`)).map(([, v]) => v).sort((a, b) => a.expiry - b.expiry).slice(0, 5);
      for (const { expiry, strikes } of expiries) {
        const grid = [...strikes].sort((a, b) => a - b).filter((_, i) => i % 2 === 0);
        for (const strike of grid) {
          for (const kind of ['call', 'put'] as const) {
            const o: DeriveSimOption = {
              name: deriveOptionName(coin, expiry, strike, kind),
              coin,
              expiry,
              strike,
              kind,
              asset: OPTION_ASSETS[coin]!,
              subId: optionSubId(expiry / 1000, strike, kind),
              tick: coin === 'BTC' ? 1 : 0.1,
              amountStep: coin === 'BTC' ? 0.01 : 0.1,
              index: u.mid,
              forward: u.mid,
              markIv: 0,
              mark: 0,
              bid: 0,
              ask: 0,
              bidIv: 0,
              askIv: 0,
              greeks: { delta: 0, gamma: 0, vega: 0, theta: 0 },
              bids: [],
              asks: [],
              publishId: 1 + this.rng.int(1_000_000),
              lastPublishedAt: 0,
              misquoteVolPts: 0,
              openInterest: Math.round(this.rng.logNormal(coin === 'BTC' ? 40 : 400, 1) * 10) / 10,
            };
            this.options.push(o);
            this.byName.set(o.name, o);
          }
        }
      }
    }
    this.step(now);
  }

  spot(coin: string): number {
    return this.listing.spot(coin);
  }

  /** Requotes every option; returns those to publish (changed, or due the 1 s refresh). */
  step(now: number): DeriveSimOption[] {
    const dt = Math.max(0, now - this.now);
    this.now = now;
    for (const [coin, d] of this.level) {
      d.step(dt, this.rng);
      this.skew.get(coin)!.step(dt, this.rng);
      const u = this.listing.underlying(coin)!;
      this.smoothed.set(coin, this.smoothed.get(coin)! * 0.98 + u.process.annualisedVol * 0.02);
    }
    const out: DeriveSimOption[] = [];
    for (const o of this.options) if (this.requote(o, now)) out.push(o);
    return out;
  }

  timeToExpiry(o: DeriveSimOption): number {
    return Math.max(0, (o.expiry - this.now) / MS_PER_YEAR);
  }

  private requote(o: DeriveSimOption, now: number): boolean {
    const t = this.timeToExpiry(o);
    if (t <= 0) return false;
    const spot = this.spot(o.coin);
    const forward = spot * Math.exp(BASIS * t);
    const base = SURFACES[o.coin]!;
    const params = { ...base, rho: Math.max(-0.9, Math.min(0.9, base.rho + this.skew.get(o.coin)!.value)) };
    const level = this.smoothed.get(o.coin)! * (1 + this.level.get(o.coin)!.value);
    const k = Math.log(o.strike / forward);
    const markIv = modelImpliedVol(level, k, t, params);
    const g = venueBlack(o.kind, forward, o.strike, t, markIv);
    if (!g) return false;
    // USDC paid now earns the carry the forward pays, so premiums are the forward value discounted
    // at that rate: a USDC premium is then worth today what Deribit's coin premium is (coin = forward
    // value ÷ forward, paid in coin worth spot). Undiscounted, every deep in-the-money option of a far
    // expiry would be a riskless cross-venue edge of the basis.
    const df = Math.exp(-BASIS * t);
    // A thinner crowd than Deribit's: wider quotes, more so in the wings and near expiry.
    const half = Math.min(0.1, 0.01 + 0.015 * (Math.abs(k) / Math.sqrt(t)) + 0.002 / Math.sqrt(t));
    const shift = o.misquoteVolPts / 100;
    const price = (vol: number): number => df * (venueBlack(o.kind, forward, o.strike, t, Math.max(0.01, vol))?.price ?? 0);
    const tick = o.tick;
    const bid = Math.floor(price(markIv - half + shift) / tick + 1e-9) * tick;
    const ask = Math.max(bid + tick, Math.ceil(price(markIv + half + shift) / tick - 1e-9) * tick);
    const nextBid = round(bid, tick);
    const nextAsk = round(ask, tick);
    const moved = nextBid !== o.bid || nextAsk !== o.ask;
    o.index = spot;
    o.forward = forward;
    o.markIv = markIv;
    o.mark = df * g.price;
    o.greeks = { delta: df * g.delta, gamma: df * g.gamma, vega: (df * g.vega) / 100, theta: (df * g.theta) / 365 };
    o.bid = nextBid;
    o.ask = nextAsk;
    o.bidIv = o.bid > 0 ? venueImpliedVol(o.kind, o.bid / df, forward, o.strike, t) : 0;
    o.askIv = venueImpliedVol(o.kind, o.ask / df, forward, o.strike, t);
    if (!moved && now - o.lastPublishedAt < REFRESH_MS) return false;
    o.lastPublishedAt = now;
    o.bids = this.levels(o, o.bid, -1, o.bids);
    o.asks = this.levels(o, o.ask, 1, o.asks);
    o.publishId++;
    return true;
  }

  /** Levels away from the touch; sizes persist per price so the book does not flicker. */
  private levels(o: DeriveSimOption, touch: number, direction: 1 | -1, before: Level[]): Level[] {
    if (!(touch > 0)) return [];
    const previous = new Map(before);
    const out: Level[] = [];
    const median = o.coin === 'BTC' ? 1.5 : 15;
    let px = touch;
    for (let i = 0; i < BOOK_LEVELS && px > 0; i++) {
      const size = previous.get(px) ?? round(Math.max(o.amountStep, this.rng.logNormal(median * (1 + i), 0.8)), o.amountStep);
      out.push([px, size]);
      px = round(px + direction * o.tick * (1 + this.rng.int(3)), o.tick);
    }
    return out;
  }

  /** Takes `amount` off the book at `price` after a fill (the crowd refills it at the next requote). */
  consume(o: DeriveSimOption, side: 'bids' | 'asks', price: number, amount: number): void {
    const levels = o[side];
    const i = levels.findIndex((l) => l[0] === price);
    if (i < 0) return;
    const left = round(levels[i]![1] - amount, o.amountStep);
    if (left <= 0) levels.splice(i, 1);
    else levels[i] = [price, left];
  }
}

/** Rounds to a multiple of `step` and clears binary noise (0.1 + 0.2 → 0.3). */
export function round(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return Number((Math.round(x / step) * step).toFixed(decimals));
}

/** The fee per contract the venue charges a taker at `premium` USDC with the index at `index`. */
export function deriveSimFee(premium: number, index: number, maker = false): number {
  const f = DERIVE_SIM_FEES;
  return f.baseFee + Math.min((maker ? f.makerRate : f.takerRate) * index, f.premiumCap * premium);
}
