import { groupBy } from '../../../shared/collections.ts';
import type { Collateral, GreeksRow, LiquidationView, Numeraire, PositionDef, PositionRow, RiskInput, UnderlyingTotals, VolSource } from '../../../shared/domain/portfolio.ts';
import { distanceTo, liquidationPrice } from '../../../shared/domain/liquidation.ts';
import { positionRisk } from '../risk/portfolio.ts';
import type { RiskPosition } from '../risk/positions.ts';
import type { MarketView } from './market-view.ts';

export interface PricedPosition {
  row: PositionRow;
  /** What the ladder revalues; null when the position cannot be priced (see row.problem). */
  input: RiskInput | null;
}

const ZERO: GreeksRow = { valueUsd: 0, deltaCoin: 0, deltaUsd: 0, gammaCoin: 0, gammaUsdPer1Pct: 0, vegaUsd: 0, thetaUsd: 0 };

function unpriced(def: PositionDef, problem: string): PricedPosition {
  return {
    row: { def, mark: NaN, underlyingPrice: NaN, vol: null, volSource: 'none', greeks: ZERO, deltaBsCoin: 0, pnlUsd: null, pnlCoin: null, liquidation: null, problem },
    input: null,
  };
}

/**
 * Prices one position against the live market with the pricing core (risk/portfolio.ts): Greeks in
 * canonical units, PnL since entry, and for perps the liquidation price (venue's and ours) with its
 * distance in %, USD and daily σ. Options take the venue's mark IV and forward when the chain lists
 * them, else the fitted surface, else the vol given in the import.
 */
export function pricePosition(def: PositionDef, view: MarketView, now: number, numeraire: Numeraire = 'usd'): PricedPosition {
  const spot = view.spot(def.underlying);
  if (spot === null) return unpriced(def, `no price for ${def.underlying} yet`);
  if (def.type !== 'option') {
    const mark = (def.type === 'spot' ? null : def.source === 'deribit' ? view.deribitPerpMark(def.underlying) : view.perpMark(def.underlying)) ?? spot;
    const inverse = def.inverseUsd !== undefined;
    const input: RiskInput = { id: def.id, type: def.type, quantity: inverse ? def.inverseUsd! / mark : def.quantity, entryPrice: def.entryPrice, mark, ...(inverse ? { inverseUsd: def.inverseUsd } : {}) };
    const g = positionRisk({ ...input, underlying: def.underlying }, { spot }, now, undefined, numeraire);
    // An inverse contract's PnL is in coin (Deribit settles it so), worth that many coins at the index.
    const pnlCoinInverse = inverse && Number.isFinite(def.entryPrice) ? def.inverseUsd! * (1 / def.entryPrice - 1 / mark) : null;
    const pnlUsd = pnlCoinInverse !== null ? pnlCoinInverse * spot : Number.isFinite(def.entryPrice) ? def.quantity * (mark - def.entryPrice) : null;
    return {
      row: {
        def,
        mark,
        underlyingPrice: mark,
        vol: null,
        volSource: 'none',
        greeks: greeksRow(g),
        deltaBsCoin: g.deltaCoin,
        pnlUsd,
        pnlCoin: pnlCoinInverse ?? (pnlUsd === null ? null : pnlUsd / spot),
        liquidation: def.perp ? liquidation(def.quantity, mark, def.perp, view.atmVol(def.underlying)) : null,
        problem: null,
      },
      input,
    };
  }
  const quote = view.option(def.instrument, def.source);
  let vol: number | null = null;
  let volSource: VolSource = 'none';
  let forward = quote?.forward ?? null;
  if (quote) {
    vol = quote.markIv;
    volSource = 'venue mark';
  }
  const fitted = quote ? null : view.surface(def.underlying, def.expiry, def.strike);
  if (vol === null && def.vol !== undefined) {
    vol = def.vol;
    volSource = 'import';
  } else if (vol === null && fitted) {
    vol = fitted.vol;
    volSource = 'surface';
  }
  forward ??= fitted?.forward ?? spot;
  if (vol === null) return unpriced(def, `no implied vol for ${def.instrument}: not listed, no fitted surface, none given`);
  const input: RiskInput = { id: def.id, type: 'option', quantity: def.quantity, kind: def.kind, strike: def.strike, expiry: def.expiry, settlement: def.settlement, vol, forward };
  const risk: RiskPosition = { ...input, underlying: def.underlying };
  const g = positionRisk(risk, { spot, forward }, now, undefined, numeraire);
  const premiumUsd = g.valueUsd / def.quantity;
  const inverse = def.settlement === 'inverse';
  const mark = inverse ? premiumUsd / forward : premiumUsd;
  let pnlUsd: number | null = null;
  let pnlCoin: number | null = null;
  if (Number.isFinite(def.entryPremium)) {
    if (inverse) {
      pnlCoin = def.quantity * (mark - def.entryPremium);
      pnlUsd = pnlCoin * spot;
    } else {
      pnlUsd = def.quantity * (mark - def.entryPremium);
      pnlCoin = pnlUsd / spot;
    }
  }
  return {
    row: {
      def,
      mark,
      underlyingPrice: forward,
      vol,
      volSource,
      greeks: greeksRow(g),
      // The venue reports Black delta (∂/∂F, no premium); ours on that basis beside it for a like-for-like check.
      deltaBsCoin: positionRisk(risk, { spot: forward, forward }, now, undefined, 'usd').deltaCoin,
      pnlUsd,
      pnlCoin,
      liquidation: null,
      problem: null,
    },
    input,
  };
}

