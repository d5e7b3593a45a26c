import type { OptionUnderlying, SmileSlice } from '../../../shared/domain/options.ts';
import { sviImpliedVol } from '../../../shared/domain/options.ts';
import { packedMid } from '../../../shared/stream/packed-book.ts';
import { perpInstrumentId } from '../../venues/hyperliquid/instruments.ts';
import type { MarketState } from '../market/market-state.ts';
import type { OptionsDesk } from '../options/options-desk.ts';
import { yearFraction } from '../risk/positions.ts';

/** What pricing a position needs from the live market; null where the market has no answer. */
export interface MarketView {
  /** Index (else perp mid) of an underlying, USD. */
  spot(underlying: string): number | null;
  /** The perp's own mid on the hedge venue, USD. */
  perpMark(underlying: string): number | null;
  /** Deribit's perpetual's mid, USD. */
  deribitPerpMark(underlying: string): number | null;
  /** A listed option's live quote: mark premium (coin for inverse), mark IV, the venue's forward. */
  /** An option's venue mark: a peer venue's (the position's `source`) by its name, else the chain's own by name. */
  option(name: string, source?: string): { markCoin: number; markIv: number; forward: number } | null;
  /** Vol and forward off the fitted surface, for options the chain does not list. */
  surface(underlying: string, expiry: number, strike: number): { vol: number; forward: number } | null;
  /** ATM vol of the expiry nearest 30 days, for distances in σ. */
  atmVol(underlying: string): number | null;
  now(): number;
}

const MONTH_MS = 30 * 86_400_000;

export class EngineMarketView implements MarketView {
  private readonly state: MarketState;
  private readonly options: OptionsDesk;
  readonly now: () => number;
  /** Row of some option per underlying whose `index` field is the venue's index, found once. */
  private readonly indexRow = new Map<string, number>();

  constructor(state: MarketState, options: OptionsDesk, now: () => number) {
    this.state = state;
    this.options = options;
    this.now = now;
  }

  spot(underlying: string): number | null {
    return this.index(underlying) ?? this.perpMark(underlying);
  }

  /** The options venue's index of an underlying (Deribit's), USD; null when it has none. */
  index(underlying: string): number | null {
    const board = this.options.board;
    let row = this.indexRow.get(underlying);
    if (row === undefined || board.contracts[row]?.underlying !== underlying) {
      row = board.contracts.findIndex((c) => c.underlying === underlying);
      if (row >= 0) this.indexRow.set(underlying, row);
    }
    const index = row >= 0 ? board.get(row, 'index') : NaN;
    return index > 0 ? index : null;
  }

  perpMark(underlying: string): number | null {
    const mid = this.state.mids.get(perpInstrumentId(underlying));
    return mid !== undefined && mid > 0 ? mid : null;
  }

  deribitPerpMark(underlying: string): number | null {
    const book = this.state.books.get(`deribit:${underlying}-PERPETUAL`);
    return book ? packedMid(book.levels) : null;
  }

  option(name: string, source?: string): { markCoin: number; markIv: number; forward: number } | null {
    const b = this.options.board;
    // A peer venue's option (Derive's) is valued at its own venue's mark IV on the chain's forward.
    const peer = source === undefined ? undefined : b.peerContract(source, name);
    if (peer) {
      const iv = b.get(peer.row, 'peerMarkIv');
      const f = b.get(peer.row, 'forward');
      return iv > 0 && f > 0 ? { markCoin: b.get(peer.row, 'peerMark') / f, markIv: iv, forward: f } : null;
    }
    const c = b.contract(name);
    if (!c) return null;
    const markIv = b.get(c.row, 'markIv');
    const forward = b.get(c.row, 'forward');
    const markCoin = b.get(c.row, 'mark');
    return markIv > 0 && forward > 0 ? { markCoin, markIv, forward } : null;
  }

  surface(underlying: string, expiry: number, strike: number): { vol: number; forward: number } | null {
    const slices = this.slices(underlying);
    if (!slices.length) return null;
    const now = this.now();
    const t = yearFraction(now, expiry);
    const after = slices.findIndex((s) => s.expiry >= expiry);
    // Outside the listed expiries the nearest slice's vol at the same moneyness is held flat.
    if (after === -1 || after === 0) {
      const s = slices[after === -1 ? slices.length - 1 : 0]!;
      const vol = sviImpliedVol(s, Math.log(strike / s.forward));
      return vol > 0 ? { vol, forward: s.forward } : null;
    }
    const a = slices[after - 1]!;
    const b = slices[after]!;
    const ta = yearFraction(now, a.expiry);
    const tb = yearFraction(now, b.expiry);
    const wgt = tb > ta ? (t - ta) / (tb - ta) : 0;
    const forward = a.forward + (b.forward - a.forward) * wgt;
    // Total variance at the same k interpolates linearly in time (no calendar arbitrage added).
    const k = Math.log(strike / forward);
    const wa = sviImpliedVol(a, k) ** 2 * ta;
    const wb = sviImpliedVol(b, k) ** 2 * tb;
    const w = wa + (wb - wa) * wgt;
    return w > 0 && t > 0 ? { vol: Math.sqrt(w / t), forward } : null;
  }

  atmVol(underlying: string): number | null {
    const slices = this.slices(underlying);
    if (!slices.length) return null;
    const target = this.now() + MONTH_MS;
    const s = slices.reduce((best, x) => (Math.abs(x.expiry - target) < Math.abs(best.expiry - target) ? x : best));
    const vol = sviImpliedVol(s, 0);
    return vol > 0 ? vol : null;
  }

  private slices(underlying: string): SmileSlice[] {
    const map = this.options.surfaces.get(underlying as OptionUnderlying);
    return map ? [...map.values()].sort((a, b) => a.expiry - b.expiry) : [];
  }
}
