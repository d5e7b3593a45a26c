import { describe, expect, it } from 'vitest';
import { discreteHedgingErrorStd, whalleyWilmottHalfWidth } from '../../../electron/engine/hedge/theory.ts';
import { priceOption } from '../../../electron/engine/pricing/black.ts';
import { inverseOption } from '../../../electron/engine/pricing/inverse.ts';
import { liquidationDistance, liquidationPrice, maintenanceRate } from '../../../shared/domain/liquidation.ts';
import { portfolioRisk, positionRisk } from '../../../electron/engine/risk/portfolio.ts';
import { MS_PER_YEAR, type RiskPosition } from '../../../electron/engine/risk/positions.ts';
import { scenarioGrid } from '../../../electron/engine/risk/scenario-grid.ts';

const now = Date.UTC(2026, 10, 25, 8);
const expiry = now + 30 * 86_400_000;
const btc = { spot: 60_000 };
const book: RiskPosition[] = [
  { id: 'c', underlying: 'BTC', type: 'option', quantity: 10, kind: 'call', strike: 70_000, expiry, settlement: 'inverse', vol: 0.6 },
  { id: 'p', underlying: 'BTC', type: 'option', quantity: -5, kind: 'put', strike: 50_000, expiry, settlement: 'linear', vol: 0.7 },
  { id: 'h', underlying: 'BTC', type: 'perp', quantity: -2, entryPrice: 61_000 },
];

describe('portfolio risk in canonical units', () => {
  it('agrees with the pricing core, position by position', () => {
    const c = positionRisk(book[0]!, btc, now);
    const inv = inverseOption('call', 60_000, 70_000, 30 / 365, 0.6);
    if (!inv.ok) throw new Error();
    expect(c.valueUsd).toBeCloseTo(10 * inv.value.priceUsd, 8);
    // Inverse option, PnL in USD: its delta is the Black delta (what moves the USD value)…
    expect(c.deltaCoin).toBeCloseTo(10 * inv.value.deltaBs, 12);
    // …PnL in coin: the premium-adjusted delta (the coin premium is itself coin exposure).
    expect(positionRisk(book[0]!, btc, now, undefined, 'coin').deltaCoin).toBeCloseTo(10 * inv.value.deltaCoin, 12);
    const raw = priceOption({ kind: 'put', spot: 60_000, strike: 50_000, time: 30 / 365, rate: 0, carry: 0, vol: 0.7 });
    if (!raw.ok) throw new Error();
    const p = positionRisk(book[1]!, btc, now);
    expect(p.deltaCoin).toBeCloseTo(-5 * raw.value.delta, 12);
    expect(p.vegaUsd).toBeCloseTo((-5 * raw.value.vega) / 100, 10);
    expect(p.thetaUsd).toBeCloseTo((-5 * raw.value.theta) / 365, 10);
    expect(p.gammaUsdPer1Pct).toBeCloseTo(-5 * raw.value.gamma * 60_000 * 60_000 * 0.01, 8);
    const h = positionRisk(book[2]!, btc, now);
    expect(h).toMatchObject({ deltaCoin: -2, deltaUsd: -120_000, valueUsd: 2_000 });
    // Coins held as collateral: one delta per coin in USD, none in coin.
    const cash: RiskPosition = { id: 'x', underlying: 'BTC', type: 'cash', quantity: 3 };
    expect(positionRisk(cash, btc, now)).toMatchObject({ deltaCoin: 3, valueUsd: 180_000 });
    expect(positionRisk(cash, btc, now, undefined, 'coin').deltaCoin).toBeCloseTo(0, 12);
  });

  it('sums per underlying and per expiry', () => {
    const r = portfolioRisk(book, new Map([['BTC', btc]]), now);
    const total = r.byUnderlying.get('BTC')!;
    expect(total.deltaCoin).toBeCloseTo(r.positions.reduce((s, p) => s + p.greeks.deltaCoin, 0), 12);
    expect(r.byExpiry.get(`BTC|${expiry}`)!.vegaUsd).toBeCloseTo(total.vegaUsd, 12);
    expect(() => portfolioRisk(book, new Map(), now)).toThrow(/no market for BTC/);
  });
});

