import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liquidationPrice } from '../../../shared/domain/liquidation.ts';
import { deribitLiquidation, marginsAt, type DeribitLeg } from '../../../electron/engine/risk/deribit-margin.ts';
import { aaveMarginModel, callLevel, deribitMarginModel, deriveMarginModel, hyperliquidMarginModel, ladderMargins } from '../../../electron/engine/risk/ladder-margin.ts';
import { positionRisk } from '../../../electron/engine/risk/portfolio.ts';
import { deriveStandardMargins } from '../../../electron/venues/derive/standard-margin.ts';
import { ladderPrices } from '../../../electron/engine/portfolio/ladder.ts';

/*
 * Margin use per Greeks-ladder row (issue "Monitoring", item 2): at spot each venue's column reads
 * what its account reads now, it reaches 100 % exactly where that venue's liquidation formula says,
 * and the margin-call marker sits where the trader's margin alert would turn to a warning.
 */
const now = Date.UTC(2026, 11, 1, 8);
const spot = 100_000;
const levels = { ratioPct: 70, healthFactor: 1.25 };

describe('margin use per ladder row', () => {
  it('Hyperliquid cross: at spot, (other coins + own maintenance) ÷ account value; 100 % at the liquidation price', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 20, noNaN: true }), fc.boolean(), fc.constantFrom(3, 10, 20, 40, 50), fc.double({ min: 0, max: 2_000, noNaN: true }), fc.double({ min: 1.2, max: 8, noNaN: true }), (coins, long, maxLeverage, other, cushion) => {
        const size = long ? coins : -coins;
        const own = (coins * spot) / (2 * maxLeverage);
        const equity = (own + other) * cushion;
        const m = hyperliquidMarginModel('0xabc', 'HL', [{ quantity: size, mark: spot, maxLeverage, equity, markAtUpdate: spot, otherMaintenance: other }], spot);
        expect(m.useAt(spot)).toBeCloseTo(((own + other) / equity) * 100, 9);
        const liq = liquidationPrice({ size, mark: spot, maxLeverage, equity, otherMaintenance: other });
        if (liq !== null) expect(m.useAt(liq)).toBeCloseTo(100, 6);
      }),
      { numRuns: 300 },
    );
  });

  it('Hyperliquid: a mark that moved since the venue last reported carries the equity with the position’s PnL', () => {
    const m = hyperliquidMarginModel('0xabc', 'HL', [{ quantity: -2, mark: 101_000, maxLeverage: 40, equity: 20_000, markAtUpdate: 100_000, otherMaintenance: 0 }], 101_000);
    // Short 2 up 1,000: equity 18,000; maintenance 2 × 101,000 / 80.
    expect(m.useAt(101_000)).toBeCloseTo(((2 * 101_000) / 80 / 18_000) * 100, 9);
  });

  it('Deribit: at spot our standard maintenance ÷ equity; 100 % at the account’s liquidation price', () => {
    const expiry = Date.UTC(2026, 11, 25, 8);
    const book: DeribitLeg[] = [-20, -10].map((q, i) => ({ input: { id: `p${i}`, underlying: 'BTC', type: 'option', quantity: q, kind: 'put', strike: 90_000 + i * 5_000, expiry, settlement: 'inverse', vol: 0.55, forward: spot } }));
    const m = deribitMarginModel('paper BTC', 'BTC', book, 4, spot, now);
    const at = marginsAt(book, 4, spot, now, 0);
    expect(m.useAt(spot)).toBeCloseTo((at.maintenanceCoin / at.equityCoin) * 100, 9);
    const { below } = deribitLiquidation(book, 4, spot, now);
    expect(below).not.toBeNull();
    expect(m.useAt(below!)).toBeCloseTo(100, 0);
    expect(m.useAt(below! * 1.02)).toBeLessThan(100);
  });

  it('Aave: 1 ÷ health factor, WETH moving with ETH and the USDC debt standing still; liquidation and margin call where HF is 1 and 1.25', () => {
    const eth = 3_000;
    // 10 WETH at 3,000, LT 82.5 %, 15,000 USDC owed: HF = 24,750 / 15,000 = 1.65.
    const input = { account: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8', liquidationThreshold: 0.825, reserves: [{ suppliedUsd: 30_000, borrowedUsd: 0, collateral: true, movesWithUnderlying: true }, { suppliedUsd: 0, borrowedUsd: 15_000, collateral: false, movesWithUnderlying: false }] };
    const m = aaveMarginModel(input, 'Aave 0x7099…79c8', eth);
    expect(m.useAt(eth)).toBeCloseTo(100 / 1.65, 9);
    const prices = ladderPrices(eth, 100, 41);
    const { margins, markers } = ladderMargins([m], prices, eth, levels);
    expect(margins[0]!.callAt).toBeCloseTo(80, 12);
    expect(margins[0]!.use[20]).toBeCloseTo(m.useAt(prices[20]!), 12);
    // HF(P) = 10·P·0.825 / 15,000: 1 at 1,818.18 and 1.25 at 2,272.73, both on the rows (1,000 … 5,000).
    const liq = markers.find((k) => k.kind === 'liquidation')!;
    const call = markers.find((k) => k.kind === 'margin-call')!;
    expect(liq.price).toBeCloseTo(15_000 / (10 * 0.825), 0);
    expect(call.price).toBeCloseTo((15_000 * 1.25) / (10 * 0.825), 0);
    expect(call.label).toBe('Margin call Aave 0x7099…79c8 (80 %)');
    // Nothing above spot: the collateral only gains.
    expect(markers.every((k) => k.price < eth)).toBe(true);
  });

  it('a margin call on each side where the use crosses the alert’s warning, none past the ladder, none once the rule is off', () => {
    const short = hyperliquidMarginModel('0xabc', 'HL', [{ quantity: -1, mark: spot, maxLeverage: 50, equity: 5_000, markAtUpdate: spot, otherMaintenance: 0 }], spot);
    const prices = ladderPrices(spot, 500, 41);
    const { markers } = ladderMargins([short], prices, spot, levels);
    expect(markers).toHaveLength(1);
    // P/100 = 0.7 × (105,000 − P): P = 103,521.13, found to within a dollar.
    expect(Math.abs(markers[0]!.price - 73_500 / 0.71)).toBeLessThan(1);
    expect(short.useAt(markers[0]!.price)).toBeCloseTo(70, 1);
    // A ladder too narrow to reach it: no marker made up at its edge.
    expect(ladderMargins([short], ladderPrices(spot, 10, 41), spot, levels).markers).toEqual([]);
    expect(ladderMargins([short], prices, spot, { ratioPct: null, healthFactor: null }).markers).toEqual([]);
    expect(callLevel('1 ÷ health factor', { ratioPct: null, healthFactor: null })).toBeNull();
  });

  it('an account already past its margin call is not marked again; with no equity left it reads ∞, not a number', () => {
    const deep = hyperliquidMarginModel('0xabc', 'HL', [{ quantity: 1, mark: spot, maxLeverage: 50, equity: 1_200, markAtUpdate: spot, otherMaintenance: 0 }], spot);
    expect(deep.useAt(spot)).toBeCloseTo(((spot / 100) / 1_200) * 100, 9);
    expect(ladderMargins([deep], ladderPrices(spot, 500, 41), spot, levels).markers.filter((k) => k.kind === 'margin-call')).toEqual([]);
    expect(deep.useAt(spot - 2_000)).toBe(Infinity);
  });

  it('Derive: the column is the venue’s requirement ÷ value; it crosses 100 % exactly where Derive’s net maintenance margin turns negative', () => {
    const expiry = now + 30 * 86_400_000;
    const input = { id: 'derive:0xabc…/7:BTC-20261231-90000-P', type: 'option' as const, quantity: -2, kind: 'put' as const, strike: 90_000, expiry, settlement: 'linear' as const, vol: 0.6, forward: spot, underlying: 'BTC' };
    const value = (price: number): number => positionRisk({ ...input, quantity: 1 }, { spot, forward: spot }, now, { spot: price / spot - 1, volPoints: 0, days: 0 }).valueUsd;
    const cash = 30_000;
    const srm = (price: number) => [{ market: 'BTC', kind: 'put' as const, strike: 90_000, expiry, amount: -2, mark: value(price), spot: price, forward: price }];
    const nowNet = deriveStandardMargins(cash, srm(spot));
    const need = nowNet.valueUsd - nowNet.maintenanceNetUsd;
    const m = deriveMarginModel('0xabc…/7', 'Derive 0xabc…', [{ input, forward: spot }], nowNet.valueUsd, need, spot, now);
    expect(m.useAt(spot)).toBeCloseTo((need / nowNet.valueUsd) * 100, 9);
    for (const price of ladderPrices(spot, 2_000, 41)) {
      const net = deriveStandardMargins(cash, srm(price)).maintenanceNetUsd;
      if (Math.abs(net) > 1) expect(m.useAt(price) > 100).toBe(net < 0);
    }
    // Other underlyings' requirement (the venue's figure less this one's) is held as it is.
    const withOthers = deriveMarginModel('0xabc…/7', 'Derive 0xabc…', [{ input, forward: spot }], nowNet.valueUsd, need + 5_000, spot, now);
    expect(withOthers.useAt(spot) - m.useAt(spot)).toBeCloseTo((5_000 / nowNet.valueUsd) * 100, 9);
  });
});
