import { describe, expect, it } from 'vitest';
import { optionTick, SimOptionMarket, stepTick } from '../../../electron/sim/options/option-market.ts';
import { SimMarket } from '../../../electron/sim/sim-market.ts';

/** On Deribit's grid: 0.0001 up to 0.005, 0.0005 from there up (venues.md, tick_size_steps). */
const onGrid = (px: number): boolean => {
  const t = optionTick(px);
  return Math.abs(px / t - Math.round(px / t)) < 1e-6;
};

describe("the simulated Deribit option books sit on the venue's tick", () => {
  it('a tick up or down lands on the grid of the range it enters', () => {
    expect([0.0048, 0.0049, 0.005, 0.0055].map((p) => stepTick(p, 1))).toEqual([0.0049, 0.005, 0.0055, 0.006]);
    expect([0.006, 0.0055, 0.005, 0.0049].map((p) => stepTick(p, -1))).toEqual([0.0055, 0.005, 0.0049, 0.0048]);
  });

  it('every level of every book, over an hour of steps, is a price the venue would show and accept', () => {
    const now = Date.UTC(2026, 11, 3, 9);
    const market = new SimMarket({ seed: 11, now, historyMs: 60_000 });
    const options = new SimOptionMarket(market, now);
    const off: string[] = [];
    let levels = 0;
    let above = 0;
    for (let t = now; t < now + 3_600_000; t += 30_000) {
      market.advanceTo(t);
      options.step(t);
      for (const o of options.options) {
        for (const [px] of [...o.bids, ...o.asks]) {
          levels++;
          if (px > 0.005) above++;
          if (!onGrid(px)) off.push(`${o.spec.name} ${px}`);
        }
      }
    }
    expect(above).toBeGreaterThan(1000); // the coarse range is exercised
    expect(levels).toBeGreaterThan(10_000);
    expect(off.slice(0, 5)).toEqual([]);
  });
});
