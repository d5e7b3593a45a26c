import { describe, expect, it } from 'vitest';
import { ROW_FIELDS, F, type OptionContract, type SmileSlice } from '../../../shared/domain/options.ts';
import { smileSeries, termStructure } from '../../../renderer/src/features/chain/smile-data.ts';
import { strikeRows, atmStrike, stepStrike } from '../../../renderer/src/features/chain/chain-model.ts';

const expiry = Date.UTC(2027, 2, 26, 8);
const c = (row: number, strike: number, kind: 'call' | 'put'): OptionContract => ({
  row, name: `BTC-26MAR27-${strike}-${kind === 'call' ? 'C' : 'P'}`, underlying: 'BTC', expiry, strike, kind, settlement: 'inverse', tick: 0.0001, tickStepAbove: 0.005, tickAbove: 0.0005, minTradeAmount: 0.1,
});

describe('smile data for the chart', () => {
  const strikes = [80_000, 90_000, 95_000, 100_000, 105_000, 110_000, 130_000];
  const contracts = strikes.flatMap((k, i) => [c(2 * i, k, 'call'), c(2 * i + 1, k, 'put')]);
  const values = new Float64Array(contracts.length * ROW_FIELDS.length).fill(NaN);
  for (const x of contracts) {
    values[x.row * ROW_FIELDS.length + F.markIv - 1] = x.kind === 'call' ? 0.5 : 0.55;
    values[x.row * ROW_FIELDS.length + F.bidIv - 1] = 0.48;
  }
  const slice: SmileSlice = { expiry, time: 0.33, forward: 100_000, a: 0.06, b: 0.1, rho: -0.3, m: 0, sigma: 0.2, rmsIvError: 0, quotes: 7 };
  const rows = strikeRows(contracts, 'BTC', expiry);

  it('puts every series on one evenly spaced strike grid, so uneven strikes stay in proportion', () => {
    const s = smileSeries(rows, values, slice, 100_000);
    const xs = new Set(s.curve.map((p) => p.time));
    for (const p of [...s.mark, ...s.bid]) expect(xs.has(p.time)).toBe(true);
    const gaps = s.curve.slice(1).map((p, i) => p.time - s.curve[i]!.time);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeLessThan(1e-6);
    expect(s.curve[0]!.time).toBe(80_000);
    expect(s.curve[s.curve.length - 1]!.time).toBeCloseTo(130_000, 6);
  });

  it('shows the out-of-the-money option at each strike: puts below the forward, calls above', () => {
    const s = smileSeries(rows, values, slice, 100_000);
    expect(s.mark.filter((p) => p.time < 100_000).every((p) => Math.abs(p.value - 55) < 1e-9)).toBe(true);
    expect(s.mark.filter((p) => p.time >= 100_000).every((p) => Math.abs(p.value - 50) < 1e-9)).toBe(true);
  });

  it('draws no curve before the first fit, and the ATM term structure from the slices', () => {
    expect(smileSeries(rows, values, undefined, 100_000).curve).toEqual([]);
    const ts = termStructure([slice]);
    expect(ts[0]!.days).toBeCloseTo(0.33 * 365, 9);
    expect(ts[0]!.iv).toBeCloseTo(Math.sqrt((0.06 + 0.1 * 0.2) / 0.33) * 100, 9);
  });

  it('starts the strike cursor at the money and stops at the ends of the chain', () => {
    const atm = atmStrike(rows, 101_000);
    expect(atm).toBe(100_000);
    expect(stepStrike(rows, null, atm, 1)).toBe(105_000);
    expect(stepStrike(rows, 130_000, atm, 1)).toBe(130_000);
    expect(stepStrike(rows, 80_000, atm, -1)).toBe(80_000);
  });

  it('moves a cursor left on a strike this expiry does not list to the nearest listed one, not the middle', () => {
    const atm = atmStrike(rows, 101_000);
    expect(stepStrike(rows, 126_000, atm, 1)).toBe(130_000);
    expect(stepStrike(rows, 84_000, atm, -1)).toBe(80_000);
  });
});
