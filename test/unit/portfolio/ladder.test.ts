import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLadder, ladderPrices, niceStepAtLeast } from '../../../electron/engine/portfolio/ladder.ts';
import { niceStep } from '../../../electron/engine/portfolio/portfolio-desk.ts';
import { positionRisk } from '../../../electron/engine/risk/portfolio.ts';
import type { LadderInputs, RiskInput } from '../../../shared/domain/portfolio.ts';

const NOW = Date.UTC(2026, 10, 25, 12);
const DAY = 86_400_000;

const book: RiskInput[] = [
  { id: 'c', type: 'option', quantity: 5, kind: 'call', strike: 100_000, expiry: NOW + 30 * DAY, settlement: 'inverse', vol: 0.55, forward: 96_500 },
  { id: 'p', type: 'option', quantity: -8, kind: 'put', strike: 85_000, expiry: NOW + 9 * DAY, settlement: 'inverse', vol: 0.62, forward: 96_100 },
  { id: 'l', type: 'option', quantity: 2, kind: 'put', strike: 90_000, expiry: NOW + 60 * DAY, settlement: 'linear', vol: 0.5, forward: 97_000 },
  { id: 'h', type: 'perp', quantity: -3, entryPrice: 97_400, mark: 96_050 },
];
const spec = { underlying: 'BTC', step: 1000, rows: 41, volShift: -3, volStep: 5, days: 2, includeWhatIf: true };

/** The same scenario through the pricing core, one position at a time (value in USD, Greeks in the inputs' numeraire). */
function core(inputs: LadderInputs, price: number, volPoints: number, days: number) {
  const shift = { spot: price / inputs.spot - 1, volPoints, days };
  const sum = { value: 0, delta: 0, gamma: 0, vega: 0, theta: 0 };
  for (const p of inputs.positions) {
    const g = positionRisk({ ...p, underlying: 'BTC' }, { spot: inputs.spot }, inputs.computedAt, shift, inputs.numeraire);
    sum.value += g.valueUsd;
    sum.delta += g.deltaCoin;
    sum.gamma += g.gammaCoin;
    sum.vega += g.vegaUsd;
    sum.theta += g.thetaUsd;
  }
  return sum;
}

describe('payoff range', () => {
  it('lies on round prices covering at least −30 % … +30 % of spot, so the chart reads 70,000 / 75,000', () => {
    expect([0.7, 1.6, 2.1, 3, 4, 686, 96_000 / 100].map(niceStepAtLeast)).toEqual([1, 2, 2.5, 5, 5, 1000, 1000]);
    for (const spot of [96_020, 3_412.7, 1.2345]) {
      const { prices } = computeLadder({ computedAt: NOW, spec: { ...spec, step: spot / 100 }, spot, positions: book, numeraire: 'usd' }).payoff;
      const step = prices[1]! - prices[0]!;
      expect(step).toBeCloseTo(niceStepAtLeast(step * (1 - 1e-9)), 9);
      for (const p of prices) expect(Math.abs(p / step - Math.round(p / step))).toBeLessThan(1e-9);
      expect(prices[0]!).toBeLessThanOrEqual(spot * 0.7 + 1e-9);
      expect(prices.at(-1)!).toBeGreaterThanOrEqual(spot * 1.3 - 1e-9);
    }
  });
});

