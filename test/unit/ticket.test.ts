import { describe, expect, it } from 'vitest';
import { liquidationPrice } from '../../shared/domain/liquidation.ts';
import { projectLevels, projectPerp, walkBook, type PerpContext } from '../../shared/domain/ticket.ts';

const asks = [
  { price: 100, size: 1 },
  { price: 101, size: 2 },
  { price: 103, size: 5 },
];
const ctx: PerpContext = { mark: 100, position: 0, equity: 60, otherMaintenance: 0, maxLeverage: 50, leverage: 10, cross: true, bookDelta: 0.5, fees: { taker: 0.00045, maker: 0.00015 } };

describe('walking the book', () => {
  it('fills level by level at the volume-weighted price and stops at the limit', () => {
    expect(walkBook(asks, 'buy', 2, null)).toEqual({ filled: 2, unfilled: 0, avgPrice: 100.5, worstPrice: 101, levelsTaken: 2 });
    const limited = walkBook(asks, 'buy', 10, 101);
    expect(limited).toMatchObject({ filled: 3, unfilled: 7, worstPrice: 101 });
    expect(limited.avgPrice).toBeCloseTo((100 + 2 * 101) / 3, 12);
    expect(walkBook(asks, 'buy', 1, 99)).toMatchObject({ filled: 0, avgPrice: null, levelsTaken: 0 });
    // Bids are best first downwards: a sell limit stops below it.
    expect(walkBook([{ price: 99, size: 1 }, { price: 98, size: 1 }], 'sell', 2, 98.5)).toMatchObject({ filled: 1, avgPrice: 99 });
  });
});

describe('projecting a perp fill', () => {
  it('a buy from flat: position, delta, margin, fee and the liquidation the venue formula gives', () => {
    const p = projectPerp(ctx, 'buy', 2, 100.5, true, 99.5);
    expect(p.positionAfter).toBe(2);
    expect(p.deltaAfter).toBeCloseTo(2.5, 12);
    expect(p.feeUsd).toBeCloseTo(2 * 100.5 * 0.00045, 12);
    expect(p.marginAfterUsd).toBeCloseTo((2 * 100) / 10, 12);
    expect(p.slippageBps).toBeCloseTo((1 / 99.5) * 1e4, 9);
    // Equity after: the fee and the 0.5 paid over mark on two coins come off.
    const equityAfter = 60 - p.feeUsd - 2 * 0.5;
    expect(p.liqAfter).toBeCloseTo(liquidationPrice({ size: 2, mark: 100, maxLeverage: 50, equity: equityAfter })!, 9);
    expect(p.liqDistancePct).toBeCloseTo(p.liqAfter! / 100 - 1, 12);
  });

  it('the liquidation the projection gives is where equity meets maintenance margin', () => {
    const p = projectPerp({ ...ctx, equity: 100 }, 'buy', 5, 100, true, null);
    const equityAt = (price: number) => 100 - p.feeUsd + 5 * (price - 100);
    const maintenanceAt = (price: number) => 5 * price * (1 / (2 * 50));
    expect(equityAt(p.liqAfter!)).toBeCloseTo(maintenanceAt(p.liqAfter!), 6);
  });

  it('closing the whole position leaves no liquidation; reducing moves it away', () => {
    const long: PerpContext = { ...ctx, position: 5, equity: 120 };
    expect(projectPerp(long, 'sell', 5, 100, true, null).liqAfter).toBeNull();
    const before = liquidationPrice({ size: 5, mark: 100, maxLeverage: 50, equity: 120 })!;
    const after = projectPerp(long, 'sell', 2, 100, true, null).liqAfter!;
    expect(after).toBeLessThan(before);
  });

  it('each level of the book projects "filled up to here", growing with depth', () => {
    const rows = projectLevels(ctx, asks, 'buy', 99.5);
    expect(rows.map((r) => r.size)).toEqual([1, 3, 8]);
    expect(rows[1]!.avgPrice).toBeCloseTo((100 + 202) / 3, 12);
    expect(rows[2]!.liqAfter!).toBeGreaterThan(rows[1]!.liqAfter!);
    expect(rows[2]!).toEqual(projectPerp(ctx, 'buy', 8, (100 + 202 + 515) / 8, true, 99.5));
  });

  it('without a known book delta the delta after is unknown, not zero', () => {
    expect(projectPerp({ ...ctx, bookDelta: null }, 'buy', 1, 100, true, null).deltaAfter).toBeNull();
  });
});
