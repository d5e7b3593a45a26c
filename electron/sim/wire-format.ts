/** Decimal-string formatting the way Hyperliquid's servers print numbers on the wire. */

/** Price at `decimals` places; whole prices keep one `.0` as the venue prints them ("113377.0"). */
export function wirePrice(value: number, decimals: number): string {
  const s = value.toFixed(decimals);
  return decimals === 0 ? `${s}.0` : s;
}

/** Size at `decimals` places with trailing zeros removed ("0.1500" → "0.15", "2.0" → "2.0"). */
export function wireSize(value: number, decimals: number): string {
  const s = value.toFixed(decimals);
  if (!s.includes('.')) return `${s}.0`;
  const trimmed = s.replace(/0+$/, '');
  return trimmed.endsWith('.') ? `${trimmed}0` : trimmed;
}
