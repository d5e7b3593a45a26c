import { describe, expect, it } from 'vitest';
import { PriceProcess, DEFAULT_PROCESS } from '../../../electron/sim/price-process.ts';
import { Random } from '../../../electron/sim/random.ts';
import { SimMarket } from '../../../electron/sim/sim-market.ts';
import { bookLevels } from '../../../electron/sim/hyperliquid/payloads.ts';

const T0 = Date.UTC(2026, 10, 25, 12);

describe('simulated market', () => {
  it('is reproducible from its seed', () => {
    const a = new SimMarket({ seed: 42, now: T0, historyMs: 3_600_000 });
    const b = new SimMarket({ seed: 42, now: T0, historyMs: 3_600_000 });
    const c = new SimMarket({ seed: 43, now: T0, historyMs: 3_600_000 });
    const ta = a.advanceTo(T0 + 5000);
    const tb = b.advanceTo(T0 + 5000);
    expect(ta).toEqual(tb);
    expect(a.coin('BTC')!.mid).toBe(b.coin('BTC')!.mid);
    expect(c.coin('BTC')!.mid).not.toBe(a.coin('BTC')!.mid);
  });

  it('keeps a realistic book: 20 levels a side, ordered, uncrossed, deeper away from the touch', () => {
    const m = new SimMarket({ seed: 1, now: T0, historyMs: 600_000 });
    let nearSum = 0;
    let farSum = 0;
    for (let i = 1; i <= 200; i++) {
      m.advanceTo(T0 + i * 100);
      for (const coin of m.coins.values()) {
        const [bids, asks] = bookLevels(coin);
        expect(bids.length).toBe(20);
        expect(asks.length).toBe(20);
        const bp = bids.map((l) => Number(l.px));
        const ap = asks.map((l) => Number(l.px));
        expect(bp).toEqual([...bp].sort((x, y) => y - x));
        expect(ap).toEqual([...ap].sort((x, y) => x - y));
        expect(bp[0]!).toBeLessThan(ap[0]!);
        for (const l of [...bids, ...asks]) expect(l.n).toBeGreaterThanOrEqual(1);
        nearSum += bids.slice(0, 5).reduce((s, l) => s + Number(l.sz), 0);
        farSum += bids.slice(15, 20).reduce((s, l) => s + Number(l.sz), 0);
      }
    }
    expect(farSum).toBeGreaterThan(nearSum * 1.5);
  });

  it('prints trades at the touch and builds one-minute history', () => {
    const m = new SimMarket({ seed: 3, now: T0, historyMs: 2 * 3_600_000 });
    const btc = m.coin('BTC')!;
    expect(btc.bars.length).toBeGreaterThan(100);
    for (const bar of btc.bars) {
      expect(bar.h).toBeGreaterThanOrEqual(Math.max(bar.o, bar.c));
      expect(bar.l).toBeLessThanOrEqual(Math.min(bar.o, bar.c));
    }
    const trades = m.advanceTo(T0 + 10_000);
    expect(trades.length).toBeGreaterThan(10);
    expect(trades.map((t) => t.time)).toEqual([...trades.map((t) => t.time)].sort((a, b) => a - b));
    expect(new Set(trades.map((t) => t.tid)).size).toBe(trades.length);
  });
});

describe('price process', () => {
  it('realises roughly its long-run volatility, with clustering and jumps', () => {
    const p = new PriceProcess(100, { ...DEFAULT_PROCESS, annualVol: 0.6 }, new Random(9));
    const returns: number[] = [];
    let last = p.current;
    // 30 days of one-minute steps
    for (let i = 0; i < 30 * 1440; i++) {
      const next = p.step(60_000);
      returns.push(Math.log(next / last));
      last = next;
    }
    const variance = returns.reduce((s, r) => s + r * r, 0) / returns.length;
    const annualised = Math.sqrt(variance * 365 * 1440);
    expect(annualised).toBeGreaterThan(0.45);
    expect(annualised).toBeLessThan(0.8);
    // Clustering: squared returns are positively autocorrelated.
    const sq = returns.map((r) => r * r);
    const mean = sq.reduce((s, x) => s + x, 0) / sq.length;
    let num = 0;
    let den = 0;
    for (let i = 1; i < sq.length; i++) {
      num += (sq[i]! - mean) * (sq[i - 1]! - mean);
      den += (sq[i]! - mean) ** 2;
    }
    expect(num / den).toBeGreaterThan(0.02);
  });
});
