/* eslint-disable no-loss-of-precision -- reference values are kept with every printed digit. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { black76, priceOption, type OptionKind } from '../../../electron/engine/pricing/black.ts';
import { inverseOption } from '../../../electron/engine/pricing/inverse.ts';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/pricing-reference.json', import.meta.url), 'utf8')) as {
  black76: { kind: OptionKind; F: number; K: number; T: number; sigma: number; price: string }[];
};

function bsm(kind: OptionKind, S: number, K: number, T: number, r: number, q: number, vol: number) {
  const res = priceOption({ kind, spot: S, strike: K, time: T, rate: r, carry: r - q, vol });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
}

const rel = (a: number, b: number): number => Math.abs(a / b - 1);

describe('Black-Scholes-Merton against published values', () => {
  it('Hull example 15.6 and the Greeks-chapter example (40-digit values)', () => {
    expect(rel(bsm('call', 42, 40, 0.5, 0.1, 0, 0.2).price, 4.75942239287)).toBeLessThan(1e-11);
    expect(rel(bsm('put', 42, 40, 0.5, 0.1, 0, 0.2).price, 0.8085993729)).toBeLessThan(1e-9);
    const c = bsm('call', 49, 50, 0.3846, 0.05, 0, 0.2);
    expect(rel(c.price, 2.400461087)).toBeLessThan(1e-9);
    expect(rel(c.delta, 0.521601634)).toBeLessThan(1e-9);
    expect(rel(c.gamma, 0.06554537725)).toBeLessThan(1e-9);
    expect(rel(c.vega, 12.10524275)).toBeLessThan(1e-9);
    expect(rel(c.theta, -4.305389965)).toBeLessThan(1e-9);
    // Stock rho: the carry moves with the rate.
    expect(rel(c.rho + c.carryRho, 8.906574099)).toBeLessThan(1e-9);
    expect(rel(bsm('put', 49, 50, 0.3846, 0.05, 0, 0.2).theta, -1.853005672)).toBeLessThan(1e-9);
  });

  it('Haug values as in QuantLib testValues (computed column, 1e-10 relative)', () => {
    const rows: [OptionKind, number, number, number, number, number, number, number][] = [
      ['call', 65, 60, 0, 0.08, 0.25, 0.3, 2.13336844492],
      ['put', 95, 100, 0.05, 0.1, 0.5, 0.2, 2.46478764676],
      ['put', 19, 19, 0.1, 0.1, 0.75, 0.28, 1.70105072524],
      ['call', 19, 19, 0.1, 0.1, 0.75, 0.28, 1.70105072524],
      ['call', 1.6, 1.56, 0.08, 0.06, 0.5, 0.12, 0.02909925315],
      ['put', 70, 75, 0.05, 0.1, 0.5, 0.35, 4.086953829],
      ['call', 100, 90, 0.1, 0.1, 0.1, 0.15, 0.02049014854],
      ['call', 100, 100, 0.1, 0.1, 0.1, 0.15, 1.873344573],
      ['call', 100, 110, 0.1, 0.1, 0.1, 0.15, 9.941277395],
      ['call', 100, 90, 0.1, 0.1, 0.5, 0.35, 4.932877431],
      ['put', 100, 110, 0.1, 0.1, 0.5, 0.35, 5.796305516],
      ['put', 100, 90, 0.1, 0.1, 0.1, 0.15, 9.920988486],
      ['call', 40, 42, 0.08, 0.04, 0.75, 0.35, 5.097547718],
    ];
    for (const [kind, K, S, q, r, t, vol, expected] of rows) {
      expect(rel(bsm(kind, S, K, t, r, q, vol).price, expected), `${kind} K=${K} S=${S}`).toBeLessThan(1e-9);
    }
  });

  it('Haug Greek examples (QuantLib testGreekValues)', () => {
    const d = bsm('call', 105, 100, 0.5, 0.1, 0.1, 0.36);
    expect(rel(d.delta, 0.5946286597)).toBeLessThan(1e-9);
    expect(rel(bsm('put', 105, 100, 0.5, 0.1, 0.1, 0.36).delta, -0.3566007648)).toBeLessThan(1e-9);
    const g = bsm('call', 55, 60, 0.75, 0.1, 0, 0.3);
    expect(rel(g.gamma, 0.0278211604769)).toBeLessThan(1e-11);
    expect(rel(g.vega, 18.9357773496)).toBeLessThan(1e-11);
    expect(rel(bsm('put', 430, 405, 0.0833, 0.07, 0.05, 0.2).theta, -31.1923670565)).toBeLessThan(1e-10);
    const rho = bsm('call', 72, 75, 1, 0.09, 0, 0.19);
    expect(rel(rho.rho + rho.carryRho, 38.7325050173)).toBeLessThan(1e-10);
    // Dividend rho (phi) = −∂V/∂q = −carryRho.
    expect(rel(-bsm('put', 500, 490, 0.25, 0.08, 0.05, 0.15).carryRho, 42.2253633691)).toBeLessThan(1e-10);
  });

  it('py_vollib / vollib-ts BSM Greeks (1e-12 in their units)', () => {
    const c = bsm('call', 100, 95, 0.5, 0.1, 0.05, 0.2);
    const p = bsm('put', 100, 95, 0.5, 0.1, 0.05, 0.2);
    expect(c.delta).toBeCloseTo(0.71112831239226, 12);
    expect(p.delta).toBeCloseTo(-0.2641815996360726, 12);
    expect(c.theta / 365).toBeCloseTo(-0.019618241284967603, 12);
    expect(p.theta / 365).toBeCloseTo(-0.008220624921638506, 12);
    expect(c.gamma).toBeCloseTo(0.022839574296269996, 12);
    expect(c.vega / 100).toBeCloseTo(0.2283957429627, 12);
    expect((c.rho + c.carryRho) / 100).toBeCloseTo(0.3074192385860237, 12);
    expect((p.rho + p.carryRho) / 100).toBeCloseTo(-0.1444147380518154, 12);
    expect(rel(c.price, 9.6289835220213)).toBeLessThan(1e-12);
  });

  it('Black-76 examples (Hull; py_vollib)', () => {
    const h = black76('call', 20, 20, 4 / 12, 0.25, 0.09);
    expect(h.ok && rel(h.value.price, 1.11664145656)).toBeLessThan(1e-10);
    const v = black76('call', 100, 100, 0.5, 0.2, 0.02);
    expect(v.ok && rel(v.value.price, 5.5811067246048104)).toBeLessThan(1e-14);
    const g = black76('call', 49, 50, 0.3846, 0.2, 0.05);
    if (!g.ok) throw new Error();
    expect(g.value.delta).toBeCloseTo(0.45107017482201828, 14);
    expect(g.value.gamma).toBeCloseTo(0.0640646705882, 12);
    expect(g.value.vega / 100).toBeCloseTo(0.118317785624, 12);
    expect(g.value.theta / 365).toBeCloseTo(-0.00816236877462, 12);
    expect(g.value.rho / 100).toBeCloseTo(-0.0074705380059582258, 14);
  });

  it('prices the whole reference grid, tails included, to 1e-13 relative', () => {
    let worst = 0;
    for (const row of reference.black76) {
      const r = black76(row.kind, row.F, row.K, row.T, row.sigma);
      if (!r.ok) throw new Error(r.error.message);
      worst = Math.max(worst, rel(r.value.price, Number(row.price)));
    }
    expect(reference.black76.length).toBeGreaterThan(250);
    expect(worst).toBeLessThan(1e-13);
  });
});

describe('limits and bad inputs', () => {
  it('prices expiry and zero vol at intrinsic, with finite Greeks', () => {
    for (const [time, vol] of [
      [0, 0.5],
      [0.5, 0],
      [1e-30, 1e-30],
    ] as const) {
      for (const kind of ['call', 'put'] as const) {
        for (const S of [90, 100, 110]) {
          const g = bsm(kind, S, 100, time, 0.05, 0.05, vol);
          for (const [k, v] of Object.entries(g)) expect(Number.isFinite(v), `${kind} S=${S} ${k}`).toBe(true);
          // r = q = 0.05: the forward equals spot, and both legs are discounted.
          const df = Math.exp(-0.05 * time);
          const intrinsic = Math.max(kind === 'call' ? (S - 100) * df : (100 - S) * df, 0);
          expect(g.price).toBeCloseTo(intrinsic, 10);
        }
      }
    }
    expect(bsm('call', 100, 100, 0, 0, 0, 0.3).delta).toBe(0.5);
  });

  it('returns typed errors naming the field', () => {
    const bad = [
      { spot: -1 },
      { strike: 0 },
      { time: -0.1 },
      { vol: -0.2 },
      { vol: Number.NaN },
      { rate: Infinity },
    ];
    for (const b of bad) {
      const r = priceOption({ kind: 'call', spot: 100, strike: 100, time: 1, rate: 0, carry: 0, vol: 0.5, ...b });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.field).toBe(Object.keys(b)[0]);
    }
    expect(priceOption({ kind: 'straddle' as OptionKind, spot: 1, strike: 1, time: 1, rate: 0, carry: 0, vol: 1 }).ok).toBe(false);
  });
});

describe('inverse (coin-settled) options', () => {
  it('reproduces the Deribit-style example: price in coin and premium-adjusted delta', () => {
    const r = inverseOption('call', 60_000, 70_000, 30 / 365, 0.6);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.priceUsd).toBeCloseTo(1124.963, 2);
    expect(r.value.priceCoin).toBeCloseTo(0.0187494, 7);
    expect(r.value.deltaBs).toBeCloseTo(0.2089295, 7);
    expect(r.value.deltaCoin).toBeCloseTo(0.1901801, 7);
  });
});
