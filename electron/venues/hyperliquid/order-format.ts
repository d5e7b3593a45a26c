/*
 * Prices and sizes as Hyperliquid accepts them on an order (venues.md §1.5), as decimal strings —
 * never `String(float)`, which can print 0.30000000000000004 or 1e-7:
 * - size: at most `szDecimals` decimals;
 * - perp price: at most 5 significant figures and at most 6 − szDecimals decimals (spot 8 −);
 *   a whole-number price is always allowed, however many digits;
 * - no trailing zeros, no exponent.
 * Rounding is chosen by the caller: an aggressive hedge rounds its limit away from the market
 * (a buy up, a sell down) so the rounding never stops it from filling; a size rounds down so it
 * never exceeds what was asked.
 */

export type Rounding = 'nearest' | 'up' | 'down';

export const MIN_ORDER_VALUE_USD = 10;

/** Removes float noise (97000.00000000001) before a directed rounding sees it. */
const clean = (x: number): number => Number(x.toPrecision(14));

function roundAt(value: number, decimals: number, mode: Rounding): { units: bigint; decimals: number } {
  const scaled = clean(value * 10 ** decimals);
  const n = mode === 'up' ? Math.ceil(scaled) : mode === 'down' ? Math.floor(scaled) : Math.round(scaled);
  return { units: BigInt(n), decimals };
}

/** `units` × 10^−decimals as a plain decimal string without trailing zeros. */
function decimalString(units: bigint, decimals: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const frac = decimals ? digits.slice(-decimals).replace(/0+$/, '') : '';
  return `${negative ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
}

export function maxPriceDecimals(szDecimals: number, market: 'perp' | 'spot' = 'perp'): number {
  return Math.max(0, (market === 'perp' ? 6 : 8) - szDecimals);
}

/** A limit price on the venue's grid; throws on a price that is not a positive finite number. */
export function formatPrice(price: number, szDecimals: number, mode: Rounding = 'nearest', market: 'perp' | 'spot' = 'perp'): string {
  if (!(Number.isFinite(price) && price > 0)) throw new RangeError(`price must be a positive number, got ${price}`);
  // 5 significant figures: 4 − ⌊log10 p⌋ decimals, none for a price of 5 digits or more.
  const sigDecimals = 4 - Math.floor(Math.log10(price));
  let decimals = Math.min(maxPriceDecimals(szDecimals, market), Math.max(0, sigDecimals));
  let r = roundAt(price, decimals, mode);
  // Rounding up can add a digit (9999.95 → 10000.0): re-round at the new magnitude.
  if (r.units > 0n && decimals > 0 && r.units.toString().length > 5) {
    decimals = Math.max(0, decimals - (r.units.toString().length - 5));
    r = roundAt(price, decimals, mode);
  }
  if (r.units <= 0n) throw new RangeError(`price ${price} rounds to zero on this market's grid`);
  return decimalString(r.units, r.decimals);
}

/** A size at `szDecimals` places (rounded down by default); throws if it rounds to zero. */
export function formatSize(size: number, szDecimals: number, mode: Rounding = 'down'): string {
  if (!(Number.isFinite(size) && size > 0)) throw new RangeError(`size must be a positive number, got ${size}`);
  const r = roundAt(size, szDecimals, mode);
  if (r.units <= 0n) throw new RangeError(`size ${size} is below the smallest step (${10 ** -szDecimals})`);
  return decimalString(r.units, szDecimals);
}

/** Whether a wire price is on the grid (what the venue checks; off-grid: "Price must be divisible by tick size."). */
export function isValidPrice(wire: string, szDecimals: number, market: 'perp' | 'spot' = 'perp'): boolean {
  if (!/^\d+(\.\d+)?$/.test(wire)) return false;
  const [whole, frac = ''] = wire.split('.') as [string, string?];
  if (frac.length > maxPriceDecimals(szDecimals, market)) return false;
  if (/^0*$/.test(frac)) return Number(whole) > 0;
  const significant = `${whole.replace(/^0+/, '')}${frac}`.replace(/^0+/, '').replace(/0+$/, '');
  return significant.length <= 5 && Number(wire) > 0;
}

/** Whether a wire size has at most `szDecimals` decimals (otherwise: "Order has invalid size."). */
export function isValidSize(wire: string, szDecimals: number): boolean {
  if (!/^\d+(\.\d+)?$/.test(wire)) return false;
  const frac = wire.split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length <= szDecimals && Number(wire) > 0;
}