function greeksRow(g: GreeksRow): GreeksRow {
  return { valueUsd: g.valueUsd, deltaCoin: g.deltaCoin, deltaUsd: g.deltaUsd, gammaCoin: g.gammaCoin, gammaUsdPer1Pct: g.gammaUsdPer1Pct, vegaUsd: g.vegaUsd, thetaUsd: g.thetaUsd };
}

function liquidation(size: number, mark: number, perp: NonNullable<Extract<PositionDef, { type: 'perp' | 'future' | 'spot' }>['perp']>, atmVol: number | null): LiquidationView {
  // The venue's equity is as of its last update; carry it to the live mark with this position's PnL.
  const equity = perp.equity + size * (mark - perp.markAtUpdate);
  const modelPrice = liquidationPrice({ size, mark, maxLeverage: perp.maxLeverage, equity, otherMaintenance: perp.otherMaintenance });
  const at = perp.liquidationPx ?? modelPrice;
  if (at === null) return { venuePrice: perp.liquidationPx, modelPrice, distancePct: null, distanceUsd: null, distanceSigmas: null };
  const d = distanceTo(at, mark, atmVol ?? 0);
  return { venuePrice: perp.liquidationPx, modelPrice, distancePct: d.pct, distanceUsd: d.usdPerCoin, distanceSigmas: atmVol === null ? null : d.dailySigmas };
}

/**
 * Sums per underlying, with the nearest perp liquidation on each side of spot, and the coin
 * collateral held on venues (in USD it counts one delta per coin; in coin it has none).
 */
export function underlyingTotals(rows: PositionRow[], spotOf: (u: string) => number | null, collateral: Collateral[] = [], numeraire: Numeraire = 'usd'): UnderlyingTotals[] {
  const by = groupBy(rows, (r) => r.def.underlying);
  for (const c of collateral) if (!by.has(c.underlying)) by.set(c.underlying, []);
  const out: UnderlyingTotals[] = [];
  for (const [underlying, list] of by) {
    const spot = spotOf(underlying) ?? NaN;
    const g: GreeksRow = { ...ZERO };
    const held = collateral.filter((c) => c.underlying === underlying);
    for (const c of held) {
      const cg = collateralGreeks(c, spot, numeraire);
      for (const k of Object.keys(g) as (keyof GreeksRow)[]) g[k] += cg[k];
    }
    let unpricedCount = 0;
    let pnlUsd = 0;
    let deltaBsCoin = 0;
    let venueDelta: number | null = 0;
    let above: number | null = null;
    let below: number | null = null;
    for (const r of list) {
      if (r.problem) unpricedCount++;
      for (const k of Object.keys(g) as (keyof GreeksRow)[]) g[k] += r.greeks[k];
      pnlUsd += r.pnlUsd ?? 0;
      deltaBsCoin += r.deltaBsCoin;
      if (r.def.type === 'option') {
        const v = r.def.venueGreeks?.deltaCoin;
        venueDelta = v === undefined || v === null || venueDelta === null ? null : venueDelta + v;
      } else if (venueDelta !== null) venueDelta += r.def.quantity;
      const liq = r.liquidation?.venuePrice ?? r.liquidation?.modelPrice ?? null;
      if (liq !== null && liq > spot && (above === null || liq < above)) above = liq;
      if (liq !== null && liq < spot && (below === null || liq > below)) below = liq;
    }
    out.push({ underlying, spot, greeks: g, pnlUsd, deltaBsCoin, venueDeltaCoin: venueDelta, collateral: held, numeraire, unpriced: unpricedCount, positions: list.length, liquidationAbove: above, liquidationBelow: below });
  }
  return out.sort((a, b) => a.underlying.localeCompare(b.underlying));
}

/** Coins held as collateral, in the numeraire's Greeks: worth coins × spot, delta one per coin in USD. */
export function collateralGreeks(c: Collateral, spot: number, numeraire: Numeraire): GreeksRow {
  const g = positionRisk({ id: 'collateral', underlying: c.underlying, type: 'cash', quantity: c.coins }, { spot }, 0, undefined, numeraire);
  return greeksRow(g);
}
