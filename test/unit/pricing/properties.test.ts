import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOption, type Greeks, type OptionInput, type OptionKind } from '../../../electron/engine/pricing/black.ts';
import { impliedVol } from '../../../electron/engine/pricing/implied-vol.ts';

function g(input: OptionInput): Greeks {
  const r = priceOption(input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Markets where finite differences are meaningful: not at expiry, vol not vanishing. */
const market = fc.record({
  kind: fc.constantFrom<OptionKind>('call', 'put'),
  spot: fc.double({ min: 50, max: 200, noNaN: true }),
  strike: fc.double({ min: 60, max: 160, noNaN: true }),
  time: fc.double({ min: 0.02, max: 3, noNaN: true }),
  rate: fc.double({ min: -0.02, max: 0.1, noNaN: true }),
  carry: fc.double({ min: -0.05, max: 0.1, noNaN: true }),
  vol: fc.double({ min: 0.08, max: 1.5, noNaN: true }),
});

/** Five-point central difference (error ∝ h⁴) of a Greek along one input. */
function fd(input: OptionInput, field: 'spot' | 'vol' | 'time' | 'rate' | 'carry', pick: (x: Greeks) => number, h: number): number {
  const at = (k: number): number => pick(g({ ...input, [field]: input[field] + k * h }));
  return (-at(2) + 8 * at(1) - 8 * at(-1) + at(-2)) / (12 * h);
}

function close(actual: number, expected: number, scale: number, tol = 2e-5): boolean {
  return Math.abs(actual - expected) <= tol * Math.max(Math.abs(expected), scale);
}

describe('Greeks are the derivatives they claim to be (finite differences)', () => {
  it('first order: delta, vega, theta, rho, carry rho', () => {
    fc.assert(
      fc.property(market, (m) => {
        const x = g(m);
        const hS = 1e-4 * m.spot;
        expect(close(x.delta, fd(m, 'spot', (y) => y.price, hS), 1e-3)).toBe(true);
        expect(close(x.vega, fd(m, 'vol', (y) => y.price, 1e-5), 1e-2)).toBe(true);
        expect(close(x.theta, -fd(m, 'time', (y) => y.price, 1e-6), 1e-2)).toBe(true);
        expect(close(x.rho, fd(m, 'rate', (y) => y.price, 1e-6), 1e-2)).toBe(true);
        expect(close(x.carryRho, fd(m, 'carry', (y) => y.price, 1e-6), 1e-2)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('second and third order: gamma, vanna, volga, charm, speed, zomma, colour, veta', () => {
    fc.assert(
      fc.property(market, (m) => {
        const x = g(m);
        const hS = 1e-4 * m.spot;
        expect(close(x.gamma, fd(m, 'spot', (y) => y.delta, hS), 1e-4)).toBe(true);
        expect(close(x.vanna, fd(m, 'vol', (y) => y.delta, 1e-5), 1e-3)).toBe(true);
        expect(close(x.vanna, fd(m, 'spot', (y) => y.vega, hS), 1e-3)).toBe(true);
        expect(close(x.volga, fd(m, 'vol', (y) => y.vega, 1e-5), 1e-2)).toBe(true);
        expect(close(x.charm, -fd(m, 'time', (y) => y.delta, 1e-6), 1e-3)).toBe(true);
        expect(close(x.speed, fd(m, 'spot', (y) => y.gamma, hS), 1e-6)).toBe(true);
        expect(close(x.zomma, fd(m, 'vol', (y) => y.gamma, 1e-5), 1e-4)).toBe(true);
        expect(close(x.colour, -fd(m, 'time', (y) => y.gamma, 1e-6), 1e-4)).toBe(true);
        expect(close(x.veta, -fd(m, 'time', (y) => y.vega, 1e-6), 1e-2)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('no-arbitrage properties', () => {
  it('put-call parity: C − P = S·e^{(b−r)T} − K·e^{−rT}', () => {
    fc.assert(
      fc.property(market, (m) => {
        const c = g({ ...m, kind: 'call' });
        const p = g({ ...m, kind: 'put' });
        const parity = m.spot * Math.exp((m.carry - m.rate) * m.time) - m.strike * Math.exp(-m.rate * m.time);
        expect(Math.abs(c.price - p.price - parity)).toBeLessThan(1e-12 * Math.max(m.spot, m.strike));
        expect(Math.abs(c.delta - p.delta - Math.exp((m.carry - m.rate) * m.time))).toBeLessThan(1e-14);
      }),
      { numRuns: 500 },
    );
  });

  it('bounds and monotonicity: intrinsic ≤ value ≤ max, rising in vol, calls falling in strike', () => {
    fc.assert(
      fc.property(market, (m) => {
        const x = g(m);
        const fwd = m.spot * Math.exp((m.carry - m.rate) * m.time);
        const k = m.strike * Math.exp(-m.rate * m.time);
        const intrinsic = Math.max(m.kind === 'call' ? fwd - k : k - fwd, 0);
        expect(x.price).toBeGreaterThanOrEqual(intrinsic - 1e-12 * fwd);
        expect(x.price).toBeLessThanOrEqual((m.kind === 'call' ? fwd : k) * (1 + 1e-14));
        expect(g({ ...m, vol: m.vol * 1.01 }).price).toBeGreaterThanOrEqual(x.price);
        expect(x.gamma).toBeGreaterThanOrEqual(0);
        expect(x.vega).toBeGreaterThanOrEqual(0);
        if (m.kind === 'call') expect(g({ ...m, strike: m.strike * 1.01 }).price).toBeLessThanOrEqual(x.price);
      }),
      { numRuns: 500 },
    );
  });
});

describe('implied volatility round trips', () => {
  /** Out-of-the-money options from minutes to years, from the far wings to the money. */
  const otm = fc.record({
    kind: fc.constantFrom<OptionKind>('call', 'put'),
    logTime: fc.double({ min: Math.log(1e-5), max: Math.log(5), noNaN: true }),
    logVol: fc.double({ min: Math.log(0.01), max: Math.log(4), noNaN: true }),
    z: fc.double({ min: 0, max: 12, noNaN: true }),
  });

  it('IV(price(σ)) = σ to 1e-12 relative (1e-10 for prices below 1e-100)', () => {
    fc.assert(
      fc.property(otm, ({ kind, logTime, logVol, z }) => {
        const time = Math.exp(logTime);
        const vol = Math.exp(logVol);
        const s = vol * Math.sqrt(time);
        fc.pre(s <= 6);
        const F = 100;
        const K = F * Math.exp((kind === 'call' ? 1 : -1) * z * s);
        const p = g({ kind, spot: F, strike: K, time, rate: 0, carry: 0, vol }).price;
        fc.pre(p > 1e-300);
        const r = impliedVol({ kind, price: p, forward: F, strike: K, time });
        expect(r.status).toBe('ok');
        if (r.status === 'ok') expect(Math.abs(r.vol / vol - 1)).toBeLessThan(p < 1e-100 ? 1e-10 : 1e-12);
      }),
      { numRuns: 3000 },
    );
  });

  it('in-the-money options round-trip through parity within the precision their time value carries', () => {
    fc.assert(
      fc.property(otm, ({ kind, logTime, logVol, z }) => {
        const time = Math.exp(logTime);
        const vol = Math.exp(logVol);
        const s = vol * Math.sqrt(time);
        fc.pre(s <= 3 && z <= 4);
        const F = 100;
        const K = F * Math.exp((kind === 'call' ? -1 : 1) * z * s);
        const p = g({ kind, spot: F, strike: K, time, rate: 0, carry: 0, vol }).price;
        const intrinsic = Math.max(kind === 'call' ? F - K : K - F, 0);
        fc.pre(p - intrinsic > 1e-9 * p);
        const r = impliedVol({ kind, price: p, forward: F, strike: K, time });
        expect(r.status).toBe('ok');
        if (r.status === 'ok') expect(Math.abs(r.vol / vol - 1)).toBeLessThan(1e-13 * (p / (p - intrinsic)) + 1e-12);
      }),
      { numRuns: 2000 },
    );
  });
});
