import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76 } from '../../../electron/engine/pricing/black.ts';
import { impliedVol } from '../../../electron/engine/pricing/implied-vol.ts';
import { liquidationPrice } from '../../../shared/domain/liquidation.ts';
import { venueLiquidationPx } from '../../../electron/sim/hyperliquid/margin-rules.ts';
import { venueBlack, venueImpliedVol } from '../../../electron/sim/options/venue-black.ts';

/*
 * The simulated venues apply their own rules, written apart from the engine's formulas. They must
 * still agree with the engine to what a venue displays: the same Black-76 to 1e-6 of the forward,
 * the same liquidation price to a thousandth of a dollar on a 100,000 mark. A disagreement beyond that is a bug in one.
 */
describe("the simulated venues' own rules agree with the engine's models", () => {
  it('Black-76 price and delta, and the implied vol of a quote', () => {
    fc.assert(
      fc.property(fc.constantFrom('call' as const, 'put' as const), fc.double({ min: 0.5, max: 2, noNaN: true }), fc.double({ min: 0.003, max: 2, noNaN: true }), fc.double({ min: 0.1, max: 2, noNaN: true }), (kind, moneyness, time, vol) => {
        const forward = 100_000;
        const strike = forward * moneyness;
        const ours = black76(kind, forward, strike, time, vol);
        const venue = venueBlack(kind, forward, strike, time, vol)!;
        expect(ours.ok).toBe(true);
        if (!ours.ok) return;
        expect(Math.abs(venue.price - ours.value.price)).toBeLessThan(1e-6 * forward);
        expect(Math.abs(venue.delta - ours.value.delta)).toBeLessThan(1e-6);
        const intrinsic = Math.max(0, kind === 'call' ? forward - strike : strike - forward);
        if (ours.value.price - intrinsic < 1e-4 * forward) return; // no time value left to invert
        const iv = venueImpliedVol(kind, ours.value.price, forward, strike, time);
        const engineIv = impliedVol({ kind, price: ours.value.price, forward, strike, time });
        expect(engineIv.status).toBe('ok');
        expect(Math.abs(iv - vol)).toBeLessThan(2e-4);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('the Hyperliquid liquidation price', () => {
    fc.assert(
      fc.property(fc.double({ min: -50, max: 50, noNaN: true }).filter((q) => Math.abs(q) > 0.01), fc.constantFrom(3, 5, 10, 20, 40, 50), fc.double({ min: 0.01, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.5, noNaN: true }), (q, maxLeverage, equityFraction, othersFraction) => {
        const mark = 100_000;
        const notional = Math.abs(q) * mark;
        const equity = notional * equityFraction;
        const others = notional * othersFraction * 0.01;
        const ours = liquidationPrice({ size: q, mark, maxLeverage, equity, otherMaintenance: others });
        const venue = venueLiquidationPx(q, mark, maxLeverage, equity, others);
        if (ours === null) expect(venue).toBeNull();
        else expect(Math.abs(venue! - ours)).toBeLessThan(1e-8 * mark);
      }),
      { seed: 8, numRuns: 300 },
    );
  });
});
