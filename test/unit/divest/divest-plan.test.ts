import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIVEST_LIMITS, planDivest, sliceMarket, type HeldPosition } from '../../../electron/engine/divest/divest-plan.ts';
import { capPrice, nextSlice } from '../../../electron/engine/divest/slice.ts';

/*
 * The kill switch's plan and slices, pure (issue "Kill switch", items 1 and 6): the safe order of
 * the steps, the hedge kept against options nobody can trade here, what a thin book does to a leg,
 * and the property a trader relies on in a panic — no slice ever makes any position larger.
 */

const book = (mid: number, tick: number, sizes: number[]) => ({
  bids: sizes.map((s, i) => ({ price: Number((mid - tick * (i + 1)).toFixed(6)), size: s })),
  asks: sizes.map((s, i) => ({ price: Number((mid + tick * (i + 1)).toFixed(6)), size: s })),
});
const perp = (over: Partial<HeldPosition> = {}): HeldPosition => ({ venue: 'hyperliquid', account: '0xabc', instrument: 'BTC', underlying: 'BTC', kind: 'perp', position: -2, deltaCoin: -2, mark: 100_000, index: 100_000, lot: 0.00001, tick: 1, ...book(100_000, 10, [1, 1, 1, 1]), untradable: null, ...over });
const option = (name: string, position: number, delta: number, over: Partial<HeldPosition> = {}): HeldPosition => ({ venue: 'deribit', account: 'paper', instrument: name, underlying: 'BTC', kind: 'option', position, deltaCoin: delta, mark: 0.02, index: 100_000, lot: 0.1, tick: 0.0005, ...book(0.02, 0.0005, [10, 10, 10]), untradable: null, ...over });
const inputs = (positions: HeldPosition[], scope: 'all' | 'hyperliquid' | 'deribit' | 'aave' = 'all') => ({ scope, positions, debts: [], openOrders: { hyperliquid: 2, deribit: 0 }, gates: {}, limits: DEFAULT_DIVEST_LIMITS });

describe('the divestment plan', () => {
  it('orders the steps safely: cancel, buy back shorts, sell longs, then the hedges', () => {
    const plan = planDivest(inputs([perp(), option('BTC-C', 5, 2.5), option('BTC-P', -8, 2)]));
    expect(plan.steps.map((s) => [s.phase, s.legs.map((l) => `${l.side} ${l.size} ${l.instrument}`)])).toEqual([
      ['cancel', []],
      ['buy-back-shorts', ['buy 8 BTC-P']],
      ['sell-longs', ['sell 5 BTC-C']],
      ['hedges', ['buy 2 BTC']],
    ]);
    expect(plan.steps[0]!.orders).toEqual([{ venue: 'hyperliquid', count: 2 }, { venue: 'deribit', count: 0 }]);
    expect(plan.deltaAfter).toEqual([{ underlying: 'BTC', coins: 0 }]);
  });

  it('keeps a perp hedge against options that cannot be traded here, and says so', () => {
    // Long calls with delta +1.5 nobody here can sell: 1.5 of the 2 BTC short stays.
    const plan = planDivest(inputs([perp(), option('BTC-C', 3, 1.5, { untradable: 'no book' })]));
    const hedge = plan.steps.find((s) => s.phase === 'hedges')!.legs[0]!;
    expect(hedge.size).toBeCloseTo(0.5, 9);
    expect(hedge.note).toMatch(/^1\.5 BTC kept against the delta of options that stay/);
    expect(plan.left).toEqual([{ venue: 'deribit', account: 'paper', instrument: 'BTC-C', reason: 'no book' }]);
    expect(plan.deltaAfter[0]!.coins).toBeCloseTo(1.5 - 1.5, 9);
  });

  it("a single venue's divestment closes its perps whole and leaves the rest, with the delta that stays unhedged", () => {
    const plan = planDivest(inputs([perp(), option('BTC-P', -8, 2)], 'hyperliquid'));
    expect(plan.steps.flatMap((s) => s.legs).map((l) => `${l.side} ${l.size} ${l.instrument}`)).toEqual(['buy 2 BTC']);
    expect(plan.deltaAfter).toEqual([{ underlying: 'BTC', coins: 2 }]);
  });

  it('a thin book is sliced: what it takes now at its prices, the rest counted at the limit price', () => {
    const thin = perp({ position: -10, ...book(100_000, 10, [1, 1]) });
    const leg = planDivest(inputs([thin])).steps[1]!.legs[0]!;
    expect(leg.absorbableNow).toBeCloseTo(2, 9);
    expect(leg.slices).toBe(5);
    expect(leg.note).toMatch(/the book takes 2 of 10 within the limit now/);
    // 1 @ 100,010 + 1 @ 100,020 over the mark, the other 8 at the cap (mark + 50 bps), fees on all.
    const cap = capPrice('buy', sliceMarket(thin, DEFAULT_DIVEST_LIMITS));
    expect(cap).toBe(100_500);
    const fee = (1 * 100_010 + 1 * 100_020 + 8 * cap) * 0.00045;
    expect(leg.estCostUsd).toBeCloseTo(10 + 20 + 8 * 500 + fee, 6);
  });

  it('an Aave debt is repaid from the wallet; a wallet short of the debt says how much stays owed', () => {
    const plan = planDivest({ ...inputs([], 'aave'), debts: [{ account: '0xb0b', symbol: 'USDC', debt: 15_000, wallet: 12_000, priceUsd: 1, collateralUsd: 30_000 }] });
    const leg = plan.steps.find((s) => s.phase === 'repay')!.legs[0]!;
    expect([leg.side, leg.size]).toEqual(['repay', 12_000]);
    expect(leg.note).toMatch(/the wallet holds 12000 of the 15000 USDC owed: 3000 stays owed; collateral \(\$30,000\) stays supplied/);
  });
});

