import { emptyGreeks, firstOrderInto } from '../pricing/black.ts';
import type { Numeraire } from '../../../shared/domain/portfolio.ts';
import { addGreeks, canonical, zeroGreeks, type CanonicalGreeks } from './canonical-greeks.ts';
import { basisDelta, basisGamma } from './numeraire.ts';
import { yearFraction, type RiskPosition, type UnderlyingMarket } from './positions.ts';

export interface ScenarioShift {
  /** Relative move of spot and forward, e.g. 0.05 for +5 %. */
  spot: number;
  /** Added to every implied vol, in vol points (5 = +5 %). */
  volPoints: number;
  /** Calendar days forward. */
  days: number;
}

export const NO_SHIFT: ScenarioShift = { spot: 0, volPoints: 0, days: 0 };

export interface PositionRisk {
  id: string;
  underlying: string;
  greeks: CanonicalGreeks;
}

export interface PortfolioRisk {
  positions: PositionRisk[];
  byUnderlying: Map<string, CanonicalGreeks>;
  /** Options only, keyed `${underlying}|${expiry}`. */
  byExpiry: Map<string, CanonicalGreeks>;
}

const scratch = emptyGreeks();

/**
 * Values one holding in canonical units under a scenario, in the chosen numeraire (USD unless
 * asked). Options: Black-76 on the forward (r = 0, the crypto convention), the forward moving by
 * the same fraction as spot, so ∂V/∂S = q·Δ_F·F/S. Linear: PnL since entry; an inverse contract
 * (inverseUsd) as Deribit settles it, N·(1/entry − 1/mark) coins at spot. Cash: coins at spot.
 * valueUsd is always USD; deltaCoin and gammaCoin are the derivatives of the numeraire's PnL.
 */
export function positionRisk(p: RiskPosition, market: UnderlyingMarket, now: number, shift: ScenarioShift = NO_SHIFT, numeraire: Numeraire = 'usd'): CanonicalGreeks {
  const move = 1 + shift.spot;
  const S = market.spot * move;
  let value: number;
  let dv: number;
  let d2v = 0;
  const g = zeroGreeks();
  if (p.type === 'cash') {
    value = p.quantity * S;
    dv = p.quantity;
  } else if (p.type !== 'option') {
    const mark0 = p.mark ?? market.spot;
    if (p.inverseUsd !== undefined) {
      // Coin PnL N(1/e − 1/m) at spot S, with m/S fixed: N·S/e − N·S₀/m₀.
      value = (p.inverseUsd * S) / p.entryPrice - (p.inverseUsd * market.spot) / mark0;
      dv = p.inverseUsd / p.entryPrice;
    } else {
      value = p.quantity * (mark0 * move - p.entryPrice);
      dv = (p.quantity * mark0) / market.spot;
    }
  } else {
    const F0 = p.forward ?? market.forward ?? market.spot;
    const F = F0 * move;
    const T = yearFraction(now + shift.days * 86_400_000, p.expiry);
    const vol = Math.max(0, p.vol + shift.volPoints / 100);
    firstOrderInto(p.kind === 'call' ? 1 : -1, F, p.strike, T, 0, 0, vol, scratch);
    const c = canonical(p.quantity, S, scratch);
    const k = F0 / market.spot;
    value = c.valueUsd;
    dv = c.deltaCoin * k;
    d2v = c.gammaCoin * k * k;
    g.vegaUsd = c.vegaUsd;
    g.thetaUsd = c.thetaUsd;
    g.rhoUsd = c.rhoUsd;
  }
  g.valueUsd = value;
  g.deltaCoin = basisDelta(numeraire, S, value, dv);
  g.deltaUsd = g.deltaCoin * S;
  g.gammaCoin = basisGamma(numeraire, S, value, dv, d2v);
  g.gammaUsdPer1Pct = g.gammaCoin * S * S * 0.01;
  return g;
}

export function portfolioRisk(positions: RiskPosition[], markets: Map<string, UnderlyingMarket>, now: number, shift: ScenarioShift = NO_SHIFT, numeraire: Numeraire = 'usd'): PortfolioRisk {
  const out: PortfolioRisk = { positions: [], byUnderlying: new Map(), byExpiry: new Map() };
  for (const p of positions) {
    const m = markets.get(p.underlying);
    if (!m) throw new Error(`no market for ${p.underlying} (position ${p.id})`);
    const g = positionRisk(p, m, now, shift, numeraire);
    out.positions.push({ id: p.id, underlying: p.underlying, greeks: g });
    const u = out.byUnderlying.get(p.underlying) ?? zeroGreeks();
    addGreeks(u, g);
    out.byUnderlying.set(p.underlying, u);
    if (p.type === 'option') {
      const key = `${p.underlying}|${p.expiry}`;
      const e = out.byExpiry.get(key) ?? zeroGreeks();
      addGreeks(e, g);
      out.byExpiry.set(key, e);
    }
  }
  return out;
}
