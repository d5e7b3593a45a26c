import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { black76 } from '../../../electron/engine/pricing/black.ts';
import { impliedVol } from '../../../electron/engine/pricing/implied-vol.ts';
import { butterflyViolations, fitSvi, sviButterflyG, sviTotalVariance, type SviParams } from '../../../electron/engine/pricing/svi.ts';
import { deribitRho } from '../../../electron/engine/pricing/venue-conventions.ts';
import { REAL_TICKER } from '../../fixtures/deribit-ticker.ts';

/* The edges of the pricer: its bounds, compared in the price's own units; venue conventions. */
const nextUp = (x: number): number => {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0]! += 1n;
  return b[0]!;
};
const nextDown = (x: number): number => {
  const b = new Float64Array([x]);
  const i = new BigInt64Array(b.buffer);
  i[0]! -= 1n;
  return b[0]!;
};

describe('implied vol at the no-arbitrage bounds', () => {
  it('a call worth the forward and a put worth the strike are at their maximum, never solved', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 1e-4, max: 5, noNaN: true }), fc.double({ min: 0, max: 0.2, noNaN: true }), (F, K, T, r) => {
          const df = Math.exp(-r * T);
          expect(impliedVol({ kind: 'call', price: F * df, forward: F, strike: K, time: T, rate: r }).status).toBe('above-maximum');
          expect(impliedVol({ kind: 'put', price: K * df, forward: F, strike: K, time: T, rate: r }).status).toBe('above-maximum');
          // One ulp under the bound is what normalisation can round to it: still no invented vol.
          expect(impliedVol({ kind: 'call', price: nextDown(F * df), forward: F, strike: K, time: T, rate: r }).status).toBe('above-maximum');
        }),
      { numRuns: 500, seed: 1 },
    );
  });

  it('a discounted price one ulp above intrinsic has no time value to solve for', () => {
    const T = 1;
    const r = 0.05;
    const discIntrinsic = (100 - 90) * Math.exp(-r * T);
    expect(impliedVol({ kind: 'put', price: nextUp(discIntrinsic), forward: 90, strike: 100, time: T, rate: r })).toEqual({ status: 'zero-time-value', vol: 0 });
    expect(impliedVol({ kind: 'put', price: discIntrinsic, forward: 90, strike: 100, time: T, rate: r })).toEqual({ status: 'zero-time-value', vol: 0 });
    expect(impliedVol({ kind: 'put', price: discIntrinsic * (1 - 1e-12), forward: 90, strike: 100, time: T, rate: r }).status).toBe('below-intrinsic');
    // A real time value, however small next to the intrinsic, is still solved.
    const tiny = black76('put', 90, 100, T, 0.02, r);
    if (!tiny.ok) throw new Error('pricing failed');
    expect(impliedVol({ kind: 'put', price: tiny.value.price, forward: 90, strike: 100, time: T, rate: r })).toMatchObject({ status: 'ok', vol: expect.closeTo(0.02, 8) as unknown });
  });

  it('black76 never prices outside its bounds, however large the vol', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'call' | 'put'>('call', 'put'),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e7, noNaN: true }),
        fc.double({ min: 1e-6, max: 30, noNaN: true }),
        fc.double({ min: 1e-4, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 0.3, noNaN: true }),
        (kind, F, K, T, vol, r) => {
          const g = black76(kind, F, K, T, vol, r);
          if (!g.ok) throw new Error(g.error.message);
          const df = Math.exp(-r * T);
          const max = (kind === 'call' ? F : K) * df;
          const intrinsic = Math.max(kind === 'call' ? F * df - K * df : K * df - F * df, 0);
          expect(g.value.price).toBeLessThanOrEqual(max);
          expect(g.value.price).toBeGreaterThanOrEqual(intrinsic);
        },
      ),
      { numRuns: 3000, seed: 2 },
    );
  });
});

describe('raw SVI', () => {
  it('fits a smile whose a is negative (a + bσ√(1−ρ²) ≥ 0 is the constraint, not a ≥ 0)', () => {
    const truth: SviParams = { a: -0.02, b: 0.25, rho: -0.3, m: 0.02, sigma: 0.15 };
    expect(truth.a + truth.b * truth.sigma * Math.sqrt(1 - truth.rho ** 2)).toBeGreaterThan(0);
    const T = 0.1;
    const quotes = Array.from({ length: 25 }, (_, i) => {
      const k = -0.6 + 0.05 * i;
      return { k, iv: Math.sqrt(sviTotalVariance(truth, k) / T), weight: 1 };
    });
    const fit = fitSvi(quotes, T);
    expect(fit.params.a).toBeLessThan(0);
    expect(fit.rmsIvError).toBeLessThan(1e-4);
  });

  it("reports a butterfly violation's refined minimum of g, not the nearest grid point", () => {
    const p: SviParams = { a: 0.001, b: 0.9, rho: -0.95, m: 0, sigma: 0.05 };
    const coarse = butterflyViolations(p, -1, 1, 40);
    expect(coarse.length).toBeGreaterThan(0);
    let fineMin = Infinity;
    for (let i = 0; i <= 200_000; i++) {
      const k = -1 + i / 100_000;
      fineMin = Math.min(fineMin, sviButterflyG(p, k));
    }
    const worst = Math.min(...coarse.map((v) => v.g));
    // As low as a 5,000× finer grid finds, and lower than the coarse grid's own point.
    expect(worst).toBeLessThanOrEqual(fineMin + 1e-9 * Math.abs(fineMin));
    expect(worst).toBeLessThan(sviButterflyG(p, Math.round(coarse.find((v) => v.g === worst)!.k * 20) / 20) - 1e-12);
  });
});

describe("venue conventions beside ours", () => {
  it("Deribit's rho is the stock-style one, reproduced from its own ticker", () => {
    const expiry = Date.UTC(2024, 8, 27, 8);
    const T = (expiry - REAL_TICKER.timestamp) / (365 * 86_400_000);
    const venue = deribitRho('call', REAL_TICKER.underlying_price, 40_000, T, REAL_TICKER.mark_iv / 100);
    expect(venue).toBeCloseTo(REAL_TICKER.greeks.rho, 0);
    // Ours holds the forward fixed: −T·V, the opposite sign for this call.
    const ours = black76('call', REAL_TICKER.underlying_price, 40_000, T, REAL_TICKER.mark_iv / 100);
    if (!ours.ok) throw new Error('pricing failed');
    expect(Math.sign(ours.value.rho)).toBe(-1);
    expect(Math.sign(venue)).toBe(1);
  });
});
