import { describe, expect, it } from 'vitest';
import { priceDecimalsAt, tickAt } from '../../../shared/domain/instruments.ts';
import { decimalsOf, formatCompact, formatFixed, formatPercent } from '../../../shared/format/numbers.ts';

// Hyperliquid perps: 5 significant figures, at most 6 − szDecimals decimals.
const btc = { maxPriceDecimals: 1, priceSigFigs: 5 }; // szDecimals 5
const eth = { maxPriceDecimals: 2, priceSigFigs: 5 }; // szDecimals 4
const small = { maxPriceDecimals: 6, priceSigFigs: 5 }; // szDecimals 0

describe('venue price precision', () => {
  it('follows significant figures and the decimal cap', () => {
    expect(priceDecimalsAt(97_000, btc)).toBe(0);
    expect(tickAt(97_000, btc)).toBe(1);
    expect(priceDecimalsAt(9_700, btc)).toBe(1);
    expect(priceDecimalsAt(3_650, eth)).toBe(1);
    expect(priceDecimalsAt(365, eth)).toBe(2);
    expect(priceDecimalsAt(0.001234, small)).toBe(6);
    expect(priceDecimalsAt(123_456, small)).toBe(0);
  });

  it('falls back to the cap for a missing price', () => {
    expect(priceDecimalsAt(0, eth)).toBe(2);
    expect(priceDecimalsAt(Number.NaN, eth)).toBe(2);
  });
});

describe('display formatting', () => {
  it('formats fixed, compact and percent values', () => {
    expect(formatFixed(97012.5, 1)).toBe('97,012.5');
    expect(formatFixed(Number.NaN, 2)).toBe('–');
    expect(formatCompact(1_234_567)).toBe('1.23M');
    expect(formatCompact(45_600)).toBe('45.6K');
    expect(formatCompact(980)).toBe('980');
    expect(formatPercent(-0.004)).toBe('−0.40 %');
    expect(decimalsOf(0.1)).toBe(1);
    expect(decimalsOf(0.01)).toBe(2);
    expect(decimalsOf(5)).toBe(0);
  });
});
