/**
 * Hyperliquid perp liquidation (docs, "Trading > Liquidations"): liquidated when equity falls to the
 * maintenance margin, MM rate l = 1/(2·maxLeverage) of notional at mark. Solving
 * equity + size·(P − mark) = |size|·P·l for P gives
 *   liq = mark − side·marginAvailable / |size| / (1 − l·side),
 * with marginAvailable = equity − MM at mark: account value for cross (other positions held
 * fixed), the position's isolated margin for isolated. Tiered margin tables are not applied.
 */
export interface LiquidationInput {
  /** Signed size in coins (long > 0). */
  size: number;
  /** Mark price, USD. */
  mark: number;
  maxLeverage: number;
  /** Cross: account value; isolated: the position's margin incl. its unrealised PnL. USD. */
  equity: number;
  /** Cross only: maintenance margin required by the account's other positions, USD. */
  otherMaintenance?: number;
}

export function maintenanceRate(maxLeverage: number): number {
  return 1 / (2 * maxLeverage);
}

/** Liquidation price, or null when none exists (no position, or collateral covers any move). */
export function liquidationPrice(input: LiquidationInput): number | null {
  const { size, mark, maxLeverage, equity } = input;
  if (size === 0 || !(mark > 0) || !(maxLeverage > 0)) return null;
  const side = size > 0 ? 1 : -1;
  const l = maintenanceRate(maxLeverage);
  const available = equity - (input.otherMaintenance ?? 0) - Math.abs(size) * mark * l;
  const liq = mark - (side * available) / Math.abs(size) / (1 - l * side);
  return liq > 0 && Number.isFinite(liq) ? liq : null;
}

export interface LiquidationDistance {
  price: number;
  /** Signed move of the mark to reach it, fraction (−0.08 = an 8 % fall). */
  pct: number;
  /** The same move in USD per coin. */
  usdPerCoin: number;
  /** The move in daily standard deviations at the given annual vol. */
  dailySigmas: number;
}

export function liquidationDistance(input: LiquidationInput, annualVol: number): LiquidationDistance | null {
  const price = liquidationPrice(input);
  return price === null ? null : distanceTo(price, input.mark, annualVol);
}

/** The move from the mark to a liquidation at `price` (the venue's, or ours), at an annual vol. */
export function distanceTo(price: number, mark: number, annualVol: number): LiquidationDistance {
  const dailyVol = annualVol * Math.sqrt(1 / 365);
  return {
    price,
    pct: price / mark - 1,
    usdPerCoin: price - mark,
    dailySigmas: dailyVol > 0 ? Math.abs(Math.log(price / mark)) / dailyVol : Infinity,
  };
}

/**
 * The equity (isolated margin with its PnL, or account value for cross) that puts liquidation a
 * given fraction of the mark away: the formula above solved for equity with liq = mark·(1 − side·d),
 *   equity = mark·d·|size|·(1 − l·side) + otherMaintenance + |size|·mark·l.
 * A top-up of (this − equity now) moves the liquidation price out to that distance.
 */
export function equityForDistance(input: Omit<LiquidationInput, 'equity'>, distance: number): number | null {
  const { size, mark, maxLeverage } = input;
  if (size === 0 || !(mark > 0) || !(maxLeverage > 0) || !(distance > 0)) return null;
  const side = size > 0 ? 1 : -1;
  const l = maintenanceRate(maxLeverage);
  return mark * distance * Math.abs(size) * (1 - l * side) + (input.otherMaintenance ?? 0) + Math.abs(size) * mark * l;
}
