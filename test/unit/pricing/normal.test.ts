import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { erf, erfc, normCdf, normInv } from '../../../electron/engine/pricing/normal.ts';

const reference = JSON.parse(readFileSync(new URL('../../fixtures/pricing-reference.json', import.meta.url), 'utf8')) as { normCdf: [number, string][] };

describe('normal CDF', () => {
  it('matches the published spot values', () => {
    // py_lets_be_rational test values (12 printed digits) and 40-digit values (pricing.md §9).
    expect(normCdf(0.302569738839)).toBeCloseTo(0.618891110513, 12);
    expect(normCdf(0.161148382602)).toBeCloseTo(0.564011732814, 12);
    expect(normCdf(0.626639629966119)).toBe(0.7345522576674526);
    expect(normCdf(-7) / 1.279812543885835e-12 - 1).toBeLessThan(1e-15);
    expect(Math.abs(normCdf(-5) / 2.866515718791939e-7 - 1)).toBeLessThan(1e-15);
  });

  it('keeps relative accuracy ≤ 1e-14 from −37 to 8 against 50-digit values', () => {
    let worst = 0;
    for (const [x, exact] of reference.normCdf) {
      const rel = Math.abs(normCdf(x) / Number(exact) - 1);
      worst = Math.max(worst, rel);
    }
    expect(worst).toBeLessThan(1e-14);
  });

  it('is monotone, symmetric and bounded', () => {
    let prev = 0;
    for (let x = -40; x <= 9; x += 0.01) {
      const p = normCdf(x);
      expect(p).toBeGreaterThanOrEqual(prev);
      expect(p).toBeLessThanOrEqual(1);
      prev = p;
    }
    for (const x of [0.1, 1, 3, 7]) expect(normCdf(x) + normCdf(-x)).toBeCloseTo(1, 15);
    expect(erf(0.3) + erfc(0.3)).toBeCloseTo(1, 15);
    expect(normCdf(-40)).toBe(0);
  });
});

describe('inverse normal CDF (AS241)', () => {
  it('matches published values and inverts Φ', () => {
    expect(Math.abs(normInv(1e-20) / -9.262340089798409 - 1)).toBeLessThan(1e-15);
    expect(Math.abs(normInv(1 - 1e-12) / 7.0344869100478356 - 1)).toBeLessThan(1e-15);
    // Lower tail only: above the median p = Φ(x) itself has lost the digits that carry x.
    for (let x = -37; x <= 0; x += 0.37) expect(Math.abs(normInv(normCdf(x)) - x)).toBeLessThan(1e-14 * Math.max(1, Math.abs(x)));
    for (const p of [1e-9, 0.001, 0.2, 0.5]) expect(normInv(1 - p) + normInv(p)).toBeCloseTo(0, 6);
  });

  it('answers the ends and refuses probabilities outside [0, 1]', () => {
    expect(normInv(0)).toBe(-Infinity);
    expect(normInv(1)).toBe(Infinity);
    expect(normInv(-0.1)).toBeNaN();
    expect(normInv(Number.NaN)).toBeNaN();
  });
});