describe('the slippage cap', () => {
  it("an option's cap above its tick step lands on the larger tick (the venue refuses anything else)", () => {
    // Deribit: 0.0001 below 0.005, 0.0005 above. Mark 0.0044 + 25 % = 0.0055: on the 0.0005 grid.
    const tickAt = (p: number) => (p >= 0.005 ? 0.0005 : 0.0001);
    const m = { mark: 0.0044, tick: 0.0001, tickAt, limit: { kind: 'premium' as const, pct: 0.25, minTicks: 3 } };
    expect(capPrice('buy', m)).toBe(0.0055);
    expect(capPrice('buy', { ...m, mark: 0.0045 })).toBe(0.0055); // 0.005625 floors to 0.0055, never past the limit
    expect(capPrice('sell', { ...m, mark: 0.006 })).toBe(0.0045);
    expect(capPrice('sell', { ...m, mark: 0.0002 })).toBe(0.0001); // a sale keeps one tick
  });
});

describe('slices never grow a position', () => {
  const level = fc.record({ gap: fc.integer({ min: 1, max: 40 }), size: fc.double({ min: 0.01, max: 50, noNaN: true }) });
  it('on any book, any position and any fills, every slice is on the closing side, no larger than what is held, and the position only shrinks', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -200, max: 200, noNaN: true }).filter((x) => Math.abs(x) > 1e-6),
        fc.array(level, { minLength: 0, maxLength: 8 }),
        fc.array(level, { minLength: 0, maxLength: 8 }),
        fc.constantFrom<HeldPosition['kind']>('perp', 'option'),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        (start, bidLevels, askLevels, kind, fillShares) => {
          const mark = kind === 'option' ? 0.05 : 3_000;
          const tick = kind === 'option' ? 0.0005 : 0.1;
          const lot = kind === 'option' ? 0.1 : 0.001;
          let px = mark;
          const bids = bidLevels.map((l) => ({ price: (px = Math.max(tick, px - l.gap * tick)), size: l.size }));
          px = mark;
          const asks = askLevels.map((l) => ({ price: (px += l.gap * tick), size: l.size }));
          const p: HeldPosition = { ...perp(), kind, mark, tick, lot, bids, asks, position: start };
          let position = start;
          for (const share of fillShares) {
            const slice = nextSlice(sliceMarket({ ...p, position }, DEFAULT_DIVEST_LIMITS), Math.abs(position));
            if (!slice) break;
            expect(slice.side).toBe(position > 0 ? 'sell' : 'buy');
            expect(slice.size).toBeLessThanOrEqual(Math.abs(position) + 1e-9);
            expect(slice.size).toBeGreaterThan(0);
            const cap = capPrice(slice.side, sliceMarket(p, DEFAULT_DIVEST_LIMITS));
            expect(slice.limitPrice).toBe(cap);
            // The venue fills some of it (partial fills, or none), never more than the slice.
            const filled = slice.size * share;
            const next = position + (slice.side === 'buy' ? filled : -filled);
            expect(Math.abs(next)).toBeLessThanOrEqual(Math.abs(position) + 1e-12);
            expect(Math.sign(next) === Math.sign(position) || Math.abs(next) < 1e-9).toBe(true);
            position = next;
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
