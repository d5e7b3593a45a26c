import { describe, expect, it } from 'vitest';
import { VolSurface } from '../../../electron/engine/pricing/surface.ts';
import { butterflyViolations, fitSvi, sviTotalVariance, type SviParams } from '../../../electron/engine/pricing/svi.ts';

// Gatheral-Jacquier's arbitrageable example ("Vogt" parameters) and an arbitrage-free set (pricing.md §3.1).
const vogt: SviParams = { a: -0.041, b: 0.1331, rho: 0.306, m: 0.3586, sigma: 0.4153 };
const setA: SviParams = { a: 0.04, b: 0.4, rho: -0.4, m: 0.05, sigma: 0.1 };

function quotes(p: SviParams, T: number, n = 50, noise = 0) {
  let seed = 3;
  const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length: n }, (_, i) => {
    const k = -0.6 + (1.2 * i) / (n - 1);
    return { k, iv: Math.sqrt(sviTotalVariance(p, k) / T) * (1 + noise * rnd()), weight: 1 };
  });
}

describe('SVI', () => {
  it('reproduces the published facts about the Vogt parameters and set A', () => {
    // Minimum total variance a + bσ√(1−ρ²) and wing slopes.
    expect(vogt.a + vogt.b * vogt.sigma * Math.sqrt(1 - vogt.rho ** 2)).toBeCloseTo(0.0116249, 6);
    expect(vogt.b * (1 + vogt.rho)).toBeCloseTo(0.17383, 5);
    expect(butterflyViolations(vogt).length).toBeGreaterThan(0);
    const swapped = butterflyViolations({ ...vogt, rho: vogt.m, m: vogt.rho });
    expect(swapped[0]!.g).toBeCloseTo(-0.0246, 3);
    expect(swapped[0]!.k).toBeCloseTo(0.787, 1);
    expect(butterflyViolations(setA)).toEqual([]);
  });

  it('fits a clean smile back to its parameters', () => {
    const T = 0.25;
    const fit = fitSvi(quotes(setA, T), T);
    expect(fit.rmsIvError).toBeLessThan(1e-6);
    for (const k of [-0.5, -0.1, 0, 0.2, 0.5]) expect(sviTotalVariance(fit.params, k)).toBeCloseTo(sviTotalVariance(setA, k), 7);
  });

  it('fits a noisy smile within its noise, with parameters in the arbitrage-free domain', () => {
    const T = 30 / 365;
    const target: SviParams = { a: 0.004, b: 0.05, rho: -0.3, m: 0.02, sigma: 0.08 };
    const fit = fitSvi(quotes(target, T, 50, 0.01), T);
    const atm = Math.sqrt(sviTotalVariance(target, 0) / T);
    expect(fit.rmsIvError).toBeLessThan(0.006 * atm);
    expect(fit.params.b).toBeGreaterThanOrEqual(0);
    expect(Math.abs(fit.params.rho)).toBeLessThanOrEqual(1);
    expect(fit.params.b * (1 + Math.abs(fit.params.rho))).toBeLessThanOrEqual(2 + 1e-9);
  });

  it('refuses too few quotes', () => {
    expect(() => fitSvi(quotes(setA, 1, 3), 1)).toThrow(/at least 5 quotes/);
  });
});

describe('volatility surface', () => {
  const near = { expiry: 1, time: 0.1, params: { a: 0.004, b: 0.06, rho: -0.3, m: 0, sigma: 0.1 } };
  const far = { expiry: 2, time: 0.5, params: { a: 0.03, b: 0.1, rho: -0.3, m: 0, sigma: 0.2 } };

  it('interpolates total variance linearly in time and extrapolates flat in vol', () => {
    const s = new VolSurface([far, near]);
    const wNear = sviTotalVariance(near.params, 0.1);
    const wFar = sviTotalVariance(far.params, 0.1);
    expect(s.totalVariance(0.1, 0.3)).toBeCloseTo(0.5 * (wNear + wFar), 14);
    expect(s.impliedVol(0.1, 0.05)).toBeCloseTo(Math.sqrt(wNear / 0.1), 14);
    expect(s.impliedVol(0.1, 2)).toBeCloseTo(Math.sqrt(wFar / 0.5), 14);
    expect(s.calendarViolations()).toEqual([]);
  });

  it('reports calendar arbitrage where a later slice has less variance, and where', () => {
    const crossing = { expiry: 3, time: 0.6, params: { a: 0.02, b: 0.1, rho: -0.3, m: 0, sigma: 0.2 } };
    const v = new VolSurface([near, far, crossing]).calendarViolations();
    expect(v).toHaveLength(1);
    expect(v[0]!.earlierTime).toBe(0.5);
    expect(v[0]!.laterTime).toBe(0.6);
    expect(v[0]!.laterW).toBeLessThan(v[0]!.earlierW);
  });
});
