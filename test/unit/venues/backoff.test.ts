import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../electron/venues/common/backoff.ts';

describe('reconnect backoff', () => {
  const opts = { baseMs: 500, capMs: 15_000, floorMs: 100 };
  it('grows exponentially to the cap, with full jitter and a floor', () => {
    expect(backoffDelay(0, opts, () => 0.999)).toBe(499);
    expect(backoffDelay(3, opts, () => 0.999)).toBe(3996);
    expect(backoffDelay(20, opts, () => 0.999)).toBe(14_985);
    expect(backoffDelay(5, opts, () => 0)).toBe(100);
  });

  it('spreads clients out', () => {
    let seed = 1;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = Array.from({ length: 50 }, () => backoffDelay(4, opts, rnd));
    expect(new Set(delays).size).toBeGreaterThan(40);
  });
});
