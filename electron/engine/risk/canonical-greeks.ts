import type { GreeksRow } from '../../../shared/domain/portfolio.ts';

/**
 * Greeks in the units a trader reads (DESIGN.md §5), for a position (quantity included):
 * - deltaCoin: underlying units; deltaUsd: USD per 1 USD move × spot (= USD exposure)
 * - gammaCoin: change in coin delta per 1 USD move; gammaUsdPer1Pct: change in USD delta per 1 % move
 * - vegaUsd: USD per 1 vol point; thetaUsd: USD per calendar day; rhoUsd: USD per 1 % rate
 */
export interface CanonicalGreeks extends GreeksRow {
  rhoUsd: number;
}

export function zeroGreeks(): CanonicalGreeks {
  return { valueUsd: 0, deltaCoin: 0, deltaUsd: 0, gammaCoin: 0, gammaUsdPer1Pct: 0, vegaUsd: 0, thetaUsd: 0, rhoUsd: 0 };
}

export function addGreeks(into: CanonicalGreeks, g: CanonicalGreeks): void {
  into.valueUsd += g.valueUsd;
  into.deltaCoin += g.deltaCoin;
  into.deltaUsd += g.deltaUsd;
  into.gammaCoin += g.gammaCoin;
  into.gammaUsdPer1Pct += g.gammaUsdPer1Pct;
  into.vegaUsd += g.vegaUsd;
  into.thetaUsd += g.thetaUsd;
  into.rhoUsd += g.rhoUsd;
}

/**
 * From plain partials (per coin of position, per 1.00 vol, per year, per 1.00 rate) and a signed
 * quantity in coins to canonical units at spot S.
 */
export function canonical(
  q: number,
  S: number,
  raw: { price: number; delta: number; gamma: number; vega: number; theta: number; rho: number },
): CanonicalGreeks {
  const deltaCoin = q * raw.delta;
  const gammaCoin = q * raw.gamma;
  return {
    valueUsd: q * raw.price,
    deltaCoin,
    deltaUsd: deltaCoin * S,
    gammaCoin,
    gammaUsdPer1Pct: gammaCoin * S * S * 0.01,
    vegaUsd: (q * raw.vega) / 100,
    thetaUsd: (q * raw.theta) / 365,
    rhoUsd: (q * raw.rho) / 100,
  };
}
