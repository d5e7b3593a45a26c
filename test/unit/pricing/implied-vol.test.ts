/* eslint-disable no-loss-of-precision -- reference values are kept with every printed digit. */
import { describe, expect, it } from 'vitest';
import { impliedVol } from '../../../electron/engine/pricing/implied-vol.ts';

describe('implied volatility', () => {
  it('recovers the published round-trip vectors (pricing.md §2.3) to 1e-12 relative', () => {
    const rows: [number, number, number, number, 'call' | 'put', number][] = [
      [100, 100, 0.5, 0.2, 'call', 5.6371977797016627],
      [100, 150, 0.1, 0.2, 'call', 8.3505826925275246e-11],
      [100, 60, 0.25, 0.3, 'put', 0.00098310787763708187],
      [100, 100, 1e-8, 0.2, 'call', 0.00079788456078956733],
      [100, 120, 2.0, 3.0, 'call', 96.28962046137076],
      [100, 80, 0.5, 0.25, 'call', 20.777452262706307],
    ];
    for (const [F, K, T, vol, kind, price] of rows) {
      const r = impliedVol({ kind, price, forward: F, strike: K, time: T });
      expect(r.status, `${kind} K=${K} T=${T}`).toBe('ok');
      if (r.status === 'ok') {
        // The ITM row carries its information in a 0.78 time value of a 20.78 price.
        expect(Math.abs(r.vol / vol - 1), `${kind} K=${K} T=${T}`).toBeLessThan(K === 80 ? 1e-14 * 30 : 1e-12);
        expect(r.iterations).toBeLessThanOrEqual(6);
      }
    }
  });

  it('solves a 1e-300 price and matches the reference implementation', () => {
    const r = impliedVol({ kind: 'call', price: 1e-300, forward: 100, strike: 120, time: 0.5 });
    expect(r.status === 'ok' && Math.abs(r.vol / 0.006981343560866433 - 1)).toBeLessThan(1e-10);
  });

  it('reports zero time value, below-intrinsic and above-maximum as typed results', () => {
    expect(impliedVol({ kind: 'call', price: 20, forward: 100, strike: 80, time: 0.5 })).toEqual({ status: 'zero-time-value', vol: 0 });
    expect(impliedVol({ kind: 'call', price: 0, forward: 100, strike: 120, time: 0.5 })).toEqual({ status: 'zero-time-value', vol: 0 });
    const below = impliedVol({ kind: 'call', price: 19.99, forward: 100, strike: 80, time: 0.5 });
    expect(below.status).toBe('below-intrinsic');
    expect(impliedVol({ kind: 'call', price: 100, forward: 100, strike: 80, time: 0.5 }).status).toBe('above-maximum');
    expect(impliedVol({ kind: 'put', price: 80, forward: 100, strike: 80, time: 0.5 }).status).toBe('above-maximum');
    expect(impliedVol({ kind: 'put', price: -1, forward: 100, strike: 80, time: 0.5 }).status).toBe('below-intrinsic');
  });

  it('undiscounts quoted prices and validates inputs', () => {
    // Black-76 call F=20, K=20, r=0.09, σ=0.25, T=4/12 (Hull): 1.11664145656, discounted.
    const r = impliedVol({ kind: 'call', price: 1.11664145656, forward: 20, strike: 20, time: 4 / 12, rate: 0.09 });
    expect(r.status === 'ok' && Math.abs(r.vol - 0.25)).toBeLessThan(1e-10);
    for (const bad of [{ forward: 0 }, { strike: -1 }, { time: 0 }, { price: Number.NaN }, { rate: Infinity }]) {
      const res = impliedVol({ kind: 'call', price: 1, forward: 100, strike: 100, time: 1, ...bad });
      expect(res.status).toBe('invalid-input');
      if (res.status === 'invalid-input') expect(res.message).toContain(Object.keys(bad)[0]);
    }
  });
});
