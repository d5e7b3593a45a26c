/**
 * Hedging theory the hedge policies build on (pricing.md §4).
 *
 * Whalley-Wilmott (1997): with proportional cost λ (fraction of traded value) and absolute risk
 * aversion γ (1/USD), hold |H − Δ| ≤ h, h = ((3/2)·e^{−rτ}·λ·S·Γ²/γ)^{1/3}, in coins.
 * Γ is the position's gamma (coins per USD), so h scales as n^{2/3} for n options.
 */
export function whalleyWilmottHalfWidth(p: { spot: number; gamma: number; costFraction: number; riskAversion: number; rate?: number; timeToExpiry?: number }): number {
  const discount = Math.exp(-(p.rate ?? 0) * (p.timeToExpiry ?? 0));
  return Math.cbrt((1.5 * discount * p.costFraction * p.spot * p.gamma * p.gamma) / p.riskAversion);
}

/**
 * Derman-Kamal: hedging a BS-correct option N times over its life leaves a P&L with standard
 * deviation ≈ √(π/4)·σ·vega/√N (vega per 1.00 of vol, USD), near the money.
 */
export function discreteHedgingErrorStd(p: { vol: number; vega: number; rebalances: number }): number {
  return (Math.sqrt(Math.PI / 4) * p.vol * Math.abs(p.vega)) / Math.sqrt(p.rebalances);
}
