import { sviTotalVariance, type SviParams } from '../../../shared/domain/svi.ts';

/**
 * The simulator's "true" volatility surface: SSVI (Gatheral-Jacquier) with a power-law φ, whose
 * ATM level follows the underlying's current volatility and whose smile is set in log-moneyness
 * against the forward, so it moves with spot and vol. Each slice is exactly a raw-SVI slice, which
 * lets tests compare the engine's fit with the truth. Parameters satisfy the SSVI no-arbitrage
 * conditions (pricing.md §3.2): η(1+|ρ|) ≤ 2, γ ∈ (0, 1), θ increasing in T.
 */
export interface SurfaceModelParams {
  rho: number;
  eta: number;
  gamma: number;
  /** ATM vol term structure: σ_atm(T) = level · (1 + termSlope · (√(T/0.25) − 1)), floored. */
  termSlope: number;
}

export const BTC_SURFACE: SurfaceModelParams = { rho: -0.25, eta: 1.1, gamma: 0.45, termSlope: 0.08 };
export const ETH_SURFACE: SurfaceModelParams = { rho: -0.3, eta: 1.2, gamma: 0.45, termSlope: 0.06 };


export function atmVol(level: number, time: number, p: SurfaceModelParams): number {
  return Math.max(0.05, level * (1 + p.termSlope * (Math.sqrt(time / 0.25) - 1)));
}

/** The SSVI slice at ATM total variance θ as raw SVI (GJ §4). */
export function ssviSlice(theta: number, p: SurfaceModelParams): SviParams {
  const phi = p.eta / (theta ** p.gamma * (1 + theta) ** (1 - p.gamma));
  return {
    a: (theta / 2) * (1 - p.rho * p.rho),
    b: (theta * phi) / 2,
    rho: p.rho,
    m: -p.rho / phi,
    sigma: Math.sqrt(1 - p.rho * p.rho) / phi,
  };
}

export function modelImpliedVol(level: number, k: number, time: number, p: SurfaceModelParams): number {
  const atm = atmVol(level, time, p);
  return Math.sqrt(sviTotalVariance(ssviSlice(atm * atm * time, p), k) / time);
}
