import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deltaPerUnit, deribitPerpInstrument, planHedge, type HedgeInputs } from '../../../electron/engine/hedge/planner.ts';
import { VENUE_FEES } from '../../../shared/domain/venues.ts';

/*
 * The hedge planner: size to the target within a lot, the price it walks to, its cost, and the
 * refusals a trader needs to see (stale, unreconciled, thin, no closer, unpriced) — never a plan
 * that moves delta away from the target.
 */
const book = (mid: number, step: number, size: number, n = 20) => ({
  bids: Array.from({ length: n }, (_, i) => ({ price: mid - step / 2 - i * step, size })),
  asks: Array.from({ length: n }, (_, i) => ({ price: mid + step / 2 + i * step, size })),
});

const base = (over: Partial<HedgeInputs> = {}): HedgeInputs => ({
  underlying: 'BTC',
  spot: 96_000,
  bookDelta: 2.34,
  bookProblem: null,
  targetDelta: 0,
  fraction: 1,
  hedge: { venue: 'hyperliquid', instrument: 'BTC', lot: 0.00001, tick: 1, fees: VENUE_FEES.hyperliquid },
  ...book(96_010, 1, 0.5),
  mark: 96_010,
  bookAgeMs: 100,
  positionsAgeMs: 200,
  maxAgeMs: 5_000,
  unreconciled: null,
  maxSlippageBps: 25,
  maxClip: null,
  perp: { mark: 96_010, position: -1, equity: 50_000, otherMaintenance: 0, maxLeverage: 40, leverage: 20, cross: true, bookDelta: 2.34, fees: VENUE_FEES.hyperliquid },
  deribitBalanceCoin: null,
  deribitPositionUsd: 0,
  ...over,
});

describe('hedge planner', () => {
  it('sells the perp to bring a long book to target, walking the book, with cost and risk after', () => {
    const p = planHedge(base());
    if (!p.ok) throw new Error(p.reason);
    const perUnit = 96_010 / 96_000;
    expect(p.side).toBe('sell');
    expect(p.size).toBeCloseTo(2.34 / perUnit, 5);
    expect(Math.abs(p.deltaAfter - 0)).toBeLessThanOrEqual(0.00001 * perUnit);
    // Immediate-or-cancel at the 25 bps cap, on the tick: 96,010 × (1 − 0.0025) = 95,769.975 → 95,770.
    expect(p.limitPrice).toBe(95_770);
    expect(p.avgPrice).toBeLessThan(96_010);
    expect(p.avgPrice).toBeGreaterThan(96_005.5);
    expect(p.slippageBps).toBeGreaterThan(0);
    expect(p.feeUsd).toBeCloseTo(p.size * p.avgPrice * VENUE_FEES.hyperliquid.taker, 6);
    // The short grows from 1 to ~3.34 BTC: its liquidation comes closer from above.
    expect(p.liqBefore).not.toBeNull();
    expect(p.liqAfter!).toBeLessThan(p.liqBefore!);
    expect(p.liqAfter!).toBeGreaterThan(96_010);
  });

  it('hedges half the gap at 50 %, and to a non-zero target', () => {
    const half = planHedge(base({ fraction: 0.5 }));
    if (!half.ok) throw new Error(half.reason);
    expect(half.deltaAfter).toBeCloseTo(1.17, 4);
    const toTarget = planHedge(base({ targetDelta: 3 }));
    if (!toTarget.ok) throw new Error(toTarget.reason);
    expect(toTarget.side).toBe('buy');
    expect(toTarget.deltaAfter).toBeCloseTo(3, 4);
  });

  it('sizes a Deribit perpetual in whole 10 USD contracts at 1/mark coin each', () => {
    const d = planHedge(base({ hedge: deribitPerpInstrument('BTC', VENUE_FEES.deribitPerp), ...book(96_020, 0.5, 50_000), mark: 96_020, perp: null, deribitPositionUsd: 0 }));
    if (!d.ok) throw new Error(d.reason);
    expect(d.size % 10).toBe(0);
    expect(d.size).toBeCloseTo(2.34 * 96_020, -1);
    expect(Math.abs(d.deltaAfter)).toBeLessThanOrEqual(5 / 96_020 + 1e-12);
    expect(d.notionalUsd).toBe(d.size);
    expect(d.marginAfterUsd).toBeGreaterThan(0.02 * d.size);
    expect(deltaPerUnit('deribit', 96_020, 96_000)).toBeCloseTo(1 / 96_020, 15);
  });

  it('refuses with the reason: stale, unreconciled, unpriced, thin, within a lot', () => {
    const refusal = (over: Partial<HedgeInputs>) => {
      const r = planHedge(base(over));
      if (r.ok) throw new Error('expected a refusal');
      return `${r.code}: ${r.reason}`;
    };
    expect(refusal({ bookAgeMs: 9_000 })).toMatch(/^stale: .*9\.0 s old/);
    expect(refusal({ positionsAgeMs: 6_000 })).toMatch(/^stale: positions were read 6\.0 s ago/);
    expect(refusal({ unreconciled: 'reconciling after a reconnect' })).toMatch(/^unreconciled: /);
    expect(refusal({ bookDelta: null, bookProblem: 'BTC-27MAR27-150000-C has no price' })).toBe('no-price: BTC-27MAR27-150000-C has no price');
    expect(refusal({ ...book(96_010, 10, 0.1) })).toMatch(/^thin: .*within 25 bps/);
    expect(refusal({ bookDelta: 0.000004 })).toMatch(/^within-lot: /);
  });

  it('clips to the maximum order and says so', () => {
    const p = planHedge(base({ maxClip: 1 }));
    if (!p.ok) throw new Error(p.reason);
    expect(p.size).toBe(1);
    expect(p.clipped).toBe(true);
  });

  it('never plans a trade that leaves delta further from target (random books)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.constantFrom(0.25, 0.5, 1),
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.option(fc.double({ min: 0.01, max: 10, noNaN: true }), { nil: null }),
        (delta, target, fraction, levelSize, clip) => {
          const p = planHedge(base({ bookDelta: delta, targetDelta: target, fraction, ...book(96_010, 1, levelSize, 60), maxClip: clip }));
          if (!p.ok) return;
          expect(Math.abs(p.deltaAfter - target)).toBeLessThan(Math.abs(delta - target));
          expect(p.side === 'buy').toBe(target > delta);
          if (clip !== null) expect(p.size).toBeLessThanOrEqual(clip + 1e-12);
          expect(p.slippageBps).toBeLessThanOrEqual(25 + 1e-9);
        },
      ),
      { numRuns: 500 },
    );
  });
});
