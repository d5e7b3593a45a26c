import { describe, expect, it } from 'vitest';
import { packL2Book } from '../../../electron/venues/hyperliquid/book-parse.ts';
import { wireL2Book } from '../../../electron/venues/hyperliquid/wire-schemas.ts';

// The venue's documented example frame.
const example = {
  coin: 'BTC',
  time: 1754450974231,
  levels: [
    [
      { px: '113377.0', sz: '7.6699', n: 17 },
      { px: '113376.0', sz: '4.13714', n: 8 },
    ],
    [{ px: '113397.0', sz: '0.11543', n: 3 }],
  ],
};

describe('Hyperliquid l2Book parsing', () => {
  it('packs the documented example', () => {
    const packed = packL2Book(wireL2Book.parse(example));
    expect([...(packed as Float64Array)]).toEqual([2, 1, 113377, 7.6699, 17, 113376, 4.13714, 8, 113397, 0.11543, 3]);
  });

  it('rejects books whose sides are out of order', () => {
    const swapped = structuredClone(example);
    swapped.levels[0]!.reverse();
    expect(packL2Book(wireL2Book.parse(swapped))).toMatch(/bids not strictly descending/);
  });

  it('rejects non-decimal prices and negative sizes at the schema', () => {
    const bad = structuredClone(example);
    bad.levels[0]![0]!.px = '1e5';
    expect(wireL2Book.safeParse(bad).success).toBe(false);
    const neg = structuredClone(example);
    neg.levels[1]![0]!.sz = '-1';
    expect(wireL2Book.safeParse(neg).success).toBe(false);
  });
});