describe('scenario grid (the ladder engine)', () => {
  const spec = { spotShifts: [-0.1, -0.05, -0.01, 0, 0.01, 0.05, 0.1], volShifts: [-10, 0, 10], days: [0, 7] };
  const grid = scenarioGrid(book, 'BTC', btc, now, spec);

  it('has a cell per shift combination and zero PnL at no shift', () => {
    expect(grid).toHaveLength(7 * 3 * 2);
    const origin = grid.find((c) => c.spotShift === 0 && c.volShift === 0 && c.days === 0)!;
    expect(origin.pnlUsd).toBeCloseTo(0, 9);
  });

  it('PnL slope around spot equals the USD delta; vol shift PnL follows vega', () => {
    const at = (s: number, v = 0, d = 0) => grid.find((c) => c.spotShift === s && c.volShift === v && c.days === d)!;
    const origin = at(0);
    // Value derivative, not the premium-adjusted hedge delta: use the linear book's value slope.
    const slope = (at(0.01).pnlUsd - at(-0.01).pnlUsd) / (0.02 * btc.spot);
    const valueDelta = (at(0.01).greeks.valueUsd - at(-0.01).greeks.valueUsd) / (0.02 * btc.spot);
    expect(slope).toBeCloseTo(valueDelta, 6);
    expect(Math.sign(at(0, 10).pnlUsd - origin.pnlUsd)).toBe(Math.sign(origin.greeks.vegaUsd));
    expect(at(0.1).spot).toBeCloseTo(66_000, 8);
  });
});

describe('Hyperliquid liquidation', () => {
  it('puts equity exactly at maintenance margin at the liquidation price', () => {
    for (const [size, equity] of [
      [1, 10_000],
      [-1, 10_000],
      [2.5, 30_000],
    ] as const) {
      const mark = 100_000;
      const liq = liquidationPrice({ size, mark, maxLeverage: 40, equity })!;
      const equityAtLiq = equity + size * (liq - mark);
      expect(equityAtLiq).toBeCloseTo(Math.abs(size) * liq * maintenanceRate(40), 6);
      expect(size > 0 ? liq < mark : liq > mark).toBe(true);
    }
    expect(liquidationPrice({ size: 1, mark: 100_000, maxLeverage: 40, equity: 10_000 })).toBeCloseTo(91_139.2405, 3);
  });

  it('returns null when collateral covers any move down, and reports distance in %, USD and σ', () => {
    expect(liquidationPrice({ size: 1, mark: 100, maxLeverage: 10, equity: 200 })).toBeNull();
    expect(liquidationPrice({ size: 0, mark: 100, maxLeverage: 10, equity: 1 })).toBeNull();
    const d = liquidationDistance({ size: 1, mark: 100_000, maxLeverage: 40, equity: 10_000 }, 0.6)!;
    expect(d.pct).toBeCloseTo(-0.0886076, 6);
    expect(d.usdPerCoin).toBeCloseTo(-8_860.76, 1);
    expect(d.dailySigmas).toBeCloseTo(Math.abs(Math.log(0.911392405)) / (0.6 / Math.sqrt(365)), 4);
  });
});

describe('hedging theory', () => {
  it('Whalley-Wilmott half-width matches the worked example', () => {
    // ATM call S=K=100, τ=0.25, σ=0.2, r=0: Γ = 0.0398444; λ = 10 bp.
    const g = priceOption({ kind: 'call', spot: 100, strike: 100, time: 0.25, rate: 0, carry: 0, vol: 0.2 });
    if (!g.ok) throw new Error();
    expect(g.value.gamma).toBeCloseTo(0.0398444, 7);
    const h = (riskAversion: number) => whalleyWilmottHalfWidth({ spot: 100, gamma: g.value.gamma, costFraction: 0.001, riskAversion });
    expect(h(1)).toBeCloseTo(0.06198, 5);
    expect(h(0.1)).toBeCloseTo(0.13354, 5);
    expect(h(10)).toBeCloseTo(0.02877, 5);
  });

  it('discrete hedging error follows √(π/4)·σ·vega/√N', () => {
    // S=K=100, T=0.25, σ=0.2: vega 19.92220; formula column of the Monte Carlo table.
    expect(discreteHedgingErrorStd({ vol: 0.2, vega: 19.9222, rebalances: 13 })).toBeCloseTo(0.97936, 4);
    expect(discreteHedgingErrorStd({ vol: 0.2, vega: 19.9222, rebalances: 252 })).toBeCloseTo(0.22244, 4);
    expect(MS_PER_YEAR).toBe(31_536_000_000);
  });
});
