import { describe, expect, it } from 'vitest';
import { findMispricings } from '../../../electron/engine/options/mispricing.ts';
import { OptionsBoard } from '../../../electron/engine/options/options-board.ts';
import { fitSlice, writeFitIvs } from '../../../electron/engine/options/surface-fit.ts';
import { black76 } from '../../../electron/engine/pricing/black.ts';
import { normaliseTicker, type OptionTicker } from '../../../electron/venues/deribit/normalise.ts';
import { wireTicker } from '../../../electron/venues/deribit/wire-schemas.ts';
import { greekDiffers } from '../../../renderer/src/features/chain/chain-model.ts';
import { ROW_STRIDE, type OptionContract } from '../../../shared/domain/options.ts';
import { REAL_TICKER } from '../../fixtures/deribit-ticker.ts';

const contract = (row: number, name: string, expiry: number, strike: number, kind: 'call' | 'put'): OptionContract => ({
  row, name, underlying: 'BTC', expiry, strike, kind, settlement: 'inverse', tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1,
});

describe('options board: our Greeks beside the venue', () => {
  it('reproduces Deribit’s Greeks on the real ticker, and adjusts delta for the coin premium', () => {
    const board = new OptionsBoard();
    const expiry = Date.UTC(2024, 8, 27, 8);
    board.setChain([contract(0, 'BTC-27SEP24-40000-C', expiry, 40000, 'call')]);
    board.applyTicker(normaliseTicker(wireTicker.parse(REAL_TICKER), 0));
    // venues.md §2.4: N(d1) = 0.59832, gamma 1.727e-5 per USD, vega 142.302 USD per vol point, theta −13.443 USD/day.
    expect(board.get(0, 'delta')).toBeCloseTo(0.59832, 4);
    expect(board.get(0, 'gamma')).toBeCloseTo(1.727e-5, 7);
    expect(board.get(0, 'vega')).toBeCloseTo(142.302, 1);
    expect(board.get(0, 'theta')).toBeCloseTo(-13.443, 1);
    // Premium-adjusted: BS delta minus our coin price (Black-76 ÷ forward) for the inverse option.
    const usd = black76('call', 39165.86, 40000, (expiry - REAL_TICKER.timestamp) / (365 * 86_400_000), 0.6086);
    expect(board.get(0, 'deltaNet')).toBeCloseTo(board.get(0, 'delta') - (usd.ok ? usd.value.price : NaN) / 39165.86, 12);
    // Within the venue's rounding nothing is flagged; a real difference is.
    for (const g of ['delta', 'gamma', 'vega', 'theta'] as const) {
      const venue = { delta: 'venueDelta', gamma: 'venueGamma', vega: 'venueVega', theta: 'venueTheta' } as const;
      expect(greekDiffers(g, board.get(0, g), board.get(0, venue[g])), g).toBe(false);
    }
    expect(greekDiffers('vega', 142.3, 150)).toBe(true);
    expect(greekDiffers('delta', 0.598, 0.62)).toBe(true);
  });

  it('marks only changed rows for the next frame, packed with their row index', () => {
    const board = new OptionsBoard();
    const expiry = Date.UTC(2024, 8, 27, 8);
    board.setChain([contract(0, 'A', expiry, 40000, 'call'), contract(1, 'BTC-27SEP24-40000-C', expiry, 40000, 'call')]);
    board.take();
    board.applyTicker(normaliseTicker(wireTicker.parse(REAL_TICKER), 0));
    const { rows } = board.take();
    expect(rows?.[0]).toBe(1);
    expect(rows?.length).toBe(ROW_STRIDE);
    expect(board.take().rows).toBeNull();
  });
});

