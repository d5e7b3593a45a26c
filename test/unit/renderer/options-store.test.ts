import { describe, expect, it } from 'vitest';
import { ROW_FIELDS, ROW_STRIDE, type OptionContract } from '../../../shared/domain/options.ts';
import { rowValue, useOptionsStore } from '../../../renderer/src/stores/options-store.ts';

const contract = (row: number, strike: number, peer = false): OptionContract => ({
  row,
  name: `BTC-25DEC26-${strike}-C`,
  underlying: 'BTC',
  expiry: Date.UTC(2026, 11, 25, 8),
  strike,
  kind: 'call',
  settlement: 'inverse',
  tick: 0.0001,
  tickStepAbove: 0.005,
  tickAbove: 0.0005,
  minTradeAmount: 0.1,
  ...(peer ? { peer: { venue: 'derive' as const, name: `BTC-20261225-${strike}-C`, underlying: 'BTC' as const, expiry: Date.UTC(2026, 11, 25, 8), strike, kind: 'call' as const, settlement: 'linear' as const, tickUsd: 0.1, amountStep: 0.01, fee: { baseUsd: 0.5, rateOfIndex: 0.0003, premiumCap: 0.125 } } } : {}),
});

/** One stream row: the row index, then every field NaN but `mark`. */
function markRow(row: number, mark: number): Float64Array {
  const r = new Float64Array(ROW_STRIDE).fill(NaN);
  r[0] = row;
  r[1 + ROW_FIELDS.indexOf('mark')] = mark;
  return r;
}

describe('the options store', () => {
  it('a listing that only links a peer keeps every live value: a row that has not ticked since still shows its price', () => {
    const s = useOptionsStore.getState();
    s.setChain([contract(0, 100_000), contract(1, 110_000)], 1);
    useOptionsStore.getState().applyFrame({ rows: [markRow(0, 0.05), markRow(1, 0.02)], chainVersion: null, surfaces: [], mispricings: [] });
    useOptionsStore.getState().setChain([contract(0, 100_000, true), contract(1, 110_000)], 2);
    const { values, contracts } = useOptionsStore.getState();
    expect(contracts[0]!.peer?.venue).toBe('derive');
    expect(rowValue(values, 0, 'mark')).toBe(0.05);
    expect(rowValue(values, 1, 'mark')).toBe(0.02);
  });

  it('a listing that moves contracts to other rows (an expiry left, one joined) keeps each value with its contract, never on another', () => {
    useOptionsStore.getState().setChain([contract(0, 100_000), contract(1, 110_000)], 3);
    useOptionsStore.getState().applyFrame({ rows: [markRow(0, 0.05), markRow(1, 0.02)], chainVersion: null, surfaces: [], mispricings: [] });
    useOptionsStore.getState().setChain([contract(0, 90_000), contract(1, 100_000)], 4);
    const { values } = useOptionsStore.getState();
    expect(rowValue(values, 0, 'mark')).toBeNaN();
    expect(rowValue(values, 1, 'mark')).toBe(0.05);
  });

  it('rows numbered for a listing announced but not read yet wait for it, then land on their contracts', () => {
    useOptionsStore.getState().setChain([contract(0, 100_000), contract(1, 110_000)], 5);
    // The engine lists 90,000 first: 100,000 is row 1 now, and the stream says so before the page has read it.
    useOptionsStore.getState().applyFrame({ rows: [markRow(1, 0.07)], chainVersion: 6, surfaces: [], mispricings: [] });
    expect(rowValue(useOptionsStore.getState().values, 1, 'mark')).not.toBe(0.07);
    useOptionsStore.getState().setChain([contract(0, 90_000), contract(1, 100_000), contract(2, 110_000)], 6);
    const { values } = useOptionsStore.getState();
    expect(rowValue(values, 1, 'mark')).toBe(0.07);
    expect(rowValue(values, 2, 'mark')).not.toBe(0.07);
  });
});
