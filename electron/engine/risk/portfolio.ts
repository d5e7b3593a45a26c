import { emptyGreeks, greeksInto } from '../pricing/black.ts';
import { addGreeks, canonical, zeroGreeks, type CanonicalGreeks } from './canonical-greeks.ts';
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
 * Values one position in canonical units under a scenario. Options: Black-76 on the forward (r = 0,
 * the crypto convention); an inverse option's coin delta includes its coin premium, so its
 * deltaCoin is BS delta − premium in coin (what must be hedged), while its USD value is the same.
 */
export function positionRisk(p: RiskPosition, market: UnderlyingMarket, now: number, shift: ScenarioShift = NO_SHIFT): CanonicalGreeks {
  const S = market.spot * (1 + shift.spot);
  if (p.type !== 'option') {
    // Linear instruments: value is PnL since entry; delta one per coin.
    const px = (p.mark ?? market.spot) * (1 + shift.spot);
    return { ...zeroGreeks(), valueUsd: p.quantity * (px - p.entryPrice), deltaCoin: p.quantity, deltaUsd: p.quantity * px };
  }
  const F = (p.forward ?? market.forward ?? market.spot) * (1 + shift.spot);
  const T = yearFraction(now + shift.days * 86_400_000, p.expiry);
  const vol = Math.max(0, p.vol + shift.volPoints / 100);
  greeksInto(p.kind === 'call' ? 1 : -1, F, p.strike, T, 0, 0, vol, scratch);
  const g = canonical(p.quantity, S, scratch);
  if (p.settlement === 'inverse') {
    const premiumCoin = scratch.price / F;
    g.deltaCoin -= p.quantity * premiumCoin;
    g.deltaUsd = g.deltaCoin * S;
  }
  return g;
}

export function portfolioRisk(positions: RiskPosition[], markets: Map<string, UnderlyingMarket>, now: number, shift: ScenarioShift = NO_SHIFT): PortfolioRisk {
  const out: PortfolioRisk = { positions: [], byUnderlying: new Map(), byExpiry: new Map() };
  for (const p of positions) {
    const m = markets.get(p.underlying);
    if (!m) throw new Error(`no market for ${p.underlying} (position ${p.id})`);
    const g = positionRisk(p, m, now, shift);
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