/** A smooth chain from a known smile: raw SVI (a, b, ρ, m, σ) = (0.01, 0.1, −0.3, 0, 0.2) at T. */
function syntheticChain(now: number, expiries: number[], spreadVol = 0.01) {
  const board = new OptionsBoard();
  const contracts: OptionContract[] = [];
  const F0 = 100_000;
  for (const expiry of expiries) {
    for (let K = 70_000; K <= 130_000; K += 5000) {
      for (const kind of ['call', 'put'] as const) contracts.push(contract(contracts.length, `BTC-${expiry}-${K}-${kind === 'call' ? 'C' : 'P'}`, expiry, K, kind));
    }
  }
  board.setChain(contracts);
  const quote = (c: OptionContract, shiftBid = 0): OptionTicker => {
    const T = (c.expiry - now) / (365 * 86_400_000);
    const k = Math.log(c.strike / F0);
    const w = (0.01 + 0.1 * (-0.3 * k + Math.sqrt(k * k + 0.04))) * (T / 0.25);
    const iv = Math.sqrt(w / T);
    const px = (v: number) => {
      const r = black76(c.kind, F0, c.strike, T, v);
      return r.ok ? r.value.price / F0 : NaN;
    };
    return {
      name: c.name, time: now, receivedAt: 0, bid: px(iv - spreadVol + shiftBid), ask: px(iv + spreadVol), bidSize: 1, askSize: 1, mark: px(iv),
      bidIv: iv - spreadVol + shiftBid, askIv: iv + spreadVol, markIv: iv, forward: F0, index: F0, openInterest: 10, venue: null,
    };
  };
  for (const c of contracts) board.applyTicker(quote(c));
  const fit = () => {
    for (const e of expiries) {
      const cs = contracts.filter((c) => c.expiry === e);
      const s = fitSlice(board, cs, now);
      if (s) writeFitIvs(board, cs, s);
    }
  };
  return { board, contracts, quote, fit };
}

describe('surface fit and mispricing list', () => {
  const now = Date.UTC(2026, 0, 1);
  const e1 = now + 30 * 86_400_000;
  const e2 = now + 90 * 86_400_000;

  it('fits the venue smile closely and finds nothing on a clean, arbitrage-free chain', () => {
    const { board, contracts, fit } = syntheticChain(now, [e1, e2]);
    fit();
    const s = fitSlice(board, contracts.filter((c) => c.expiry === e1), now)!;
    expect(s.rmsIvError).toBeLessThan(1e-4);
    expect(findMispricings(board, 'BTC', contracts, now)).toEqual([]);
  });

  it('flags a bid far above the surface with its edge net of fees, and the butterfly it breaks', () => {
    const { board, contracts, quote, fit } = syntheticChain(now, [e1, e2]);
    fit();
    const target = contracts.find((c) => c.expiry === e2 && c.strike === 100_000 && c.kind === 'call')!;
    board.applyTicker(quote(target, 0.08)); // bid 7 vol points over the mark
    const found = findMispricings(board, 'BTC', contracts, now);
    const rich = found.find((m) => m.kind === 'rich-bid')!;
    expect(rich.legs.map((l) => l.name)).toEqual([target.name]);
    // 7 vol points over the surface, less a fee of at most 0.0003 BTC (≈ $30) over ~$200/vol-pt vega.
    expect(rich.edge).toBeGreaterThan(6.5);
    expect(rich.edge).toBeLessThan(7);
    expect(found.some((m) => m.kind === 'butterfly' && m.legs[0]?.name === target.name && m.edge > 0)).toBe(true);
    expect(found.filter((m) => m.kind === 'rich-bid' || m.kind === 'cheap-ask')).toHaveLength(1);
  });

  it('flags a calendar violation: a near expiry bid at more total variance than the far one offers', () => {
    const { board, contracts, quote, fit } = syntheticChain(now, [e1, e2]);
    fit();
    const near = contracts.find((c) => c.expiry === e1 && c.strike === 100_000 && c.kind === 'call')!;
    // Near bid at twice the vol: σ²T of the 30-day option now exceeds the 90-day ask's.
    const q = quote(near);
    board.applyTicker({ ...q, bidIv: q.markIv * 2, bid: q.mark * 2 });
    const cal = findMispricings(board, 'BTC', contracts, now).filter((m) => m.kind === 'calendar');
    expect(cal.map((m) => m.legs.map((l) => l.name))).toContainEqual([near.name, near.name.replace(String(e1), String(e2))]);
  });
});
