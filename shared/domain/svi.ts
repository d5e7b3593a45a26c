/**
 * Raw SVI (Gatheral): total implied variance w(k) = a + b·(ρ(k − m) + √((k − m)² + σ²)),
 * k = ln(K/F), w = σ_BS²·T. The formula lives here so the engine's fit, the simulator's surface and
 * the smile drawn on screen evaluate exactly the same curve.
 */
export interface SviParams {
  a: number;
  b: number;
  rho: number;
  m: number;
  sigma: number;
}

export function sviTotalVariance(p: SviParams, k: number): number {
  const x = k - p.m;
  return p.a + p.b * (p.rho * x + Math.sqrt(x * x + p.sigma * p.sigma));
}
