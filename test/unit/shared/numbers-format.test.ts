import { describe, expect, it } from 'vitest';
import { formatFixedBelow } from '../../../shared/format/numbers.ts';

/* A column sized for "9.8 vol pt" and "98": the figure that rounds up to the limit drops its decimals too. */
describe('decimals below a limit', () => {
  it('decides on the rounded figure', () => {
    expect(formatFixedBelow(9.94, 10, 1)).toBe('9.9');
    expect(formatFixedBelow(9.97, 10, 1)).toBe('10');
    expect(formatFixedBelow(12.4, 10, 1)).toBe('12');
    expect(formatFixedBelow(99.996, 100, 2)).toBe('100');
    expect(formatFixedBelow(99.994, 100, 2)).toBe('99.99');
    expect(formatFixedBelow(-9.97, 10, 1)).toBe('-10');
  });
});
