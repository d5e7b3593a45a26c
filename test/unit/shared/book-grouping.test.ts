import { describe, expect, it } from 'vitest';
import { aggregationFor, aggregationStep, onAggregationGrid } from '../../../shared/domain/book-grouping.ts';

/*
 * The venue's own grouping (l2Book nSigFigs/mantissa): the step each aggregation has at a price,
 * which grouping of the screen it serves, and the grid its prices lie on.
 */
describe('venue book aggregation', () => {
  it('steps by significant figures at the price’s magnitude, exactly in decimal', () => {
    const at = (price: number, nSigFigs: 2 | 3 | 4 | 5, mantissa: 2 | 5 | null = null) => aggregationStep(price, { nSigFigs, mantissa });
    expect([at(97_123, 5), at(97_123, 5, 2), at(97_123, 5, 5), at(97_123, 4), at(97_123, 3), at(97_123, 2)]).toEqual([1, 2, 5, 10, 100, 1000]);
    expect([at(3_512.4, 5), at(3_512.4, 4), at(3_512.4, 2)]).toEqual([0.1, 1, 100]);
    expect(at(0.4213, 4)).toBe(0.0001);
    // At an exact power of ten the magnitude is the power's own (log10 may land a hair under).
    expect(at(1000, 2)).toBe(100);
    expect(at(999.9, 2)).toBe(10);
    expect(at(100_000, 5)).toBe(10);
    expect(at(99_999, 5)).toBe(1);
  });

  it('serves each grouping the venue aggregates at, and none it does not', () => {
    expect(aggregationFor(97_123, 100, 1)).toEqual({ nSigFigs: 3, mantissa: null });
    expect(aggregationFor(97_123, 5, 1)).toEqual({ nSigFigs: 5, mantissa: 5 });
    expect(aggregationFor(3_512.4, 0.2, 0.1)).toEqual({ nSigFigs: 5, mantissa: 2 });
    // Float steps from tick × grouping still match (0.1 × 3 is not 0.3 in binary).
    expect(aggregationFor(3_512.4, 0.1 * 10, 0.1)).toEqual({ nSigFigs: 4, mantissa: null });
    // The tick itself is the raw book; 25 and 50 ticks are not the venue's steps.
    expect(aggregationFor(97_123, 1, 1)).toBeNull();
    expect(aggregationFor(97_123, 25, 1)).toBeNull();
    expect(aggregationFor(97_123, 50, 1)).toBeNull();
    expect(aggregationFor(0, 100, 1)).toBeNull();
  });

  it('puts prices on the grid at their magnitude or the touch’s, so a side crossing a power of ten passes', () => {
    const agg = { nSigFigs: 2, mantissa: null } as const;
    expect(onAggregationGrid(97_000, agg, 97_000)).toBe(true);
    expect(onAggregationGrid(97_100, agg, 97_000)).toBe(false);
    // Above 100,000 the venue's step is 10,000; a book grouped at the touch's 1,000 passes too.
    expect(onAggregationGrid(110_000, agg, 97_000)).toBe(true);
    expect(onAggregationGrid(101_000, agg, 97_000)).toBe(true);
    expect(onAggregationGrid(101_500, agg, 97_000)).toBe(false);
    expect(onAggregationGrid(3_512.3, { nSigFigs: 5, mantissa: null }, 3_512.4)).toBe(true);
  });
});
