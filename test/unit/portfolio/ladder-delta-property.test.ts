import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeLadder } from '../../../electron/engine/portfolio/ladder.ts';
import type { LadderInputs, Numeraire, RiskInput } from '../../../shared/domain/portfolio.ts';

/*
 * One honest delta: over random books (inverse and linear options, linear perps, Deribit's
 * inverse futures, coin collateral) and both numeraires, the ladder's Δ at every row is the
 * derivative of the PnL column beside it — checked against the column's own central difference.
 * In USD, Δ = ∂PnL/∂S; in coin, Δ = S·∂PnL/∂S (coins per 100 % move, so it adds up with coin
 * positions). Tolerance: 0.001 coin per coin of gross size, about 17 times the worst
 * finite-difference error measured on this grid (6e-5 per coin: a 3-day option at 15 % vol; rows
 * 0.05 % of spot apart).
 * The bug this guards against was a premium-adjusted delta beside a USD PnL: 0.39 BTC per 1 BTC
 * of options on the paper book.
 */
const NOW = Date.UTC(2026, 11, 2, 12);
const DAY = 86_400_000;
const SPOT = 96_000;
const TOL_PER_COIN = 0.001;

const holding: fc.Arbitrary<RiskInput> = fc.oneof(
  fc.record({
    id: fc.constant('o'),
    type: fc.constant('option' as const),
    quantity: fc.double({ min: -20, max: 20, noNaN: true }),
    kind: fc.constantFrom('call' as const, 'put' as const),
    strike: fc.integer({ min: 60, max: 140 }).map((k) => k * 1000),
    expiry: fc.integer({ min: 3, max: 200 }).map((d) => NOW + d * DAY),
    settlement: fc.constantFrom('inverse' as const, 'linear' as const),
    vol: fc.double({ min: 0.25, max: 1.2, noNaN: true }),
    forward: fc.double({ min: SPOT * 0.99, max: SPOT * 1.03, noNaN: true }),
  }),
  fc.record({
    id: fc.constant('p'),
    type: fc.constant('perp' as const),
    quantity: fc.double({ min: -20, max: 20, noNaN: true }),
    entryPrice: fc.integer({ min: 80_000, max: 110_000 }),
    mark: fc.double({ min: SPOT * 0.998, max: SPOT * 1.002, noNaN: true }),
  }),
  fc
    .record({ usd: fc.integer({ min: -2_000_000, max: 2_000_000 }), entryPrice: fc.integer({ min: 80_000, max: 110_000 }), mark: fc.double({ min: SPOT * 0.998, max: SPOT * 1.002, noNaN: true }) })
    .map(({ usd, entryPrice, mark }): RiskInput => ({ id: 'f', type: 'perp', quantity: usd / mark, entryPrice, mark, inverseUsd: usd })),
  fc.record({ id: fc.constant('c'), type: fc.constant('cash' as const), quantity: fc.double({ min: 0, max: 20, noNaN: true }) }),
);

const gross = (book: RiskInput[]) => book.reduce((a, p) => a + Math.abs(p.quantity), 0);

describe('the ladder delta is the derivative of its PnL', () => {
  it('row by row, in USD and in coin, over random books', () => {
    fc.assert(
      fc.property(fc.array(holding, { minLength: 1, maxLength: 12 }), fc.constantFrom<Numeraire>('usd', 'coin'), fc.integer({ min: -10, max: 10 }), (book, numeraire, volShift) => {
        const inputs: LadderInputs = {
          computedAt: NOW,
          spot: SPOT,
          numeraire,
          positions: book,
          spec: { underlying: 'BTC', step: SPOT * 0.0005, rows: 41, volShift, volStep: 5, days: 0, includeWhatIf: true },
        };
        const l = computeLadder(inputs);
        const h = inputs.spec.step;
        const tol = TOL_PER_COIN * Math.max(1, gross(book));
        for (let i = 1; i < inputs.spec.rows - 1; i++) {
          const S = l.prices[i]!;
          // Rows are highest first.
          const slope = (l.columns.pnl[i - 1]! - l.columns.pnl[i + 1]!) / (2 * h);
          const fromPnl = numeraire === 'usd' ? slope : S * slope;
          expect(Math.abs(l.columns.deltaCoin[i]! - fromPnl)).toBeLessThanOrEqual(tol);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('counts coin collateral as delta in USD and as none in coin', () => {
    const inputs = (numeraire: Numeraire): LadderInputs => ({
      computedAt: NOW,
      spot: SPOT,
      numeraire,
      positions: [{ id: 'c', type: 'cash', quantity: 10 }],
      spec: { underlying: 'BTC', step: 1000, rows: 5, volShift: 0, volStep: 5, days: 0, includeWhatIf: true },
    });
    const usd = computeLadder(inputs('usd'));
    expect([...usd.columns.deltaCoin]).toEqual([10, 10, 10, 10, 10]);
    expect(usd.columns.pnl[0]).toBeCloseTo(10 * 2000, 9);
    const coin = computeLadder(inputs('coin'));
    for (const d of coin.columns.deltaCoin) expect(d).toBeCloseTo(0, 12);
    for (const p of coin.columns.pnl) expect(p).toBeCloseTo(0, 12);
  });
});
