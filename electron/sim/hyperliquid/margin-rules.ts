/*
 * Hyperliquid's margin rules as the simulated venue applies them (docs, "Trading > Margining" and
 * "Liquidations"), written here rather than borrowed from the engine so that the engine's own
 * liquidation model is checked against the venue's figures, not against itself.
 * Maintenance margin is half the initial margin at maximum leverage: 1/(2·maxLeverage) of notional.
 */

export function maintenanceFraction(maxLeverage: number): number {
  return 0.5 / maxLeverage;
}

/**
 * The mark at which equity meets maintenance: equity + q·(P − mark) = |q|·P·mm + others, solved
 * for P. `equity` is the account value (cross) or the position's margin with its PnL (isolated);
 * `othersMaintenance` is the maintenance of the other cross positions, held at their marks.
 */
export function venueLiquidationPx(q: number, mark: number, maxLeverage: number, equity: number, othersMaintenance: number): number | null {
  if (q === 0 || !(mark > 0)) return null;
  const mm = maintenanceFraction(maxLeverage);
  const px = (othersMaintenance - equity + q * mark) / (q - Math.abs(q) * mm);
  return Number.isFinite(px) && px > 0 ? px : null;
}
