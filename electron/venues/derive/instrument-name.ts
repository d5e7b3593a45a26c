/*
 * Derive's option names and on-chain ids (venues.md §3.3): `ETH-20270625-6000-P`, and the
 * `base_asset_sub_id` an order signs — expiry (unix s) in the low 32 bits, strike × 1e8 above it,
 * and the call flag at bit 95 (a verified testnet order: ETH-20270625-6000-P = 2576980377601813910400).
 * The adapter signs the sub id the venue lists; the encoding is here so the simulator lists true ones.
 */

export interface DeriveOptionName {
  underlying: string;
  /** Expiry day, ms since epoch at 00:00 UTC (the name has no time; the instrument's expiry does). */
  day: number;
  strike: number;
  kind: 'call' | 'put';
}

const NAME = /^([A-Z0-9]+)-(\d{4})(\d{2})(\d{2})-(\d+(?:\.\d+)?)-([CP])$/;

export function parseDeriveOptionName(name: string): DeriveOptionName | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const day = Date.UTC(Number(m[2]), Number(m[3]) - 1, Number(m[4]));
  const strike = Number(m[5]);
  if (!Number.isFinite(day) || !(strike > 0)) return null;
  return { underlying: m[1]!, day, strike, kind: m[6] === 'C' ? 'call' : 'put' };
}

/** The expiry's UTC day as Derive writes it in names and `expiry_date`: YYYYMMDD. */
export function expiryDay(expiryMs: number): string {
  const d = new Date(expiryMs);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

export function deriveOptionName(underlying: string, expiryMs: number, strike: number, kind: 'call' | 'put'): string {
  return `${underlying}-${expiryDay(expiryMs)}-${strike}-${kind === 'call' ? 'C' : 'P'}`;
}

export function optionSubId(expirySec: number, strike: number, kind: 'call' | 'put'): bigint {
  const strikeE8 = BigInt(Math.round(strike * 1e8));
  return BigInt(expirySec) | (strikeE8 << 32n) | (kind === 'call' ? 1n << 95n : 0n);
}
