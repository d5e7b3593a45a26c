import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPrice, formatSize, isValidPrice, isValidSize } from '../../../electron/venues/hyperliquid/order-format.ts';

describe("Hyperliquid's price and size rules (venues.md §1.5)", () => {
  it('reproduces the documented examples', () => {
    // BTC (szDecimals 5): at most one price decimal.
    expect(isValidPrice('1234.5', 5)).toBe(true);
    expect(isValidPrice('1234.56', 5)).toBe(false);
    expect(isValidPrice('123456', 5)).toBe(true);
    expect(isValidPrice('12345.6', 5)).toBe(false);
    expect(isValidPrice('0.001234', 0)).toBe(true);
    expect(isValidPrice('0.0012345', 0)).toBe(false);
    expect(isValidSize('1.001', 3)).toBe(true);
    expect(isValidSize('1.0001', 3)).toBe(false);
  });

  it('formats prices on the grid, as plain strings, rounding the way the caller asks', () => {
    expect(formatPrice(97_123.456, 5)).toBe('97123');
    expect(formatPrice(97_123.5, 5, 'up')).toBe('97124');
    expect(formatPrice(97_123.5, 5, 'down')).toBe('97123');
    expect(formatPrice(3_456.789, 4)).toBe('3456.8');
    expect(formatPrice(0.1 + 0.2, 2)).toBe('0.3');
    expect(formatPrice(1e-7 * 12345, 0)).toBe('0.001235');
    expect(formatPrice(9_999.96, 2, 'up')).toBe('10000');
    expect(formatPrice(1_234_567.89, 1)).toBe('1234568');
    expect(() => formatPrice(0, 5)).toThrow(RangeError);
    expect(() => formatPrice(Number.NaN, 5)).toThrow(RangeError);
    expect(() => formatPrice(1e-9, 5)).toThrow(/rounds to zero/);
  });

  it('formats sizes at szDecimals, down by default, never printing an exponent or a trailing zero', () => {
    expect(formatSize(0.123456, 5)).toBe('0.12345');
    expect(formatSize(0.3, 5)).toBe('0.3');
    expect(formatSize(1e-5, 5)).toBe('0.00001');
    expect(formatSize(2, 3)).toBe('2');
    expect(() => formatSize(0.000001, 5)).toThrow(/below the smallest step/);
  });

  it('whatever it is given, what it prints is valid on the venue and close to what was asked', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-4, max: 5e6, noNaN: true }), fc.integer({ min: 0, max: 5 }), fc.constantFrom('nearest', 'up', 'down' as const), (price, sz, mode) => {
        let wire: string;
        try {
          wire = formatPrice(price, sz, mode);
        } catch {
          return; // below this market's grid
        }
        expect(wire).not.toMatch(/e|\.$|\.\d*0$/);
        expect(isValidPrice(wire, sz)).toBe(true);
        const p = Number(wire);
        if (mode === 'up') expect(p).toBeGreaterThanOrEqual(price * (1 - 1e-12));
        if (mode === 'down') expect(p).toBeLessThanOrEqual(price * (1 + 1e-12));
        // Within one step of 5 significant figures (or of the decimal cap for small prices).
        expect(Math.abs(p - price)).toBeLessThanOrEqual(Math.max(price * 2e-4, 10 ** -(6 - sz)) * 1.0001);
      }),
      { numRuns: 5000, seed: 9 },
    );
  });
});
