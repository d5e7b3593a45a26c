import { describe, expect, it } from 'vitest';
import { deribitLiquidation, marginsAt, type DeribitLeg } from '../../../electron/engine/risk/deribit-margin.ts';
import { positionRisk } from '../../../electron/engine/risk/portfolio.ts';

/*
 * Deribit standard margin of an inverse options book (venues-trading.md D14) and the price where it
 * liquidates (issue "Monitoring", item 2): a book of short puts on coin margin has a liquidation
 * price below spot, and there maintenance margin equals equity.
 */
const now = Date.UTC(2026, 11, 1, 8);
const expiry = Date.UTC(2026, 11, 25, 8);
const spot = 100_000;
const put = (quantity: number, strike: number): DeribitLeg => ({ input: { id: `p${strike}`, underlying: 'BTC', type: 'option', quantity, kind: 'put', strike, expiry, settlement: 'inverse', vol: 0.55, forward: spot } });
const call = (quantity: number, strike: number): DeribitLeg => ({ input: { id: `c${strike}`, underlying: 'BTC', type: 'option', quantity, kind: 'call', strike, expiry, settlement: 'inverse', vol: 0.55, forward: spot } });
const coinMark = (l: DeribitLeg, u: number) => positionRisk({ ...l.input, quantity: 1 }, { spot, forward: spot }, now, { spot: u / spot - 1, volPoints: 0, days: 0 }).valueUsd / u;

describe('Deribit standard margin', () => {
  it('a short put: maintenance 0.075 + mark per contract, initial max(0.15 − OTM/U, 0.1) + mark; a long option adds none', () => {
    const short = put(-10, 90_000);
    const m = marginsAt([short, call(5, 110_000)], 2, spot, now, 0);
    const mark = coinMark(short, spot);
    expect(m.maintenanceCoin).toBeCloseTo(10 * (0.075 + mark), 12);
    expect(m.initialCoin).toBeCloseTo(10 * (Math.max(0.15 - 10_000 / spot, 0.1) + mark), 12);
    expect(m.equityCoin).toBe(2);
  });

  it('a perpetual: coins × (1 % + coins × k) maintenance, (2 % + coins × k) initial, at its mark', () => {
    const perp: DeribitLeg = { input: { id: 'perp', underlying: 'BTC', type: 'perp', quantity: -1, entryPrice: spot, mark: spot, inverseUsd: -100_000 } };
    const m = marginsAt([perp], 1, spot, now, 0);
    expect(m.maintenanceCoin).toBeCloseTo(1 * (0.01 + 0.00005), 12);
    expect(m.initialCoin).toBeCloseTo(1 * (0.02 + 0.00005), 12);
    // Up 10 %: the short loses N·(1/m₀ − 1/m) = −100,000 × (1/100,000 − 1/110,000) coin.
    expect(marginsAt([perp], 1, spot, now, 0.1).equityCoin).toBeCloseTo(1 - 100_000 * (1 / 100_000 - 1 / 110_000), 12);
  });

  it('short puts on coin margin liquidate below spot, where maintenance margin has grown to equity', () => {
    const book = [put(-20, 90_000)];
    const equity = 3;
    const { below, above } = deribitLiquidation(book, equity, spot, now);
    expect(below).not.toBeNull();
    expect(below!).toBeLessThan(spot);
    const at = marginsAt(book, equity, spot, now, below! / spot - 1);
    expect(at.maintenanceCoin / at.equityCoin).toBeCloseTo(1, 2);
    // Just above it the account is still standing.
    const safe = marginsAt(book, equity, spot, now, (below! * 1.01) / spot - 1);
    expect(safe.maintenanceCoin).toBeLessThan(safe.equityCoin);
    // Far up the puts are worthless and margin is 0.075 a contract: 1.5 coin, under the equity.
    expect(above).toBeNull();
  });

  it('no short option and no perp: nothing to liquidate; already under water: no price, not a made-up one', () => {
    expect(deribitLiquidation([call(5, 110_000)], 1, spot, now)).toEqual({ below: null, above: null });
    expect(deribitLiquidation([put(-100, 90_000)], 0.1, spot, now)).toEqual({ below: null, above: null });
  });
});