describe('Greeks ladder', () => {
  it.each(['usd', 'coin'] as const)('equals the pricing core in every cell, PnL in %s (against now, Greeks at the shifted scenario)', (numeraire) => {
    // Besides the book: a far wing, a deep in-the-money put, one that expires before the ladder's
    // days forward (at intrinsic there) and one with an hour left (the ladder's own kernel prices
    // the wings by the textbook formula: every cell still equals the core to a millionth of a dollar).
    const edges: RiskInput[] = [
      { id: 'w', type: 'option', quantity: 40, kind: 'call', strike: 180_000, expiry: NOW + 3 * DAY, settlement: 'inverse', vol: 0.5, forward: 96_030 },
      { id: 'd', type: 'option', quantity: -6, kind: 'put', strike: 150_000, expiry: NOW + 20 * DAY, settlement: 'inverse', vol: 0.6, forward: 96_300 },
      { id: 'e', type: 'option', quantity: 3, kind: 'call', strike: 96_000, expiry: NOW + DAY, settlement: 'inverse', vol: 0.5, forward: 96_020 },
      { id: 'h1', type: 'option', quantity: -2, kind: 'put', strike: 96_000, expiry: NOW + 3_600_000 + 2 * DAY, settlement: 'linear', vol: 0.45, forward: 96_020 },
    ];
    const inputs: LadderInputs = { computedAt: NOW, spec, spot: 96_020, positions: [...book, ...edges, { id: 'x', type: 'cash', quantity: 1.5 }], numeraire };
    const l = computeLadder(inputs);
    expect(l.numeraire).toBe(numeraire);
    const inBasis = (usd: number, price: number) => (numeraire === 'usd' ? usd : usd / price);
    const base = inBasis(core(inputs, inputs.spot, 0, 0).value, inputs.spot);
    for (let i = 0; i < spec.rows; i++) {
      const price = l.prices[i]!;
      const at = core(inputs, price, spec.volShift, spec.days);
      expect(l.columns.pnl[i]).toBeCloseTo(inBasis(at.value, price) - base, 6);
      expect(l.columns.pnlVolDown[i]).toBeCloseTo(inBasis(core(inputs, price, spec.volShift - spec.volStep, spec.days).value, price) - base, 6);
      expect(l.columns.pnlVolUp[i]).toBeCloseTo(inBasis(core(inputs, price, spec.volShift + spec.volStep, spec.days).value, price) - base, 6);
      expect(l.columns.deltaCoin[i]).toBeCloseTo(at.delta, 10);
      expect(l.columns.gammaCoin[i]).toBeCloseTo(at.gamma, 14);
      expect(l.columns.vegaUsd[i]).toBeCloseTo(at.vega, 8);
      expect(l.columns.thetaUsd[i]).toBeCloseTo(at.theta, 8);
    }
  });

  it('reads zero PnL at spot with no shift, and the perp moves one-for-one', () => {
    const perpOnly: LadderInputs = { computedAt: NOW, spec: { ...spec, volShift: 0, days: 0, step: 500 }, spot: 96_000, positions: [book[3]!], numeraire: 'usd' };
    const l = computeLadder(perpOnly);
    const mid = (spec.rows - 1) / 2;
    expect(l.prices[mid]).toBe(96_000);
    expect(l.columns.pnl[mid]).toBeCloseTo(0, 9);
    // A 500 USD index move moves the perp's mark by the same fraction.
    expect(l.columns.pnl[mid - 1]).toBeCloseTo(-3 * 96_050 * (500 / 96_000), 6);
    // …so its delta against the index is its size times mark ÷ index.
    expect(l.columns.deltaCoin[0]).toBeCloseTo((-3 * 96_050) / 96_000, 12);
  });

  it('values legs at the first expiry by intrinsic, the later ones with their time left', () => {
    const inputs: LadderInputs = { computedAt: NOW, spec: { ...spec, volShift: 0, days: 0 }, spot: 96_020, positions: book, numeraire: 'usd' };
    const l = computeLadder(inputs);
    const { prices, atExpiry, expiry } = l.payoff;
    expect(expiry).toBe(book[1]!.type === 'option' ? book[1]!.expiry : 0);
    const base = core(inputs, inputs.spot, 0, 0).value;
    const daysToExpiry = (expiry! - NOW) / DAY;
    for (const i of [0, 20, 40, 60, 80]) {
      expect(atExpiry[i]).toBeCloseTo(core(inputs, prices[i]!, 0, daysToExpiry).value - base, 5);
    }
    // Deep below the short put's strike at its expiry, that leg alone loses strike − price per coin.
    const lo = prices[0]!;
    const putAlone: LadderInputs = { ...inputs, positions: [book[1]!] };
    const base1 = core(putAlone, inputs.spot, 0, 0).value;
    expect(computeLadder(putAlone).payoff.atExpiry[0]).toBeCloseTo(-8 * (85_000 - lo * (96_100 / 96_020)) - base1, 4);
  });

  it('lays rows on round prices centred on spot, highest first', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.integer({ min: 2, max: 50 }), (spot, half) => {
        const step = niceStep(spot / 100);
        const p = ladderPrices(spot, step, 2 * half + 1);
        expect(Math.abs(p[half]! - spot)).toBeLessThanOrEqual(step / 2 + 1e-9 * spot);
        for (let i = 1; i < p.length; i++) expect(p[i - 1]! - p[i]!).toBeCloseTo(step, 6);
      }),
    );
    expect([0.7, 1.6, 3, 4, 8, 96_000 / 100].map(niceStep)).toEqual([0.5, 2, 2.5, 5, 10, 1000]);
  });
});
