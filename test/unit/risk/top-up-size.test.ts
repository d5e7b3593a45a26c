import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { equityForDistance, liquidationDistance, liquidationPrice } from '../../../shared/domain/liquidation.ts';

/* How much margin puts liquidation a chosen distance away: the inverse of the liquidation price. */
describe('equity for a liquidation distance', () => {
  it('puts the liquidation price exactly that far from the mark, long or short, isolated or cross', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 50, noNaN: true }).chain((s) => fc.constantFrom(s, -s)),
        fc.double({ min: 10, max: 200_000, noNaN: true }),
        fc.constantFrom(3, 5, 10, 20, 25, 40, 50),
        fc.double({ min: 0.01, max: 0.6, noNaN: true }),
        fc.double({ min: 0, max: 50_000, noNaN: true }),
        (size, mark, maxLeverage, d, otherMaintenance) => {
          const input = { size, mark, maxLeverage, otherMaintenance };
          const equity = equityForDistance(input, d)!;
          const liq = liquidationPrice({ ...input, equity });
          expect(liq).not.toBeNull();
          expect(Math.abs(liquidationDistance({ ...input, equity }, 0.5)!.pct)).toBeCloseTo(d, 9);
        },
      ),
      { numRuns: 500, seed: 5 },
    );
  });

  it('an ETH short of 20 on 5× isolated: margin for 25 % away', () => {
    // 20 ETH short at $3,000, max leverage 25 (maintenance 2 %): liquidation at $3,750 needs
    // 3,000 · 0.25 · 20 · 1.02 + 20 · 3,000 · 0.02 = 15,300 + 1,200 = $16,500 of margin with its PnL.
    expect(equityForDistance({ size: -20, mark: 3_000, maxLeverage: 25 }, 0.25)).toBeCloseTo(16_500, 6);
    expect(equityForDistance({ size: 0, mark: 3_000, maxLeverage: 25 }, 0.25)).toBeNull();
  });
});
