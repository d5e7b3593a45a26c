import { describe, expect, it } from 'vitest';
import { simulatePolicies, straddleVega } from '../../../electron/engine/hedge/policy-sim.ts';
import { discreteHedgingErrorStd } from '../../../electron/engine/hedge/theory.ts';

/*
 * The hedging simulator behind docs/hedging.md, checked against theory: without costs, hedging
 * N times leaves a PnL spread of √(π/4)·σ·vega/√N (Derman–Kamal) around zero mean; hedging
 * more often costs more once trades cost something; not hedging is the widest of all.
 */
const spec = { spot: 100_000, vol: 0.6, days: 14, stepsPerDay: 48, size: 1, costFraction: 0, paths: 400, seed: 7 };

describe('hedging policies on simulated paths', () => {
  it('matches Derman–Kamal for interval hedging without costs, and is unbiased', () => {
    const vega = Math.abs(straddleVega(spec));
    const [every, everyFourth] = simulatePolicies(spec, [
      { kind: 'interval', everySteps: 1 },
      { kind: 'interval', everySteps: 4 },
    ]);
    const n = spec.days * spec.stepsPerDay;
    for (const [r, N] of [
      [every!, n],
      [everyFourth!, n / 4],
    ] as const) {
      const dk = discreteHedgingErrorStd({ vol: spec.vol, vega, rebalances: N });
      expect(r.stdPnl / dk).toBeGreaterThan(0.85);
      expect(r.stdPnl / dk).toBeLessThan(1.15);
      // Mean within three standard errors of zero: a fairly priced straddle, hedged, earns nothing.
      expect(Math.abs(r.meanPnl)).toBeLessThan((3 * r.stdPnl) / Math.sqrt(spec.paths));
    }
    // Four times fewer hedges: twice the spread.
    expect(everyFourth!.stdPnl / every!.stdPnl).toBeCloseTo(2, 0);
  });

  it('with costs: hedging more often costs more and spreads less; no hedge is the widest', () => {
    const [none, hourly, daily, ww] = simulatePolicies({ ...spec, costFraction: 0.0006, paths: 300 }, [
      { kind: 'none' },
      { kind: 'interval', everySteps: 2 },
      { kind: 'interval', everySteps: 48 },
      { kind: 'whalley-wilmott', riskAversion: 0.0001 },
    ]);
    expect(hourly!.meanCost).toBeGreaterThan(daily!.meanCost);
    expect(hourly!.stdPnl).toBeLessThan(daily!.stdPnl);
    expect(none!.stdPnl).toBeGreaterThan(daily!.stdPnl);
    expect(none!.meanCost).toBe(0);
    expect(ww!.meanTrades).toBeGreaterThan(0);
  });
});
